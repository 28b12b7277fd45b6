"""Writes of the applications area: an application sent from the public form, and the staff's
decisions on it (accept into a class, wait-list, decline)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from .. import rules, settings
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..i18n import label
from ..models import Application, Trainee, TrainingClass, User
from ..models.base import utcnow
from ..services.people import find_by_id_number
from ..trainees.checks import id_error_message
from ..trainees.operations import build_trainee
from ..training.operations import build_enrolment
from . import queries
from .forms import ASAP


class NotTaken(DomainError):
    """The form was not taken (a check against bots, or the address's daily limit); the person
    sees her form again with what she typed. ``kind`` is bot, expired or address_limit."""

    def __init__(self, kind: str, message):
        super().__init__(message)
        self.kind = kind


class ContactCenter(DomainError):
    """The ID number cannot apply online; the answer says nothing about why."""


@dataclass(frozen=True)
class Sender:
    """Who sent the form, as far as the checks against bots need: the keyed hash of the address,
    when the form was shown (None when its stamp is missing or forged), when it came back, and
    what the hidden field held."""

    address_key: str
    shown_at: float | None
    sent_at: float
    honeypot: str = ""


NOT_SENT = _l("Your application could not be sent. Please check it and send it again.")


def _check_form(sender: Sender) -> None:
    """The honeypot and the stamp: checked before anything she typed is looked at."""
    if sender.honeypot.strip():
        raise NotTaken("bot", NOT_SENT)
    if sender.shown_at is None or rules.form_too_old(sender.shown_at, sender.sent_at):
        raise NotTaken("expired", _l("This page was open for a long time. Please check what you "
                                     "typed and send it again."))


def _check_pace(sender: Sender) -> None:
    """The fill time and the address's daily limit: checked once the fields are right, so that a
    person who typed something wrong sees what to correct first."""
    if rules.filled_too_fast(sender.shown_at, sender.sent_at, settings.apply_min_fill_seconds()):
        raise NotTaken("bot", NOT_SENT)
    since = utcnow() - timedelta(days=1)
    if rules.address_limit_reached(queries.sent_from(sender.address_key, since),
                                   settings.apply_max_per_address_per_day()):
        raise NotTaken("address_limit", _l(
            "Too many applications were sent from this network today. Please try again tomorrow, "
            "or call the training center."))


def _parse_start(raw: str | None, today: date) -> tuple[date | None, bool]:
    if not raw or raw == ASAP:
        return None, True
    choices = {month.strftime("%Y-%m"): month for month in rules.preferred_start_choices(today)}
    return choices.get(raw), raw in choices


def _check_fields(values: dict, today: date) -> tuple[dict, list]:
    """The application's fields checked one by one: (clean values, every problem)."""
    problems: list[tuple[str, object]] = []
    clean: dict = {}
    name = rules.clean_name(values.get("name"))
    if not name:
        problems.append(("name", _l("Please write your name.")))
    clean["name"] = name[:64]
    try:
        parsed = rules.parse_id_number(rules.typed_number(values.get("id_number")), today)
    except rules.IdNumberError as error:
        problems.append(("id_number", id_error_message(error.code)))
        parsed = None
    clean["id"] = parsed
    phone = rules.typed_number(values.get("phone"))
    if not phone:
        problems.append(("phone", _l("Please write your mobile number, so that we can call you.")))
    elif not rules.is_valid_phone(phone):
        problems.append(("phone", _l("A mobile number has 11 digits and starts with 13–19.")))
    clean["phone"] = phone
    for field, codes, message in (
        ("education", rules.EDUCATION_LEVELS, _l("Please choose your education.")),
        ("origin", rules.ORIGINS, _l("Please choose where you come from.")),
    ):
        if values.get(field) not in codes:
            problems.append((field, message))
        clean[field] = values.get(field)
    track = queries.active_track(values.get("track_id"))
    if track is None:
        problems.append(("track_id", _l("Please choose what you would like to learn.")))
    clean["track"] = track
    clean["preferred_start_on"], known = _parse_start(values.get("preferred_start"), today)
    if not known:
        problems.append(("preferred_start", _l("Please choose when you would like to start.")))
    if not values.get("consents_to_processing"):
        problems.append(("consents_to_processing", _l(
            "We can only take your application if you agree that we use these details to arrange "
            "your training.")))
    clean["consents_to_listing"] = bool(values.get("consents_to_listing"))
    return clean, problems


def submit_application(values: dict, sender: Sender, today: date | None = None) -> Application:
    """Take an application from the public form.

    Refuses with ``NotTaken`` (a check against bots or the address's daily limit), with a
    ``DomainError`` listing every field problem, or with ``ContactCenter`` when the ID number is
    already a trainee or has an application open or accepted (the message reveals nothing more).
    """
    today = today or settings.local_now().date()
    _check_form(sender)
    clean, problems = _check_fields(values, today)
    if problems:
        field, message = problems[0]
        raise DomainError(message, field=field, field_errors=problems)
    _check_pace(sender)
    parsed: rules.IdNumber = clean["id"]
    if find_by_id_number(parsed.number) is not None or queries.blocking_application(parsed.number):
        phone = settings.center_phone()
        raise ContactCenter(_l("We cannot take this application online. Please contact the "
                               "training center (telephone %(phone)s).", phone=phone) if phone
                            else _l("We cannot take this application online. Please contact the "
                                    "training center."))
    application = Application(
        name=clean["name"], id_number=parsed.number, gender=parsed.gender, birth_on=parsed.birth_on,
        phone=clean["phone"], education=clean["education"], origin=clean["origin"],
        track_id=clean["track"].id, preferred_start_on=clean["preferred_start_on"],
        consents_to_processing=True, consents_to_listing=clean["consents_to_listing"],
        status="received", submitted_on=today, address_key=sender.address_key)
    db.session.add(application)
    db.session.commit()
    return application


# ---------------------------------------------------------------------------------------------
# The staff's decisions
# ---------------------------------------------------------------------------------------------


def _decide(application: Application, status: str, actor: User, now: datetime | None = None):
    if not rules.may_move(application.status, status):
        raise DomainError(_l("This application was already decided (%(status)s).",
                             status=label("application_status", application.status)))
    application.status = status
    application.decided_by_id = actor.id
    application.decided_at = utcnow()
    application.decided_on = (now or settings.local_now()).date()


def accept_application(application: Application, training_class: TrainingClass | None,
                       actor: User, today: date | None = None) -> tuple[Trainee, str | None]:
    """Accept into a regular class that has not ended: the trainee (with her login), the
    enrolment and the one-time password, in one transaction.

    Returns the trainee and her one-time password (None when the ID number was registered as a
    trainee meanwhile: she is enrolled and keeps her login).
    """
    require_staff(actor)
    today = today or date.today()
    if training_class is None:
        raise DomainError(_l("Choose the class to accept her into."), field="class_id")
    if training_class.kind != "regular" or training_class.ends_on < today:
        raise DomainError(_l("Choose a regular class that has not ended."), field="class_id")
    try:
        _decide(application, "accepted", actor)
        trainee = find_by_id_number(application.id_number)
        password = None
        if trainee is None:
            trainee, password = build_trainee({
                "id_number": application.id_number, "name": application.name,
                "phone": application.phone, "education": application.education,
                "origin": application.origin,
                "consents_to_listing": application.consents_to_listing}, today)
        build_enrolment(training_class, trainee, today=today)
        application.trainee = trainee
        application.class_id = training_class.id
        db.session.commit()
    except DomainError:
        db.session.rollback()
        raise
    return trainee, password


def waitlist_application(application: Application, note: str | None, actor: User) -> Application:
    """Put an application on the wait-list (staff call her when a place is free)."""
    require_staff(actor)
    _decide(application, "waitlisted", actor)
    note = (note or "").strip()
    if note:
        application.staff_note = note[:500]
    db.session.commit()
    return application


def decline_application(application: Application, reason: str | None, actor: User) -> Application:
    """Decline an application with a reason the applicant sees when she checks her status."""
    require_staff(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_l("Say why, in words the applicant understands: she sees the reason."),
                          field="reason")
    _decide(application, "declined", actor)
    application.decline_reason = reason[:rules.DECLINE_REASON_MAX]
    db.session.commit()
    return application
