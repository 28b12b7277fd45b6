"""Classes, enrolments, course modules and sessions: the write operations and the page reads."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import rules
from ..access import teaches
from ..errors import DomainError
from ..extensions import db
from ..models import (
    CourseModule,
    Enrolment,
    Trainee,
    TrainingClass,
    TrainingSession,
    User,
    class_instructor,
)
from ..models.training import CLASS_KINDS, PROVIDER_KINDS, SESSION_FORMS
from ..services import progress

# The course catalogue of the source documents: (name, compulsory).
DEFAULT_MODULES = (
    ("职业道德", True), ("劳动法常识", True), ("再就业优惠政策", True),
    ("中老年人家庭护理", False), ("科学看护婴幼儿", False), ("如何当好月嫂", False),
    ("家庭保洁", False), ("钟点工", False), ("疏通下水道", False), ("择业观教育", False),
    ("服务礼仪", False), ("社交礼仪", False),
)


def require_teaching(actor: User, training_class: TrainingClass) -> None:
    """Refuse unless the actor is staff or teaches the class."""
    if actor is None or not teaches(actor, training_class):
        raise DomainError(_l("You do not teach this class."))


def require_staff(actor: User) -> None:
    """Refuse unless the actor is staff."""
    if actor is None or not actor.is_staff:
        raise DomainError(_l("Only staff may do this."))


# ---------------------------------------------------------------------------------------------
# Course modules
# ---------------------------------------------------------------------------------------------


def list_modules(active_only: bool = False) -> list[CourseModule]:
    """Modules, compulsory first, then by name."""
    query = select(CourseModule).order_by(CourseModule.is_compulsory.desc(), CourseModule.name)
    if active_only:
        query = query.where(CourseModule.is_active.is_(True))
    return list(db.session.scalars(query))


def add_module(name: str, is_compulsory: bool, suggested_hours: float | None,
               description: str | None, actor: User) -> CourseModule:
    """Add a module to the catalogue; names are unique."""
    require_staff(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("The module needs a name."), field="name")
    if db.session.scalar(select(CourseModule.id).where(func.lower(CourseModule.name) == name.lower())):
        raise DomainError(_l("A module named %(name)s already exists.", name=name), field="name")
    module = CourseModule(name=name, is_compulsory=bool(is_compulsory),
                          suggested_hours=suggested_hours, description=(description or None))
    db.session.add(module)
    db.session.commit()
    return module


def seed_default_modules(actor: User | None = None) -> int:
    """Add the compulsory and elective modules of the course catalogue that are missing."""
    if actor is not None:
        require_staff(actor)
    existing = set(db.session.scalars(select(CourseModule.name)))
    added = 0
    for name, compulsory in DEFAULT_MODULES:
        if name not in existing:
            db.session.add(CourseModule(name=name, is_compulsory=compulsory))
            added += 1
    db.session.commit()
    return added


def missing_default_modules() -> list[str]:
    """Names of the standard modules not in the catalogue yet."""
    existing = set(db.session.scalars(select(CourseModule.name)))
    return [name for name, _ in DEFAULT_MODULES if name not in existing]


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
        enrolled = _active_count(current.id)
        if values["capacity"] < enrolled:
            raise DomainError(_l("%(n)s trainees are enrolled; the capacity cannot be lower.",
                                 n=enrolled), field="capacity")


def save_class(values: dict, instructor_ids: list[int], actor: User,
               training_class: TrainingClass | None = None) -> TrainingClass:
    """Create (or change) a class with its instructors."""
    require_staff(actor)
    values = dict(values)
    values["code"] = (values.get("code") or "").strip()
    _check_class(values, training_class)
    instructors = list(db.session.scalars(
        select(User).where(User.id.in_(instructor_ids or [0]), User.role == "instructor")))
    if training_class is None:
        training_class = TrainingClass()
        db.session.add(training_class)
    for name in CLASS_FIELDS:
        if name in values:
            setattr(training_class, name, values[name])
    training_class.instructors = instructors
    db.session.commit()
    return training_class


def classes_for(user: User, search: str = "", show_finished: bool = True) -> list[TrainingClass]:
    """Classes the user may see (instructors: their own), newest first, with enrolled counts."""
    query = select(TrainingClass).options(
        selectinload(TrainingClass.track), selectinload(TrainingClass.instructors))
    if not user.is_staff:
        query = query.join(class_instructor).where(class_instructor.c.user_id == user.id)
    if search:
        query = query.where(or_(TrainingClass.code.like(f"%{search}%"),
                                TrainingClass.name.like(f"%{search}%")))
    if not show_finished:
        query = query.where(TrainingClass.ends_on >= date.today())
    return list(db.session.scalars(query.order_by(TrainingClass.starts_on.desc(),
                                                  TrainingClass.id.desc())))


def enrolled_counts(class_ids: list[int]) -> dict[int, int]:
    """Trainees enrolled (not withdrawn) per class, in one query."""
    if not class_ids:
        return {}
    return dict(db.session.execute(
        select(Enrolment.class_id, func.count(Enrolment.id))
        .where(Enrolment.class_id.in_(class_ids), Enrolment.status != "withdrawn")
        .group_by(Enrolment.class_id)).all())


def _active_count(class_id: int) -> int:
    return enrolled_counts([class_id]).get(class_id, 0)


def roster(training_class: TrainingClass) -> list[dict]:
    """Everyone in the class with hours and eligibility: a fixed number of queries."""
    enrolments = list(db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == training_class.id)
        .options(selectinload(Enrolment.trainee), selectinload(Enrolment.training_class))
        .join(Trainee, Enrolment.trainee_id == Trainee.id).order_by(Trainee.name, Trainee.id)))
    eligibility = progress.eligibility_for(enrolments)
    return [{"enrolment": e, "trainee": e.trainee, "eligibility": eligibility[e.id]}
            for e in enrolments]


# ---------------------------------------------------------------------------------------------
# Enrolments
# ---------------------------------------------------------------------------------------------


def build_enrolment(training_class: TrainingClass, trainee: Trainee, *, today: date | None = None,
                    fee_payer: str = "self", employment_agreement_on: date | None = None,
                    new_trainee: bool = False) -> Enrolment:
    """Add an enrolment to the session after the checks (no commit). Raises ``DomainError``."""
    today = today or date.today()
    if training_class.kind != "regular":
        raise DomainError(_l("Retraining classes are filled from the retraining list."))
    if fee_payer not in rules.FEE_PAYERS:
        raise DomainError(_l("Choose who pays the fee."), field="fee_payer")
    if not new_trainee:
        already = db.session.scalars(
            select(Enrolment).where(Enrolment.trainee_id == trainee.id)
            .options(selectinload(Enrolment.training_class))).all()
        if any(e.class_id == training_class.id for e in already):
            raise DomainError(_l("%(name)s is already in this class.", name=trainee.name))
        running = [e for e in already if e.status == "active"
                   and e.training_class.track_id == training_class.track_id]
        if running:
            raise DomainError(_l("%(name)s is still in training in class %(code)s of the same track.",
                                 name=trainee.name, code=running[0].training_class.code))
        previous_courses = sum(1 for e in already if e.training_class.kind == "regular"
                               and e.training_class.track_id == training_class.track_id)
        if _active_count(training_class.id) >= training_class.capacity:
            raise DomainError(_l("The class is full (capacity %(n)s).", n=training_class.capacity))
    else:
        previous_courses = 0
    enrolment = Enrolment(trainee=trainee, training_class=training_class, enrolled_on=today,
                          course_attempt=previous_courses + 1, fee_payer=fee_payer,
                          fee_amount=training_class.fee,
                          employment_agreement_on=employment_agreement_on)
    db.session.add(enrolment)
    return enrolment


def enrol_trainee(training_class: TrainingClass, trainee: Trainee, actor: User, *,
                  fee_payer: str = "self", employment_agreement_on: date | None = None) -> Enrolment:
    """Enrol one trainee in a regular class."""
    require_staff(actor)
    try:
        enrolment = build_enrolment(training_class, trainee, fee_payer=fee_payer,
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


def find_trainees(text: str, limit: int = 20) -> list[Trainee]:
    """Trainees whose name, ID number or phone contains ``text`` (for enrolling from a search)."""
    text = (text or "").strip()
    if not text:
        return []
    return list(db.session.scalars(
        select(Trainee).where(or_(Trainee.name.like(f"%{text}%"),
                                  Trainee.id_number.like(f"%{text.upper()}%"),
                                  Trainee.phone.like(f"%{text}%")))
        .order_by(Trainee.name).limit(limit)))


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
    if not 0 < hours <= 12 or round(hours * 10) != hours * 10:
        raise DomainError(_l("A session lasts more than 0 and at most 12 hours, in steps of 0.1."),
                          field="hours")
    held_on = values["held_on"]
    if not training_class.starts_on <= held_on <= training_class.ends_on:
        raise DomainError(_l("The date must fall within the class (%(start)s – %(end)s).",
                             start=training_class.starts_on.isoformat(),
                             end=training_class.ends_on.isoformat()), field="held_on")
    session = TrainingSession(training_class=training_class, module=module, held_on=held_on,
                              starts_at=values["starts_at"], hours=hours, form=values["form"],
                              location=(values.get("location") or None),
                              topic=(values.get("topic") or None),
                              instructor_id=actor.id if actor.role == "instructor" else None)
    db.session.add(session)
    db.session.commit()
    return session


def sessions_of(training_class: TrainingClass) -> list[TrainingSession]:
    """The class's sessions by date, with their modules."""
    return list(db.session.scalars(
        select(TrainingSession).where(TrainingSession.class_id == training_class.id)
        .options(selectinload(TrainingSession.module))
        .order_by(TrainingSession.held_on, TrainingSession.starts_at)))


# ---------------------------------------------------------------------------------------------
# Lookups for the views (views never touch the session themselves)
# ---------------------------------------------------------------------------------------------


def get_class(class_id: int) -> TrainingClass | None:
    """A class with its instructors and track."""
    return db.session.scalar(
        select(TrainingClass).where(TrainingClass.id == class_id)
        .options(selectinload(TrainingClass.instructors), selectinload(TrainingClass.track)))


def get_enrolment(enrolment_id: int) -> Enrolment | None:
    """An enrolment with its class (and the class's instructors) and trainee."""
    return db.session.scalar(
        select(Enrolment).where(Enrolment.id == enrolment_id).options(
            selectinload(Enrolment.trainee),
            selectinload(Enrolment.training_class).selectinload(TrainingClass.instructors)))


def get_trainee(trainee_id: int) -> Trainee | None:
    """A trainee by id."""
    return db.session.get(Trainee, trainee_id)


def class_form_choices() -> tuple[list, list]:
    """Active tracks and active instructor accounts, for the class form."""
    from ..models import Track

    tracks = db.session.scalars(select(Track).where(Track.is_active.is_(True))
                                .order_by(Track.sort_order, Track.name)).all()
    instructors = db.session.scalars(select(User).where(User.role == "instructor",
                                                        User.is_active_account.is_(True))
                                     .order_by(User.display_name)).all()
    return list(tracks), list(instructors)


def current_enrolments(trainee_id: int) -> list[Enrolment]:
    """A trainee's enrolments still in training (else the latest one), with their classes."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.trainee_id == trainee_id)
        .options(selectinload(Enrolment.training_class))
        .order_by(Enrolment.enrolled_on.desc(), Enrolment.id.desc())).all()
    active = [e for e in enrolments if e.status == "active"]
    return active or list(enrolments[:1])
