"""Health certificates and fitness for duty (可上岗): the green / yellow / red status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import add_months

HEALTH_WARNING_DAYS = 30
HEALTH_VALIDITY_MONTHS = 12
HEALTH_REMINDER_DAYS = (30, 7)

GREEN, YELLOW, RED = "green", "yellow", "red"


def health_expiry_default(issued_on: date) -> date:
    """A health certificate is normally valid for one year."""
    return add_months(issued_on, HEALTH_VALIDITY_MONTHS)


def reminder_due(days_left: int | None, stages: tuple[int, ...] = HEALTH_REMINDER_DAYS) -> int | None:
    """The reminder stage for a document ``days_left`` days from expiry (30, 7 or None)."""
    if days_left is None or days_left < 0:
        return None
    due = [stage for stage in stages if days_left <= stage]
    return min(due) if due else None


@dataclass(frozen=True)
class DutyStatus:
    """Fit-for-duty colour and the reason code behind it."""

    colour: str
    reason: str
    health_valid_until: date | None = None

    @property
    def is_fit(self) -> bool:
        """Green and yellow are fit for duty; red is not."""
        return self.colour in (GREEN, YELLOW)


def duty_status(
    *,
    has_certificate: bool,
    certificate_revoked: bool,
    health_issued_on: date | None,
    health_expires_on: date | None,
    today: date,
    warning_days: int = HEALTH_WARNING_DAYS,
) -> DutyStatus:
    """Green = fit; yellow = fit but the health certificate expires within ``warning_days``;
    red = not fit (no certificate, certificate revoked, or no valid health certificate).

    Reason codes: ok, expiring, no_certificate, revoked, no_health, health_expired,
    health_not_yet_valid (and under_review, beside a certificate: ``certificate_duty``).
    """
    if not has_certificate:
        return DutyStatus(RED, "no_certificate", health_expires_on)
    if certificate_revoked:
        return DutyStatus(RED, "revoked", health_expires_on)
    if health_expires_on is None:
        return DutyStatus(RED, "no_health")
    if health_issued_on is not None and health_issued_on > today:
        return DutyStatus(RED, "health_not_yet_valid", health_expires_on)
    if health_expires_on < today:
        return DutyStatus(RED, "health_expired", health_expires_on)
    if (health_expires_on - today).days <= warning_days:
        return DutyStatus(YELLOW, "expiring", health_expires_on)
    return DutyStatus(GREEN, "ok", health_expires_on)


def certificate_duty(status: DutyStatus, certificate_revoked: bool,
                     under_review: bool = False) -> DutyStatus:
    """The status shown beside one certificate: red when that certificate is revoked, whatever
    else the worker holds; red while it is under review (nobody can vouch for it until staff
    confirm or revoke it); otherwise the worker's own status."""
    if certificate_revoked and status.reason != "revoked":
        return DutyStatus(RED, "revoked", status.health_valid_until)
    if under_review and not certificate_revoked:
        return DutyStatus(RED, "under_review", status.health_valid_until)
    return status
