"""Login throttling that cannot be turned against other users.

Two counters, kept apart:

- **per account** (the login name as typed: username, ID number or phone): after
  ``LOGIN_FREE_FAILURES`` failures in a row that login name is locked, first for
  ``LOGIN_LOCK_FIRST_MINUTES``, and each further failure after a lock doubles the wait, up to
  ``LOGIN_LOCK_MAX_MINUTES``. A success (or staff unlocking the account) clears the count; failures
  are forgotten ``LOGIN_FAILURE_MEMORY_HOURS`` after the last one. The count is kept per login
  name whether or not an account of that name exists, so the lock answers the same for a known
  and an unknown login, and one account's lock never touches another account.
- **per address**: a whole classroom shares one Wi-Fi address. Only a flood of failures from one
  address (``LOGIN_ADDRESS_MAX_FAILURES`` within ``LOGIN_ADDRESS_WINDOW_MINUTES``, far more than
  ``CLASSROOM_SIZE`` trainees mistyping their first password) stops logins from it, and the request
  cap (``LOGIN_ADDRESS_REQUESTS_PER_MINUTE``) leaves room for the whole class at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

CLASSROOM_SIZE = 60  # trainees who may log in at the same moment from one classroom Wi-Fi
LOGIN_FREE_FAILURES = 5
LOGIN_LOCK_FIRST_MINUTES = 1
LOGIN_LOCK_GROWTH = 2
LOGIN_LOCK_MAX_MINUTES = 60
LOGIN_FAILURE_MEMORY_HOURS = 24
# Room for every trainee of a full classroom to mistype twice, and more.
LOGIN_ADDRESS_MAX_FAILURES = 150
LOGIN_ADDRESS_WINDOW_MINUTES = 15
# Every login form sent from one address (successes too): four per trainee of a full classroom.
LOGIN_ADDRESS_REQUESTS_PER_MINUTE = 240
LOGIN_KEY_LENGTH = 64


@dataclass(frozen=True)
class LoginThrottle:
    """The throttling settings in force (the defaults are the constants above)."""

    free_failures: int = LOGIN_FREE_FAILURES
    first_lock_minutes: float = LOGIN_LOCK_FIRST_MINUTES
    growth: float = LOGIN_LOCK_GROWTH
    max_lock_minutes: float = LOGIN_LOCK_MAX_MINUTES
    memory_hours: float = LOGIN_FAILURE_MEMORY_HOURS
    address_max_failures: int = LOGIN_ADDRESS_MAX_FAILURES
    address_window_minutes: float = LOGIN_ADDRESS_WINDOW_MINUTES
    address_requests_per_minute: int = LOGIN_ADDRESS_REQUESTS_PER_MINUTE

    @property
    def memory(self) -> timedelta:
        """How long failures in a row are remembered after the last one."""
        return timedelta(hours=self.memory_hours)

    @property
    def address_window(self) -> timedelta:
        """The window in which an address's failures are counted."""
        return timedelta(minutes=self.address_window_minutes)

    @property
    def address_rate_limit(self) -> str:
        """The request cap per address, as a Flask-Limiter limit string."""
        return f"{self.address_requests_per_minute} per minute"


DEFAULT_LOGIN_THROTTLE = LoginThrottle()


def login_key(login: str | None) -> str:
    """The name a login's failures are counted under: as typed, without spaces or control
    characters, case folded."""
    visible = "".join(ch for ch in (login or "") if ch.isprintable() and not ch.isspace())
    return visible.lower()[:LOGIN_KEY_LENGTH]


def lock_duration(failures: int, policy: LoginThrottle = DEFAULT_LOGIN_THROTTLE) -> timedelta:
    """How long a login name stays locked after its ``failures``-th failure in a row.

    Nothing below the free failures; then the first lock, doubled by each further failure, capped.
    """
    if failures < policy.free_failures:
        return timedelta(0)
    minutes = policy.first_lock_minutes * policy.growth ** (failures - policy.free_failures)
    return timedelta(minutes=min(minutes, policy.max_lock_minutes))


def failures_remembered(failures: int, last_failure_at: datetime | None, now: datetime,
                        policy: LoginThrottle = DEFAULT_LOGIN_THROTTLE) -> int:
    """The failures in a row still counted at ``now`` (0 once the memory has passed)."""
    if not failures or last_failure_at is None or now - last_failure_at >= policy.memory:
        return 0
    return failures


def locked_until(failures: int, last_failure_at: datetime | None, now: datetime,
                 policy: LoginThrottle = DEFAULT_LOGIN_THROTTLE) -> datetime | None:
    """When the lock of a login name ends, or None when it is not locked at ``now``."""
    counted = failures_remembered(failures, last_failure_at, now, policy)
    if not counted:
        return None
    until = last_failure_at + lock_duration(counted, policy)
    return until if until > now else None


def tries_before_lock(failures: int, policy: LoginThrottle = DEFAULT_LOGIN_THROTTLE) -> int:
    """Failures still allowed before the next one locks the login name (0 once locked before)."""
    return max(0, policy.free_failures - failures)


def address_blocked(failures: int, policy: LoginThrottle = DEFAULT_LOGIN_THROTTLE) -> bool:
    """Whether an address with ``failures`` in the window may not try again for now."""
    return failures >= policy.address_max_failures


def address_free_at(oldest_failure_at: datetime,
                    policy: LoginThrottle = DEFAULT_LOGIN_THROTTLE) -> datetime:
    """When the oldest counted failure of a blocked address leaves the window."""
    return oldest_failure_at + policy.address_window


def minutes_to_wait(until: datetime, now: datetime) -> int:
    """Whole minutes to tell a person to wait (at least 1)."""
    return max(1, math.ceil((until - now).total_seconds() / 60))
