"""Engine settings per dialect: SQLite pragmas on every new connection, nothing on PostgreSQL."""

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url


def options(url: str, configured: dict) -> dict:
    """The engine options for ``url``: a file database has no connection to lose, so SQLite
    skips the ping before each checkout that a server's connections need (one statement less
    per request)."""
    if make_url(url).get_backend_name() == "sqlite":
        return {**configured, "pool_pre_ping": False}
    return dict(configured)


def configure(engine: Engine) -> None:
    """Turn on WAL, foreign keys and a busy timeout for SQLite connections of this engine only."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout = 10000")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
