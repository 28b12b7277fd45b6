"""Every attempt of a trainee, in order: enrolments, published exam results, closed courses.

``attempt_timeline(trainee_id)`` is what the trainee's record shows (the trainees area renders
it); each entry carries the facts and a translated one-line ``summary``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import rules
from ..extensions import db
from ..i18n import label
from ..models import Enrolment, ExamResult, TrainingClass
from ..services.attempts import course_results
from ..web import format_score
from . import wording

KIND_ORDER = {"enrolled": 0, "exam": 1, "closed": 2}


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a trainee's courses.

    ``kind`` is ``enrolled`` (a regular or retraining class), ``exam`` (a published result) or
    ``closed`` (a course ended: passed, not passed or withdrawn). ``course_attempt`` numbers the
    regular courses in the track; ``attempt_no`` numbers the exam attempts within the course.
    """

    on: date
    kind: str
    course_attempt: int
    training_class: TrainingClass
    summary: str
    enrolment: Enrolment
    result: ExamResult | None = None
    attempt_no: int | None = None
    parts: dict[str, str] = field(default_factory=dict)
    is_passed: bool | None = None
    status: str | None = None


def attempt_timeline(trainee_id: int) -> list[TimelineEntry]:
    """The trainee's enrolments, exam attempts and course closures, oldest first (3 queries)."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.trainee_id == trainee_id)
        .options(selectinload(Enrolment.training_class).selectinload(TrainingClass.track))
        .order_by(Enrolment.enrolled_on, Enrolment.id)
    ).all()
    by_id = {enrolment.id: enrolment for enrolment in enrolments}
    courses = [e for e in enrolments if e.continues_id is None]
    results = course_results(course.id for course in courses)
    carried_ids = {rid for items in results.values() for r in items
                   for rid in (r.theory_carried_from_id, r.practical_carried_from_id) if rid}
    sources = {r.id: r for items in results.values() for r in items}
    missing = carried_ids - set(sources)
    if missing:
        sources.update({r.id: r for r in db.session.scalars(
            select(ExamResult).where(ExamResult.id.in_(missing))).all()})
    entries: list[TimelineEntry] = []
    for enrolment in enrolments:
        training_class = enrolment.training_class
        entries.append(TimelineEntry(
            enrolment.enrolled_on, "enrolled", enrolment.course_attempt, training_class,
            gettext("Enrolled in %(kind)s %(name)s (%(track)s)",
                    kind=label("class_kind", training_class.kind), name=training_class.name,
                    track=training_class.track.name),
            enrolment, status=enrolment.status))
    for course in courses:
        for number, result in enumerate(results[course.id], start=1):
            enrolment = by_id[result.enrolment_id]
            parts = {}
            for part in rules.PARTS:
                source_id = getattr(result, f"{part}_carried_from_id")
                if source_id is not None and source_id in sources:
                    parts[part] = gettext("%(score)s (carried over)", score=format_score(
                        getattr(sources[source_id], f"{part}_score")))
                elif getattr(result, f"{part}_absent"):
                    parts[part] = gettext("absent")
                else:
                    parts[part] = format_score(getattr(result, f"{part}_score"))
            verdict = {True: gettext("passed"), False: gettext("not passed"),
                       None: gettext("not complete")}[result.is_passed]
            summary = gettext(
                "Exam attempt %(number)s (%(kind)s): theory %(theory)s, practical %(practical)s — "
                "%(verdict)s", number=number, kind=label("exam_kind", result.exam.kind),
                theory=parts["theory"], practical=parts["practical"], verdict=verdict)
            if result.carry_over_note:
                summary += f" ({result.carry_over_note})"
            entries.append(TimelineEntry(
                result.exam.held_on, "exam", course.course_attempt, enrolment.training_class,
                summary, enrolment, result, number, parts, result.is_passed))
        if course.closed_on and course.status in ("passed", "not_passed", "withdrawn"):
            if course.status == "passed":
                summary = gettext("Course passed")
            elif course.status == "withdrawn":
                summary = gettext("Withdrew from the course")
            else:
                reason = ("expired" if course.closed_reason == "carry_over_expired"
                          else "limit_reached")
                summary = gettext("Course closed: %(reason)s. %(instead)s.",
                                  reason=wording.REASONS[reason], instead=wording.instead())
            entries.append(TimelineEntry(course.closed_on, "closed", course.course_attempt,
                                         course.training_class, summary, course,
                                         status=course.status))
    entries.sort(key=lambda e: (e.on, e.course_attempt, KIND_ORDER[e.kind],
                                e.attempt_no or 0, e.enrolment.id))
    return entries
