"""Column helpers shared by the model modules."""

from datetime import UTC, datetime

from sqlalchemy import Numeric

# Hours and scores carry one decimal; returned as float on both SQLite and PostgreSQL.
Hours = Numeric(6, 1, asdecimal=False)
Score = Numeric(4, 1, asdecimal=False)
Money = Numeric(10, 2, asdecimal=False)


def utcnow() -> datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """SQL text for a CHECK constraint limiting ``column`` to ``values``."""
    quoted = ",".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
