"""Exams, results (with optimistic locking) and the append-only score history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import rules
from ..extensions import db
from .base import Score, sql_in, utcnow

if TYPE_CHECKING:
    from .training import Enrolment, TrainingClass
    from .users import User

EXAM_KINDS = ("first", "reexam")
RESULT_STATUSES = ("draft", "submitted", "published")
CHANGE_SOURCES = ("grid", "import", "correction", "workflow", "seed")


class Exam(db.Model):
    """An exam sitting of a class: a first exam or a re-exam (补考)."""

    __tablename__ = "exam"
    __table_args__ = (
        CheckConstraint(sql_in("kind", EXAM_KINDS), name="kind"),
        CheckConstraint("pass_mark_theory >= 0 AND pass_mark_theory <= 100",
                        name="pass_mark_theory_range"),
        CheckConstraint("pass_mark_practical >= 0 AND pass_mark_practical <= 100",
                        name="pass_mark_practical_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("training_class.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="first")
    held_on: Mapped[date] = mapped_column(index=True)
    place: Mapped[str] = mapped_column(String(200))
    # The pass marks in force when the exam was scheduled: every verdict of this exam uses them,
    # so a later change of the setting affects future exams only.
    pass_mark_theory: Mapped[float] = mapped_column(Score)
    pass_mark_practical: Mapped[float] = mapped_column(Score)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    training_class: Mapped[TrainingClass] = relationship(back_populates="exams")
    results: Mapped[list[ExamResult]] = relationship(back_populates="exam")

    @property
    def is_published(self) -> bool:
        """Results of a published exam are visible to trainees."""
        return self.published_at is not None

    @property
    def pass_marks(self) -> rules.PassMarks:
        """This exam's own pass marks, for every verdict of its results."""
        return rules.PassMarks(theory=self.pass_mark_theory, practical=self.pass_mark_practical)


class ExamResult(db.Model):
    """One candidate's result at one exam.

    A part carried over from an earlier attempt points at that result (``*_carried_from_id``)
    and is not sat again. ``is_passed`` is the combined result computed by the rules module on
    every save (None while incomplete). ``version`` is compared-and-swapped on every save so a
    second person editing the same result cannot overwrite the first.
    """

    __tablename__ = "exam_result"
    __table_args__ = (
        UniqueConstraint("exam_id", "enrolment_id"),
        CheckConstraint("theory_score >= 0 AND theory_score <= 100", name="theory_range"),
        CheckConstraint("practical_score >= 0 AND practical_score <= 100", name="practical_range"),
        CheckConstraint(
            "NOT (theory_absent AND theory_score IS NOT NULL)", name="theory_absent_or_score"
        ),
        CheckConstraint(
            "NOT (practical_absent AND practical_score IS NOT NULL)",
            name="practical_absent_or_score",
        ),
        CheckConstraint(sql_in("status", RESULT_STATUSES), name="status"),
        CheckConstraint("version >= 1", name="version_positive"),
        CheckConstraint("attempt_no >= 1", name="attempt_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exam.id"), index=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    attempt_no: Mapped[int] = mapped_column(default=1)
    theory_score: Mapped[float | None] = mapped_column(Score)
    theory_absent: Mapped[bool] = mapped_column(default=False)
    practical_score: Mapped[float | None] = mapped_column(Score)
    practical_absent: Mapped[bool] = mapped_column(default=False)
    # Indexed: a corrected published score finds the results that carry its parts.
    theory_carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("exam_result.id"),
                                                               index=True)
    practical_carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("exam_result.id"),
                                                                  index=True)
    carry_over_note: Mapped[str | None] = mapped_column(String(200))
    is_passed: Mapped[bool | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    version: Mapped[int] = mapped_column(default=1)
    added_reason: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    exam: Mapped[Exam] = relationship(back_populates="results")
    enrolment: Mapped[Enrolment] = relationship(back_populates="results")
    theory_carried_from: Mapped[ExamResult | None] = relationship(
        remote_side=[id], foreign_keys=[theory_carried_from_id]
    )
    practical_carried_from: Mapped[ExamResult | None] = relationship(
        remote_side=[id], foreign_keys=[practical_carried_from_id]
    )
    updated_by: Mapped[User | None] = relationship()
    changes: Mapped[list[ScoreChange]] = relationship(
        back_populates="result", order_by="ScoreChange.changed_at"
    )


class ScoreChange(db.Model):
    """Append-only history of every change to a result: who, when, old, new, reason."""

    __tablename__ = "score_change"
    __table_args__ = (CheckConstraint(sql_in("source", CHANGE_SOURCES), name="source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("exam_result.id"), index=True)
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(String(32))
    new_value: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(500))
    source: Mapped[str] = mapped_column(String(16))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    result: Mapped[ExamResult] = relationship(back_populates="changes")
    changed_by: Mapped[User | None] = relationship()


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete a history row."""


@event.listens_for(ScoreChange, "before_update")
@event.listens_for(ScoreChange, "before_delete")
def _refuse_history_rewrite(mapper, connection, target) -> None:  # noqa: ARG001
    raise AppendOnlyError("score history is append-only")
