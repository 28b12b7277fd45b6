"""Training certificates (培训合格证书) and the log of public lookups."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import rules
from ..extensions import db
from .base import Hours, Score, sql_in, utcnow
from .catalog import Track

if TYPE_CHECKING:
    from .exams import ExamResult
    from .trainees import Trainee
    from .training import Enrolment

LOOKUP_OUTCOMES = ("valid", "under_review", "revoked", "not_found")
LOOKUP_CHANNELS = ("qr", "search", "api")


class Certificate(db.Model):
    """A certificate issued to a trainee who passed; verified publicly by its code."""

    __tablename__ = "certificate"
    __table_args__ = (
        CheckConstraint(f"level IN ({', '.join(str(level) for level in rules.LEVELS)})",
                        name="level"),
        # One standing (not revoked) certificate per course, even when two people issue at once.
        Index("uq_certificate_standing_course", "enrolment_id", unique=True,
              sqlite_where=text("revoked_at IS NULL"),
              postgresql_where=text("revoked_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    verification_code: Mapped[str] = mapped_column(String(64), unique=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainee.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("exam_result.id"), index=True)
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id"), index=True)
    level: Mapped[int] = mapped_column(default=rules.DEFAULT_LEVEL)
    hours_completed: Mapped[float] = mapped_column(Hours)
    theory_score: Mapped[float | None] = mapped_column(Score)
    practical_score: Mapped[float | None] = mapped_column(Score)
    issued_on: Mapped[date] = mapped_column(index=True)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    needs_review: Mapped[bool] = mapped_column(default=False, index=True)
    review_reason: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[Trainee] = relationship(back_populates="certificates")
    enrolment: Mapped[Enrolment] = relationship()
    result: Mapped[ExamResult] = relationship()
    track: Mapped[Track] = relationship()

    @property
    def is_revoked(self) -> bool:
        """A revoked certificate no longer makes its holder fit for duty."""
        return self.revoked_at is not None


class VerificationLookup(db.Model):
    """Every public verification: when, which code, through which channel, what was found."""

    __tablename__ = "verification_lookup"
    __table_args__ = (
        CheckConstraint(sql_in("outcome", LOOKUP_OUTCOMES), name="outcome"),
        CheckConstraint(sql_in("channel", LOOKUP_CHANNELS), name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    looked_up_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    code: Mapped[str] = mapped_column(String(64))
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("certificate.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(64))
