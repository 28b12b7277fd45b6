"""Reads of the auth area: who a login names, the throttle's counts, locks, the account list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import func, or_, select

from .. import rules, settings
from ..extensions import db
from ..models import LoginAttempt, LoginLock, Trainee, User
from ..models.base import utcnow
from ..paging import Page, paginate


def find_login(login: str) -> User | None:
    """The account for a username, a trainee's ID number, or a phone number (when unambiguous).

    The three lookups always run, so a login name costs the same statements whoever it names.
    """
    login = (login or "").strip()
    if not login or not login.isprintable():
        login = " "  # matches nothing (PostgreSQL refuses NUL), with the same statements
    by_username = db.session.scalar(select(User).where(func.lower(User.username) == login.lower()))
    trainees = db.session.scalars(
        select(User)
        .join(Trainee, User.trainee_id == Trainee.id)
        .where(or_(Trainee.id_number == login.upper(), Trainee.phone == login))
        .limit(2)
    ).all()
    staff_by_phone = db.session.scalars(select(User).where(User.phone == login).limit(2)).all()
    if by_username is not None:
        return by_username
    if len(trainees) == 1:
        return trainees[0]
    return staff_by_phone[0] if len(staff_by_phone) == 1 else None


@dataclass(frozen=True)
class ThrottleState:
    """What the throttle knows before a login attempt: its login name's failures in a row, and
    the failures from its address within the window."""

    failures: int
    last_failure_at: datetime | None
    address_failures: int
    address_oldest_at: datetime | None


def throttle_state(key: str, address: str, now: datetime,
                   policy: rules.LoginThrottle) -> ThrottleState:
    """The login name's lock row and the address's recent failures (two statements)."""
    lock = db.session.execute(
        select(LoginLock.failures, LoginLock.last_failure_at).where(LoginLock.key == key)
    ).first()
    count, oldest = db.session.execute(
        select(func.count(), func.min(LoginAttempt.attempted_at)).where(
            LoginAttempt.address == address, LoginAttempt.succeeded.is_(False),
            LoginAttempt.attempted_at >= now - policy.address_window)
    ).one()
    return ThrottleState(lock.failures if lock else 0, lock.last_failure_at if lock else None,
                         count or 0, oldest)


def login_keys(user: User) -> set[str]:
    """Every login name of an account: username, phone, and a trainee's ID number and phone."""
    names = {user.username, user.phone}
    if user.trainee is not None:
        names |= {user.trainee.id_number, user.trainee.phone}
    return {rules.login_key(name) for name in names if name}


@dataclass(frozen=True)
class LockState:
    """An account's lock, as staff see it: failures in a row and until when it is locked."""

    failures: int = 0
    locked_until: datetime | None = None

    @property
    def is_locked(self) -> bool:
        """Whether the account cannot log in for now (by one of its login names)."""
        return self.locked_until is not None


def lock_states(users: list[User]) -> dict[int, LockState]:
    """The lock state of each account, by user id, in one statement."""
    keys = {user.id: login_keys(user) for user in users}
    wanted = set().union(*keys.values()) if keys else set()
    rows = {}
    if wanted:
        rows = {key: (failures, last) for key, failures, last in db.session.execute(
            select(LoginLock.key, LoginLock.failures, LoginLock.last_failure_at)
            .where(LoginLock.key.in_(wanted)))}
    now = utcnow()
    policy = settings.login_throttle()
    states = {}
    for user_id, names in keys.items():
        failures, until = 0, None
        for name in names & rows.keys():
            counted, last = rows[name]
            failures = max(failures, rules.failures_remembered(counted, last, now, policy))
            ends = rules.locked_until(counted, last, now, policy)
            if ends is not None and (until is None or ends > until):
                until = ends
        states[user_id] = LockState(failures, until)
    return states


def username_taken(username: str) -> bool:
    """Whether an account already has this username (case-insensitive)."""
    return db.session.scalar(
        select(User.id).where(func.lower(User.username) == username.lower())) is not None


ACCOUNT_ROLES = ("admin", "staff", "instructor")  # trainee logins live on the trainee's page
ACCOUNT_STATES = ("active", "deactivated")


def account_list(search: str = "", role: str = "", state: str = "", page: int = 1) -> Page:
    """A page of the administrator's accounts (no trainee logins), by role and username,
    narrowed by username or name, role and state (two statements)."""
    query = select(User).where(User.role.in_(ACCOUNT_ROLES)).order_by(User.role, User.name_sort, User.username)
    if search:
        query = query.where(or_(User.username.like(f"%{search}%"),
                                User.display_name.like(f"%{search}%")))
    if role in ACCOUNT_ROLES:
        query = query.where(User.role == role)
    if state == "active":
        query = query.where(User.is_active_account.is_(True))
    elif state == "deactivated":
        query = query.where(User.is_active_account.is_(False))
    return paginate(query, page)


def account_or_404(user_id: int) -> User:
    """A staff, instructor or admin account by id; 404 for a trainee login or no account."""
    user = db.session.get(User, user_id)
    if user is None or user.role == "trainee":
        abort(404)
    return user
