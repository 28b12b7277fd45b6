"""Online applications (报名): a person asks to be trained; staff accept, wait-list or decline."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import rules
from ..extensions import db
from .base import sql_in, utcnow
from .catalog import Track

if TYPE_CHECKING:
    from .trainees import Trainee
    from .training import TrainingClass
    from .users import User


class Application(db.Model):
    """One application from the public form; accepted, it becomes a trainee and an enrolment.

    ``address_key`` is a keyed hash of the sender's network address (never the address itself),
    used only to limit how many applications one address sends a day.
    """

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint(sql_in("status", rules.APPLICATION_STATUSES), name="status"),
        CheckConstraint("gender IN ('F','M')", name="gender"),
        CheckConstraint(sql_in("education", rules.EDUCATION_LEVELS), name="education"),
        CheckConstraint(sql_in("origin", rules.ORIGINS), name="origin"),
        Index("ix_application_address_at", "address_key", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_on: Mapped[date]
    phone: Mapped[str] = mapped_column(String(20))
    education: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id"), index=True)
    preferred_start_on: Mapped[date | None]  # the first of a month; None: as soon as possible
    consents_to_processing: Mapped[bool] = mapped_column(default=False)
    consents_to_listing: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_on: Mapped[date] = mapped_column(index=True)  # the center's date, for the figures
    address_key: Mapped[str] = mapped_column(String(64))
    staff_note: Mapped[str | None] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(String(rules.DECLINE_REASON_MAX))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None]
    decided_on: Mapped[date | None] = mapped_column(index=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("training_class.id"), index=True)
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainee.id"), index=True)

    track: Mapped[Track] = relationship()
    training_class: Mapped[TrainingClass | None] = relationship()
    trainee: Mapped[Trainee | None] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        """Still waiting for a decision (received or on the wait-list)."""
        return self.status in rules.OPEN_APPLICATION_STATUSES

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.status}>"
