"""Trainee registry operations: create, edit, search, reset the login, and the timeline read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, extract, func, or_, select
from sqlalchemy.orm import selectinload

from .. import rules, settings
from ..auth.operations import create_user, reset_password
from ..auth.passwords import hash_password, initial_password
from ..errors import DomainError
from ..extensions import db
from ..i18n import LABELS
from ..models import (
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    Placement,
    Trainee,
    TrainingClass,
    User,
)
from ..services import fitness, progress
from ..services.people import find_by_id_number

# Bulk imports hash the one-time passwords with a lighter scrypt work factor (n=2^12 instead of
# 2^15): each password is 10 random characters from 31 (~49 bits) and must be changed at the first
# login, where the trainee's own password gets the full-strength hash. With the full factor, a
# 60-row roster took 20 s on the shared 2-core server (see benchmarks/trainee_import.py).
INITIAL_PASSWORD_HASH_METHOD = "scrypt:4096:8:1"

EDITABLE = ("name", "phone", "education", "origin", "address", "consents_to_listing", "notes")


class DuplicateTrainee(DomainError):
    """The ID number is already registered; ``existing`` is that trainee."""

    def __init__(self, existing: Trainee):
        super().__init__(_l("This ID number is already registered (%(name)s).", name=existing.name),
                         field="id_number")
        self.existing = existing


def id_error_message(code: str):
    """The user's message for an ID number error code of ``rules.parse_id_number``."""
    return LABELS["id_error"].get(code, LABELS["id_error"]["checksum"])


def check_fields(values: dict) -> list[tuple[str, object]]:
    """Shape errors of trainee fields as (field, message); an empty list means acceptable."""
    problems = []
    if not (values.get("name") or "").strip():
        problems.append(("name", _l("The name is missing.")))
    elif len(values["name"].strip()) > 64:
        problems.append(("name", _l("The name is too long.")))
    phone = (values.get("phone") or "").strip()
    if phone and not rules.is_valid_phone(phone):
        problems.append(("phone", _l("A mobile number has 11 digits and starts with 13–19.")))
    if values.get("education") not in rules.EDUCATION_LEVELS:
        problems.append(("education", _l("Choose an education level from the list.")))
    if values.get("origin") not in rules.ORIGINS:
        problems.append(("origin", _l("Choose an origin from the list.")))
    return problems


def build_trainee(values: dict, today: date | None = None, *,
                  registered_checked: bool = False) -> tuple[Trainee, str]:
    """Validate and add a trainee with a trainee login to the session (no commit).

    Returns the trainee and the one-time initial password. Raises ``DomainError``. The roster
    import checks every ID number against the registry in bulk first and passes
    ``registered_checked=True`` to skip the per-row lookups.
    """
    try:
        parsed = rules.parse_id_number(values.get("id_number") or "", today)
    except rules.IdNumberError as error:
        raise DomainError(id_error_message(error.code), field="id_number") from error
    if not registered_checked:
        existing = find_by_id_number(parsed.number)
        if existing is not None:
            raise DuplicateTrainee(existing)
    problems = check_fields(values)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field, field_errors=problems)
    trainee = Trainee(
        id_number=parsed.number, birth_on=parsed.birth_on, gender=parsed.gender,
        name=values["name"].strip(), phone=(values.get("phone") or "").strip() or None,
        education=values["education"], origin=values["origin"],
        address=(values.get("address") or "").strip() or None,
        consents_to_listing=bool(values.get("consents_to_listing")),
        notes=(values.get("notes") or "").strip() or None,
    )
    db.session.add(trainee)
    if registered_checked:
        password = initial_password()
        user = User(username=parsed.number, display_name=trainee.name, role="trainee",
                    password_hash=hash_initial_password(password), phone=trainee.phone,
                    must_change_password=True)
        db.session.add(user)
    else:
        user, password = create_user(parsed.number, trainee.name, "trainee", phone=trainee.phone,
                                     must_change_password=True, commit=False)
    user.trainee = trainee
    return trainee, password


def hash_initial_password(password: str) -> str:
    """Hash a one-time password for a bulk import (a cheaper configured method wins)."""
    from werkzeug.security import generate_password_hash

    configured = settings.password_hash_method()
    if configured != "scrypt":
        return hash_password(password)  # a deliberately chosen method (the tests' cheap one)
    return generate_password_hash(password, method=INITIAL_PASSWORD_HASH_METHOD)


def create_trainee(values: dict, actor: User) -> tuple[Trainee, str]:
    """Register a trainee and their login; returns (trainee, one-time initial password)."""
    _require_staff(actor)
    try:
        trainee, password = build_trainee(values)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return trainee, password


def update_trainee(trainee: Trainee, values: dict, actor: User) -> Trainee:
    """Change a trainee's editable fields (the ID number, and so birth date and gender, stay)."""
    _require_staff(actor)
    merged = {name: getattr(trainee, name) for name in EDITABLE} | values
    problems = check_fields(merged)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field, field_errors=problems)
    for name in EDITABLE:
        if name in values:
            value = values[name]
            setattr(trainee, name, value.strip() or None if isinstance(value, str) else value)
    trainee.name = merged["name"].strip()
    if trainee.user is not None:
        trainee.user.display_name = trainee.name
        trainee.user.phone = trainee.phone
    db.session.commit()
    return trainee


def reset_trainee_password(trainee: Trainee, actor: User) -> str:
    """A new one-time password for the trainee's login (created if missing); returns it."""
    _require_staff(actor)
    if trainee.user is None:
        user, password = create_user(trainee.id_number, trainee.name, "trainee",
                                     phone=trainee.phone, commit=False)
        user.trainee = trainee
        db.session.commit()
        return password
    return reset_password(trainee.user)


def _require_staff(actor: User) -> None:
    if actor is None or not actor.is_staff:
        raise DomainError(_l("Only staff may change the trainee registry."))


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


@dataclass
class TraineeFilters:
    """What the registry list is narrowed to."""

    q: str = ""
    track_id: int | None = None
    year: int | None = None
    status: str = ""  # an enrolment status, or "none" for never enrolled
    education: str = ""
    origin: str = ""


def search_trainees(filters: TraineeFilters, page: int = 1, per_page: int = 25):
    """A page of trainees matching the filters (partial name, ID number or phone), newest first."""
    query = select(Trainee)
    text = (filters.q or "").strip()
    if text:
        pattern = f"%{text.upper() if text[-1:] in 'xX' else text}%"
        query = query.where(or_(Trainee.name.like(f"%{text}%"), Trainee.id_number.like(pattern),
                                Trainee.phone.like(f"%{text}%")))
    if filters.education in rules.EDUCATION_LEVELS:
        query = query.where(Trainee.education == filters.education)
    if filters.origin in rules.ORIGINS:
        query = query.where(Trainee.origin == filters.origin)
    enrolment_conditions = []
    if filters.track_id:
        enrolment_conditions.append(TrainingClass.track_id == filters.track_id)
    if filters.year:
        enrolment_conditions.append(extract("year", TrainingClass.starts_on) == filters.year)
    if filters.status and filters.status != "none":
        enrolment_conditions.append(Enrolment.status == filters.status)
    if enrolment_conditions:
        query = query.where(exists(
            select(Enrolment.id).join(TrainingClass, Enrolment.class_id == TrainingClass.id)
            .where(Enrolment.trainee_id == Trainee.id, *enrolment_conditions)
        ))
    if filters.status == "none":
        query = query.where(~exists(select(Enrolment.id).where(Enrolment.trainee_id == Trainee.id)))
    query = query.options(
        selectinload(Trainee.enrolments).selectinload(Enrolment.training_class)
    ).order_by(Trainee.created_at.desc(), Trainee.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def class_years() -> list[int]:
    """Years in which classes started, newest first (for the year filter)."""
    rows = db.session.execute(
        select(func.distinct(extract("year", TrainingClass.starts_on)))
    ).scalars().all()
    return sorted((int(year) for year in rows if year is not None), reverse=True)


# ---------------------------------------------------------------------------------------------
# The timeline
# ---------------------------------------------------------------------------------------------


def trainee_timeline(trainee_id: int, today: date | None = None) -> dict | None:
    """Everything about one trainee, read in a fixed number of queries; None when unknown."""
    today = today or date.today()
    trainee = db.session.scalar(
        select(Trainee).where(Trainee.id == trainee_id).options(
            selectinload(Trainee.user),
            selectinload(Trainee.enrolments).selectinload(Enrolment.training_class)
            .selectinload(TrainingClass.track),
            selectinload(Trainee.health_certificates),
            selectinload(Trainee.certificates).selectinload(Certificate.track),
            selectinload(Trainee.placements).selectinload(Placement.feedback),
        )
    )
    if trainee is None:
        return None
    enrolments = sorted(trainee.enrolments, key=lambda e: (e.training_class.starts_on, e.id))
    eligibility = progress.eligibility_for(enrolments)
    results = db.session.scalars(
        select(ExamResult).join(Exam, ExamResult.exam_id == Exam.id)
        .where(ExamResult.enrolment_id.in_([e.id for e in enrolments] or [0]))
        .options(selectinload(ExamResult.exam))
        .order_by(Exam.held_on, ExamResult.id)
    ).all()
    results_by_enrolment: dict[int, list[ExamResult]] = {}
    for result in results:
        results_by_enrolment.setdefault(result.enrolment_id, []).append(result)
    # Each health certificate's own colour, by the same rule as fitness for duty.
    health_colours = {
        health.id: rules.duty_status(
            has_certificate=True, certificate_revoked=False, health_issued_on=health.issued_on,
            health_expires_on=health.expires_on, today=today,
            warning_days=settings.health_warning_days()).colour
        for health in trainee.health_certificates
    }
    return {
        "trainee": trainee,
        "health_colours": health_colours,
        "enrolments": enrolments,
        "eligibility": eligibility,
        "results": results_by_enrolment,
        "duty": fitness.duty_status(trainee.id, today),
        "age": rules.age_on(trainee.birth_on, today),
        "today": today,
    }


def get_trainee(trainee_id: int) -> Trainee | None:
    """A trainee by id (with the login)."""
    return db.session.scalar(select(Trainee).where(Trainee.id == trainee_id)
                             .options(selectinload(Trainee.user)))


def tracks() -> list:
    """Tracks for the registry filter."""
    from ..models import Track

    return list(db.session.scalars(select(Track).order_by(Track.sort_order, Track.name)))
