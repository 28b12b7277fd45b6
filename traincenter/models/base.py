"""Column helpers shared by the model modules."""

from datetime import UTC, datetime

from sqlalchemy import Numeric, String, event
from sqlalchemy.orm import mapped_column

from .. import rules

# Hours and scores carry one decimal; returned as float on both SQLite and PostgreSQL.
Hours = Numeric(6, 1, asdecimal=False)
Score = Numeric(4, 1, asdecimal=False)
Money = Numeric(10, 2, asdecimal=False)


def has_unflushed_changes(session) -> bool:
    """Whether ``session`` holds objects added, changed or deleted but not yet flushed (a read
    kept for later must not be taken, or kept, while they are pending)."""
    return bool(session.new or session.dirty or session.deleted)


def utcnow() -> datetime:
    """Naive UTC timestamp (stored the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC).replace(tzinfo=None)


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """SQL text for a CHECK constraint limiting ``column`` to ``values``."""
    quoted = ",".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


def name_sort_column(name_column: str):
    """A stored pinyin key of the row's ``name_column`` (rules.name_sort_key), for lists paged
    in SQL: filled on every insert (also bulk ``insert()`` statements) from the row's name, and
    kept in step by ``keep_name_sort`` when the name changes on an object."""

    def default(context) -> str:
        return rules.name_sort_key(context.get_current_parameters().get(name_column) or "")

    return mapped_column(String(rules.NAME_SORT_KEY_LENGTH), default=default, server_default="",
                         index=True)


def keep_name_sort(attribute) -> None:
    """Recompute ``name_sort`` whenever ``attribute`` (a name) is set on an object."""

    @event.listens_for(attribute, "set")
    def _set(target, value, _oldvalue, _initiator):
        target.name_sort = rules.name_sort_key(value or "")
