"""Trainees and the documents on their file: health certificates, background checks, insurance."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import rules
from ..extensions import db
from .base import keep_name_sort, name_sort_column, sql_in, utcnow

if TYPE_CHECKING:
    from .certificates import Certificate
    from .placement import Placement
    from .training import Enrolment
    from .users import User


class Trainee(db.Model):
    """A person trained by the center. Birth date and gender follow from the ID number."""

    __tablename__ = "trainee"
    __table_args__ = (
        CheckConstraint("gender IN ('F','M')", name="gender"),
        CheckConstraint(sql_in("education", rules.EDUCATION_LEVELS), name="education"),
        CheckConstraint(sql_in("origin", rules.ORIGINS), name="origin"),
        # The registry lists newest first: read a page from the index, not a sort of every row.
        Index("ix_trainee_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    name_sort: Mapped[str] = name_sort_column("name")  # lists order by pinyin (rules.names)
    id_number: Mapped[str] = mapped_column(String(18), unique=True)
    gender: Mapped[str] = mapped_column(String(1))
    birth_on: Mapped[date]
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    education: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    address: Mapped[str | None] = mapped_column(String(200))
    consents_to_listing: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The passport photo: a file in the photo folder outside the web root (trainees.photos).
    photo_file: Mapped[str | None] = mapped_column(String(64))
    photo_updated_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(
        back_populates="trainee", foreign_keys="User.trainee_id", uselist=False
    )
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="trainee")
    health_certificates: Mapped[list[HealthCertificate]] = relationship(
        back_populates="trainee", order_by="HealthCertificate.issued_on"
    )
    certificates: Mapped[list[Certificate]] = relationship(back_populates="trainee")
    placements: Mapped[list[Placement]] = relationship(back_populates="trainee")

    @property
    def sort_key(self) -> tuple[str, str, int]:
        """Where the trainee stands in a list ordered by name: pinyin, then name, then id."""
        return (self.name_sort, self.name, self.id or 0)

    @property
    def masked_name(self) -> str:
        """Name as shown on public pages."""
        return rules.mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        """ID number with its middle hidden."""
        return rules.mask_id_number(self.id_number)

    def __repr__(self) -> str:
        return f"<Trainee {self.id} {self.name}>"


keep_name_sort(Trainee.name)


class HealthCertificate(db.Model):
    """A health certificate (健康证); a worker is fit for duty only while one is valid."""

    __tablename__ = "health_certificate"
    __table_args__ = (CheckConstraint("expires_on > issued_on", name="expiry_after_issue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainee.id"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(String(100))
    issued_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[Trainee] = relationship(back_populates="health_certificates")


class BackgroundCheck(db.Model):
    """A background check (背景核查, e.g. a no-criminal-record certificate): once one is on file,
    the latest counts toward fitness for duty (pending yellow, failed red, lapsed red)."""

    __tablename__ = "background_check"
    __table_args__ = (
        CheckConstraint(sql_in("status", rules.BACKGROUND_STATUSES), name="status"),
        CheckConstraint("valid_until IS NULL OR valid_until >= checked_on", name="valid_after_check"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainee.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    checked_on: Mapped[date]  # the day of the result (or of the request, while pending)
    valid_until: Mapped[date | None]
    reference: Mapped[str | None] = mapped_column(String(64))  # the document's number
    issuer: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[Trainee] = relationship()
    recorded_by: Mapped[User | None] = relationship()


class InsurancePolicy(db.Model):
    """A liability insurance policy (从业责任保险); once one has started, the one that runs longest
    counts toward fitness for duty like a health certificate."""

    __tablename__ = "insurance_policy"
    __table_args__ = (
        CheckConstraint("expires_on >= starts_on", name="expiry_after_start"),
        UniqueConstraint("trainee_id", "policy_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainee.id"), index=True)
    insurer: Mapped[str] = mapped_column(String(100))
    policy_number: Mapped[str] = mapped_column(String(64))
    starts_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[Trainee] = relationship()
    recorded_by: Mapped[User | None] = relationship()
