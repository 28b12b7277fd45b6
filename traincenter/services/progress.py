"""Credited hours and exam eligibility, computed for many enrolments in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, bindparam, func, literal_column, select, union_all

from .. import rules
from ..extensions import db
from ..models import Attendance, Enrolment, SelfStudyLog, TrainingSession

_IDS = bindparam("ids", expanding=True)
# Both kinds of hours in one statement, built once ('c' classroom, 's' verified self-study).
# Each id is bound twice: CHUNK ids stay well inside SQLite's limit of 32,766 bound values.
CHUNK = 10000
_HOURS = union_all(
    select(literal_column("'c'", String).label("kind"), Attendance.enrolment_id,
           func.coalesce(func.sum(TrainingSession.hours), 0).label("hours"))
    .join(TrainingSession, Attendance.session_id == TrainingSession.id)
    .where(Attendance.enrolment_id.in_(_IDS),
           Attendance.status.in_(sorted(rules.CREDITED_ATTENDANCE)))
    .group_by(Attendance.enrolment_id),
    select(literal_column("'s'", String), SelfStudyLog.enrolment_id,
           func.coalesce(func.sum(SelfStudyLog.hours), 0))
    .where(SelfStudyLog.enrolment_id.in_(_IDS), SelfStudyLog.status == "verified")
    .group_by(SelfStudyLog.enrolment_id),
)


def credited_hours(enrolment_ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """(classroom, verified self-study) hours per enrolment id; one statement per 10,000."""
    ids = list(set(enrolment_ids))
    classroom = dict.fromkeys(ids, 0.0)
    self_study = dict.fromkeys(ids, 0.0)
    for start in range(0, len(ids), CHUNK):
        for kind, enrolment_id, total in db.session.execute(
                _HOURS, {"ids": ids[start:start + CHUNK]}):
            (classroom if kind == "c" else self_study)[enrolment_id] = float(total)
    return {enrolment_id: (classroom[enrolment_id], self_study[enrolment_id])
            for enrolment_id in ids}


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
