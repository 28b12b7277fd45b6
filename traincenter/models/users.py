"""Accounts, roles and login attempts."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import keep_name_sort, name_sort_column, utcnow

if TYPE_CHECKING:
    from .trainees import Trainee

ROLES = ("admin", "staff", "instructor", "trainee")


def new_session_token() -> str:
    """A fresh per-user token; rotating it ends every session that carried the old one."""
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    """A login. Trainees log in with their ID number or phone; others with a username."""

    __tablename__ = "user"
    __table_args__ = (CheckConstraint("role IN ('admin','staff','instructor','trainee')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    name_sort: Mapped[str] = name_sort_column("display_name")  # lists order by pinyin
    role: Mapped[str] = mapped_column(String(16), index=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    phone: Mapped[str | None] = mapped_column(String(20))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainee.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    trainee: Mapped[Trainee | None] = relationship(back_populates="user")

    def get_id(self) -> str:
        """Session identity: id plus the rotating token, so stale cookies stop working."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        """Deactivated accounts cannot log in (Flask-Login checks this)."""
        return self.is_active_account

    def rotate_session_token(self) -> None:
        """End every session of this user (logout, password change, deactivation)."""
        self.session_token = new_session_token()

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds one of ``roles``."""
        return self.role in roles

    @property
    def is_staff(self) -> bool:
        """Admins and staff run the center."""
        return self.role in ("admin", "staff")

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


keep_name_sort(User.display_name)


class LoginAttempt(db.Model):
    """Every login attempt; failures are counted here so throttling holds across workers."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_login_at", "login", "attempted_at"),
        Index("ix_login_attempt_address_at", "address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(default=False)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginLock(db.Model):
    """Failed logins in a row under one login name (as typed), for the per-account lockout.

    Kept per login name, whether or not an account has that name, so a lock answers the same for
    known and unknown logins; a row is deleted by a success or by staff unlocking the account.
    """

    __tablename__ = "login_lock"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
