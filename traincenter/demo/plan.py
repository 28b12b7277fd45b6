"""The demo data is planned in memory first, then written table by table in bulk.

Rows are plain dicts. A column that points at a row not yet written holds a ``Ref`` (table
name and position in that table's list); the writer swaps it for the real id once the
referenced table is written. Ids are assigned in Python, so each
table is one series of plain multi-row inserts on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from itertools import islice
from typing import NamedTuple

from sqlalchemy import func, select, text

from ..extensions import db
from ..models import (
    Attendance,
    AuditEvent,
    BackgroundCheck,
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    FeedbackLink,
    FeeEntry,
    HealthCertificate,
    InsurancePolicy,
    JobOpening,
    Placement,
    Recommendation,
    ScoreChange,
    SelfStudyLog,
    Trainee,
    TrainingClass,
    TrainingSession,
    User,
    class_instructor,
)

BATCH = 5000


class Ref(NamedTuple):
    """A row of another table, by table name and position in the plan."""

    table: str
    index: int


# Write order: every table comes after the tables it points at. The second element says
# whether later tables point at this one (then its ids are fetched).
TABLES = (
    ("trainee", Trainee, True),
    ("user", User, False),
    ("class", TrainingClass, True),
    ("class_instructor", class_instructor, False),
    ("enrolment", Enrolment, True),
    ("reenrolment", Enrolment, True),
    ("session", TrainingSession, True),
    ("attendance", Attendance, False),
    ("self_study", SelfStudyLog, False),
    ("exam", Exam, True),
    ("result", ExamResult, True),
    ("reresult", ExamResult, True),
    ("audit_event", AuditEvent, False),
    ("score_change", ScoreChange, False),
    ("certificate", Certificate, False),
    ("health", HealthCertificate, False),
    ("fee_entry", FeeEntry, True),
    ("fee_reversal", FeeEntry, False),
    ("background", BackgroundCheck, False),
    ("insurance", InsurancePolicy, False),
    ("opening", JobOpening, True),
    ("recommendation", Recommendation, True),
    ("placement", Placement, True),
    ("feedback", Feedback, True),
    ("feedback_link", FeedbackLink, False),
)


class Plan:
    """Rows to write, per table, in the order they were planned."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {name: [] for name, _, _ in TABLES}
        self.ids: dict[str, list[int]] = {}
        # Tables too big to hold as dicts: a function yielding their rows once ids are known.
        self.streams: dict[str, Callable[[], Iterable[dict]]] = {}

    def add(self, table: str, row: dict) -> Ref:
        """Plan one row; return a reference to it."""
        rows = self.rows[table]
        rows.append(row)
        return Ref(table, len(rows) - 1)

    def id_of(self, ref: Ref) -> int:
        """The database id of a written row."""
        return self.ids[ref.table][ref.index]

    def write(self, echo: Callable[[str], None]) -> None:
        """Insert every table in order, resolving references as ids become known.

        Ids are handed out here (after the highest id already in the table), so the inserts are
        plain multi-row ``executemany`` calls on both databases; PostgreSQL's id sequence is then
        moved past them so rows added later through the app get fresh ids.
        """
        for name, target, wants_ids in TABLES:
            started = time.perf_counter()
            table = target.__table__ if hasattr(target, "__table__") else target
            if name in self.streams:
                rows = iter(self.streams[name]())
                count = 0
                while chunk := list(islice(rows, BATCH)):
                    _insert(table, chunk)
                    count += len(chunk)
                echo(f"  {name}: {count} rows, {time.perf_counter() - started:.1f} s")
                continue
            resolved = [self._resolve(row) for row in self.rows[name]]
            ids: list[int] = []
            if wants_ids and resolved:
                first = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
                ids = list(range(first, first + len(resolved)))
                for row, row_id in zip(resolved, ids, strict=True):
                    row["id"] = row_id
            for start in range(0, len(resolved), BATCH):
                chunk = resolved[start:start + BATCH]
                for _, rows in _by_columns(chunk):
                    _insert(table, rows)
            if ids:
                _move_sequence(table, ids[-1])
            self.ids[name] = ids
            echo(f"  {name}: {len(resolved)} rows, {time.perf_counter() - started:.1f} s")

    def _resolve(self, row: dict) -> dict:
        if not any(isinstance(value, Ref) for value in row.values()):
            return row
        return {key: self.id_of(value) if isinstance(value, Ref) else value
                for key, value in row.items()}


def _insert(table, rows: list[dict]) -> None:
    """One executemany per chunk. (Measured on PostgreSQL: psycopg's pipelined executemany beat
    both multi-row ``VALUES`` statements and SQLAlchemy's batched ``RETURNING`` mode.)"""
    db.session.execute(table.insert(), rows)


def _by_columns(rows: list[dict]) -> list[tuple[tuple, list[dict]]]:
    """Rows grouped by their set of columns (an executemany needs the same columns in each)."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.items())


def _move_sequence(table, last_id: int) -> None:
    """PostgreSQL: let the id sequence continue after ids we inserted explicitly."""
    if db.session.get_bind().dialect.name != "postgresql":
        return  # SQLite continues after the highest id by itself
    db.session.execute(text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
                       {"table": f'"{table.name}"', "last": last_id})
