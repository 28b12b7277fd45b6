"""The demo data is planned in memory first, then written table by table in bulk.

Rows are plain dicts. A column that points at a row not yet written holds a ``Ref`` (table
name and position in that table's list); the writer swaps it for the real id once the
referenced table is written. Ids come back from ``INSERT … RETURNING`` in parameter order, so
the same code runs on SQLite and PostgreSQL and never fights the id sequences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import islice
from typing import NamedTuple

from sqlalchemy import insert

from ..extensions import db
from ..models import (
    Attendance,
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    FeedbackLink,
    HealthCertificate,
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
    ("score_change", ScoreChange, False),
    ("certificate", Certificate, False),
    ("health", HealthCertificate, False),
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
        """Insert every table in order, resolving references as ids become known."""
        for name, target, wants_ids in TABLES:
            if name in self.streams:
                rows = iter(self.streams[name]())
                count = 0
                while chunk := list(islice(rows, BATCH)):
                    db.session.execute(insert(target), chunk)
                    count += len(chunk)
                echo(f"  {name}: {count}")
                continue
            rows = self.rows[name]
            if not rows:
                self.ids[name] = []
                continue
            resolved = [self._resolve(row) for row in rows]
            ids: list[int] = []
            for start in range(0, len(resolved), BATCH):
                chunk = resolved[start:start + BATCH]
                if wants_ids:
                    statement = insert(target).returning(target.id, sort_by_parameter_order=True)
                    ids.extend(db.session.execute(statement, chunk).scalars().all())
                elif hasattr(target, "__table__"):
                    db.session.execute(insert(target), chunk)
                else:
                    db.session.execute(target.insert(), chunk)
            self.ids[name] = ids
            echo(f"  {name}: {len(rows)}")

    def _resolve(self, row: dict) -> dict:
        if not any(isinstance(value, Ref) for value in row.values()):
            return row
        return {key: self.id_of(value) if isinstance(value, Ref) else value
                for key, value in row.items()}
