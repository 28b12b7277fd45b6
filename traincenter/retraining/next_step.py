"""The trainee's next step after an exam, in plain words, built from the data.

``describe_next_step(trainee_id)`` answers "what do I do now?" for the trainee's phone: which part
failed, the retraining class (start date, place), the re-exam (date, place, which parts), the
carried-over score and until when it is kept, or — once the attempt limit is used up or the
carried-over part has expired — that they may start again in a new regular class and sit both
parts. It says nothing (an empty list) while no result is published or once the course is passed.

The sentences themselves live in ``wording``; this module only decides which to say.
``course_steps`` gives the same decision as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import selectinload

from .. import rules, settings
from ..extensions import db
from ..models import Enrolment, Exam, ExamResult, TrainingClass
from ..services.attempts import course_results, plan_for
from ..services.verdicts import parts_not_passed
from . import wording


@dataclass(frozen=True)
class CourseStep:
    """Where one course of a trainee stands after its latest published result."""

    course: Enrolment  # the regular enrolment the course belongs to
    results: tuple[ExamResult, ...]  # published results, oldest first
    plan: rules.AttemptPlan  # for the scheduled re-exam's date, else for today
    retraining: Enrolment | None  # the retraining enrolment preparing the next attempt
    reexam: Exam | None  # the next unpublished re-exam the trainee is headed for
    today: date

    @property
    def latest(self) -> ExamResult | None:
        """The latest published result of the course."""
        return self.results[-1] if self.results else None

    @property
    def failed_parts(self) -> list[str]:
        """Parts sat at the latest attempt that scored below the pass mark."""
        return self._parts_where(absent=False)

    @property
    def absent_parts(self) -> list[str]:
        """Parts of the latest attempt the trainee missed."""
        return self._parts_where(absent=True)

    def _parts_where(self, *, absent: bool) -> list[str]:
        if self.latest is None:
            return []
        return [part for part in parts_not_passed(self.latest)
                if bool(getattr(self.latest, f"{part}_absent")) == absent]

    @property
    def reexam_is_upcoming(self) -> bool:
        """A re-exam is scheduled today or later."""
        return self.reexam is not None and self.reexam.held_on >= self.today

    @property
    def may_retake(self) -> bool:
        """Whether another attempt within this course is still possible."""
        if self.plan.status != "retake":
            return False
        return not self.plan.expired or self.reexam_is_upcoming


def _enrolment_order(enrolment: Enrolment) -> tuple:
    return enrolment.course_attempt, enrolment.enrolled_on, enrolment.id


def course_steps(trainee_id: int, today: date | None = None, *,
                 enrolments: list[Enrolment] | None = None) -> list[CourseStep]:
    """The latest course per track of a trainee that has a published result, with its plan.

    ``enrolments``: every enrolment of the trainee with its class, when the caller has them
    already (the home page), instead of reading them again."""
    today = today or date.today()
    if enrolments is None:
        enrolments = db.session.scalars(
            select(Enrolment).where(Enrolment.trainee_id == trainee_id)
            .options(selectinload(Enrolment.training_class))).all()
    # Oldest course attempt first; withdrawn enrolments take no part.
    enrolments = sorted((e for e in enrolments if e.status != "withdrawn"), key=_enrolment_order)
    latest_course: dict[int, Enrolment] = {}
    for enrolment in enrolments:
        if enrolment.continues_id is None:
            latest_course[enrolment.training_class.track_id] = enrolment
    courses = list(latest_course.values())
    results = course_results(course.id for course in courses)
    steps = []
    for course in courses:
        course_results_ = results[course.id]
        if not course_results_:
            continue
        used = {result.enrolment_id for result in course_results_}
        retraining = next(
            (e for e in reversed(enrolments)
             if e.continues_id == course.id and e.id not in used and e.status == "active"),
            None,
        )
        plan = plan_for(course_results_, today)
        # A passed course heads for no re-exam (and its plan does not depend on the day).
        reexam = None if plan.status == "passed" else _next_reexam(course, enrolments, retraining)
        if reexam is not None and reexam.held_on > today:
            plan = plan_for(course_results_, reexam.held_on)
        steps.append(CourseStep(course, tuple(course_results_), plan, retraining, reexam, today))
    return steps


# Built once. Without a retraining class the class id is NULL, which matches no exam.
_NEXT_REEXAM = (
    select(Exam)
    .where(Exam.kind == "reexam", Exam.published_at.is_(None),
           or_(Exam.id.in_(select(ExamResult.exam_id).where(
               ExamResult.enrolment_id.in_(bindparam("enrolments", expanding=True)))),
               Exam.class_id == bindparam("retraining_class")))
    .order_by(Exam.held_on, Exam.id)
    .limit(1)
)


def _next_reexam(course: Enrolment, enrolments: list[Enrolment],
                 retraining: Enrolment | None) -> Exam | None:
    """The earliest unpublished re-exam of the retraining class or with this course's candidate."""
    course_enrolment_ids = [e.id for e in enrolments if e.course_enrolment_id == course.id]
    return db.session.scalars(_NEXT_REEXAM, {
        "enrolments": course_enrolment_ids,
        "retraining_class": retraining.class_id if retraining is not None else None,
    }).first()


def sentences_for(step: CourseStep) -> list[str]:
    """The plain-word sentences for one course's situation."""
    plan = step.plan
    if plan.status == "passed":
        return []
    sentences = wording.failed_parts(step.failed_parts, step.absent_parts)
    if plan.status == "limit_reached":
        limit = settings.attempt_limit()
        return sentences + [wording.limit_reached(limit), wording.start_again()]
    if not step.may_retake:  # a carried-over part has lapsed and no re-exam is scheduled
        sentences += [wording.expired_no_retake(item.part, item.valid_until)
                      for item in plan.expired]
        return sentences + [wording.start_again()]
    if step.retraining is not None:
        training_class: TrainingClass = step.retraining.training_class
        sentences.append(wording.retraining_class(training_class.starts_on,
                                                  training_class.location))
    elif step.reexam is None:
        sentences.append(wording.retraining_not_arranged())
    if step.reexam_is_upcoming:
        sentences.append(wording.reexam(step.reexam.held_on, step.reexam.place, plan.parts_to_sit))
        sentences += [wording.expired_sit_both(item.part, item.valid_until)
                      for item in plan.expired]
    elif step.reexam is not None:
        sentences.append(wording.reexam_waiting_for_results())
    else:
        sentences.append(wording.reexam_not_scheduled(plan.parts_to_sit))
    sentences += [wording.carried(item.part, item.score, item.valid_until)
                  for item in plan.carried]
    if plan.attempts_left == 1 and (step.reexam is None or step.reexam_is_upcoming):
        sentences.append(wording.last_chance())
    return sentences


def describe_next_step(trainee_id: int, today: date | None = None, *,
                       enrolments: list[Enrolment] | None = None) -> list[str]:
    """Translated sentences telling the trainee what comes next; empty when nothing is pending.

    With courses in more than one track, each course's sentences start with the track's name.
    ``enrolments`` as for ``course_steps``.
    """
    steps = course_steps(trainee_id, today, enrolments=enrolments)
    sentences: list[str] = []
    for step in steps:
        said = sentences_for(step)
        if said and len(steps) > 1:
            said[0] = f"【{step.course.training_class.track.name}】{said[0]}"
        sentences += said
    return sentences
