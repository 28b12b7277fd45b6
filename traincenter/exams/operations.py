"""Exam operations: schedule, candidates, workflow (submit, publish). Scores live in scores.py.

Every function takes the acting user, validates, writes, commits once and raises ``DomainError``
with a translatable message when a rule says no.
"""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, insert, select, update

from .. import rules, settings
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..i18n import label
from ..models import Enrolment, Exam, ExamResult, ScoreChange, TrainingClass
from ..models.base import utcnow
from ..models.exams import EXAM_KINDS
from ..services import attempts
from ..services.progress import eligibility_for
from .queries import load_results
from .scores import require_teacher
from .values import format_number, is_carried

MAX_PLACE = 200
MAX_REASON = 200


def schedule_exam(training_class: TrainingClass, held_on: date, place: str, kind: str, actor,
                  notes: str | None = None) -> Exam:
    """Create an exam for a class and fill its candidates with the eligible trainees.

    For a re-exam the candidates are those whose course allows another attempt; parts passed
    earlier and still valid on ``held_on`` are carried over and not sat.
    """
    require_staff(actor)
    place = (place or "").strip()
    if kind not in EXAM_KINDS:
        raise DomainError(_l("Choose first exam or re-exam."), field="kind")
    if held_on is None:
        raise DomainError(_l("Enter the exam date."), field="held_on")
    if not place or len(place) > MAX_PLACE:
        raise DomainError(_l("Enter the exam place (at most 200 characters)."), field="place")
    if held_on < training_class.starts_on:
        raise DomainError(_l("The exam cannot be before the class starts."), field="held_on")
    marks = settings.pass_marks()  # recorded on the exam: later changes affect later exams only
    exam = Exam(training_class=training_class, held_on=held_on, place=place, kind=kind,
                pass_mark_theory=marks.theory, pass_mark_practical=marks.practical,
                notes=(notes or "").strip() or None, created_by_id=actor.id)
    db.session.add(exam)
    db.session.flush()
    enrolments = [e for e in training_class.enrolments if e.status == "active"]
    eligible = eligibility_for(enrolments)
    candidates = [e for e in enrolments if eligible[e.id].is_eligible]
    courses = attempts.course_results({e.course_enrolment_id for e in candidates})
    counts = _attempts_started({e.course_enrolment_id for e in candidates})
    for enrolment in candidates:
        _add_result(exam, enrolment, courses[enrolment.course_enrolment_id],
                    counts.get(enrolment.course_enrolment_id, 0), actor, reason=None,
                    skip_closed=True)
    db.session.commit()
    return exam


def add_candidate(exam: Exam, enrolment: Enrolment, reason: str | None, actor) -> ExamResult:
    """Add one trainee of the class; a trainee who is not eligible needs a reason, which is kept."""
    require_staff(actor)
    reason = (reason or "").strip()
    if exam.is_published:
        raise DomainError(_l("The results of this exam are published; no candidates can be added."))
    if enrolment.class_id != exam.class_id:
        raise DomainError(_l("This trainee is not in the exam's class."))
    if enrolment.status == "withdrawn":
        raise DomainError(_l("This trainee has withdrawn from the class."))
    if any(result.enrolment_id == enrolment.id for result in exam.results):
        raise DomainError(_l("This trainee is already a candidate."))
    if len(reason) > MAX_REASON:
        raise DomainError(_l("The reason may have at most 200 characters."), field="reason")
    if not eligibility_for([enrolment])[enrolment.id].is_eligible and not reason:
        raise DomainError(_l("This trainee has not met the hour requirements: give a reason to "
                             "add them anyway."), field="reason")
    course_id = enrolment.course_enrolment_id
    results = attempts.course_results([course_id])[course_id]
    started = _attempts_started([course_id]).get(course_id, 0)
    result = _add_result(exam, enrolment, results, started, actor, reason=reason or None,
                         skip_closed=False)
    db.session.commit()
    return result


def _attempts_started(course_ids) -> dict[int, int]:
    """How many results (any status) each course already has, for the next attempt number."""
    ids = list(course_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(func.coalesce(Enrolment.continues_id, Enrolment.id), func.count(ExamResult.id))
        .join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
        .where((Enrolment.id.in_(ids)) | (Enrolment.continues_id.in_(ids)))
        .group_by(func.coalesce(Enrolment.continues_id, Enrolment.id))
    ).all()
    return dict(rows)


def _add_result(exam: Exam, enrolment: Enrolment, results: list[ExamResult], started: int,
                actor, *, reason: str | None, skip_closed: bool) -> ExamResult | None:
    """Create the result row of one candidate, carrying over parts for a re-exam."""
    carried: dict[str, ExamResult] = {}
    notes: list[str] = []
    if exam.kind == "reexam" or results:
        plan = attempts.plan_for(results, exam.held_on)
        if plan.status in ("passed", "limit_reached"):
            if skip_closed:
                return None
            if plan.status == "passed":
                raise DomainError(_l("This trainee has already passed this course."))
            raise DomainError(_l("This trainee has used every attempt of this course and must "
                                 "enrol in a new regular class."))
        with force_locale(settings.default_locale()):
            for item in plan.carried:
                source = attempts.passing_result_for_part(results, item.part)
                if source is not None:
                    carried[item.part] = source
                    notes.append(gettext(
                        "%(part)s %(score)s passed on %(on)s, kept until %(until)s",
                        part=label("part", item.part), score=format_number(item.score),
                        on=item.passed_on.isoformat(), until=item.valid_until.isoformat()))
            for item in plan.expired:
                notes.append(gettext(
                    "%(part)s score has passed its keeping period (%(score)s, kept until "
                    "%(until)s): sit it again", part=label("part", item.part),
                    score=format_number(item.score), until=item.valid_until.isoformat()))
    result = ExamResult(
        exam=exam, enrolment=enrolment, attempt_no=started + 1, status="draft",
        theory_carried_from=carried.get("theory"), practical_carried_from=carried.get("practical"),
        carry_over_note=("；".join(notes)[:200] or None), added_reason=reason,
        updated_by_id=actor.id,
    )
    db.session.add(result)
    db.session.flush()
    db.session.add(ScoreChange(result_id=result.id, field="candidate", old_value=None,
                               new_value="added", reason=reason, source="workflow",
                               changed_by_id=actor.id))
    return result


def _set_status(exam: Exam, results: list[ExamResult], new_status: str, actor) -> None:
    """Move ``results`` (all of one status) to ``new_status`` (version + 1); write the history."""
    now = utcnow()
    if results:
        db.session.execute(
            update(ExamResult)
            .where(ExamResult.exam_id == exam.id, ExamResult.status == results[0].status,
                   ExamResult.id.in_([r.id for r in results]))
            .values(status=new_status, version=ExamResult.version + 1, updated_at=now,
                    updated_by_id=actor.id)
            .execution_options(synchronize_session=False)
        )
    if results:
        db.session.execute(insert(ScoreChange), [
            {"result_id": r.id, "field": "status", "old_value": r.status, "new_value": new_status,
             "source": "workflow", "changed_by_id": actor.id, "changed_at": now}
            for r in results
        ])
    for result in results:
        db.session.expire(result)  # the rows changed underneath: reload on next access


def incomplete_names(results: list[ExamResult]) -> list[str]:
    """Names of candidates with a part to sit that has neither a score nor an absence."""
    names = []
    for result in results:
        for part in rules.PARTS:
            if is_carried(result, part):
                continue
            if not rules.part_is_complete(getattr(result, f"{part}_score"),
                                          getattr(result, f"{part}_absent")):
                names.append(result.enrolment.trainee.name)
                break
    return names


def submit_scores(exam: Exam, actor) -> int:
    """The instructor hands the draft scores to staff; every part must be entered. Returns count."""
    require_teacher(actor, exam)
    results = load_results(exam)
    drafts = [r for r in results if r.status == "draft"]
    if not drafts:
        raise DomainError(_l("There are no draft scores to submit."))
    missing = incomplete_names(drafts)
    if missing:
        raise DomainError(_l("Some candidates have no score and are not marked absent: "
                             "%(names)s", names="、".join(missing[:20])), details=missing)
    _set_status(exam, drafts, "submitted", actor)
    db.session.commit()
    return len(drafts)


def publish_exam(exam: Exam, actor) -> int:
    """Staff publish the submitted results: trainees see them and course statuses are settled."""
    require_staff(actor)
    results = load_results(exam)
    if not results:
        raise DomainError(_l("This exam has no candidates."))
    drafts = [r for r in results if r.status == "draft"]
    if drafts:
        raise DomainError(_l("%(count)s results are still drafts: the instructor must submit "
                             "them first.", count=len(drafts)))
    waiting = [r for r in results if r.status == "submitted"]
    if not waiting:
        raise DomainError(_l("These results are already published."))
    _set_status(exam, waiting, "published", actor)
    exam.published_at = exam.published_at or utcnow()
    exam.published_by_id = actor.id
    db.session.flush()
    attempts.settle_courses({r.enrolment.course_enrolment_id for r in results})
    db.session.commit()
    return len(waiting)
