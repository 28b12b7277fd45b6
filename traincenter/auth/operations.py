"""Account writes: log in (recording the attempt), change and reset passwords, create and
(de)activate accounts, end sessions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import settings
from ..errors import DomainError
from ..extensions import db
from ..models import LoginAttempt, User
from ..models.base import utcnow
from .passwords import hash_password, initial_password, password_matches, password_problem
from .queries import find_login, recent_failures, username_taken


class ThrottledError(DomainError):
    """Too many failed logins for this account or address."""


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
    ok = user is not None and user.is_active and password_matches(user.password_hash, password)
    db.session.add(LoginAttempt(login=login.lower()[:64], address=address[:64], succeeded=ok))
    if ok:
        user.last_login_at = utcnow()
    db.session.commit()
    if not ok:
        raise DomainError(_l("Wrong account or password."))
    return user


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
