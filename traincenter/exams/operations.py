"""Exam operations: schedule, candidates, workflow (submit, publish). Scores live in scores.py.

Every function takes the acting user, validates, writes, commits once and raises ``DomainError``
with a translatable message when a rule says no.
"""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload

from .. import rules, settings
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..forms import required_text
from ..i18n import label, show_date
from ..models import Enrolment, Exam, ExamResult, ScoreChange, TrainingClass
from ..models.base import utcnow
from ..models.exams import EXAM_KINDS
from ..services import attempts, audit
from ..services.progress import eligibility_for
from .queries import load_results
from .scores import require_teacher
from .values import current_part, format_number, is_carried

MAX_PLACE = 200
MAX_REASON = 200
MAX_COMMENT = 500


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
    added = [_add_result(exam, enrolment, courses[enrolment.course_enrolment_id],
                         counts.get(enrolment.course_enrolment_id, 0), actor, reason=None,
                         skip_closed=True) for enrolment in candidates]
    audit.record(actor, "exam.scheduled", "exam", exam.id, details={
        "class": f"{training_class.code} {training_class.name}", "kind": kind,
        "held_on": held_on, "place": place,
        "candidates": sum(1 for result in added if result is not None)})
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
    audit.record(actor, "exam.candidate_added", "exam", exam.id, reason=reason,
                 trainee_id=enrolment.trainee_id,
                 details={"trainee": enrolment.trainee.name, "attempt_no": result.attempt_no})
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
                        on=show_date(item.passed_on), until=show_date(item.valid_until)))
            for item in plan.expired:
                notes.append(gettext(
                    "%(part)s score has passed its keeping period (%(score)s, kept until "
                    "%(until)s): sit it again", part=label("part", item.part),
                    score=format_number(item.score), until=show_date(item.valid_until)))
    result = ExamResult(
        exam=exam, enrolment=enrolment, attempt_no=started + 1, status="draft",
        theory_carried_from=carried.get("theory"), practical_carried_from=carried.get("practical"),
        carry_over_note=("；".join(notes)[:200] or None), added_reason=reason,
        updated_by_id=actor.id,
    )
    db.session.add(result)
    db.session.flush()
    return result


def _set_status(exam: Exam, results: list[ExamResult], new_status: str, actor) -> None:
    """Move ``results`` (all of one status) to ``new_status`` (version + 1).

    The history gets one event for the whole exam (written by the caller), not a row per
    candidate: the real score changes stay easy to find.
    """
    if results:
        db.session.execute(
            update(ExamResult)
            .where(ExamResult.exam_id == exam.id, ExamResult.status == results[0].status,
                   ExamResult.id.in_([r.id for r in results]))
            .values(status=new_status, version=ExamResult.version + 1, updated_at=utcnow(),
                    updated_by_id=actor.id)
            .execution_options(synchronize_session=False)
        )
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
    audit.record(actor, "exam.submitted", "exam", exam.id, details={"results": len(drafts)})
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
    audit.record(actor, "exam.published", "exam", exam.id, details={"results": len(waiting)})
    db.session.flush()
    attempts.settle_courses({r.enrolment.course_enrolment_id for r in results})
    db.session.commit()
    return len(waiting)


# --- corrections: send back, remove a candidate, move the date (staff; audited) ---------------


def send_back(exam: Exam, comment: str | None, actor) -> int:
    """Staff return the submitted scores to the instructor, with a comment she will see; the
    scores become drafts she can edit and submit again. Returns how many results went back."""
    require_staff(actor)
    comment = required_text(comment, MAX_COMMENT,
                            _l("Tell the instructor what to check or correct."), "comment")
    if exam.is_published:
        raise DomainError(_l("The results of this exam are published: correct a result instead "
                             "of sending the scores back."))
    submitted = [r for r in load_results(exam) if r.status == "submitted"]
    if not submitted:
        raise DomainError(_l("There are no submitted scores to send back."))
    _set_status(exam, submitted, "draft", actor)
    audit.record(actor, "exam.sent_back", "exam", exam.id, reason=comment,
                 details={"results": len(submitted)})
    db.session.commit()
    return len(submitted)


def remove_candidate(result: ExamResult, reason: str | None, actor) -> None:
    """Take a candidate off an exam before publication (added by mistake, withdrew …).

    The result and its score history go; the audit event keeps both (who, when, why, and every
    value the result had), on the exam's history and the trainee's.
    """
    require_staff(actor)
    reason = required_text(reason, MAX_REASON,
                           _l("Give the reason for removing this candidate."))
    exam = result.exam
    if exam.is_published or result.status == "published":
        raise DomainError(_l("The results of this exam are published; a candidate can no longer "
                             "be removed."))
    trainee = result.enrolment.trainee
    history = db.session.scalars(select(ScoreChange).where(ScoreChange.result_id == result.id)
                                 .options(selectinload(ScoreChange.changed_by))
                                 .order_by(ScoreChange.changed_at, ScoreChange.id)).all()
    details = {
        "trainee": trainee.name, "attempt_no": result.attempt_no, "status": result.status,
        "theory": current_part(result, "theory").code,
        "practical": current_part(result, "practical").code,
        "carry_over_note": result.carry_over_note, "added_reason": result.added_reason,
        "history": [{"at": change.changed_at, "field": change.field, "old": change.old_value,
                     "new": change.new_value,
                     "by": change.changed_by.display_name if change.changed_by else None}
                    for change in history],
    }
    audit.record(actor, "exam.candidate_removed", "exam", exam.id, reason=reason,
                 trainee_id=trainee.id, details=details)
    # The score history of a result that no longer exists lives on in the event above; the
    # rows themselves must go with the result (they point at it).
    db.session.execute(delete(ScoreChange).where(ScoreChange.result_id == result.id)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(ExamResult).where(ExamResult.id == result.id)
                       .execution_options(synchronize_session=False))
    db.session.commit()
    db.session.expire_all()


def move_exam_date(exam: Exam, held_on: date | None, reason: str | None, actor,
                   today: date | None = None) -> Exam:
    """Staff move an exam to another day (a mistyped date, a postponement). Audited.

    Refused once published; refused into the future once scores are recorded (no scores before
    the exam's day); refused when a part carried over into the exam would no longer be kept on
    the new day.
    """
    require_staff(actor)
    today = today or date.today()
    reason = required_text(reason, MAX_REASON, _l("Give the reason for moving the exam."))
    if held_on is None:
        raise DomainError(_l("Enter the exam date."), field="held_on")
    if exam.is_published:
        raise DomainError(_l("The results of this exam are published; its date can no longer "
                             "be changed."), field="held_on")
    if held_on == exam.held_on:
        raise DomainError(_l("The exam is already on that day."), field="held_on")
    if held_on < exam.training_class.starts_on:
        raise DomainError(_l("The exam cannot be before the class starts."), field="held_on")
    results = load_results(exam)
    if not rules.scores_open(held_on, today) and any(
            rules.part_is_complete(r.theory_score, r.theory_absent)
            or rules.part_is_complete(r.practical_score, r.practical_absent) for r in results):
        raise DomainError(_l("Scores are already recorded for this exam, so it cannot move to a "
                             "day still ahead."), field="held_on")
    lapsed = [r.enrolment.trainee.name for r in results for part in rules.PARTS
              if (source := getattr(r, f"{part}_carried_from")) is not None
              and not rules.carry_over_valid(source.exam.held_on, held_on,
                                             settings.carry_over_months())]
    if lapsed:
        raise DomainError(_l("On that day a part carried over for %(names)s would no longer be "
                             "kept: choose an earlier day.", names="、".join(dict.fromkeys(lapsed))),
                          field="held_on")
    old = exam.held_on
    exam.held_on = held_on
    audit.record(actor, "exam.date_moved", "exam", exam.id, reason=reason,
                 details={"changes": {"held_on": [old, held_on]}})
    db.session.commit()
    return exam
