"""Retraining operations: open a retraining class, enrol in one, start a course again.

Each is ``verb_noun(..., actor)``: it validates everything first, writes, commits once and raises
``DomainError`` when a rule says no — nothing is written then. The chosen courses arrive as list
entries from ``queries.selected_entries``, which has already refused those that may not be chosen.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..models import Enrolment, TrainingClass, User
from .queries import ListEntry, instructors, no_longer_entry, selection_refused

ORGANISE = _l("Only staff may organise retraining.")


def create_retraining_class(values: dict, entries: list[ListEntry], actor: User,
                            today: date | None = None) -> TrainingClass:
    """Open a retraining class (same track and level) and enrol the chosen courses in it.

    ``values`` holds code, name, starts_on, ends_on, location, instructor_ids, the three required
    hours, capacity and fee. Each new enrolment continues its course (``continues_id``) and counts
    against the same attempt limit (``course_attempt`` unchanged).
    """
    require_staff(actor, ORGANISE)
    today = today or date.today()
    regular = entries[0].course.training_class
    code = (values.get("code") or "").strip()
    if db.session.scalar(select(TrainingClass.id).where(TrainingClass.code == code)):
        raise DomainError(_l("Another class already uses this code."), field="code")
    if values["ends_on"] < values["starts_on"]:
        raise DomainError(_l("The class cannot end before it starts."), field="ends_on")
    if values["capacity"] < len(entries):
        raise DomainError(_l("The class holds %(capacity)s trainees but %(count)s are chosen.",
                             capacity=values["capacity"], count=len(entries)), field="capacity")
    chosen = set(values.get("instructor_ids") or [])
    teachers = [user for user in instructors() if user.id in chosen]
    if len(teachers) != len(chosen):
        raise DomainError(_l("Choose instructors from the list."), field="instructor_ids")
    training_class = TrainingClass(
        code=code, name=values["name"].strip(), track_id=regular.track_id, level=regular.level,
        kind="retraining", provider_kind=regular.provider_kind,
        provider_name=regular.provider_name, starts_on=values["starts_on"],
        ends_on=values["ends_on"], location=(values.get("location") or "").strip() or None,
        required_total_hours=values["required_total_hours"],
        required_classroom_hours=values["required_classroom_hours"],
        required_self_study_hours=values["required_self_study_hours"],
        fee=values["fee"], capacity=values["capacity"],
    )
    training_class.instructors = teachers
    db.session.add(training_class)
    _enrol(training_class, entries, today)
    db.session.commit()
    return training_class


def enrol_in_retraining_class(class_id: int, entries: list[ListEntry], actor: User,
                              today: date | None = None) -> int:
    """Add the chosen courses to an existing retraining class; returns how many were enrolled."""
    require_staff(actor, ORGANISE)
    today = today or date.today()
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None or training_class.kind != "retraining":
        raise DomainError(_l("Choose a retraining class."), field="class_id")
    regular = entries[0].course.training_class
    if (regular.track_id, regular.level) != (training_class.track_id, training_class.level):
        raise DomainError(_l("This retraining class is for another track or level."),
                          field="class_id")
    if training_class.ends_on < today:
        raise DomainError(_l("This retraining class has already ended."), field="class_id")
    taken = db.session.scalar(
        select(func.count(Enrolment.id)).where(Enrolment.class_id == class_id,
                                               Enrolment.status != "withdrawn")) or 0
    if taken + len(entries) > training_class.capacity:
        raise DomainError(_l("The class has %(free)s free places but %(count)s are chosen.",
                             free=max(0, training_class.capacity - taken), count=len(entries)))
    _enrol(training_class, entries, today)
    db.session.commit()
    return len(entries)


def _enrol(training_class: TrainingClass, entries: list[ListEntry], today: date) -> None:
    """New retraining enrolments continuing each course (not committed)."""
    existing = set(db.session.scalars(
        select(Enrolment.trainee_id).where(Enrolment.class_id == training_class.id)
    ).all()) if training_class.id else set()
    problems = [gettext("%(name)s is already in this class.", name=entry.course.trainee.name)
                for entry in entries if entry.course.trainee_id in existing]
    if problems:
        raise selection_refused(problems)
    for entry in entries:
        course = entry.course
        db.session.add(Enrolment(
            trainee_id=course.trainee_id, training_class=training_class, continues_id=course.id,
            course_attempt=course.course_attempt, enrolled_on=today, fee_payer=course.fee_payer,
            fee_amount=training_class.fee,
        ))


def restart_course(course_id: int, class_id: int, actor: User,
                   today: date | None = None) -> Enrolment:
    """Enrol someone who may no longer retake in a new regular class: a new course, both parts.

    The new enrolment's ``course_attempt`` is one more than the trainee's highest in the track.
    A course that lapsed because its carried-over part expired is closed as not passed here (a
    course that used up its attempts was already closed when its results were published).
    """
    require_staff(actor, ORGANISE)
    today = today or date.today()
    entry = no_longer_entry(course_id, today)
    if entry is None:
        raise DomainError(_l("Only someone who may no longer retake starts again in a new "
                             "regular class."))
    if entry.restarted is not None:
        raise DomainError(_l("%(name)s has already started again in class %(code)s.",
                             name=entry.course.trainee.name,
                             code=entry.restarted.training_class.code))
    training_class = db.session.get(TrainingClass, class_id)
    course = entry.course
    if training_class is None or training_class.kind != "regular" \
            or training_class.track_id != course.training_class.track_id:
        raise DomainError(_l("Choose a regular class of the same track."), field="class_id")
    if training_class.ends_on < today:
        raise DomainError(_l("This class has already ended."), field="class_id")
    if db.session.scalar(select(Enrolment.id).where(Enrolment.class_id == class_id,
                                                    Enrolment.trainee_id == course.trainee_id)):
        raise DomainError(_l("%(name)s is already in this class.", name=course.trainee.name),
                          field="class_id")
    taken = db.session.scalar(select(func.count(Enrolment.id)).where(
        Enrolment.class_id == class_id, Enrolment.status != "withdrawn")) or 0
    if taken >= training_class.capacity:
        raise DomainError(_l("This class is full."), field="class_id")
    highest = db.session.scalar(
        select(func.max(Enrolment.course_attempt))
        .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .where(Enrolment.trainee_id == course.trainee_id,
               TrainingClass.track_id == training_class.track_id)) or course.course_attempt
    if course.status == "active":
        for enrolment in db.session.scalars(select(Enrolment).where(
                (Enrolment.id == course.id) | (Enrolment.continues_id == course.id))).all():
            if enrolment.status == "active":
                enrolment.status, enrolment.closed_on = "not_passed", today
                enrolment.closed_reason = "carry_over_expired"
    enrolment = Enrolment(trainee_id=course.trainee_id, training_class=training_class,
                          course_attempt=highest + 1, enrolled_on=today,
                          fee_payer=course.fee_payer, fee_amount=training_class.fee)
    db.session.add(enrolment)
    db.session.commit()
    return enrolment
