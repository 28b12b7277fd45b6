"""Writes of the trainees area: register and edit trainees, reset their login, import a roster,
set or remove the trainee's photo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import images, rules
from ..access import STAFF, require_staff
from ..auth.operations import create_user, reset_password, unlock_account
from ..auth.passwords import hash_initial_password, initial_password
from ..errors import DomainError
from ..extensions import db
from ..models import Certificate, Trainee, User
from ..models.base import utcnow
from ..services.people import find_by_id_number
from ..training.operations import build_enrolment
from . import photos
from .checks import check_fields, id_error_message
from .queries import with_enrolments
from .roster import RosterCheck, RosterRow, classes_of

EDITABLE = ("name", "phone", "education", "origin", "address", "consents_to_listing", "notes")
REGISTRY_STAFF_ONLY = _l("Only staff may change the trainee registry.")


class DuplicateTrainee(DomainError):
    """The ID number is already registered; ``existing`` is that trainee."""

    def __init__(self, existing: Trainee):
        super().__init__(_l("This ID number is already registered (%(name)s).", name=existing.name),
                         field="id_number")
        self.existing = existing


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
        name=rules.clean_name(values["name"]), phone=(values.get("phone") or "").strip() or None,
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


def create_trainee(values: dict, actor: User) -> tuple[Trainee, str]:
    """Register a trainee and their login; returns (trainee, one-time initial password)."""
    require_staff(actor, message=REGISTRY_STAFF_ONLY)
    try:
        trainee, password = build_trainee(values)
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return trainee, password


def update_trainee(trainee: Trainee, values: dict, actor: User) -> Trainee:
    """Change a trainee's editable fields (the ID number, and so birth date and gender, stay)."""
    require_staff(actor, message=REGISTRY_STAFF_ONLY)
    merged = {name: getattr(trainee, name) for name in EDITABLE} | values
    problems = check_fields(merged)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field, field_errors=problems)
    for name in EDITABLE:
        if name in values:
            value = values[name]
            setattr(trainee, name, value.strip() or None if isinstance(value, str) else value)
    trainee.name = rules.clean_name(merged["name"])
    if trainee.user is not None:
        trainee.user.display_name = trainee.name
        trainee.user.phone = trainee.phone
    db.session.commit()
    return trainee


def reset_trainee_password(trainee: Trainee, actor: User) -> str:
    """A new one-time password for the trainee's login (created if missing); returns it."""
    require_staff(actor, message=REGISTRY_STAFF_ONLY)
    if trainee.user is None:
        user, password = create_user(trainee.id_number, trainee.name, "trainee",
                                     phone=trainee.phone, commit=False)
        user.trainee = trainee
        db.session.commit()
        return password
    return reset_password(trainee.user)


def unlock_trainee_login(trainee: Trainee, actor: User) -> bool:
    """Clear the failed logins of the trainee's login (staff)."""
    require_staff(actor, message=REGISTRY_STAFF_ONLY)
    if trainee.user is None:
        raise DomainError(_l("This trainee has no login yet."))
    return unlock_account(trainee.user, actor)


def import_roster(check: RosterCheck, actor: User, on_row: Callable[[RosterRow], None] | None = None,
                  today: date | None = None) -> list[tuple[Trainee, str]]:
    """Create every checked trainee (login, enrolment) in one transaction, or nothing.

    Returns (trainee, initial password) pairs. Raises ``DomainError`` when the check found any
    problem or when a row fails while writing (then nothing is kept).
    """
    require_staff(actor, message=REGISTRY_STAFF_ONLY)
    if not check.ok:
        raise DomainError(_l("The file has errors; nothing was imported."))
    today = today or date.today()
    classes = classes_of(check)
    created = []
    try:
        # Every ID number was checked against the registry in bulk; no per-row queries here, and
        # no autoflush: the rows go to the database together at the commit.
        with db.session.no_autoflush:
            for row in check.rows:
                trainee, password = build_trainee(row.values, today, registered_checked=True)
                if row.class_code:
                    build_enrolment(classes[row.class_code], trainee, today=today,
                                    new_trainee=True)
                created.append((trainee, password))
                if on_row is not None:
                    on_row(row)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise DomainError(_l("Row %(row)s: %(reason)s. Nothing was imported.", row=row.number,
                             reason=str(error))) from error
    except Exception:
        db.session.rollback()
        raise
    # Reloaded with their enrolments and classes in two queries, for the slips.
    ids = [trainee.id for trainee, _ in created]
    loaded = with_enrolments(ids)
    return [(loaded[trainee_id], password)
            for trainee_id, (_, password) in zip(ids, created, strict=True)]


# ---------------------------------------------------------------------------------------------
# The trainee's photo
# ---------------------------------------------------------------------------------------------


def _may_change_photo(trainee: Trainee, actor: User) -> None:
    """Staff may always; the trainee herself while her photo is not yet on a certificate."""
    if actor is not None and actor.role in STAFF:
        return
    if actor is None or actor.role != "trainee" or actor.trainee_id != trainee.id:
        raise DomainError(_l("Only staff or the trainee herself may change this photo."))
    certified = db.session.scalar(select(Certificate.id).where(
        Certificate.trainee_id == trainee.id, Certificate.revoked_at.is_(None)).limit(1))
    if not rules.trainee_may_replace_photo(bool(trainee.photo_file), certified is not None):
        raise DomainError(_l("Your photo is already printed on your certificate. To change it, "
                             "please come to the training center."), field="photo")


def set_photo(trainee_id: int, data: bytes, actor: User) -> Trainee:
    """Check and normalise an uploaded photo (Pillow: type from the content, size, decompression
    bombs, EXIF orientation applied then stripped, 3:4) and make it the trainee's photo.

    Raises ``DomainError`` (``images.ImageRefused`` for a bad picture); nothing changes then.
    """
    trainee = db.session.get(Trainee, trainee_id)
    if trainee is None:
        raise DomainError(_l("There is no such trainee."))
    _may_change_photo(trainee, actor)
    photo = images.passport_photo(data)
    old = trainee.photo_file
    name = photos.save_photo(photo)
    trainee.photo_file = name
    trainee.photo_updated_at = utcnow()
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        photos.delete_photo(name)
        raise
    photos.delete_photo(old)  # only once the new one is safely recorded
    return trainee


def remove_photo(trainee_id: int, actor: User) -> Trainee:
    """Take the trainee's photo off her file (staff only); the placeholder prints again."""
    require_staff(actor, message=REGISTRY_STAFF_ONLY)
    trainee = db.session.get(Trainee, trainee_id)
    if trainee is None:
        raise DomainError(_l("There is no such trainee."))
    old = trainee.photo_file
    trainee.photo_file = None
    trainee.photo_updated_at = utcnow()
    db.session.commit()
    photos.delete_photo(old)
    return trainee
