"""Backing up and restoring the database (``flask backup create|restore`` in ``cli``).

SQLite is copied with the online backup API (``sqlite3.Connection.backup``), never as a file copy:
the WAL file may hold commits the main file does not have yet. PostgreSQL is dumped with
``pg_dump -Fc`` and restored with ``pg_restore --clean --if-exists`` in one transaction, so a
failed restore leaves the database as it was.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.engine import URL, make_url

from .. import settings
from ..errors import DomainError
from ..extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


class BackupError(DomainError):
    """A backup or restore that cannot go ahead; nothing was changed."""


def database_url() -> URL:
    """The URL of the database the app is configured for."""
    return make_url(settings.database_url())


def find_pg_tool(name: str) -> str | None:
    """Path of ``pg_dump``/``pg_restore``: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0)
    return candidates[-1] if candidates else None


def default_output(url: URL) -> Path:
    """instance/backups/traincenter-<timestamp>.<sqlite3|dump>."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if url.get_backend_name() == "sqlite" else "dump"
    return Path(current_app.instance_path) / "backups" / f"traincenter-{stamp}.{suffix}"


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(_("The configured SQLite database is in memory; there is nothing to back up."))
    return Path(url.database).resolve()


def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq connection URI without the password, and the environment carrying the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def sqlite_integrity(path: Path) -> str:
    """``PRAGMA integrity_check`` of a SQLite file ('ok' when sound)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()


def create_backup(out: Path | None = None) -> Path:
    """Write a consistent backup of the live database to ``out``; return its path."""
    url = database_url()
    out = Path(out) if out else default_output(url)
    out.parent.mkdir(parents=True, exist_ok=True)
    backend = url.get_backend_name()
    if backend == "sqlite":
        live = _sqlite_path(url)
        if out.resolve() == live:
            raise BackupError(_("The backup file cannot be the live database itself."))
        tmp = out.with_name(out.name + ".part")
        tmp.unlink(missing_ok=True)
        source = sqlite3.connect(str(live))
        target = sqlite3.connect(str(tmp))
        try:
            source.execute("PRAGMA busy_timeout = 10000")
            source.backup(target, pages=1024)
        finally:
            target.close()
            source.close()
        verdict = sqlite_integrity(tmp)
        if verdict != "ok":
            tmp.unlink(missing_ok=True)
            raise BackupError(_("The backup failed its integrity check: %(verdict)s", verdict=verdict))
        os.replace(tmp, out)
        return out
    if backend == "postgresql":
        pg_dump = find_pg_tool("pg_dump")
        if not pg_dump:
            raise BackupError(_("pg_dump was not found (install postgresql-client)."))
        uri, env = _libpq(url)
        tmp = out.with_name(out.name + ".part")
        result = subprocess.run([pg_dump, "-Fc", "--no-owner", "--no-acl", "-f", str(tmp),
                                 "--dbname", uri], env=env, capture_output=True, text=True)
        if result.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise BackupError(_("pg_dump failed: %(error)s", error=result.stderr.strip()))
        os.replace(tmp, out)
        return out
    raise BackupError(_("Backups of %(backend)s databases are not supported.", backend=backend))


def check_backup_file(path: Path, backend: str) -> None:
    """Refuse a file that is not a backup of the configured kind of database."""
    if not path.is_file():
        raise BackupError(_("No such file: %(path)s", path=path))
    with path.open("rb") as handle:
        head = handle.read(16)
    if backend == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(_("%(path)s is not a SQLite backup.", path=path))
        verdict = sqlite_integrity(path)
        if verdict != "ok":
            raise BackupError(_("%(path)s is damaged: %(verdict)s", path=path, verdict=verdict))
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            has_schema = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
            ).fetchone()
        finally:
            connection.close()
        if not has_schema:
            raise BackupError(_("%(path)s is a SQLite file but not a traincenter backup.", path=path))
    elif not head.startswith(PG_CUSTOM_MAGIC):
        raise BackupError(_("%(path)s is not a pg_dump custom-format (-Fc) backup.", path=path))


def restore_backup(path: Path) -> None:
    """Replace the live database's contents with the backup at ``path`` (checked first)."""
    path = Path(path)
    check_backup_file(path, database_url().get_backend_name())
    replace_database(path)


def replace_database(path: Path) -> None:
    """Replace the live database's contents with a backup ``check_backup_file`` accepted."""
    url = database_url()
    backend = url.get_backend_name()
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the old pages
    if backend == "sqlite":
        live = _sqlite_path(url)
        if path.resolve() == live:
            raise BackupError(_("The backup file is the live database itself."))
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(str(live))
        try:
            target.execute("PRAGMA busy_timeout = 10000")
            source.backup(target)
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
            source.close()
        return
    pg_restore = find_pg_tool("pg_restore")
    if not pg_restore:
        raise BackupError(_("pg_restore was not found (install postgresql-client)."))
    uri, env = _libpq(url)
    result = subprocess.run([pg_restore, "--clean", "--if-exists", "--no-owner", "--no-acl",
                             "--single-transaction", "--exit-on-error", "--dbname", uri, str(path)],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(_("pg_restore failed (nothing was changed): %(error)s", error=result.stderr.strip()))
