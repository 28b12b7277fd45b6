"""Recording scores: validate every row, save all or nothing, compare-and-swap on the version.

A save writes only the rows whose values changed. Each written row is updated with
``UPDATE exam_result SET …, version = version + 1 WHERE id = :id AND version = :v``; when a row was
saved by someone else since the page was opened, nothing of the submit is saved and the caller
gets both values (``ScoreConflict``) to choose from.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import selectinload

from .. import rules
from ..auth.access import STAFF, teaches
from ..errors import DomainError
from ..extensions import db
from ..models import Certificate, Enrolment, Exam, ExamResult, ScoreChange
from ..models.base import utcnow
from ..services import attempts
from .values import (
    PartValue,
    RowProblem,
    ScoreRow,
    combined,
    current_part,
    is_carried,
    parse_part,
    part_message,
)

SOURCES = ("grid", "import", "correction")
MAX_REASON = 500


class ScoreErrors(DomainError):
    """Some rows are wrong; ``details`` is the list of ``RowProblem``. Nothing was saved."""


class ScoreConflict(DomainError):
    """Someone else saved some rows first; ``details`` is the list of ``Conflict``."""


@dataclass
class Conflict:
    """A row saved by someone else since the page was opened: their values and what was typed."""

    result: ExamResult
    theirs: dict[str, PartValue]
    mine: dict[str, PartValue]


@dataclass
class _Change:
    result: ExamResult
    old: dict[str, PartValue]
    new: dict[str, PartValue]
    version: int
    is_passed: bool | None
    status: str = "draft"
    was_passed: bool | None = None


def load_results(exam: Exam) -> list[ExamResult]:
    """The exam's results with trainee and carried-over sources, in a fixed number of queries."""
    return db.session.scalars(
        select(ExamResult).where(ExamResult.exam_id == exam.id)
        .options(selectinload(ExamResult.enrolment).selectinload(Enrolment.trainee),
                 selectinload(ExamResult.theory_carried_from).joinedload(ExamResult.exam),
                 selectinload(ExamResult.practical_carried_from).joinedload(ExamResult.exam),
                 selectinload(ExamResult.updated_by))
        .execution_options(populate_existing=True)
    ).all()


def record_scores(exam: Exam, rows: list[ScoreRow], actor, source: str = "grid",
                  reason: str | None = None, results: list[ExamResult] | None = None) -> list[int]:
    """Validate every row and save all of them, or none; returns the ids of the changed results.

    Raises ``ScoreErrors`` (a list of row problems) or ``ScoreConflict`` (rows someone else saved
    first). A change to a published result needs staff and a reason, and re-settles the course.
    """
    if source not in SOURCES:
        raise ValueError(source)
    if actor is None or not teaches(actor, exam.training_class):
        raise DomainError(_l("You do not teach this class."))
    reason = (reason or "").strip() or None
    if reason and len(reason) > MAX_REASON:
        raise DomainError(_l("The reason may have at most 500 characters."), field="reason")
    if not rows:
        raise DomainError(_l("There are no scores to save."))
    by_id = {r.id: r for r in (results if results is not None else load_results(exam))}
    changes, problems = _validate(rows, by_id, actor, source, reason)
    if problems:
        raise ScoreErrors(_l("Nothing was saved: %(count)s rows need correcting.",
                             count=len(problems)), details=problems)
    conflicts = [c for c in changes if c.version != c.result.version]
    if conflicts:
        raise ScoreConflict(_l("Someone else saved some of these scores after you opened the "
                               "page. Nothing was saved; choose which values to keep."),
                            details=[_conflict(c) for c in conflicts])
    if changes:
        _write(changes, actor, source, reason)
        published = [c for c in changes if c.status == "published"]
        if published:
            _after_published_change(published, actor, reason)
    db.session.commit()
    return [c.result.id for c in changes]


def validate_rows(exam: Exam, rows: list[ScoreRow], actor, source: str,
                  reason: str | None = None, results: list[ExamResult] | None = None):
    """Only the checks of ``record_scores``: the list of ``RowProblem`` (empty when all is well)."""
    by_id = {r.id: r for r in (results if results is not None else load_results(exam))}
    return _validate(rows, by_id, actor, source, (reason or "").strip() or None)[1]


def _validate(rows, by_id, actor, source, reason):
    changes: list[_Change] = []
    problems: list[RowProblem] = []
    seen: set[int] = set()
    for row in rows:
        result = by_id.get(row.result_id)
        problem = RowProblem(row.result_id, row.line,
                             result.enrolment.trainee.name if result is not None else "")
        if result is None:
            problem.add("row", _l("Not a candidate of this exam"))
            problems.append(problem)
            continue
        if row.result_id in seen:
            problem.add("row", _l("This candidate appears twice"))
            problems.append(problem)
            continue
        seen.add(row.result_id)
        old = {part: current_part(result, part) for part in rules.PARTS}
        new = {}
        for part in rules.PARTS:
            if is_carried(result, part):
                new[part] = old[part]  # read-only: the part passed earlier is kept
                continue
            try:
                new[part] = parse_part(getattr(row, part), getattr(row, f"{part}_absent"),
                                       allow_empty=source == "grid")
            except (rules.ScoreError, ValueError) as error:
                problem.add(part, part_message(error))
        if problem.messages:
            problems.append(problem)
            continue
        if all(new[p].code == old[p].code for p in rules.PARTS):
            continue
        if result.status == "published":
            if actor.role not in STAFF:
                problem.add("row", _l("Published: only staff may change this score"))
            elif not reason:
                problem.add("row", _l("Published: give a reason for the change"))
        elif result.status == "submitted" and actor.role not in STAFF:
            problem.add("row", _l("Already submitted: ask staff to change it"))
        if problem.messages:
            problems.append(problem)
            continue
        version = row.version if row.version is not None else result.version
        changes.append(_Change(result, old, new, version,
                               combined(result, new["theory"], new["practical"]),
                               result.status, result.is_passed))
    return changes, problems


def _conflict(change: _Change) -> Conflict:
    theirs = {part: current_part(change.result, part) for part in rules.PARTS}
    return Conflict(change.result, theirs, change.new)


def _write(changes: list[_Change], actor, source: str, reason: str | None) -> None:
    """Compare-and-swap every changed row; any lost race means nothing is saved."""
    table = ExamResult.__table__
    now = utcnow()
    statement = (
        table.update()
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values(theory_score=bindparam("b_theory_score"),
                theory_absent=bindparam("b_theory_absent"),
                practical_score=bindparam("b_practical_score"),
                practical_absent=bindparam("b_practical_absent"),
                is_passed=bindparam("b_is_passed"), version=table.c.version + 1,
                updated_at=bindparam("b_now"), updated_by_id=bindparam("b_actor"))
    )
    params = [{
        "b_id": c.result.id, "b_version": c.version,
        "b_theory_score": c.new["theory"].score, "b_theory_absent": c.new["theory"].absent,
        "b_practical_score": c.new["practical"].score,
        "b_practical_absent": c.new["practical"].absent,
        "b_is_passed": c.is_passed, "b_now": now, "b_actor": actor.id,
    } for c in changes]
    written = db.session.execute(statement, params).rowcount
    if written != len(changes):
        db.session.rollback()
        fresh = {r.id: r for r in db.session.scalars(
            select(ExamResult).where(ExamResult.id.in_([c.result.id for c in changes]))
            .execution_options(populate_existing=True))}
        lost = [c for c in changes if fresh[c.result.id].version != c.version]
        raise ScoreConflict(_l("Someone else saved some of these scores after you opened the "
                               "page. Nothing was saved; choose which values to keep."),
                            details=[_conflict(_Change(fresh[c.result.id], c.old, c.new,
                                                       c.version, c.is_passed)) for c in lost])
    history = []
    for c in changes:
        for part in rules.PARTS:
            if c.old[part].code != c.new[part].code:
                history.append({"result_id": c.result.id, "field": part,
                                "old_value": c.old[part].code, "new_value": c.new[part].code,
                                "reason": reason, "source": source, "changed_by_id": actor.id,
                                "changed_at": now})
    if history:
        db.session.execute(insert(ScoreChange), history)
    for c in changes:
        db.session.expire(c.result)


def _after_published_change(changes: list[_Change], actor, reason: str | None) -> None:
    """Re-settle the courses, recompute results carrying these parts, flag certificates."""
    ids = [c.result.id for c in changes]
    lost_pass = {c.result.id for c in changes if c.was_passed and not c.is_passed}
    dependants = db.session.scalars(
        select(ExamResult).where(or_(ExamResult.theory_carried_from_id.in_(ids),
                                     ExamResult.practical_carried_from_id.in_(ids)))
        .options(selectinload(ExamResult.theory_carried_from),
                 selectinload(ExamResult.practical_carried_from))
    ).all()
    for dependant in dependants:
        passed = combined(dependant, current_part(dependant, "theory"),
                          current_part(dependant, "practical"))
        if passed != dependant.is_passed:
            if dependant.is_passed and not passed:
                lost_pass.add(dependant.id)
            db.session.execute(update(ExamResult).where(ExamResult.id == dependant.id)
                               .values(is_passed=passed, version=ExamResult.version + 1)
                               .execution_options(synchronize_session=False))
    if lost_pass:
        with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
            note = gettext("A published score was corrected by %(who)s on %(on)s and the "
                           "result is no longer a pass. Reason: %(reason)s",
                           who=actor.display_name, on=utcnow().date().isoformat(),
                           reason=reason or "")[:500]
        db.session.execute(update(Certificate).where(Certificate.result_id.in_(lost_pass))
                           .values(needs_review=True, review_reason=note)
                           .execution_options(synchronize_session=False))
    courses = db.session.scalars(
        select(Enrolment).join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
        .where(ExamResult.id.in_(ids + [d.id for d in dependants]))
    ).all()
    attempts.settle_courses({e.course_enrolment_id for e in courses})


def correct_result(result: ExamResult, theory: object, practical: object, *,
                   theory_absent: bool = False, practical_absent: bool = False,
                   version: int | None = None, reason: str | None, actor) -> list[int]:
    """Correct one result (after publication: staff only, with a reason)."""
    row = ScoreRow(result.id, theory, practical, theory_absent, practical_absent, version)
    return record_scores(result.exam, [row], actor, "correction", reason=reason)
