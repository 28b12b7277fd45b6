"""One small, complete data set: one of every kind of row, for the permission matrix and
security tests. Instructor ``instructor`` teaches ``class``; ``other_instructor`` does not.
Trainee ``trainee`` (with login) is enrolled in ``class`` and holds ``certificate``;
``other_trainee`` (with login) is enrolled in ``other_class``.
"""

from __future__ import annotations

from datetime import date, timedelta

from traincenter.extensions import db
from traincenter.models import Recommendation


def build_world(make) -> dict:
    """Create the data set and return its objects by name."""
    admin = make.user("admin")
    staff = make.user("staff")
    instructor = make.user("instructor")
    other_instructor = make.user("instructor")
    trainee_user = make.trainee_user()
    other_trainee_user = make.trainee_user()
    trainee, other_trainee = trainee_user.trainee, other_trainee_user.trainee
    track = make.track(code="GEN", name="一般家政服务")
    training_class = make.training_class(track=track, instructors=[instructor])
    other_class = make.training_class(track=track, instructors=[other_instructor])
    enrolment = make.enrolment(trainee, training_class)
    other_enrolment = make.enrolment(other_trainee, other_class)
    session = make.session(training_class, hours=4)
    make.attendance(session, enrolment)
    log = make.self_study(enrolment, hours=3, status="pending")
    other_log = make.self_study(other_enrolment, hours=3, status="pending")
    exam = make.exam(training_class)
    other_exam = make.exam(other_class, held_on=other_class.ends_on)
    result = make.result(exam, enrolment, 82, 75)
    other_result = make.result(other_exam, other_enrolment, 50, 75)
    certificate = make.certificate(result)
    health = make.health(trainee, issued_on=date.today() - timedelta(days=10))
    background_check = make.background_check(trainee)
    insurance = make.insurance(trainee)
    fee_entry = make.fee_entry(enrolment, 650)
    opening = make.opening(track=track)
    recommendation = Recommendation(opening=opening, trainee=trainee)
    db.session.add(recommendation)
    db.session.commit()
    placement = make.placement(trainee)
    feedback = make.feedback(placement)
    link = make.feedback_link(placement)
    # Retraining (issue 5): other_trainee failed theory and continues the course in a retraining
    # class, whose re-exam is scheduled.
    retraining_class = make.training_class(track=track, kind="retraining")
    retraining_enrolment = make.enrolment(other_trainee, retraining_class,
                                          continues_id=other_enrolment.id)
    reexam = make.exam(retraining_class, kind="reexam", held_on=retraining_class.ends_on)
    application = make.application(track=track)  # issue 16: an application waiting for review
    return {
        "admin": admin, "staff": staff, "instructor": instructor,
        "other_instructor": other_instructor, "trainee_user": trainee_user,
        "other_trainee_user": other_trainee_user, "trainee": trainee,
        "other_trainee": other_trainee, "track": track, "class": training_class,
        "other_class": other_class, "enrolment": enrolment, "other_enrolment": other_enrolment,
        "session": session, "self_study": log, "other_self_study": other_log, "exam": exam,
        "other_exam": other_exam, "result": result, "other_result": other_result,
        "certificate": certificate, "health": health, "opening": opening,
        "background_check": background_check, "insurance": insurance, "fee_entry": fee_entry,
        "recommendation": recommendation, "placement": placement, "feedback": feedback,
        "feedback_link": link, "year": date.today().year - 1,
        "retraining_class": retraining_class, "retraining_enrolment": retraining_enrolment,
        "reexam": reexam, "application": application,
    }
