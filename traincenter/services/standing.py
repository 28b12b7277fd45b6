"""Where each course stands about its exam (passed, re-exam scheduled, attempts used up …), for
the hours pages, in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, or_, select

from .. import rules
from ..extensions import db
from ..models import Enrolment, Exam, ExamResult
from .attempts import IN_COURSES, course_results, plan_for

# The two statements, built once (composing them cost as much as running them).
_MEMBERS = select(Enrolment.id, Enrolment.continues_id, Enrolment.class_id,
                  Enrolment.status).where(IN_COURSES)
# The unpublished exams of those enrolments, and the unpublished re-exams of given classes.
_UPCOMING = (
    select(ExamResult.enrolment_id, Exam.class_id, Exam.held_on, ExamResult.id.is_not(None))
    .select_from(Exam)
    .outerjoin(ExamResult, (ExamResult.exam_id == Exam.id)
               & ExamResult.enrolment_id.in_(bindparam("enrolments", expanding=True)))
    .where(Exam.published_at.is_(None),
           or_(ExamResult.id.is_not(None),
               Exam.class_id.in_(bindparam("classes", expanding=True)) & (Exam.kind == "reexam")))
)


@dataclass(frozen=True)
class Standing:
    """A course's standing (``rules.STANDINGS``) and the day of the exam it waits for."""

    kind: str
    exam_on: date | None = None


def exam_standings(enrolments: Iterable[Enrolment], today: date | None = None, *,
                   members: Iterable[Enrolment] | None = None) -> dict[int, Standing | None]:
    """The standing of each enrolment's course, by enrolment id (None: no exam yet; the hours
    decide). Three statements whatever the number of enrolments; two when the caller holds
    every enrolment of the courses already (``members``: the trainee's home page holds all of
    hers, and a course is one trainee's)."""
    today = today or date.today()
    enrolments = list(enrolments)
    course_ids = {e.course_enrolment_id for e in enrolments}
    if not course_ids:
        return {}
    published = course_results(course_ids)
    if members is None:
        members = db.session.execute(_MEMBERS, {"courses": list(course_ids)}).all()
    else:
        members = [e for e in members if e.course_enrolment_id in course_ids]
    course_of = {row.id: row.continues_id or row.id for row in members}
    # Unpublished exams she is a candidate of, and the unpublished re-exams of a retraining
    # class she is in for the course (she may not be added yet).
    retraining_classes = {row.class_id: course_of[row.id] for row in members
                          if row.continues_id is not None and row.status == "active"}
    upcoming: dict[int, date] = {}
    for enrolment_id, class_id, held_on, is_candidate in db.session.execute(
            _UPCOMING, {"enrolments": list(course_of), "classes": list(retraining_classes)}):
        course = course_of[enrolment_id] if is_candidate else retraining_classes[class_id]
        if course not in upcoming or held_on < upcoming[course]:
            upcoming[course] = held_on
    standings: dict[int, Standing | None] = {}
    for enrolment in enrolments:
        course = enrolment.course_enrolment_id
        results = published.get(course, [])
        plan_status = plan_for(results, upcoming.get(course) or today).status if results else None
        kind = rules.exam_standing(plan_status, upcoming.get(course), today)
        standings[enrolment.id] = None if kind is None else Standing(kind, upcoming.get(course))
    return standings
