"""Reads of the auth area: who a login names, recent failed logins, the account list."""

from __future__ import annotations

from datetime import timedelta

from flask import abort
from sqlalchemy import func, or_, select

from .. import settings
from ..extensions import db
from ..models import LoginAttempt, Trainee, User
from ..models.base import utcnow
from ..paging import Page, paginate


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


def username_taken(username: str) -> bool:
    """Whether an account already has this username (case-insensitive)."""
    return db.session.scalar(
        select(User.id).where(func.lower(User.username) == username.lower())) is not None


ACCOUNT_ROLES = ("admin", "staff", "instructor")  # trainee logins live on the trainee's page
ACCOUNT_STATES = ("active", "deactivated")


def account_list(search: str = "", role: str = "", state: str = "", page: int = 1) -> Page:
    """A page of the administrator's accounts (no trainee logins), by role and username,
    narrowed by username or name, role and state (two statements)."""
    query = select(User).where(User.role.in_(ACCOUNT_ROLES)).order_by(User.role, User.username)
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
