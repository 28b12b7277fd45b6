"""The annual report's aggregate SQL: one statement per figure group, built by section.

``statements(year, as_of)`` builds every aggregate the report needs (GROUP BY in the database,
never per-row loops in Python); ``reports.data`` runs them and shapes the rows with pandas. The
number of statements is fixed, whatever the size of the data.

Each statement applies a rule of ``traincenter.rules.report`` to many rows at once (the CASE
expressions below follow ``training_status``, ``pass_outcome`` and ``certificate_origin``); what
each figure means in words is in ``reports.definitions``. Nothing dated after the as-of date
counts: the figures of a finalised report can be counted again at its own as-of date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, distinct, exists, extract, func, or_, select

from .. import rules
from ..models import (
    Attendance,
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    HealthCertificate,
    Placement,
    SelfStudyLog,
    Trainee,
    TrainingClass,
    TrainingSession,
)


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)


def _course_id():
    return func.coalesce(Enrolment.continues_id, Enrolment.id)


def _sat_some_part():
    """At least one part sat at this exam: a score of its own (absent and carried parts are not)."""
    return or_(*(and_(getattr(ExamResult, f"{part}_score").is_not(None),
                      getattr(ExamResult, f"{part}_carried_from_id").is_(None))
                 for part in rules.PARTS))


def _trained_base(start: date, end: date, as_of: date):
    """Enrolments in classes that ran in the year (started by the as-of date): every "trained"."""
    return (
        select()
        .select_from(Enrolment)
        .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .where(TrainingClass.starts_on <= end, TrainingClass.ends_on >= start,
               TrainingClass.starts_on <= as_of)
    )


def _status_rank(start: date, end: date, as_of: date):
    """Each enrolment's ``rules.training_status`` as its index in ``TRAINING_STATUSES`` (0 = best)."""
    of_the_year = _trained_base(start, end, as_of).add_columns(Enrolment.id)
    classroom = (
        select(Attendance.enrolment_id.label("enrolment_id"), func.sum(TrainingSession.hours).label("hours"))
        .join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .where(TrainingSession.held_on <= as_of, Attendance.status.in_(sorted(rules.CREDITED_ATTENDANCE)),
               Attendance.enrolment_id.in_(of_the_year))
        .group_by(Attendance.enrolment_id)
    ).subquery("classroom")
    self_study = (
        select(SelfStudyLog.enrolment_id.label("enrolment_id"), func.sum(SelfStudyLog.hours).label("hours"))
        .where(SelfStudyLog.status == "verified", SelfStudyLog.studied_on <= as_of,
               SelfStudyLog.enrolment_id.in_(of_the_year))
        .group_by(SelfStudyLog.enrolment_id)
    ).subquery("self_study")
    done_classroom = func.round(func.coalesce(classroom.c.hours, 0), 1)
    done_self = func.round(func.coalesce(self_study.c.hours, 0), 1)
    complete = and_(done_classroom >= TrainingClass.required_classroom_hours,
                    done_self >= TrainingClass.required_self_study_hours,
                    func.round(done_classroom + done_self, 1) >= TrainingClass.required_total_hours)
    withdrawn = and_(Enrolment.status == "withdrawn",
                     or_(Enrolment.closed_on.is_(None), Enrolment.closed_on <= as_of))
    index = rules.TRAINING_STATUSES.index
    rank = case((withdrawn, index(rules.STOPPED)), (complete, index(rules.COMPLETED)),
                (TrainingClass.ends_on < as_of, index(rules.STOPPED)), else_=index(rules.IN_TRAINING))
    return rank, classroom, self_study


def _training_statements(start: date, end: date, as_of: date) -> dict[str, Any]:
    """Trainees by status (per track and in all), retrained, classes held and the three hour figures."""
    trainee = Enrolment.trainee_id
    base = _trained_base(start, end, as_of)
    rank, classroom, self_study = _status_rank(start, end, as_of)
    ranked = (
        base.add_columns(trainee.label("trainee_id"), TrainingClass.track_id.label("track_id"),
                         rank.label("rank"))
        .outerjoin(classroom, classroom.c.enrolment_id == Enrolment.id)
        .outerjoin(self_study, self_study.c.enrolment_id == Enrolment.id)
    ).subquery("ranked")
    per_track = select(ranked.c.trainee_id, ranked.c.track_id, func.min(ranked.c.rank).label("rank")) \
        .group_by(ranked.c.trainee_id, ranked.c.track_id)
    last = min(end, as_of)
    held = TrainingSession.held_on.between(start, last)
    return {
        # One row per trainee and track with her best status there; pandas counts per track and,
        # taking each trainee's best over her tracks, in all.
        "trained_status": per_track,
        "retrained": base.where(TrainingClass.kind == "retraining")
        .add_columns(func.count(distinct(trainee)).label("n")),
        "classes": base.add_columns(TrainingClass.kind.label("kind"),
                                    func.count(distinct(TrainingClass.id)).label("n"))
        .group_by(TrainingClass.kind),
        "hours_taught": select(func.count(TrainingSession.id).label("sessions"),
                               func.sum(TrainingSession.hours).label("hours")).where(held),
        "trainee_hours": select(func.sum(TrainingSession.hours).label("hours"))
        .select_from(Attendance)
        .join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .where(held, Attendance.status.in_(sorted(rules.CREDITED_ATTENDANCE))),
        "hours_self_study": select(func.sum(SelfStudyLog.hours).label("hours"))
        .where(SelfStudyLog.status == "verified", SelfStudyLog.studied_on.between(start, last)),
    }


def _first_sittings(start: date, end: date, as_of: date):
    """One row per course whose first sitting (published by ``as_of``) fell between the dates:
    trainee, course, track, day and whether it passed."""
    published = and_(ExamResult.status == "published", Exam.held_on <= as_of)
    sittings = (
        select(Enrolment.trainee_id.label("trainee_id"), _course_id().label("course_id"),
               TrainingClass.track_id.label("track_id"), Exam.held_on.label("held_on"),
               ExamResult.is_passed.label("passed"),
               func.row_number().over(partition_by=_course_id(),
                                      order_by=(Exam.held_on, ExamResult.attempt_no, ExamResult.id))
               .label("n"))
        .select_from(ExamResult)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .join(TrainingClass, Exam.class_id == TrainingClass.id)
        .where(published, _sat_some_part())
    ).subquery("sittings")
    return select(sittings).where(sittings.c.n == 1, sittings.c.held_on.between(start, end)) \
        .subquery("first_sittings")


def first_sitting_counts(year: int, as_of: date):
    """Different trainees who sat a first exam in ``year`` and those who passed it: the two
    numbers of the first-attempt pass rate, counted as the report counts them (its
    ``first_sittings``), in one row (``takers``, ``passed``)."""
    start, end = year_bounds(year)
    first = _first_sittings(start, end, as_of)
    return select(
        func.count(distinct(first.c.trainee_id)).label("takers"),
        func.count(distinct(case((first.c.passed.is_(True), first.c.trainee_id)))).label("passed"))


def _exam_statements(start: date, end: date, as_of: date) -> dict[str, Any]:
    """First sittings and their passes, passes by the as-of date, re-exam takers, the year's passes."""
    trainee = Enrolment.trainee_id
    published = and_(ExamResult.status == "published", Exam.held_on <= as_of)
    first = _first_sittings(start, end, as_of)
    course_passed = (
        select(_course_id().label("course_id"))
        .select_from(ExamResult)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .where(published, ExamResult.is_passed.is_(True))
    )
    reexam = (
        select()
        .select_from(ExamResult)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .where(published, Exam.kind == "reexam", Exam.held_on.between(start, end), _sat_some_part())
    )
    passed_in_the_end = case((first.c.course_id.in_(course_passed), 1), else_=0)
    return {
        # One row per course whose first sitting fell in the year; pandas counts different trainees.
        "first_sittings": select(first.c.trainee_id, first.c.track_id,
                                 case((first.c.passed.is_(True), 1), else_=0).label("passed"),
                                 passed_in_the_end.label("passed_in_the_end")),
        "reexams": reexam.add_columns(
            func.count(distinct(trainee)).label("reexam_takers"),
            func.count(distinct(case((ExamResult.is_passed.is_(True), trainee)))).label("reexam_passed")),
        "pass_outcomes": _pass_outcomes(start, end, as_of),
    }


def _pass_outcomes(start: date, end: date, as_of: date):
    """Courses passed at an exam held in the year, by what became of the certificate (``pass_outcome``)."""
    passes = (
        select(_course_id().label("course_id"))
        .select_from(ExamResult)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .where(ExamResult.status == "published", ExamResult.is_passed.is_(True),
               Exam.held_on.between(start, min(end, as_of)))
        .distinct()
    ).subquery("passes")
    standing = select(Certificate.enrolment_id, Certificate.issued_on) \
        .where(Certificate.revoked_at.is_(None)).subquery("standing")
    revoked = exists().where(Certificate.enrolment_id == passes.c.course_id, Certificate.revoked_at.is_not(None))
    outcome = case(
        (and_(standing.c.issued_on.is_(None), revoked), rules.PASS_REVOKED),
        (standing.c.issued_on.is_(None), rules.PASS_NOT_CERTIFIED),
        (standing.c.issued_on.between(start, end), rules.PASS_CERTIFIED_SAME_YEAR),
        (standing.c.issued_on > end, rules.PASS_CERTIFIED_LATER),
        else_=rules.PASS_CERTIFIED_EARLIER)
    return (
        select(outcome.label("key"), func.count().label("n"))
        .select_from(passes)
        .outerjoin(standing, standing.c.enrolment_id == passes.c.course_id)
        .group_by(outcome)
    )


def _outcome_statements(start: date, end: date, as_of: date) -> dict[str, Any]:
    """Certificates (by origin and track), health certificates, placements, contracts, ratings."""
    last = min(end, as_of)
    issued = and_(Certificate.issued_on.between(start, last), Certificate.revoked_at.is_(None))
    a_pass = and_(ExamResult.status == "published", ExamResult.is_passed.is_(True))
    origin = case(
        (and_(a_pass, Exam.held_on.between(start, end)), rules.CERT_PASSED_SAME_YEAR),
        (and_(a_pass, Exam.held_on < start), rules.CERT_PASSED_EARLIER),
        else_=rules.CERT_NOT_A_PASS)
    placed = (
        select(Certificate.trainee_id.label("trainee_id"), Certificate.track_id.label("track_id"))
        .select_from(Certificate)
        .join(Placement, and_(Placement.trainee_id == Certificate.trainee_id,
                              Placement.starts_on >= Certificate.issued_on, Placement.starts_on <= as_of))
        .where(issued)
        .distinct()
    ).subquery("placed")
    return {
        "certificate_origins": select(origin.label("key"), func.count().label("n"))
        .select_from(Certificate)
        .join(ExamResult, Certificate.result_id == ExamResult.id)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .where(issued).group_by(origin),
        "certified_by_track": select(Certificate.track_id.label("track_id"), func.count().label("certified"))
        .where(issued).group_by(Certificate.track_id),
        "health_certificates": select(func.count().label("n")).select_from(HealthCertificate)
        .where(HealthCertificate.issued_on.between(start, last)),
        "placed": select(func.count(distinct(placed.c.trainee_id)).label("n")),
        "placed_by_track": select(
            placed.c.track_id.label("track_id"), func.count(distinct(placed.c.trainee_id)).label("placed"),
        ).group_by(placed.c.track_id),
        "contracts_registered": select(func.count().label("n")).select_from(Placement)
        .where(Placement.starts_on.between(start, last), Placement.contract_registered.is_(True)),
        "ratings": select(Feedback.rating.label("rating"), func.count().label("n"))
        .where(Feedback.given_on.between(start, last)).group_by(Feedback.rating),
    }


def _by_month(trained_base, start: date):
    return trained_base.where(TrainingClass.starts_on >= start).add_columns(
        extract("month", TrainingClass.starts_on).label("month"),
        func.count(distinct(Enrolment.trainee_id)).label("trainees"),
    ).group_by(extract("month", TrainingClass.starts_on))


def trainees_by_month(year: int, as_of: date):
    """Different trainees per month in which their class started in ``year`` (``month``,
    ``trainees``), as the report's ``by_month``."""
    start, end = year_bounds(year)
    return _by_month(_trained_base(start, end, as_of), start)


def _breakdown_statements(start: date, end: date, as_of: date) -> dict[str, Any]:
    """Trainees by level, provider, gender, birth date, education, origin, start month; scores."""
    trainee = Enrolment.trainee_id
    trained_base = _trained_base(start, end, as_of)
    with_trainee = trained_base.join(Trainee, Trainee.id == Enrolment.trainee_id)
    named = {
        "by_level": trained_base.add_columns(
            TrainingClass.level.label("key"), func.count(distinct(trainee)).label("trained")
        ).group_by(TrainingClass.level),
        "by_provider": trained_base.add_columns(
            TrainingClass.provider_kind.label("provider_kind"),
            TrainingClass.provider_name.label("provider_name"),
            func.count(distinct(trainee)).label("trained"),
        ).group_by(TrainingClass.provider_kind, TrainingClass.provider_name),
        "by_month": _by_month(trained_base, start),
    }
    for name, column in (("by_gender", Trainee.gender), ("by_education", Trainee.education),
                         ("by_origin", Trainee.origin)):
        named[name] = with_trainee.add_columns(
            column.label("key"), func.count(distinct(trainee)).label("trained")).group_by(column)
    named["by_birth_on"] = with_trainee.add_columns(
        Trainee.birth_on.label("birth_on"), func.count(distinct(trainee)).label("trained")
    ).group_by(Trainee.birth_on)
    for part in rules.PARTS:
        score = getattr(ExamResult, f"{part}_score")
        mark = getattr(Exam, f"pass_mark_{part}")  # each exam's own pass mark
        named[f"{part}_scores"] = (
            select(score.label("score"), mark.label("mark"), func.count().label("n"))
            .select_from(ExamResult)
            .join(Exam, ExamResult.exam_id == Exam.id)
            .where(ExamResult.status == "published", Exam.held_on.between(start, min(end, as_of)),
                   score.is_not(None), getattr(ExamResult, f"{part}_carried_from_id").is_(None))
            .group_by(score, mark)
        )
    return named


def statements(year: int, as_of: date) -> dict[str, Any]:
    """Every aggregate query of one year's figures, by name (run bare by the benchmark)."""
    start, end = year_bounds(year)
    return {**_training_statements(start, end, as_of), **_exam_statements(start, end, as_of),
            **_outcome_statements(start, end, as_of), **_breakdown_statements(start, end, as_of)}
