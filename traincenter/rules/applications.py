"""Online applications (报名): their statuses, what blocks a new one, and the checks against bots.

A person applies on a public page; staff accept her into a class, put her on the wait-list, or
decline with a reason. An ID number that is already a trainee, or has an application still open
or accepted, cannot apply again (she is told to contact the center, nothing more); after a
decline she may apply again. Against bots, without outside services: a field people never see
(the honeypot), a minimum time between showing the form and sending it, and a limit of
applications per network address and day.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from .dates import add_months

APPLICATION_STATUSES = ("received", "waitlisted", "accepted", "declined")
OPEN_APPLICATION_STATUSES = ("received", "waitlisted")
# What staff may do next: accepted and declined are final (a declined person may apply again).
APPLICATION_TRANSITIONS = {
    "received": ("waitlisted", "accepted", "declined"),
    "waitlisted": ("accepted", "declined"),
    "accepted": (),
    "declined": (),
}
APPLY_MIN_FILL_SECONDS = 8  # nobody fills name, ID number, phone … and two boxes faster
APPLY_FORM_MAX_AGE_HOURS = 24  # a form left open longer is shown again with what she typed
APPLY_MAX_PER_ADDRESS_PER_DAY = 10  # a family or a village office may send a few; a bot many
PREFERRED_START_MONTHS = 6  # "when would you like to start": as soon as possible, or a month ahead
DECLINE_REASON_MAX = 200


def may_move(current: str, new: str) -> bool:
    """Whether an application in status ``current`` may be moved to ``new``."""
    return new in APPLICATION_TRANSITIONS.get(current, ())


def blocks_new_application(status: str) -> bool:
    """Whether an earlier application with this status stops the same ID number applying again."""
    return status in (*OPEN_APPLICATION_STATUSES, "accepted")


def preferred_start_choices(today: date, months: int = PREFERRED_START_MONTHS) -> list[date]:
    """The months an applicant may pick (first days of the next ``months`` months)."""
    first = today.replace(day=1)
    return [add_months(first, offset) for offset in range(1, months + 1)]


def filled_too_fast(shown_at: float, sent_at: float,
                    minimum_seconds: float = APPLY_MIN_FILL_SECONDS) -> bool:
    """Whether a form came back sooner after it was shown than a person could fill it."""
    return sent_at - shown_at < minimum_seconds


def form_too_old(shown_at: float, sent_at: float,
                 maximum_hours: float = APPLY_FORM_MAX_AGE_HOURS) -> bool:
    """Whether a form was shown too long ago (or claims a future time) to be taken as sent."""
    return sent_at < shown_at or sent_at - shown_at > maximum_hours * 3600


def address_limit_reached(sent_today: int,
                          maximum: int = APPLY_MAX_PER_ADDRESS_PER_DAY) -> bool:
    """Whether one network address has sent as many applications today as allowed."""
    return sent_today >= maximum


def typed_number(text: str | None) -> str:
    """What a phone keyboard typed, as plain characters: full-width digits and letters made ASCII
    (Chinese input methods produce them), spaces and dashes dropped, a leading +86 or 0086 (the
    country code) removed."""
    cleaned = unicodedata.normalize("NFKC", text or "")
    cleaned = "".join(ch for ch in cleaned if not ch.isspace() and ch not in "-－—")
    for prefix in ("+86", "0086"):
        if cleaned.startswith(prefix) and len(cleaned) == len(prefix) + 11:
            cleaned = cleaned[len(prefix):]
    return cleaned
