"""Job openings, recommendations, placements and customer feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import rules
from ..extensions import db
from .base import Money, sql_in, utcnow
from .catalog import Track

if TYPE_CHECKING:
    from .trainees import Trainee

OPENING_STATUSES = ("open", "filled", "closed")
RECOMMENDATION_OUTCOMES = ("pending", "hired", "declined_by_worker", "declined_by_employer")
FEEDBACK_CHANNELS = ("staff", "link")


class JobOpening(db.Model):
    """A job offered by a household, company, elderly-care institution or hospital."""

    __tablename__ = "job_opening"
    __table_args__ = (
        CheckConstraint(sql_in("employer_type", rules.EMPLOYER_TYPES), name="employer_type"),
        CheckConstraint(sql_in("status", OPENING_STATUSES), name="status"),
        CheckConstraint("positions >= 1", name="positions_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_name: Mapped[str] = mapped_column(String(100))
    employer_type: Mapped[str] = mapped_column(String(16))
    contact_name: Mapped[str | None] = mapped_column(String(64))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    job_type: Mapped[str] = mapped_column(String(64))
    track_id: Mapped[int | None] = mapped_column(ForeignKey("track.id"), index=True)
    place: Mapped[str] = mapped_column(String(200))
    monthly_wage: Mapped[float | None] = mapped_column(Money)
    positions: Mapped[int] = mapped_column(default=1)
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    track: Mapped[Track | None] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(back_populates="opening")


class Recommendation(db.Model):
    """A certified worker recommended for an opening, and the outcome."""

    __tablename__ = "recommendation"
    __table_args__ = (
        UniqueConstraint("opening_id", "trainee_id"),
        CheckConstraint(sql_in("outcome", RECOMMENDATION_OUTCOMES), name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opening_id: Mapped[int] = mapped_column(ForeignKey("job_opening.id"), index=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainee.id"), index=True)
    recommended_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recommended_at: Mapped[datetime] = mapped_column(default=utcnow)
    outcome: Mapped[str] = mapped_column(String(24), default="pending")
    outcome_note: Mapped[str | None] = mapped_column(String(500))
    decided_at: Mapped[datetime | None]

    opening: Mapped[JobOpening] = relationship(back_populates="recommendations")
    trainee: Mapped[Trainee] = relationship()


class Placement(db.Model):
    """A worker placed in a job (上岗), with the labour-contract registration."""

    __tablename__ = "placement"
    __table_args__ = (
        CheckConstraint(sql_in("employer_type", rules.EMPLOYER_TYPES), name="employer_type"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("monthly_wage IS NULL OR monthly_wage >= 0", name="wage_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainee.id"), index=True)
    opening_id: Mapped[int | None] = mapped_column(ForeignKey("job_opening.id"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation.id"))
    employer_name: Mapped[str] = mapped_column(String(100))
    employer_type: Mapped[str] = mapped_column(String(16))
    job_type: Mapped[str] = mapped_column(String(64))
    place: Mapped[str | None] = mapped_column(String(200))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date | None]
    monthly_wage: Mapped[float | None] = mapped_column(Money)
    contract_registered: Mapped[bool] = mapped_column(default=False)
    contract_registered_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[Trainee] = relationship(back_populates="placements")
    opening: Mapped[JobOpening | None] = relationship()
    feedback: Mapped[list[Feedback]] = relationship(back_populates="placement")


class Feedback(db.Model):
    """Customer feedback on a placement, rated 1–5 (4 and 5 count as satisfied)."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),
        CheckConstraint(sql_in("channel", FEEDBACK_CHANNELS), name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    rating: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    given_on: Mapped[date] = mapped_column(index=True)
    given_by: Mapped[str | None] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(16), default="staff")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="feedback")


class FeedbackLink(db.Model):
    """A single-use, unguessable link an employer opens to give feedback without an account."""

    __tablename__ = "feedback_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_on: Mapped[date | None]
    used_at: Mapped[datetime | None]
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"))

    placement: Mapped[Placement] = relationship()
