"""The annual report: finalised snapshots, the staff's draft text, computed figures and the data version.

The report's figures take seconds to count on a large database, so they are kept in
``ReportCache`` keyed by the year, the as-of date and the *data version*: a counter in
``DataVersion`` that every committed write to a table the report reads moves on (the listeners
at the end of this module). A cached row whose version is not the current one is stale.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Text, UniqueConstraint, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from .base import utcnow


class ReportSnapshot(db.Model):
    """The figures and text of a year's report as submitted; later data changes show as differences."""

    __tablename__ = "report_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    narrative: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the staff's text, frozen
    note: Mapped[str | None] = mapped_column(Text)
    finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    finalised_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportDraft(db.Model):
    """The staff's text of a year's report while it is not finalised (one per year).

    ``version`` is compared and swapped on every save, so a second person saving at the same time
    cannot overwrite the first one's text unseen.
    """

    __tablename__ = "report_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    texts: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportCache(db.Model):
    """A year's figures as computed at ``computed_at`` for one as-of date and data version."""

    __tablename__ = "report_cache"
    __table_args__ = (UniqueConstraint("year", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int]
    as_of: Mapped[date]
    data_version: Mapped[int]
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)


class DataVersion(db.Model):
    """One row: a counter moved on by every committed write to the data the report reads."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


# The tables the annual report counts from: a write to any of them makes cached figures stale.
REPORT_SOURCES = frozenset({
    "track", "trainee", "health_certificate", "training_class", "enrolment", "training_session",
    "attendance", "self_study_log", "exam", "exam_result", "certificate", "placement", "feedback",
    "fee_entry",
})
CHANGED = "report_data_changed"  # in session.info: this transaction wrote report data


def current_data_version(session) -> int:
    """The data version now (0 before the first write)."""
    return session.scalar(select(DataVersion.version).where(DataVersion.id == 1)) or 0


def _touches_sources(objects) -> bool:
    return any(getattr(getattr(obj, "__table__", None), "name", None) in REPORT_SOURCES
               for obj in objects)


@event.listens_for(Session, "after_flush")
def _note_flushed_writes(session, _context) -> None:
    if _touches_sources(session.new) or _touches_sources(session.dirty) or _touches_sources(session.deleted):
        session.info[CHANGED] = True


@event.listens_for(Session, "do_orm_execute")
def _note_statement_writes(state) -> None:
    # Bulk inserts and updates through session.execute (the score grid, imports) skip the flush.
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in REPORT_SOURCES:
            state.session.info[CHANGED] = True


@event.listens_for(Session, "before_commit")
def _move_data_version_on(session) -> None:
    session.flush()  # pending objects are flushed now, so their writes are noted before the check
    if not session.info.pop(CHANGED, False):
        return
    table = DataVersion.__table__
    moved = session.execute(update(table).where(table.c.id == 1)
                            .values(version=table.c.version + 1, changed_at=utcnow()))
    if moved.rowcount == 0:  # a database built without the migration's first row
        session.execute(table.insert().values(id=1, version=1, changed_at=utcnow()))


@event.listens_for(Session, "after_rollback")
def _forget_writes(session) -> None:
    session.info.pop(CHANGED, None)
