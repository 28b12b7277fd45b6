"""Account writes: log in (recording the attempt, throttled), unlock, change and reset passwords,
create and (de)activate accounts, end sessions."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from .. import rules, settings
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..models import LoginAttempt, LoginLock, User
from ..models.base import utcnow
from .passwords import (
    hash_password,
    initial_password,
    needs_rehash,
    password_matches,
    password_problem,
    verify_login,
)
from .queries import find_login, login_keys, throttle_state, username_taken

WARN_WHEN_TRIES_LEFT = 2  # say how many tries are left from this many on


class ThrottledError(DomainError):
    """Too many failed logins for this login name, or from this address."""


def authenticate(login: str, password: str, address: str) -> User:
    """Check credentials; record the attempt; raise ``DomainError`` on failure or throttling.

    Known and unknown login names are treated alike: the same password-hash work
    (``passwords.verify_login``), the same lockout counted per login name as typed, the same
    answers. An address is stopped only by a flood of failures (``rules.logins``).
    """
    policy = settings.login_throttle()
    key = rules.login_key(login)
    address = (address or "unknown")[:64]
    now = utcnow()
    state = throttle_state(key, address, now, policy)
    if rules.address_blocked(state.address_failures, policy):
        free_at = rules.address_free_at(state.address_oldest_at or now, policy)
        raise ThrottledError(_l("Too many failed logins from this network. Please try again in "
                                "%(minutes)s minutes.",
                                minutes=rules.minutes_to_wait(free_at, now)))
    until = rules.locked_until(state.failures, state.last_failure_at, now, policy)
    if until is not None:
        raise ThrottledError(_l("Too many failed logins for this account: it is locked for now. "
                                "Please try again in %(minutes)s minutes, or ask staff to unlock "
                                "it.", minutes=rules.minutes_to_wait(until, now)))
    user = find_login(login)
    matched = verify_login(user.password_hash if user is not None else None, password)
    ok = matched and user is not None and user.is_active
    _record_attempt(user if ok else None, key, address, now, password, policy)
    if not ok:
        failures = rules.failures_remembered(state.failures, state.last_failure_at, now, policy) + 1
        left = rules.tries_before_lock(failures, policy)
        if not left:
            wait = rules.lock_duration(failures, policy)
            raise DomainError(_l("Wrong account or password. The account is now locked for "
                                 "%(minutes)s minutes.",
                                 minutes=rules.minutes_to_wait(now + wait, now)))
        if left <= WARN_WHEN_TRIES_LEFT:
            raise DomainError(_l("Wrong account or password. Tries left before the account is "
                                 "locked for a while: %(n)s.", n=left))
        raise DomainError(_l("Wrong account or password."))
    return user


def _record_attempt(user: User | None, key: str, address: str, now, password: str,
                    policy: rules.LoginThrottle) -> None:
    """Log the attempt; a success clears the account's locks, a failure counts against ``key``.

    Two app instances may insert the first failure of the same name at once: the loser of that
    race retries, and then finds the row to count on.
    """
    for retry in (False, True):
        db.session.add(LoginAttempt(login=key, address=address, succeeded=user is not None,
                                    attempted_at=now))
        if user is not None:
            db.session.execute(delete(LoginLock).where(LoginLock.key.in_(login_keys(user) | {key}))
                               .execution_options(synchronize_session=False))
            user.last_login_at = now
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
        else:
            _count_failure(key, now, policy)
        try:
            db.session.commit()
            return
        except IntegrityError:
            db.session.rollback()
            if retry:
                raise


def _count_failure(key: str, now, policy: rules.LoginThrottle) -> None:
    """One more failure in a row for ``key`` (forgotten ones start again at 1)."""
    forgotten = now - policy.memory
    db.session.execute(delete(LoginLock).where(LoginLock.last_failure_at < forgotten)
                       .execution_options(synchronize_session=False))
    counted = db.session.execute(
        update(LoginLock).where(LoginLock.key == key)
        .values(failures=LoginLock.failures + 1, last_failure_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not counted:
        db.session.add(LoginLock(key=key, failures=1, last_failure_at=now))


def unlock_account(user: User, actor: User) -> bool:
    """Staff clear an account's failed logins, so it can log in at once. Returns whether it was
    locked or had failures counted."""
    require_staff(actor)
    removed = db.session.execute(delete(LoginLock).where(LoginLock.key.in_(login_keys(user)))
                                 .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    current_app.logger.info("login of account %s unlocked by %s (%s names cleared)", user.id,
                            actor.id, removed)
    return bool(removed)


def change_password(user: User, current: str, new: str) -> None:
    """Change the user's own password; every other session of the user ends."""
    # Every refusal is shown under the new password, where the form asks again.
    if not password_matches(user.password_hash, current):
        raise DomainError(_l("The current password is wrong."), field="new")
    if current == new:
        raise DomainError(_l("The new password must differ from the current one."), field="new")
    problem = password_problem(new)
    if problem:
        raise DomainError(problem, field="new")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    user.rotate_session_token()
    db.session.commit()


def reset_password(user: User) -> str:
    """Give the user a new one-time password (staff action); returns it for the slip."""
    password = initial_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.rotate_session_token()
    db.session.commit()
    return password


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate an account; deactivation ends its sessions."""
    user.is_active_account = active
    user.rotate_session_token()
    db.session.commit()


def set_account_active(user: User, active: bool, actor: User) -> None:
    """Activate or deactivate an account; nobody can lock themselves out."""
    if user.id == actor.id and not active:
        raise DomainError(_l("You cannot deactivate your own account."))
    set_active(user, active)


def end_session(user: User) -> None:
    """Log out everywhere: the cookie someone may have copied stops working."""
    user.rotate_session_token()
    db.session.commit()


def create_user(username: str, display_name: str, role: str, password: str | None = None,
                *, phone: str | None = None, must_change_password: bool = True,
                commit: bool = True) -> tuple[User, str]:
    """Create an account; without a password a one-time one is generated. Returns (user, password)."""
    username = (username or "").strip()
    if not username:
        raise DomainError(_l("A username is required."), field="username")
    if username_taken(username):
        raise DomainError(_l("The username %(name)s is taken.", name=username), field="username")
    password = password or initial_password()
    problem = password_problem(password)
    if problem:
        raise DomainError(problem, field="password")
    user = User(username=username, display_name=display_name or username, role=role,
                password_hash=hash_password(password), phone=phone,
                must_change_password=must_change_password)
    db.session.add(user)
    if commit:
        db.session.commit()
    return user, password
