"""Credited hours and exam eligibility, computed for many enrolments in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from .. import rules
from ..extensions import db
from ..models import Attendance, Enrolment, SelfStudyLog, TrainingSession


def credited_hours(enrolment_ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """(classroom, verified self-study) hours per enrolment id; two queries whatever the count."""
    ids = list(set(enrolment_ids))
    hours = {enrolment_id: (0.0, 0.0) for enrolment_id in ids}
    if not ids:
        return hours
    classroom = db.session.execute(
        select(Attendance.enrolment_id, func.coalesce(func.sum(TrainingSession.hours), 0))
        .join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .where(Attendance.enrolment_id.in_(ids),
               Attendance.status.in_(sorted(rules.CREDITED_ATTENDANCE)))
        .group_by(Attendance.enrolment_id)
    ).all()
    self_study = db.session.execute(
        select(SelfStudyLog.enrolment_id, func.coalesce(func.sum(SelfStudyLog.hours), 0))
        .where(SelfStudyLog.enrolment_id.in_(ids), SelfStudyLog.status == "verified")
        .group_by(SelfStudyLog.enrolment_id)
    ).all()
    for enrolment_id, total in classroom:
        hours[enrolment_id] = (float(total), hours[enrolment_id][1])
    for enrolment_id, total in self_study:
        hours[enrolment_id] = (hours[enrolment_id][0], float(total))
    return hours


def eligibility_for(enrolments: Iterable[Enrolment]) -> dict[int, rules.Eligibility]:
    """Eligibility per enrolment id against each enrolment's class requirements.

    The enrolments' classes must be loaded (or loadable); hours come from ``credited_hours``.
    """
    enrolments = list(enrolments)
    hours = credited_hours(e.id for e in enrolments)
    result = {}
    for enrolment in enrolments:
        training_class = enrolment.training_class
        classroom, self_study = hours[enrolment.id]
        result[enrolment.id] = rules.eligibility(
            classroom,
            self_study,
            training_class.required_classroom_hours,
            training_class.required_self_study_hours,
            training_class.required_total_hours,
        )
    return result


def eligibility_of(enrolment: Enrolment) -> rules.Eligibility:
    """Eligibility of one enrolment."""
    return eligibility_for([enrolment])[enrolment.id]
