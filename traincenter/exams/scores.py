"""Recording scores: validate every row, save all or nothing, compare-and-swap on the version.

A save writes only the rows whose values changed. Each written row is updated with
``UPDATE exam_result SET …, version = version + 1 WHERE id = :id AND version = :v``; when a row was
saved by someone else since the page was opened, nothing of the submit is saved and the caller
gets both values (``ScoreConflict``) to choose from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from .. import rules, settings
from ..access import STAFF, teaches
from ..errors import DomainError
from ..extensions import db
from ..i18n import show_date
from ..models import Certificate, Exam, ExamResult, ScoreChange
from ..models.base import utcnow
from ..services import attempts
from .queries import load_results
from .values import (
    PartValue,
    RowProblem,
    ScoreRow,
    combined,
    current_part,
    parse_part,
    part_message,
)

SOURCES = ("grid", "import", "correction")
MAX_REASON = 500
CONFLICT = _l("Someone else saved some of these scores after you opened the page. Nothing was "
              "saved; choose which values to keep.")


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
    codes: dict | None = None
    course_id: int | None = None  # the course to settle after a change to a published result


def require_teacher(actor, exam: Exam) -> None:
    """Raise ``DomainError`` unless ``actor`` teaches the exam's class (staff teach every class)."""
    if actor is None or not teaches(actor, exam.training_class):
        raise DomainError(_l("You do not teach this class."))


def require_scores_open(exam: Exam, today: date | None = None) -> None:
    """Raise ``DomainError`` when the exam is still ahead: no scores before the exam's day."""
    if not rules.scores_open(exam.held_on, today or date.today()):
        raise DomainError(_l("This exam takes place on %(day)s: scores can be entered from that "
                             "day on. If the date is wrong, staff can move it on the exam's page.",
                             day=show_date(exam.held_on)))


def record_scores(exam: Exam, rows: list[ScoreRow], actor, source: str = "grid",
                  reason: str | None = None, results: list[ExamResult] | None = None) -> list[int]:
    """Validate every row and save all of them, or none; returns the ids of the changed results.

    Raises ``ScoreErrors`` (a list of row problems) or ``ScoreConflict`` (rows someone else saved
    first). A change to a published result needs staff and a reason, and re-settles the course.
    """
    if source not in SOURCES:
        raise ValueError(source)
    require_teacher(actor, exam)
    require_scores_open(exam)
    reason = (reason or "").strip() or None
    if reason and len(reason) > MAX_REASON:
        raise DomainError(_l("The reason may have at most 500 characters."), field="reason")
    if not rows:
        raise DomainError(_l("There are no scores to save."))
    by_id = {r.id: r for r in (results if results is not None else load_results(exam))}
    changes, problems = _validate(exam, rows, by_id, actor, source, reason)
    if problems:
        raise ScoreErrors(_l("Nothing was saved: %(count)s rows need correcting.",
                             count=len(problems)), details=problems)
    conflicts = [c for c in changes if c.version != c.result.version]
    if conflicts:
        raise ScoreConflict(CONFLICT,
                            details=[_conflict(c) for c in conflicts])
    changed_ids = [c.result.id for c in changes]
    if changes:
        _write(changes, actor, source, reason)
        published = [c for c in changes if c.status == "published"]
        if published:
            _after_published_change(published, actor, reason)
    db.session.commit()
    return changed_ids


def validate_rows(exam: Exam, rows: list[ScoreRow], actor, source: str,
                  reason: str | None = None, results: list[ExamResult] | None = None):
    """Only the checks of ``record_scores``: the list of ``RowProblem`` (empty when all is well)."""
    require_scores_open(exam)
    by_id = {r.id: r for r in (results if results is not None else load_results(exam))}
    return _validate(exam, rows, by_id, actor, source, (reason or "").strip() or None)[1]


def plan_scores(exam: Exam, rows: list[ScoreRow], actor, source: str, reason: str | None = None,
                results: list[ExamResult] | None = None):
    """What ``record_scores`` would change, writing nothing: ``(changes, problems)``, each change
    a ``(result, old parts, new parts)`` triple (for a preview)."""
    by_id = {r.id: r for r in (results if results is not None else load_results(exam))}
    changes, problems = _validate(exam, rows, by_id, actor, source, (reason or "").strip() or None)
    return [(c.result, c.old, c.new) for c in changes], problems


def _validate(exam, rows, by_id, actor, source, reason):
    changes: list[_Change] = []
    problems: list[RowProblem] = []
    marks = exam.pass_marks
    # An empty part is "nothing yet" on the grid; a sheet's blank cells arrive here already
    # replaced by the value recorded (sheets.check_scores), so they change nothing either.
    allow_empty = source in ("grid", "import")
    is_staff = actor.role in STAFF
    seen: set[int] = set()
    for row in rows:
        result = by_id.get(row.result_id)
        messages: dict[str, list] = {}
        if result is None:
            messages["row"] = [_l("Not a candidate of this exam")]
        elif row.result_id in seen:
            messages["row"] = [_l("This candidate appears twice")]
        else:
            seen.add(row.result_id)
            old = {part: current_part(result, part) for part in rules.PARTS}
            new = {}
            for part in rules.PARTS:
                if getattr(result, f"{part}_carried_from_id") is not None:
                    new[part] = old[part]  # read-only: the part passed earlier is kept
                    continue
                try:
                    new[part] = parse_part(getattr(row, part), getattr(row, f"{part}_absent"),
                                           allow_empty=allow_empty)
                except (rules.ScoreError, ValueError) as error:
                    messages[part] = [part_message(error)]
            if not messages:
                if old == new:  # equal scores write the same code (one decimal at most)
                    continue
                codes = {p: (old[p].code, new[p].code) for p in rules.PARTS}
                if result.status == "published" and not is_staff:
                    messages["row"] = [_l("Published: only staff may change this score")]
                elif result.status == "published" and not reason:
                    messages["row"] = [_l("Published: give a reason for the change")]
                elif result.status == "submitted" and not is_staff:
                    messages["row"] = [_l("Already submitted: ask staff to change it")]
        if messages:
            name = result.enrolment.trainee.name if result is not None else ""
            problems.append(RowProblem(row.result_id, row.line, name,
                                       {k: [str(m) for m in v] for k, v in messages.items()}))
            continue
        version = row.version if row.version is not None else result.version
        changes.append(_Change(result, old, new, version,
                               combined(result, new["theory"], new["practical"], marks),
                               result.status, result.is_passed, codes,
                               result.enrolment.course_enrolment_id))
    return changes, problems


def _conflict(change: _Change) -> Conflict:
    theirs = {part: current_part(change.result, part) for part in rules.PARTS}
    return Conflict(change.result, theirs, change.new)


# The two statements of a save, each run once with the list of changed rows (executemany). The
# UPDATE's rowcount is the number of rows matched in total: SQLite and psycopg 3 both sum it
# over the parameter sets (SQLAlchemy's ``supports_sane_multi_rowcount``).
_RESULTS = ExamResult.__table__
SAVE_RESULT = (
    update(_RESULTS)
    .where(_RESULTS.c.id == bindparam("result_id"), _RESULTS.c.version == bindparam("seen_version"))
    .values(theory_score=bindparam("theory_score"), theory_absent=bindparam("theory_absent"),
            practical_score=bindparam("practical_score"),
            practical_absent=bindparam("practical_absent"), is_passed=bindparam("is_passed"),
            version=_RESULTS.c.version + 1, updated_at=bindparam("updated_at"),
            updated_by_id=bindparam("updated_by_id"))
)
ADD_CHANGE = insert(ScoreChange.__table__)


def _write(changes: list[_Change], actor, source: str, reason: str | None) -> None:
    """Compare-and-swap every changed row; any lost race means nothing is saved."""
    now = utcnow()
    saved = db.session.execute(SAVE_RESULT, [{
        "result_id": c.result.id, "seen_version": c.version,
        "theory_score": c.new["theory"].score, "theory_absent": c.new["theory"].absent,
        "practical_score": c.new["practical"].score,
        "practical_absent": c.new["practical"].absent, "is_passed": c.is_passed,
        "updated_at": now, "updated_by_id": actor.id,
    } for c in changes]).rowcount
    if saved != len(changes):
        db.session.rollback()
        fresh = {r.id: r for r in db.session.scalars(
            select(ExamResult).where(ExamResult.id.in_([c.result.id for c in changes]))
            .execution_options(populate_existing=True))}
        lost = [c for c in changes if fresh[c.result.id].version != c.version]
        raise ScoreConflict(CONFLICT,
                            details=[_conflict(_Change(fresh[c.result.id], c.old, c.new,
                                                       c.version, c.is_passed)) for c in lost])
    history = [{"result_id": c.result.id, "field": part, "old_value": before,
                "new_value": after, "reason": reason, "source": source,
                "changed_by_id": actor.id, "changed_at": now}
               for c in changes for part, (before, after) in c.codes.items() if before != after]
    if history:
        db.session.execute(ADD_CHANGE, history)
    for c in changes:
        if isinstance(c.result, ExamResult):
            db.session.expire(c.result)  # changed underneath the ORM: reload on next access


# Results carrying a part over from the given ones (built once; usually there are none).
_IDS = bindparam("ids", expanding=True)
_DEPENDANTS = (
    select(ExamResult).where(or_(ExamResult.theory_carried_from_id.in_(_IDS),
                                 ExamResult.practical_carried_from_id.in_(_IDS)))
    .options(selectinload(ExamResult.exam), joinedload(ExamResult.enrolment),
             selectinload(ExamResult.theory_carried_from).selectinload(ExamResult.exam),
             selectinload(ExamResult.practical_carried_from).selectinload(ExamResult.exam))
    .execution_options(populate_existing=True)
)


def _after_published_change(changes: list[_Change], actor, reason: str | None) -> None:
    """Re-settle the courses, recompute results carrying these parts, flag certificates."""
    ids = [c.result.id for c in changes]
    lost_pass = {c.result.id for c in changes if c.was_passed and not c.is_passed}
    dependants = db.session.scalars(_DEPENDANTS, {"ids": ids}).all()
    for dependant in dependants:
        passed = combined(dependant, current_part(dependant, "theory"),
                          current_part(dependant, "practical"), dependant.exam.pass_marks)
        if passed != dependant.is_passed:
            if dependant.is_passed and not passed:
                lost_pass.add(dependant.id)
            db.session.execute(update(ExamResult).where(ExamResult.id == dependant.id)
                               .values(is_passed=passed, version=ExamResult.version + 1)
                               .execution_options(synchronize_session=False))
    if lost_pass:
        with force_locale(settings.default_locale()):
            note = gettext("A published score was corrected by %(who)s on %(on)s and the "
                           "result is no longer a pass. Reason: %(reason)s",
                           who=actor.display_name, on=show_date(utcnow()),
                           reason=reason or "")[:500]
        db.session.execute(update(Certificate).where(Certificate.result_id.in_(lost_pass))
                           .values(needs_review=True, review_reason=note)
                           .execution_options(synchronize_session=False))
    attempts.settle_courses({c.course_id for c in changes}
                            | {d.enrolment.course_enrolment_id for d in dependants})


def correct_result(result: ExamResult, theory: object, practical: object, *,
                   theory_absent: bool = False, practical_absent: bool = False,
                   version: int | None = None, reason: str | None, actor) -> list[int]:
    """Correct one result (after publication: staff only, with a reason)."""
    row = ScoreRow(result.id, theory, practical, theory_absent, practical_absent, version)
    return record_scores(result.exam, [row], actor, "correction", reason=reason)
