"""``flask backup create`` / ``flask backup restore``: a backup taken from the live database brings
back every row of every table, exactly; a bad file or a refused confirmation changes nothing.

Each test runs on a database of its own (a temporary SQLite file; on PostgreSQL a throw-away
database next to ``TEST_DATABASE_URL``), because a restore replaces the whole database.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from traincenter import create_app
from traincenter.backup.operations import find_pg_tool
from traincenter.extensions import db
from traincenter.models import Certificate, ScoreChange, Trainee

from .factories import Factory
from .world import build_world

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
IS_PG = PG_URL.startswith("postgresql")


def _fresh_app(url: str):
    from flask_migrate import upgrade

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def sqlite_app(tmp_path):
    app = _fresh_app(f"sqlite:///{tmp_path / 'live.db'}")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def pg_app():
    if not IS_PG:
        pytest.skip("TEST_DATABASE_URL is not a PostgreSQL URL")
    if not (find_pg_tool("pg_dump") and find_pg_tool("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed")
    import psycopg

    base = make_url(PG_URL)
    name = f"tc_backup_{uuid.uuid4().hex[:10]}"
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    app = _fresh_app(base.set(database=name).render_as_string(hide_password=False))
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table (and alembic_version), ordered by primary key."""
    tables = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = connection.execute(select(table).order_by(*order)).all()
            tables[table.name] = [tuple(row) for row in rows]
        tables["alembic_version"] = [
            tuple(row) for row in connection.execute(text("SELECT version_num FROM alembic_version"))
        ]
    return tables


def _populate() -> dict:
    make = Factory()
    world = build_world(make)
    for _ in range(30):
        make.trainee(name="王秀英", phone="13900000000")
    db.session.add(ScoreChange(result_id=world["result"].id, field="theory_score", old_value="80",
                               new_value="82", reason="录入错误更正", source="correction",
                               changed_by_id=world["staff"].id))
    db.session.commit()
    return world


def _damage() -> None:
    """Changes made after the backup, which the restore must undo."""
    make = Factory()
    make.trainee(name="备份之后")
    certificate = db.session.scalars(select(Certificate)).first()
    certificate.revocation_reason = "备份之后吊销"
    trainee = db.session.scalars(select(Trainee).where(Trainee.name == "王秀英")).first()
    trainee.phone = "13811112222"
    db.session.commit()


def _round_trip(app, tmp_path: Path, suffix: str) -> None:
    _populate()
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 50
    runner = app.test_cli_runner()
    out = tmp_path / f"b.{suffix}"
    result = runner.invoke(args=["backup", "create", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "备份已写入" in result.output

    _damage()
    assert snapshot() != before

    result = runner.invoke(args=["backup", "restore", str(out), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    after = snapshot()
    for table, rows in before.items():
        assert after[table] == rows, f"table {table} differs after restore"
    assert set(after) == set(before)
    # Sequences/autoincrement came back too: a new row does not collide with a restored one.
    new = Factory().trainee(name="恢复之后")
    assert new.id > max(row[0] for row in before["trainee"])


def test_sqlite_round_trip_restores_every_table_row_by_row(sqlite_app, tmp_path):
    _round_trip(sqlite_app, tmp_path, "sqlite3")


def test_postgresql_round_trip_restores_every_table_row_by_row(pg_app, tmp_path):
    _round_trip(pg_app, tmp_path, "dump")


def test_sqlite_backup_includes_commits_still_in_the_wal(sqlite_app, tmp_path):
    """A copy of the .db file alone would miss them; the online backup must not."""
    live = Path(make_url(sqlite_app.config["SQLALCHEMY_DATABASE_URI"]).database)
    keeper = sqlite3.connect(str(live))  # an open reader keeps the WAL from being checkpointed away
    keeper.execute("BEGIN")
    keeper.execute("SELECT count(*) FROM trainee").fetchone()
    try:
        Factory().trainee(name="刚提交")
        wal = live.with_name(live.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        out = tmp_path / "wal.sqlite3"
        result = sqlite_app.test_cli_runner().invoke(args=["backup", "create", "--out", str(out)])
        assert result.exit_code == 0, result.output
    finally:
        keeper.rollback()
        keeper.close()
    copy = sqlite3.connect(str(out))
    try:
        names = [row[0] for row in copy.execute("SELECT name FROM trainee")]
        assert names == ["刚提交"]
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


def test_default_backup_goes_to_the_instance_backups_folder(sqlite_app):
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    path = Path(result.output.split("备份已写入：")[1].split("（")[0])
    try:
        assert path.parent == Path(sqlite_app.instance_path) / "backups"
        assert path.name.startswith("traincenter-") and path.suffix == ".sqlite3"
    finally:
        path.unlink(missing_ok=True)


@pytest.mark.parametrize("content", [b"", b"hello, not a database", b"PK\x03\x04zip"])
def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_app, tmp_path, content):
    _populate()
    before = snapshot()
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(content)
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", str(bogus), "--yes"])
    assert result.exit_code != 0
    assert "不是 SQLite 备份文件" in result.output
    assert snapshot() == before


def test_restore_refuses_a_sqlite_file_of_another_application(sqlite_app, tmp_path):
    _populate()
    before = snapshot()
    other = tmp_path / "other.db"
    connection = sqlite3.connect(str(other))
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", str(other), "--yes"])
    assert result.exit_code != 0 and "不是本系统的备份" in result.output
    assert snapshot() == before


def test_restore_asks_first_and_no_changes_nothing(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    out = tmp_path / "b.sqlite3"
    assert runner.invoke(args=["backup", "create", "--out", str(out)]).exit_code == 0
    _populate()
    before = snapshot()
    result = runner.invoke(args=["backup", "restore", str(out)], input="n\n")
    assert result.exit_code != 0 and "继续吗" in result.output
    assert snapshot() == before


def test_backup_refuses_to_overwrite_the_live_database(sqlite_app):
    live = make_url(sqlite_app.config["SQLALCHEMY_DATABASE_URI"]).database
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "create", "--out", live])
    assert result.exit_code != 0 and "正在使用的数据库" in result.output
