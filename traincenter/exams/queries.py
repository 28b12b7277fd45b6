"""Reads of the exams area: lookups, lists, statistics, history and the trainee's results page
(each in a fixed number of statements)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date

from flask import abort
from sqlalchemy import and_, bindparam, case, extract, func, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from .. import rules
from ..access import STAFF
from ..extensions import db
from ..models import (
    AuditEvent,
    Enrolment,
    Exam,
    ExamResult,
    ScoreChange,
    Trainee,
    TrainingClass,
    User,
)
from ..models.exams import CHANGE_SOURCES, EXAM_KINDS
from ..models.training import class_instructor
from ..paging import Page, count, paginate
from ..retraining.next_step import describe_next_step
from ..services import attempts, audit, verdicts
from ..services.progress import eligibility_for

BINS = 10  # histogram: 0–9.9, 10–19.9, …, 90–100


def exam_or_404(exam_id: int) -> Exam:
    """The exam with its class (every exam page checks who teaches it), or 404."""
    exam = db.session.get(Exam, exam_id, options=[joinedload(Exam.training_class)])
    if exam is None:
        abort(404)
    return exam


def result_or_404(result_id: int) -> ExamResult:
    """The exam result, or 404."""
    return db.get_or_404(ExamResult, result_id)


def class_or_404(class_id: int) -> TrainingClass:
    """The training class, or 404."""
    return db.get_or_404(TrainingClass, class_id)


def enrolment_or_404(enrolment_id: int) -> Enrolment:
    """The enrolment, or 404."""
    return db.get_or_404(Enrolment, enrolment_id)


def trainee_or_404(trainee_id: int) -> Trainee:
    """The trainee, or 404."""
    return db.get_or_404(Trainee, trainee_id)


def load_results(exam: Exam, *, fresh: bool = True) -> list[ExamResult]:
    """The exam's results with trainee and carried-over sources, in a fixed number of queries
    (one for the results joined with their enrolment, trainee and last editor; one per carried
    part for the sources). ``fresh`` overwrites rows the session holds already (operations
    that wrote before reading); a page's first read needs no such care."""
    statement = (
        select(ExamResult).where(ExamResult.exam_id == exam.id)
        .options(joinedload(ExamResult.enrolment, innerjoin=True)
                 .joinedload(Enrolment.trainee, innerjoin=True),
                 selectinload(ExamResult.theory_carried_from).joinedload(ExamResult.exam),
                 selectinload(ExamResult.practical_carried_from).joinedload(ExamResult.exam),
                 joinedload(ExamResult.updated_by))
    )
    if fresh:
        statement = statement.execution_options(populate_existing=True)
    return db.session.scalars(statement).unique().all()


class ResultRow:
    """A result read as plain values, with the attribute names of ``ExamResult`` that the grid,
    the score checks and the sheets read (``enrolment.trainee.name``, ``theory_carried_from``
    with its score and exam …). Building ORM objects for a whole exam — results, enrolments,
    trainees, editors and carried sources — was most of the grid's time."""

    def __init__(self, **values):
        self.__dict__.update(values)


_THEORY_FROM = aliased(ExamResult)
_THEORY_EXAM = aliased(Exam)
_PRACTICAL_FROM = aliased(ExamResult)
_PRACTICAL_EXAM = aliased(Exam)


def _source(result_id, score, absent, exam_id, held_on, mark_theory, mark_practical, part):
    """A carried part's source result: always a part sat there (it is never carried itself)."""
    if result_id is None:
        return None
    return ResultRow(
        id=result_id, theory_carried_from_id=None, practical_carried_from_id=None,
        theory_carried_from=None, practical_carried_from=None,
        **{f"{part}_score": score, f"{part}_absent": bool(absent)},
        exam=ResultRow(id=exam_id, held_on=held_on, pass_marks=rules.PassMarks(
            theory=mark_theory, practical=mark_practical)))


# Built once: composing this statement cost as much as running it.
_RESULT_ROWS = (
    select(ExamResult.id, ExamResult.version, ExamResult.status, ExamResult.is_passed,
           ExamResult.theory_score, ExamResult.theory_absent, ExamResult.practical_score,
           ExamResult.practical_absent, ExamResult.theory_carried_from_id,
           ExamResult.practical_carried_from_id, ExamResult.carry_over_note,
           ExamResult.updated_at, ExamResult.enrolment_id, Enrolment.continues_id, Trainee.id,
           Trainee.name,
           Trainee.id_number, Trainee.name_sort, User.display_name,
           _THEORY_FROM.theory_score, _THEORY_FROM.theory_absent, _THEORY_EXAM.id,
           _THEORY_EXAM.held_on, _THEORY_EXAM.pass_mark_theory,
           _THEORY_EXAM.pass_mark_practical,
           _PRACTICAL_FROM.practical_score, _PRACTICAL_FROM.practical_absent,
           _PRACTICAL_EXAM.id, _PRACTICAL_EXAM.held_on, _PRACTICAL_EXAM.pass_mark_theory,
           _PRACTICAL_EXAM.pass_mark_practical)
    .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
    .join(Trainee, Enrolment.trainee_id == Trainee.id)
    .outerjoin(User, ExamResult.updated_by_id == User.id)
    .outerjoin(_THEORY_FROM, ExamResult.theory_carried_from_id == _THEORY_FROM.id)
    .outerjoin(_THEORY_EXAM, _THEORY_FROM.exam_id == _THEORY_EXAM.id)
    .outerjoin(_PRACTICAL_FROM, ExamResult.practical_carried_from_id == _PRACTICAL_FROM.id)
    .outerjoin(_PRACTICAL_EXAM, _PRACTICAL_FROM.exam_id == _PRACTICAL_EXAM.id)
    .where(ExamResult.exam_id == bindparam("exam_id"))
)


def result_rows(exam: Exam) -> list[ResultRow]:
    """Every result of ``exam`` as a ``ResultRow``, ordered by trainee name, in one statement
    (results joined with their enrolment, trainee, last editor and carried sources)."""
    out = []
    for (rid, version, status, is_passed, t_score, t_absent, p_score, p_absent, t_from, p_from,
         note, updated_at, enrolment_id, continues_id, trainee_id, name, id_number, name_sort,
         editor,
         *sources) in db.session.execute(_RESULT_ROWS, {"exam_id": exam.id}):
        trainee = ResultRow(id=trainee_id, name=name, id_number=id_number, name_sort=name_sort,
                            masked_id_number=rules.mask_id_number(id_number),
                            sort_key=(name_sort, name, trainee_id))
        out.append(ResultRow(
            id=rid, exam=exam, exam_id=exam.id, version=version, status=status,
            is_passed=is_passed, theory_score=t_score, theory_absent=bool(t_absent),
            practical_score=p_score, practical_absent=bool(p_absent),
            theory_carried_from_id=t_from, practical_carried_from_id=p_from,
            carry_over_note=note, updated_at=updated_at,
            updated_by=None if editor is None else ResultRow(display_name=editor),
            enrolment_id=enrolment_id,
            enrolment=ResultRow(id=enrolment_id, trainee_id=trainee_id, trainee=trainee,
                                continues_id=continues_id,
                                course_enrolment_id=continues_id or enrolment_id),
            theory_carried_from=_source(t_from, *sources[0:6], "theory"),
            practical_carried_from=_source(p_from, *sources[6:12], "practical"),
        ))
    return sorted(out, key=lambda r: (r.enrolment.trainee.sort_key, r.id))


EXAM_LIST_STATUSES = ("entering", "submitted", "published", "empty")


@dataclass
class ExamFilters:
    """What the exam list is narrowed to: class code or name, list status, kind, year."""

    q: str = ""
    status: str = ""  # one of EXAM_LIST_STATUSES
    kind: str = ""
    year: int | None = None


def _exam_list_query(user, filters: ExamFilters):
    """Exams the user may see (staff or None: all; instructors their classes'), newest first, with
    candidate and draft counts, narrowed by ``filters``."""
    counts = (
        select(ExamResult.exam_id, func.count(ExamResult.id).label("candidates"),
               func.sum(case((ExamResult.status == "draft", 1), else_=0)).label("drafts"))
        .group_by(ExamResult.exam_id).subquery()
    )
    candidates = func.coalesce(counts.c.candidates, 0)
    drafts = func.coalesce(counts.c.drafts, 0)
    query = (
        select(Exam, candidates, drafts)
        .join(TrainingClass, Exam.class_id == TrainingClass.id)
        .outerjoin(counts, counts.c.exam_id == Exam.id)
        .options(joinedload(Exam.training_class).joinedload(TrainingClass.track))
        .order_by(Exam.held_on.desc(), Exam.id.desc())
    )
    if user is not None and user.role not in STAFF:
        query = query.join(class_instructor, class_instructor.c.class_id == Exam.class_id).where(
            class_instructor.c.user_id == user.id)
    text = (filters.q or "").strip()
    if text:
        query = query.where(or_(TrainingClass.code.like(f"%{text}%"),
                                TrainingClass.name.like(f"%{text}%")))
    if filters.kind in EXAM_KINDS:
        query = query.where(Exam.kind == filters.kind)
    if filters.year:
        query = query.where(Exam.held_on.between(date(filters.year, 1, 1),
                                                 date(filters.year, 12, 31)))
    unpublished = Exam.published_at.is_(None)
    conditions = {
        "published": Exam.published_at.is_not(None),
        "entering": and_(unpublished, drafts > 0),
        "submitted": and_(unpublished, drafts == 0, candidates > 0),
        "empty": and_(unpublished, candidates == 0),
    }
    if filters.status in conditions:
        query = query.where(conditions[filters.status])
    return query


def exam_list(user, filters: ExamFilters, page: int) -> Page:
    """A page of the exam list: ``(exam, candidates, drafts)`` rows (two statements)."""
    return paginate(_exam_list_query(user, filters), page, scalars=False)


def count_exams(user, filters: ExamFilters) -> int:
    """How many exams the list shows for ``filters`` (the dashboards' tiles)."""
    return count(_exam_list_query(user, filters))


def exam_years() -> list[int]:
    """Years in which exams were held, newest first (the year filter)."""
    years = db.session.scalars(select(func.distinct(extract("year", Exam.held_on)))).all()
    return sorted((int(year) for year in years if year is not None), reverse=True)


def sent_back_note(exam: Exam, results=None) -> AuditEvent | None:
    """Staff's comment when they last sent the scores back, while the instructor has not yet
    submitted them again (None otherwise). Given the exam's ``results``, nothing is read unless
    one is a draft: sending back turns the submitted results into drafts again."""
    if results is not None and not any(r.status == "draft" for r in results):
        return None
    return audit.latest_event("exam", exam.id, ("exam.submitted", "exam.sent_back",
                                                "exam.published"), wanted="exam.sent_back")


def classes_for_scheduling() -> list[TrainingClass]:
    """Every class, newest first (staff choose one to schedule an exam)."""
    return db.session.scalars(select(TrainingClass).order_by(TrainingClass.starts_on.desc())).all()


def grid_results(exam: Exam) -> list[ExamResult]:
    """The exam's results ordered by trainee name (for the grid and the detail page)."""
    # A page reads its rows once at the start of the request, or after a save that failed and
    # was rolled back (which expires every row): overwriting rows already loaded is not needed.
    return sorted(load_results(exam, fresh=False),
                  key=lambda r: (r.enrolment.trainee.sort_key, r.id))


def addable(exam: Exam) -> list[tuple[Enrolment, rules.Eligibility]]:
    """Enrolments of the class that are not yet candidates, with their eligibility."""
    taken = {r.enrolment_id for r in exam.results}
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == exam.class_id,
                                Enrolment.status != "withdrawn")
        .options(joinedload(Enrolment.trainee), joinedload(Enrolment.training_class))
    ).all()
    rest = [e for e in enrolments if e.id not in taken]
    eligible = eligibility_for(rest)
    return sorted(((e, eligible[e.id]) for e in rest), key=lambda pair: pair[0].trainee.sort_key)


@dataclass
class PartStats:
    """Figures of one part: how many sat, were absent, carried; mean, median, histogram."""

    sat: int = 0
    absent: int = 0
    carried: int = 0
    passed: int = 0
    mean: float | None = None
    median: float | None = None
    bins: list[int] = field(default_factory=lambda: [0] * BINS)

    @property
    def peak(self) -> int:
        """The largest bin (the bars' maximum)."""
        return max(self.bins) or 1


@dataclass
class ExamStats:
    """An exam's statistics."""

    candidates: int
    complete: int
    passed: int
    parts: dict[str, PartStats]

    @property
    def pass_rate(self) -> float | None:
        """Passed ÷ candidates whose result is complete."""
        return rules.pass_rate(self.passed, self.complete)


def exam_stats(exam: Exam) -> ExamStats:
    """Candidates, absences, pass rate, mean, median and 10-point histogram per part; a part
    passes by the exam's own pass mark."""
    marks = exam.pass_marks
    rows = db.session.execute(
        select(ExamResult.theory_score, ExamResult.theory_absent, ExamResult.theory_carried_from_id,
               ExamResult.practical_score, ExamResult.practical_absent,
               ExamResult.practical_carried_from_id, ExamResult.is_passed)
        .where(ExamResult.exam_id == exam.id)
    ).all()
    parts = {part: PartStats() for part in rules.PARTS}
    scores: dict[str, list[float]] = {part: [] for part in rules.PARTS}
    for row in rows:
        for offset, part in ((0, "theory"), (3, "practical")):
            score, absent, carried = row[offset], row[offset + 1], row[offset + 2]
            stats = parts[part]
            if carried is not None:
                stats.carried += 1
            elif absent:
                stats.absent += 1
            elif score is not None:
                score = float(score)
                stats.sat += 1
                scores[part].append(score)
                stats.bins[min(int(score // 10), BINS - 1)] += 1
                if rules.part_passed(score, False, marks.of(part)):
                    stats.passed += 1
    for part, values in scores.items():
        if values:
            parts[part].mean = round(statistics.fmean(values), 1)
            parts[part].median = round(statistics.median(values), 1)
    complete = sum(1 for row in rows if row[6] is not None)
    passed = sum(1 for row in rows if row[6])
    return ExamStats(len(rows), complete, passed, parts)


@dataclass
class HistoryFilters:
    """What a change history is narrowed to: the trainee's name, the field, the source."""

    q: str = ""
    field: str = ""  # theory, practical, status, candidate
    source: str = ""  # one of CHANGE_SOURCES


HISTORY_FIELDS = ("theory", "practical", "status", "candidate")


def _narrow_history(query, filters: HistoryFilters):
    if filters.field in HISTORY_FIELDS:
        query = query.where(ScoreChange.field == filters.field)
    if filters.source in CHANGE_SOURCES:
        query = query.where(ScoreChange.source == filters.source)
    return query.order_by(ScoreChange.changed_at.desc(), ScoreChange.id.desc())


def exam_history(exam: Exam, filters: HistoryFilters | None = None, page: int = 1) -> Page:
    """A page of the changes to the exam's results, newest first, with who and which trainee."""
    filters = filters or HistoryFilters()
    query = (
        select(ScoreChange).join(ExamResult, ScoreChange.result_id == ExamResult.id)
        .where(ExamResult.exam_id == exam.id)
        .options(joinedload(ScoreChange.changed_by),
                 joinedload(ScoreChange.result).joinedload(ExamResult.enrolment)
                 .joinedload(Enrolment.trainee))
    )
    text = (filters.q or "").strip()
    if text:
        query = query.join(Enrolment, ExamResult.enrolment_id == Enrolment.id).join(
            Trainee, Enrolment.trainee_id == Trainee.id).where(Trainee.name.like(f"%{text}%"))
    return paginate(_narrow_history(query, filters), page)


def trainee_history(trainee: Trainee, filters: HistoryFilters | None = None,
                    page: int = 1) -> Page:
    """A page of the changes to any of the trainee's results, newest first, with exam and
    class."""
    query = (
        select(ScoreChange).join(ExamResult, ScoreChange.result_id == ExamResult.id)
        .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .where(Enrolment.trainee_id == trainee.id)
        .options(joinedload(ScoreChange.changed_by),
                 joinedload(ScoreChange.result).joinedload(ExamResult.exam)
                 .joinedload(Exam.training_class))
    )
    return paginate(_narrow_history(query, filters or HistoryFilters()), page)


def trainee_results(trainee_id: int, *, published_only: bool = True) -> list[ExamResult]:
    """A trainee's results, oldest exam first, with exam, class and carried sources."""
    query = (
        select(ExamResult).join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .where(Enrolment.trainee_id == trainee_id)
        .options(joinedload(ExamResult.exam).joinedload(Exam.training_class)
                 .joinedload(TrainingClass.track),
                 joinedload(ExamResult.enrolment),
                 selectinload(ExamResult.theory_carried_from).joinedload(ExamResult.exam),
                 selectinload(ExamResult.practical_carried_from).joinedload(ExamResult.exam))
        .order_by(Exam.held_on, ExamResult.id)
    )
    # The status is checked here, not in SQL: with it in the WHERE clause SQLite walks the
    # status index (nearly every result is published) instead of the trainee's enrolments.
    return [result for result in db.session.scalars(query).unique()
            if not published_only or result.status == "published"]


@dataclass
class Attempt:
    """One published result as the trainee sees it."""

    result: object
    parts: dict[str, dict] = field(default_factory=dict)


@dataclass
class ResultsPage:
    """Every published attempt (newest first) and, after a fail, what happens next."""

    attempts: list[Attempt]
    next_steps: list[str]


def _trainee_part(result, part: str) -> dict:
    """One part as the trainee sees it: kept from an earlier exam, absent, or a score and
    whether it reached the pass mark."""
    source = getattr(result, f"{part}_carried_from")
    if source is not None:
        return {"kind": "kept", "score": getattr(source, f"{part}_score"),
                "passed_on": source.exam.held_on}
    if getattr(result, f"{part}_absent"):
        return {"kind": "absent"}
    score = getattr(result, f"{part}_score")
    return {"kind": "score", "score": score,
            "passed": verdicts.part_passed(result, part)}


def trainee_results_page(trainee_id: int) -> ResultsPage:
    """The trainee's results page (/me/results): only their own published results."""
    results = trainee_results(trainee_id, published_only=True)
    shown = [Attempt(r, {part: _trainee_part(r, part) for part in rules.PARTS})
             for r in reversed(results)]
    failed = any(r.is_passed is False for r in results)
    # A course the rules call passed has nothing next: the next step (more statements) is worked
    # out only when one of her courses may still be open.
    by_course: dict[int, list[ExamResult]] = {}
    for result in results:  # oldest first, as the rules read them
        by_course.setdefault(result.enrolment.course_enrolment_id, []).append(result)
    settled = all(attempts.plan_for(course).status == "passed" for course in by_course.values())
    if failed and not settled:
        attempts.keep_course_results(by_course)  # the next step reads the same courses
    return ResultsPage(shown, describe_next_step(trainee_id) if failed and not settled else [])


def exam_events(exam: Exam) -> list[AuditEvent]:
    """The steps of one exam (scheduled, submitted, sent back, published, candidates added or
    removed, date moved), newest first (one statement)."""
    return audit.events_for("exam", [exam.id])


def trainee_exam_events(trainee: Trainee) -> tuple[list[AuditEvent], dict[int, Exam]]:
    """The exam steps about one trainee (added or removed as a candidate), newest first, with
    their exams by id (two statements)."""
    events = audit.events_about_trainee(trainee.id, ("exam",))
    ids = {event.object_id for event in events}
    exams = {exam.id: exam for exam in db.session.scalars(
        select(Exam).where(Exam.id.in_(ids)).options(joinedload(Exam.training_class)))} if ids else {}
    return events, exams
