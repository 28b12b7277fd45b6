"""Account operations: authenticate with throttling, change and reset passwords, create users."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import settings
from ..errors import DomainError
from ..extensions import db
from ..models import LoginAttempt, Trainee, User
from ..models.base import utcnow

MIN_PASSWORD_LENGTH = 8
# Letters and digits that cannot be confused when read off a printed slip (no 0/O, 1/l/I).
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class ThrottledError(DomainError):
    """Too many failed logins for this account or address."""


def hash_password(password: str) -> str:
    """Hash with scrypt (parameters configurable for the test suite)."""
    method = settings.password_hash_method()
    return generate_password_hash(password, method=method)


def initial_password() -> str:
    """A one-time password that is easy to type from a printed slip (10 characters)."""
    return "".join(secrets.choice(SLIP_ALPHABET) for _ in range(10))


def find_login(login: str) -> User | None:
    """The account for a username, a trainee's ID number, or a phone number (when unambiguous)."""
    login = (login or "").strip()
    if not login:
        return None
    user = db.session.scalar(select(User).where(func.lower(User.username) == login.lower()))
    if user is not None:
        return user
    matches = db.session.scalars(
        select(User)
        .join(Trainee, User.trainee_id == Trainee.id)
        .where(or_(Trainee.id_number == login.upper(), Trainee.phone == login))
        .limit(2)
    ).all()
    if len(matches) == 1:
        return matches[0]
    staff_by_phone = db.session.scalars(select(User).where(User.phone == login).limit(2)).all()
    return staff_by_phone[0] if len(staff_by_phone) == 1 else None


def recent_failures(login: str, address: str) -> int:
    """Failed attempts in the window, counted per account name or per address, whichever is higher."""
    since = utcnow() - timedelta(minutes=settings.login_failure_window_minutes())
    base = select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since
    )
    by_login = db.session.scalar(base.where(LoginAttempt.login == login.lower()[:64]))
    by_address = db.session.scalar(base.where(LoginAttempt.address == address[:64]))
    return max(by_login or 0, by_address or 0)


def authenticate(login: str, password: str, address: str) -> User:
    """Check credentials; record the attempt; raise ``DomainError`` on failure or throttling."""
    login = (login or "").strip()
    address = address or "unknown"
    if recent_failures(login, address) >= settings.login_max_failures():
        raise ThrottledError(
            _l("Too many failed logins. For your safety, please wait %(minutes)s minutes and try again.",
               minutes=settings.login_failure_window_minutes())
        )
    user = find_login(login)
    ok = user is not None and user.is_active and check_password_hash(user.password_hash, password or "")
    db.session.add(LoginAttempt(login=login.lower()[:64], address=address[:64], succeeded=ok))
    if ok:
        user.last_login_at = utcnow()
    db.session.commit()
    if not ok:
        raise DomainError(_l("Wrong account or password."))
    return user


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return str(_l("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if password.isdigit() and len(set(password)) <= 2:
        return str(_l("The password is too easy to guess."))
    return None


def change_password(user: User, current: str, new: str) -> None:
    """Change the user's own password; every other session of the user ends."""
    if not check_password_hash(user.password_hash, current or ""):
        raise DomainError(_l("The current password is wrong."))
    if current == new:
        raise DomainError(_l("The new password must differ from the current one."))
    problem = password_problem(new)
    if problem:
        raise DomainError(problem)
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
        raise DomainError(_l("A username is required."))
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise DomainError(_l("The username %(name)s is taken.", name=username))
    password = password or initial_password()
    problem = password_problem(password)
    if problem:
        raise DomainError(problem)
    user = User(username=username, display_name=display_name or username, role=role,
                password_hash=hash_password(password), phone=phone,
                must_change_password=must_change_password)
    db.session.add(user)
    if commit:
        db.session.commit()
    return user, password


def list_accounts(include_trainees: bool = False) -> list[User]:
    """Accounts for the administrator's list (trainee logins are managed on the trainee's page)."""
    query = select(User).order_by(User.role, User.username)
    if not include_trainees:
        query = query.where(User.role != "trainee")
    return list(db.session.scalars(query))


def set_account_active(user: User, active: bool, actor: User) -> None:
    """Activate or deactivate an account; nobody can lock themselves out."""
    if user.id == actor.id and not active:
        raise DomainError(_l("You cannot deactivate your own account."))
    set_active(user, active)
