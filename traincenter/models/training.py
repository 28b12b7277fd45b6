"""Classes (培训班), enrolments, sessions, attendance and self-study."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import rules
from ..extensions import db
from .base import Hours, Money, sql_in, utcnow
from .catalog import CourseModule, Track

if TYPE_CHECKING:
    from .exams import Exam, ExamResult
    from .trainees import Trainee
    from .users import User

CLASS_KINDS = ("regular", "retraining")
PROVIDER_KINDS = ("union", "company")
SESSION_FORMS = ("lecture", "demonstration", "practice", "field_visit")
ENROLMENT_STATUSES = ("active", "passed", "not_passed", "withdrawn")
SELF_STUDY_STATUSES = ("pending", "verified", "rejected")

class_instructor = Table(
    "class_instructor",
    db.metadata,
    Column("class_id", ForeignKey("training_class.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class TrainingClass(db.Model):
    """A class of one track and level; retraining classes continue earlier regular courses."""

    __tablename__ = "training_class"
    __table_args__ = (
        CheckConstraint(sql_in("kind", CLASS_KINDS), name="kind"),
        CheckConstraint(sql_in("provider_kind", PROVIDER_KINDS), name="provider_kind"),
        CheckConstraint("level IN (" + ", ".join(map(str, rules.LEVELS)) + ")", name="level"),
        CheckConstraint(
            "required_classroom_hours >= 0 AND required_self_study_hours >= 0 "
            "AND required_total_hours >= 0",
            name="hours_non_negative",
        ),
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    track_id: Mapped[int] = mapped_column(ForeignKey("track.id"), index=True)
    level: Mapped[int] = mapped_column(default=rules.DEFAULT_LEVEL)
    kind: Mapped[str] = mapped_column(String(16), default="regular")
    provider_kind: Mapped[str] = mapped_column(String(16), default="union")
    provider_name: Mapped[str] = mapped_column(String(100))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    location: Mapped[str | None] = mapped_column(String(200))
    required_total_hours: Mapped[float] = mapped_column(Hours, default=rules.REQUIRED_TOTAL_HOURS)
    required_classroom_hours: Mapped[float] = mapped_column(
        Hours, default=rules.REQUIRED_CLASSROOM_HOURS
    )
    required_self_study_hours: Mapped[float] = mapped_column(
        Hours, default=rules.REQUIRED_SELF_STUDY_HOURS
    )
    fee: Mapped[float] = mapped_column(Money)  # set by the operations: the fee setting in force
    capacity: Mapped[int] = mapped_column(default=60)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    track: Mapped[Track] = relationship()
    instructors: Mapped[list[User]] = relationship(
        secondary=class_instructor, order_by="(User.name_sort, User.id)")
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="training_class")
    sessions: Mapped[list[TrainingSession]] = relationship(
        back_populates="training_class", order_by="TrainingSession.held_on"
    )
    exams: Mapped[list[Exam]] = relationship(back_populates="training_class")

    def __repr__(self) -> str:
        return f"<TrainingClass {self.code}>"


class Enrolment(db.Model):
    """A trainee in a class.

    ``course_attempt`` counts the regular courses this trainee has started in the track (1 for the
    first). A retraining enrolment points at the regular enrolment whose course it continues
    (``continues_id``); its exam attempts count against that course's attempt limit.
    """

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("trainee_id", "class_id"),
        CheckConstraint(sql_in("status", ENROLMENT_STATUSES), name="status"),
        CheckConstraint(sql_in("fee_payer", rules.FEE_PAYERS), name="fee_payer"),
        CheckConstraint("course_attempt >= 1", name="course_attempt_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainee.id"), index=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id"), index=True)
    continues_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"), index=True)
    course_attempt: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(16), default="active")
    enrolled_on: Mapped[date]
    employment_agreement_on: Mapped[date | None]
    fee_payer: Mapped[str] = mapped_column(String(16), default="self")
    fee_amount: Mapped[float] = mapped_column(Money)  # the class's fee unless agreed otherwise
    closed_on: Mapped[date | None]
    closed_reason: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[Trainee] = relationship(back_populates="enrolments")
    training_class: Mapped[TrainingClass] = relationship(back_populates="enrolments")
    continues: Mapped[Enrolment | None] = relationship(remote_side=[id])
    attendance: Mapped[list[Attendance]] = relationship(back_populates="enrolment")
    self_study_logs: Mapped[list[SelfStudyLog]] = relationship(back_populates="enrolment")
    results: Mapped[list[ExamResult]] = relationship(back_populates="enrolment")

    @property
    def course_enrolment_id(self) -> int:
        """Id of the regular enrolment whose course this enrolment belongs to."""
        return self.continues_id or self.id


class TrainingSession(db.Model):
    """A scheduled session of a class against a course module; attendance earns its hours."""

    __tablename__ = "training_session"
    __table_args__ = (
        CheckConstraint(sql_in("form", SESSION_FORMS), name="form"),
        CheckConstraint(f"hours > 0 AND hours <= {rules.SESSION_MAX_HOURS}", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("course_module.id"), index=True)
    held_on: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time]
    hours: Mapped[float] = mapped_column(Hours)
    form: Mapped[str] = mapped_column(String(16), default="lecture")
    location: Mapped[str | None] = mapped_column(String(200))
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    topic: Mapped[str | None] = mapped_column(String(200))
    attendance_taken_at: Mapped[datetime | None]

    training_class: Mapped[TrainingClass] = relationship(back_populates="sessions")
    module: Mapped[CourseModule] = relationship()
    instructor: Mapped[User | None] = relationship()
    attendance: Mapped[list[Attendance]] = relationship(back_populates="session")


class Attendance(db.Model):
    """Whether an enrolled trainee attended a session: present, late, absent or excused.

    Who recorded it, when, and how: ``register`` (the instructor's register) or ``qr`` (the
    trainee scanned the session's code; then ``recorded_by`` is her own account). ``scanned_at``
    keeps the moment of her scan even after the instructor corrects the record.
    """

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("session_id", "enrolment_id"),
        CheckConstraint(sql_in("status", rules.ATTENDANCE_STATUSES), name="status"),
        CheckConstraint(sql_in("method", rules.CHECKIN_METHODS), name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    method: Mapped[str] = mapped_column(String(16), default="register", server_default="register")
    scanned_at: Mapped[datetime | None]

    session: Mapped[TrainingSession] = relationship(back_populates="attendance")
    enrolment: Mapped[Enrolment] = relationship(back_populates="attendance")
    recorded_by: Mapped[User | None] = relationship()


class SelfStudyLog(db.Model):
    """Self-study hours logged by the trainee or the instructor; counted once verified."""

    __tablename__ = "self_study_log"
    __table_args__ = (
        CheckConstraint(sql_in("status", SELF_STUDY_STATUSES), name="status"),
        CheckConstraint("hours > 0 AND hours <= 24", name="hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    studied_on: Mapped[date]
    hours: Mapped[float] = mapped_column(Hours)
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    logged_at: Mapped[datetime] = mapped_column(default=utcnow)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    verified_at: Mapped[datetime | None]
    rejection_reason: Mapped[str | None] = mapped_column(String(200))
    photo: Mapped[str | None] = mapped_column(String(64))  # a file in the upload folder

    enrolment: Mapped[Enrolment] = relationship(back_populates="self_study_logs")
    logged_by: Mapped[User | None] = relationship(foreign_keys=[logged_by_id])
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
