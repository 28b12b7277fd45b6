"""QR check-in for classroom sessions: the rotating code, the session's check-in window, lateness.

The projector shows a code that changes every ``CHECKIN_STEP_SECONDS``: an HMAC of the session and
the time step, cut to ``CHECKIN_CODE_DIGITS`` digits (like a one-time password, RFC 4226's dynamic
truncation), so it can be scanned as a QR code or typed. A code still counts for
``CHECKIN_GRACE_STEPS`` steps after the projector replaced it (the phone took a moment to open
it). A scan is accepted only inside the session's window: from ``margin`` minutes before the start
to ``margin`` minutes after the end. A trainee who arrives more than ``late_after`` minutes after
the start is marked late (a late arrival still earns the session's hours, like the register's).
A valid scan stays good for ``CHECKIN_TICKET_MINUTES`` while she logs in; her arrival time is the
moment she scanned.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

CHECKIN_STEP_SECONDS = 30
CHECKIN_GRACE_STEPS = 1  # the code shown just before the current one still counts (≤ 60 s old)
CHECKIN_CODE_DIGITS = 6
CHECKIN_MARGIN_MINUTES = 15
CHECKIN_LATE_AFTER_MINUTES = 10
CHECKIN_TICKET_MINUTES = 10
CHECKIN_OLD_CODE_STEPS = 24 * 60 * 60 // CHECKIN_STEP_SECONDS  # how far back "old" is told apart
CHECKIN_METHODS = ("register", "qr")

# What a scan can come to: present or late (recorded), or one of the refusals.
CODE_FRESH, CODE_OLD, CODE_WRONG = "fresh", "old", "wrong"
BEFORE, OPEN, AFTER = "before", "open", "after"


def time_step(epoch_seconds: float, step_seconds: int = CHECKIN_STEP_SECONDS) -> int:
    """The number of the code step a moment (Unix seconds) falls in."""
    return int(epoch_seconds // step_seconds)


def seconds_left_in_step(epoch_seconds: float, step_seconds: int = CHECKIN_STEP_SECONDS) -> int:
    """Whole seconds until the projector shows the next code (1 … step_seconds)."""
    return step_seconds - int(epoch_seconds % step_seconds)


def checkin_code(key: bytes, session_id: int, step: int, digits: int = CHECKIN_CODE_DIGITS) -> str:
    """The code of a session for one time step: HMAC-SHA256 of both, truncated to ``digits``."""
    mac = hmac.new(key, f"checkin:{session_id}:{step}".encode(), hashlib.sha256).digest()
    offset = mac[-1] & 0x0F
    number = int.from_bytes(mac[offset:offset + 4], "big") & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def normalise_code(text: str | None) -> str:
    """A typed or scanned code without spaces; full-width digits made ASCII."""
    cleaned = "".join((text or "").split())
    return cleaned.translate({0xFF10 + i: ord("0") + i for i in range(10)})


def classify_code(key: bytes, session_id: int, code: str, step: int,
                  grace: int = CHECKIN_GRACE_STEPS,
                  lookback: int = CHECKIN_OLD_CODE_STEPS) -> str:
    """``fresh`` when ``code`` is the session's code of ``step`` or of the ``grace`` steps before;
    ``old`` when it was the session's code earlier (within ``lookback`` steps); else ``wrong``."""
    code = normalise_code(code)
    if len(code) != CHECKIN_CODE_DIGITS or not (code.isascii() and code.isdigit()):
        return CODE_WRONG
    for candidate in range(step, step - grace - 1, -1):
        if hmac.compare_digest(checkin_code(key, session_id, candidate), code):
            return CODE_FRESH
    for candidate in range(step - grace - 1, step - lookback - 1, -1):
        if hmac.compare_digest(checkin_code(key, session_id, candidate), code):
            return CODE_OLD
    return CODE_WRONG


@dataclass(frozen=True)
class CheckinWindow:
    """When a session's check-in opens, when the session starts, from when a scan is late, and
    when check-in closes (local wall-clock times)."""

    opens: datetime
    starts: datetime
    late_from: datetime
    ends: datetime
    closes: datetime

    def state(self, moment: datetime) -> str:
        """``before`` the window, ``open``, or ``after`` it."""
        if moment < self.opens:
            return BEFORE
        if moment > self.closes:
            return AFTER
        return OPEN

    def arrival(self, moment: datetime) -> str:
        """``present`` up to ``late_after`` minutes after the start, ``late`` after that."""
        return "late" if moment > self.late_from else "present"


def checkin_window(starts: datetime, hours: float, margin_minutes: int = CHECKIN_MARGIN_MINUTES,
                   late_after_minutes: int = CHECKIN_LATE_AFTER_MINUTES) -> CheckinWindow:
    """The check-in window of a session that starts at ``starts`` and lasts ``hours``."""
    ends = starts + timedelta(hours=float(hours))
    margin = timedelta(minutes=margin_minutes)
    return CheckinWindow(opens=starts - margin, starts=starts,
                         late_from=starts + timedelta(minutes=late_after_minutes), ends=ends,
                         closes=ends + margin)


def ticket_valid(scanned_at: float, now: float, minutes: int = CHECKIN_TICKET_MINUTES) -> bool:
    """Whether a scan made at ``scanned_at`` (Unix seconds) may still be confirmed at ``now``."""
    return 0 <= now - scanned_at <= minutes * 60
