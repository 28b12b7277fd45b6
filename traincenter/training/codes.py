"""Check-in codes and windows of classroom sessions, with the settings in force.

The projector screen (queries) and the trainee's scan (operations) share these: the code shown
for a session at a moment, and the session's check-in window (``rules.checkin_window``).
"""

from __future__ import annotations

from datetime import datetime

from .. import rules, settings
from ..models import TrainingSession

CHECKIN_KEY = "checkin"  # the settings.secret_key purpose of the codes


def checkin_key() -> bytes:
    """The key the session codes are made with (derived from SECRET_KEY)."""
    return settings.secret_key(CHECKIN_KEY)


def session_window(session: TrainingSession) -> rules.CheckinWindow:
    """The session's check-in window with the settings in force."""
    starts = datetime.combine(session.held_on, session.starts_at)
    return rules.checkin_window(starts, session.hours, **settings.checkin_settings())


def current_code(session: TrainingSession, epoch_seconds: float) -> str:
    """The code the projector shows for ``session`` at a moment (Unix seconds)."""
    return rules.checkin_code(checkin_key(), session.id, rules.time_step(epoch_seconds))


def classify(session: TrainingSession, code: str, epoch_seconds: float) -> str:
    """``rules.CODE_FRESH``, ``CODE_OLD`` or ``CODE_WRONG`` for a code read at a moment."""
    return rules.classify_code(checkin_key(), session.id, code, rules.time_step(epoch_seconds))
