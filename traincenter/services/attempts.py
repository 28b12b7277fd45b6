"""A course's exam attempts and what the next one covers, from published results."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import bindparam, event, or_, select
from sqlalchemy.orm import Session, joinedload

from .. import rules, settings
from ..extensions import db
from ..models import Enrolment, Exam, ExamResult
from ..models.base import has_unflushed_changes
from . import verdicts

_COURSES = bindparam("courses", expanding=True)
# The enrolments of the courses bound as ``courses`` (regular enrolment ids): each course's
# regular enrolment and the retraining enrolments that continue it. For statements built once.
IN_COURSES = or_(Enrolment.id.in_(_COURSES), Enrolment.continues_id.in_(_COURSES))
# Built once (every trainee page and every correction asks): composing them cost as much as
# running them. The results of the courses, and the courses' enrolments.
_COURSE_RESULTS = (
    select(ExamResult)
    .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
    .join(Exam, ExamResult.exam_id == Exam.id)
    .where(IN_COURSES)
    .options(joinedload(ExamResult.exam), joinedload(ExamResult.enrolment))
    .order_by(Exam.held_on, ExamResult.id)
)
_COURSE_ENROLMENTS = select(Enrolment).where(IN_COURSES)


def course_results(course_ids: Iterable[int], *, published_only: bool = True) -> dict[int, list[ExamResult]]:
    """Results per course (regular enrolment id, retraining enrolments included), oldest first.

    A page asks this more than once for the same courses (the trainee's home: her latest result,
    where each course stands, what comes next): the answer is kept in the session until it
    writes anything or its transaction ends (see ``_forget_course_results``)."""
    ids = frozenset(course_ids)
    if not ids:
        return {}
    session = db.session()
    if has_unflushed_changes(session):
        session.info.pop(_KEPT, None)  # unflushed changes: read them (the query autoflushes)
    kept = session.info.setdefault(_KEPT, {}).setdefault(published_only, {})
    missing = ids - kept.keys()
    if missing:
        kept.update(_read_course_results(frozenset(missing), published_only))
    return {course_id: list(kept[course_id]) for course_id in ids}


def keep_course_results(by_course: dict[int, list[ExamResult]], *,
                        published_only: bool = True) -> None:
    """Keep results a page read already (every result of each course in ``by_course``, oldest
    first, with exam and enrolment) as ``course_results`` would have read them."""
    session = db.session()
    if has_unflushed_changes(session):
        return
    kept = session.info.setdefault(_KEPT, {}).setdefault(published_only, {})
    for course_id, results in by_course.items():
        kept.setdefault(course_id, list(results))


def _read_course_results(ids: frozenset[int], published_only: bool) -> dict[int, list[ExamResult]]:
    by_course: dict[int, list[ExamResult]] = {course_id: [] for course_id in ids}
    # The status is checked here, not in SQL: with it in the WHERE clause SQLite walks the
    # status index (nearly every result is published) instead of the course's few enrolments.
    for result in db.session.scalars(_COURSE_RESULTS, {"courses": list(ids)}).unique():
        if not published_only or result.status == "published":
            by_course[result.enrolment.course_enrolment_id].append(result)
    return by_course


_KEPT = "course_results"


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_transaction_end")
def _forget_course_results(session, *_args) -> None:
    """A write, or the end of the transaction (commit, rollback, close), forgets the kept course
    results: they are only ever reused within one transaction that has not written."""
    session.info.pop(_KEPT, None)


@event.listens_for(Session, "do_orm_execute")
def _forget_on_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info.pop(_KEPT, None)


def as_history(results: list[ExamResult]) -> list[dict[str, rules.PartRecord | None]]:
    """Convert results to the rules' attempt history (carried parts become None); each part
    carries its own exam's date and pass mark."""
    return [{part: verdicts.part_record(result, part) for part in rules.PARTS}
            for result in results]


def plan_for(results: list[ExamResult], next_exam_on: date | None = None) -> rules.AttemptPlan:
    """What the next attempt of a course covers, under the attempt settings in force."""
    return rules.plan_next_attempt(as_history(results), next_exam_on, **settings.attempt_settings())


def passing_result_for_part(results: list[ExamResult], part: str) -> ExamResult | None:
    """The latest result in which ``part`` was sat and passed (to carry it over)."""
    for result in reversed(results):
        record = verdicts.part_record(result, part)
        if record is not None and record.passed:
            return result
    return None


def settle_courses(course_ids: Iterable[int], today: date | None = None) -> dict[int, str]:
    """Bring each course's enrolment status in line with its published results.

    Passed → ``passed``; attempt limit used up without a pass → ``not_passed`` (closed: the trainee
    may start again in a new regular class); otherwise ``active``. Retraining enrolments that
    continue the course follow it. Does not commit (the caller's operation does). Returns the new
    status per course id.
    """
    today = today or date.today()
    ids = list(set(course_ids))
    results = course_results(ids)
    enrolments = db.session.scalars(_COURSE_ENROLMENTS, {"courses": ids}).all()
    statuses = {}
    for course_id in ids:
        plan = plan_for(results[course_id], today)
        statuses[course_id] = {"passed": "passed", "limit_reached": "not_passed"}.get(
            plan.status, "active")
    for enrolment in enrolments:
        status = statuses[enrolment.course_enrolment_id]
        if enrolment.status == "withdrawn" or enrolment.status == status:
            continue
        enrolment.status = status
        if status == "not_passed":
            enrolment.closed_on, enrolment.closed_reason = today, "attempt_limit"
        elif status == "passed":
            enrolment.closed_on, enrolment.closed_reason = today, None
        else:
            enrolment.closed_on, enrolment.closed_reason = None, None
    return statuses
