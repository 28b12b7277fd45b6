"""Writes for the background check (背景核查) and the liability insurance (从业责任保险) on a
worker's file: record them, or remove one entered by mistake. Once on file they count toward the
green / yellow / red fitness for duty (``rules.duty_status``), like the health certificate.

Each takes the acting user, validates, writes, commits once and raises ``DomainError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import rules
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..models import BackgroundCheck, InsurancePolicy, Trainee
from .operations import remove_mistake

TEXT_MAX = {"reference": 64, "issuer": 100, "note": 500, "insurer": 100, "policy_number": 64}


def _text(value: str | None, field: str, required=None) -> str | None:
    text = (value or "").strip()
    if required is not None and not text:
        raise DomainError(required, field=field)
    if len(text) > TEXT_MAX[field]:
        raise DomainError(_l("At most %(count)s characters.", count=TEXT_MAX[field]), field=field)
    return text or None


def _trainee(trainee_id: int) -> Trainee:
    trainee = db.session.get(Trainee, trainee_id)
    if trainee is None:
        raise DomainError(_l("There is no such trainee."))
    return trainee


@dataclass
class BackgroundEntry:
    """A background check as typed on the form."""

    trainee_id: int
    status: str
    checked_on: date | None
    valid_until: date | None = None
    reference: str | None = None
    issuer: str | None = None
    note: str | None = None


def record_background(entry: BackgroundEntry, actor, today: date | None = None) -> BackgroundCheck:
    """Record a background check; the latest one on file counts toward fitness for duty."""
    require_staff(actor)
    today = today or date.today()
    _trainee(entry.trainee_id)
    if entry.status not in rules.BACKGROUND_STATUSES:
        raise DomainError(_l("Choose the result of the check."), field="status")
    if entry.checked_on is None:
        raise DomainError(_l("Enter the date of the check."), field="checked_on")
    if entry.checked_on > today:
        raise DomainError(_l("The date cannot be in the future."), field="checked_on")
    if entry.valid_until is not None and entry.valid_until < entry.checked_on:
        raise DomainError(_l("The valid-until date cannot be before the check."),
                          field="valid_until")
    if entry.status != "passed" and entry.valid_until is not None:
        raise DomainError(_l("Only a passed check has a valid-until date."), field="valid_until")
    row = BackgroundCheck(
        trainee_id=entry.trainee_id, status=entry.status, checked_on=entry.checked_on,
        valid_until=entry.valid_until, reference=_text(entry.reference, "reference"),
        issuer=_text(entry.issuer, "issuer"), note=_text(entry.note, "note"),
        recorded_by_id=actor.id)
    db.session.add(row)
    db.session.commit()
    return row


@dataclass
class InsuranceEntry:
    """A liability insurance policy as typed on the form."""

    trainee_id: int
    insurer: str
    policy_number: str
    starts_on: date | None
    expires_on: date | None = None


def record_insurance(entry: InsuranceEntry, actor) -> InsurancePolicy:
    """Record a liability insurance policy (it runs a year unless an end date is given)."""
    require_staff(actor)
    _trainee(entry.trainee_id)
    insurer = _text(entry.insurer, "insurer", _l("Enter the insurance company."))
    number = _text(entry.policy_number, "policy_number", _l("Enter the policy number."))
    if entry.starts_on is None:
        raise DomainError(_l("Enter the date the policy starts."), field="starts_on")
    expires_on = entry.expires_on or rules.insurance_expiry_default(entry.starts_on)
    if expires_on < entry.starts_on:
        raise DomainError(_l("The end date cannot be before the start."), field="expires_on")
    duplicate = db.session.scalar(select(InsurancePolicy.id).where(
        InsurancePolicy.trainee_id == entry.trainee_id, InsurancePolicy.policy_number == number))
    if duplicate is not None:
        raise DomainError(_l("This policy has already been recorded."), field="policy_number")
    row = InsurancePolicy(trainee_id=entry.trainee_id, insurer=insurer, policy_number=number,
                          starts_on=entry.starts_on, expires_on=expires_on,
                          recorded_by_id=actor.id)
    db.session.add(row)
    db.session.commit()
    return row


def delete_background(check_id: int, actor) -> int:
    """Remove a background check entered by mistake; returns its trainee's id."""
    return remove_mistake(BackgroundCheck, check_id, actor,
                          _l("There is no such background check."))


def delete_insurance(policy_id: int, actor) -> int:
    """Remove an insurance policy entered by mistake; returns its trainee's id."""
    return remove_mistake(InsurancePolicy, policy_id, actor,
                          _l("There is no such insurance policy."))
