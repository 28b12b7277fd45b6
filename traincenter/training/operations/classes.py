"""Writes about classes: the course catalogue, classes, enrolments and sessions."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import rules, settings
from ...access import require_staff, teaches
from ...errors import DomainError
from ...extensions import db
from ...i18n import show_date
from ...models import CourseModule, Enrolment, Trainee, TrainingClass, TrainingSession, User
from ...models.training import CLASS_KINDS, PROVIDER_KINDS, SESSION_FORMS
from ..queries import enrolled_count, enrolments_of_trainee


def require_teaching(actor: User, training_class: TrainingClass) -> None:
    """Refuse unless the actor is staff or teaches the class."""
    if actor is None or not teaches(actor, training_class):
        raise DomainError(_l("You do not teach this class."))


# ---------------------------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------------------------

CLASS_FIELDS = ("code", "name", "track_id", "level", "kind", "provider_kind", "provider_name",
                "starts_on", "ends_on", "location", "required_total_hours",
                "required_classroom_hours", "required_self_study_hours", "fee", "capacity")


def _check_class(values: dict, current: TrainingClass | None = None) -> None:
    code = (values.get("code") or "").strip()
    if not code:
        raise DomainError(_l("The class needs a code."), field="code")
    taken = db.session.scalar(select(TrainingClass.id).where(TrainingClass.code == code))
    if taken and (current is None or taken != current.id):
        raise DomainError(_l("Another class already uses the code %(code)s.", code=code), field="code")
    if values["ends_on"] < values["starts_on"]:
        raise DomainError(_l("The class cannot end before it starts."), field="ends_on")
    if values.get("kind") not in CLASS_KINDS or values.get("provider_kind") not in PROVIDER_KINDS:
        raise DomainError(_l("Choose a class kind and a provider from the list."))
    classroom = values["required_classroom_hours"]
    self_study = values["required_self_study_hours"]
    total = values["required_total_hours"]
    if min(classroom, self_study, total) < 0:
        raise DomainError(_l("Hours cannot be negative."), field="required_total_hours")
    if classroom + self_study < total:
        raise DomainError(_l("Classroom plus self-study hours (%(sum)s) must reach the total "
                             "(%(total)s).", sum=classroom + self_study, total=total),
                          field="required_total_hours")
    if values["capacity"] < 1:
        raise DomainError(_l("The capacity must be at least 1."), field="capacity")
    if current is not None:
        enrolled = enrolled_count(current.id)
        if values["capacity"] < enrolled:
            raise DomainError(_l("%(n)s trainees are enrolled; the capacity cannot be lower.",
                                 n=enrolled), field="capacity")


def save_class(values: dict, instructor_ids: list[int], actor: User,
               training_class: TrainingClass | None = None) -> TrainingClass:
    """Create (or change) a class with its instructors; a new class costs the default fee
    unless ``values`` names another."""
    require_staff(actor)
    values = dict(values)
    values["code"] = (values.get("code") or "").strip()
    _check_class(values, training_class)
    instructors = list(db.session.scalars(
        select(User).where(User.id.in_(instructor_ids or [0]), User.role == "instructor")))
    if training_class is None:
        training_class = TrainingClass(fee=settings.default_fee())
        db.session.add(training_class)
    for name in CLASS_FIELDS:
        if name in values:
            setattr(training_class, name, values[name])
    training_class.instructors = instructors
    db.session.commit()
    return training_class


# ---------------------------------------------------------------------------------------------
# Enrolments
# ---------------------------------------------------------------------------------------------


def build_enrolment(training_class: TrainingClass, trainee: Trainee, *, today: date | None = None,
                    fee_payer: str = "self", fee_amount: float | None = None,
                    employment_agreement_on: date | None = None,
                    new_trainee: bool = False) -> Enrolment:
    """Add an enrolment to the session after the checks (no commit). Raises ``DomainError``.

    The fee is the class's unless ``fee_amount`` is given.
    """
    today = today or date.today()
    if training_class.kind != "regular":
        raise DomainError(_l("Retraining classes are filled from the retraining list."))
    if fee_payer not in rules.FEE_PAYERS:
        raise DomainError(_l("Choose who pays the fee."), field="fee_payer")
    if not new_trainee:
        already = enrolments_of_trainee(trainee.id)
        if any(e.class_id == training_class.id for e in already):
            raise DomainError(_l("%(name)s is already in this class.", name=trainee.name))
        running = [e for e in already if e.status == "active"
                   and e.training_class.track_id == training_class.track_id]
        if running:
            raise DomainError(_l("%(name)s is still in training in class %(code)s of the same track.",
                                 name=trainee.name, code=running[0].training_class.code))
        previous_courses = sum(1 for e in already if e.training_class.kind == "regular"
                               and e.training_class.track_id == training_class.track_id)
        if enrolled_count(training_class.id) >= training_class.capacity:
            raise DomainError(_l("The class is full (capacity %(n)s).", n=training_class.capacity))
    else:
        previous_courses = 0
    enrolment = Enrolment(trainee=trainee, training_class=training_class, enrolled_on=today,
                          course_attempt=previous_courses + 1, fee_payer=fee_payer,
                          fee_amount=training_class.fee if fee_amount is None else fee_amount,
                          employment_agreement_on=employment_agreement_on)
    db.session.add(enrolment)
    return enrolment


def enrol_trainee(training_class: TrainingClass, trainee: Trainee, actor: User, *,
                  fee_payer: str = "self", fee_amount: float | None = None,
                  employment_agreement_on: date | None = None) -> Enrolment:
    """Enrol one trainee in a regular class (at the class's fee unless ``fee_amount`` is given)."""
    require_staff(actor)
    try:
        enrolment = build_enrolment(training_class, trainee, fee_payer=fee_payer,
                                    fee_amount=fee_amount,
                                    employment_agreement_on=employment_agreement_on)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return enrolment


def update_enrolment(enrolment: Enrolment, actor: User, *, fee_payer: str, fee_amount: float,
                     employment_agreement_on: date | None, withdraw: bool = False,
                     reason: str | None = None) -> Enrolment:
    """Record who pays, the fee, the employment-agreement date; or withdraw the trainee."""
    require_staff(actor)
    if fee_payer not in rules.FEE_PAYERS:
        raise DomainError(_l("Choose who pays the fee."), field="fee_payer")
    if fee_amount is None or fee_amount < 0:
        raise DomainError(_l("The fee cannot be negative."), field="fee_amount")
    if employment_agreement_on and employment_agreement_on > date.today():
        raise DomainError(_l("The agreement date cannot be in the future."),
                          field="employment_agreement_on")
    enrolment.fee_payer = fee_payer
    enrolment.fee_amount = fee_amount
    enrolment.employment_agreement_on = employment_agreement_on
    if withdraw and enrolment.status == "active":
        enrolment.status = "withdrawn"
        enrolment.closed_on = date.today()
        enrolment.closed_reason = (reason or "").strip()[:200] or None
    db.session.commit()
    return enrolment


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


def schedule_session(training_class: TrainingClass, values: dict, actor: User) -> TrainingSession:
    """Schedule a session of the class against a module."""
    require_teaching(actor, training_class)
    module = db.session.get(CourseModule, values.get("module_id") or 0)
    if module is None:
        raise DomainError(_l("Choose a module."), field="module_id")
    if values.get("form") not in SESSION_FORMS:
        raise DomainError(_l("Choose the form of the session."), field="form")
    hours = values.get("hours") or 0
    if rules.session_hours_error(hours):
        raise DomainError(_l("A session lasts more than 0 and at most %(max)s hours, in steps of "
                             "0.1.", max=rules.SESSION_MAX_HOURS), field="hours")
    held_on = values["held_on"]
    if not training_class.starts_on <= held_on <= training_class.ends_on:
        raise DomainError(_l("The date must fall within the class (%(start)s – %(end)s).",
                             start=show_date(training_class.starts_on),
                             end=show_date(training_class.ends_on)), field="held_on")
    session = TrainingSession(training_class=training_class, module=module, held_on=held_on,
                              starts_at=values["starts_at"], hours=hours, form=values["form"],
                              location=(values.get("location") or None),
                              topic=(values.get("topic") or None),
                              instructor_id=actor.id if actor.role == "instructor" else None)
    db.session.add(session)
    db.session.commit()
    return session
