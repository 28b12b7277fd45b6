"""Fitness for duty (可上岗): the green / yellow / red status from the training certificate, the
health certificate (健康证) and — once recorded — the background check (背景核查) and the liability
insurance (从业责任保险).

A worker with no background check and no insurance on file is judged as before, on the certificate
and the health certificate alone. Once a check is recorded, the latest one counts: pending is
yellow, failed is red, a passed check with a valid-until date ages like a health certificate
(yellow within the warning days, red after). Once a policy has started, the policy that runs
longest counts the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from .dates import add_months

HEALTH_WARNING_DAYS = 30
HEALTH_VALIDITY_MONTHS = 12
HEALTH_REMINDER_DAYS = (30, 7)
INSURANCE_VALIDITY_MONTHS = 12
INSURANCE_REMINDER_DAYS = (30, 7)
BACKGROUND_STATUSES = ("pending", "passed", "failed")

GREEN, YELLOW, RED = "green", "yellow", "red"
COLOUR_ORDER = (GREEN, YELLOW, RED)
# What the public sees of a reason: whether a background check failed or merely lapsed is not told.
PUBLIC_REASONS = {"background_failed": "background_not_cleared",
                  "background_expired": "background_not_cleared"}


def health_expiry_default(issued_on: date) -> date:
    """A health certificate is normally valid for one year."""
    return add_months(issued_on, HEALTH_VALIDITY_MONTHS)


def insurance_expiry_default(starts_on: date) -> date:
    """A liability insurance policy normally runs for one year: to the day before the same date
    a year later (a policy from 29 February runs to 28 February)."""
    anniversary = add_months(starts_on, INSURANCE_VALIDITY_MONTHS)
    if anniversary.day != starts_on.day:  # 29 February: the anniversary is 1 March
        anniversary += timedelta(days=1)
    return anniversary - timedelta(days=1)


def reminder_due(days_left: int | None, stages: tuple[int, ...] = HEALTH_REMINDER_DAYS) -> int | None:
    """The reminder stage for a document ``days_left`` days from expiry (30, 7 or None)."""
    if days_left is None or days_left < 0:
        return None
    due = [stage for stage in stages if days_left <= stage]
    return min(due) if due else None


@dataclass(frozen=True)
class BackgroundOnFile:
    """The latest background check on file: pending, passed or failed, and how long it counts."""

    status: str
    valid_until: date | None = None


@dataclass(frozen=True)
class InsuranceOnFile:
    """The liability insurance policy on file that runs longest."""

    starts_on: date
    expires_on: date


@dataclass(frozen=True)
class DutyStatus:
    """Fit-for-duty colour and the reason code behind it.

    ``reasons`` lists every finding that is not in order (the first is ``reason``), so a page can
    say all that needs doing; ``background`` and ``insurance_valid_until`` are what was on file.
    """

    colour: str
    reason: str
    health_valid_until: date | None = None
    reasons: tuple[str, ...] = ()
    background: BackgroundOnFile | None = None
    insurance_valid_until: date | None = None

    @property
    def is_fit(self) -> bool:
        """Green and yellow are fit for duty; red is not."""
        return self.colour in (GREEN, YELLOW)

    @property
    def has_standing_certificate(self) -> bool:
        """A certificate that is not revoked is on file (the only findings that say otherwise
        come first and alone: no certificate, or every one revoked)."""
        return self.reason not in ("no_certificate", "revoked")


def _dated(valid_until: date | None, today: date, warning_days: int,
           prefix: str) -> tuple[str, str]:
    """(colour, reason) of a document valid until ``valid_until`` (None: no end)."""
    if valid_until is None:
        return GREEN, "ok"
    if valid_until < today:
        return RED, f"{prefix}_expired"
    if (valid_until - today).days <= warning_days:
        return YELLOW, f"{prefix}_expiring"
    return GREEN, "ok"


def background_finding(check: BackgroundOnFile | None, today: date,
                       warning_days: int = HEALTH_WARNING_DAYS) -> tuple[str, str]:
    """(colour, reason) of the latest background check; green 'ok' when none is on file."""
    if check is None:
        return GREEN, "ok"
    if check.status == "failed":
        return RED, "background_failed"
    if check.status == "pending":
        return YELLOW, "background_pending"
    return _dated(check.valid_until, today, warning_days, "background")


def insurance_finding(policy: InsuranceOnFile | None, today: date,
                      warning_days: int = HEALTH_WARNING_DAYS) -> tuple[str, str]:
    """(colour, reason) of the insurance policy on file; green 'ok' when none is."""
    if policy is None:
        return GREEN, "ok"
    if policy.starts_on > today:
        return RED, "insurance_not_yet_valid"
    return _dated(policy.expires_on, today, warning_days, "insurance")


def health_finding(health_issued_on: date | None, health_expires_on: date | None, today: date,
                   warning_days: int = HEALTH_WARNING_DAYS) -> tuple[str, str]:
    """(colour, reason) of the health certificate: one is required."""
    if health_expires_on is None:
        return RED, "no_health"
    if health_issued_on is not None and health_issued_on > today:
        return RED, "health_not_yet_valid"
    if health_expires_on < today:
        return RED, "health_expired"
    if (health_expires_on - today).days <= warning_days:
        return YELLOW, "expiring"
    return GREEN, "ok"


def duty_status(
    *,
    has_certificate: bool,
    certificate_revoked: bool,
    health_issued_on: date | None,
    health_expires_on: date | None,
    today: date,
    warning_days: int = HEALTH_WARNING_DAYS,
    background: BackgroundOnFile | None = None,
    insurance: InsuranceOnFile | None = None,
) -> DutyStatus:
    """Green = fit; yellow = fit, but something needs doing soon; red = not fit.

    Red: no certificate, certificate revoked, no valid health certificate, a failed or lapsed
    background check, lapsed insurance. Yellow: the health certificate, a background check or the
    insurance ends within ``warning_days``, or a background check is pending. The worst colour
    wins; among equals the health certificate comes first, then the background check, then the
    insurance.

    Reason codes: ok, expiring (health), no_certificate, revoked, no_health, health_expired,
    health_not_yet_valid, background_pending, background_failed, background_expiring,
    background_expired, insurance_expiring, insurance_expired, insurance_not_yet_valid
    (and under_review, beside a certificate: ``certificate_duty``).
    """
    extra = {"background": background,
             "insurance_valid_until": insurance.expires_on if insurance else None}
    if not has_certificate:
        return DutyStatus(RED, "no_certificate", health_expires_on, ("no_certificate",), **extra)
    if certificate_revoked:
        return DutyStatus(RED, "revoked", health_expires_on, ("revoked",), **extra)
    findings = [
        health_finding(health_issued_on, health_expires_on, today, warning_days),
        background_finding(background, today, warning_days),
        insurance_finding(insurance, today, warning_days),
    ]
    colour = max((found for found, _ in findings), key=COLOUR_ORDER.index)
    reasons = tuple(reason for found, reason in findings if reason != "ok")
    reason = next((reason for found, reason in findings if found == colour), "ok")
    health_until = None if reason == "no_health" or health_expires_on is None else health_expires_on
    return DutyStatus(colour, reason, health_until, reasons, **extra)


def public_reason(reason: str) -> str:
    """The reason code as the public verify page shows it (a failed check is not singled out)."""
    return PUBLIC_REASONS.get(reason, reason)


def background_public_state(check: BackgroundOnFile | None, today: date) -> str | None:
    """What the public sees of the background check: cleared, pending, not_cleared, or None when
    none is on file (never the documents, nor whether a check failed or lapsed)."""
    if check is None:
        return None
    if check.status == "passed" and (check.valid_until is None or check.valid_until >= today):
        return "cleared"
    if check.status == "pending":
        return "pending"
    return "not_cleared"


def insurance_public_state(valid_until: date | None, today: date) -> str | None:
    """What the public sees of the insurance: valid, expired, or None when none is on file."""
    if valid_until is None:
        return None
    return "valid" if valid_until >= today else "expired"


def certificate_duty(status: DutyStatus, certificate_revoked: bool,
                     under_review: bool = False) -> DutyStatus:
    """The status shown beside one certificate: red when that certificate is revoked, whatever
    else the worker holds; red while it is under review (nobody can vouch for it until staff
    confirm or revoke it); otherwise the worker's own status."""
    if certificate_revoked and status.reason != "revoked":
        return replace(status, colour=RED, reason="revoked", reasons=("revoked", *status.reasons))
    if under_review and not certificate_revoked:
        return replace(status, colour=RED, reason="under_review",
                       reasons=("under_review", *status.reasons))
    return status
