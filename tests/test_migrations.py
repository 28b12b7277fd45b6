"""The migrations build exactly the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from traincenter import create_app
from traincenter.extensions import db


def _diff_after_upgrade(url: str) -> list:
    from flask_migrate import upgrade

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
        db.session.remove()
        db.engine.dispose()
    assert set(db.metadata.tables) <= tables
    return diff


def test_upgrade_on_empty_sqlite_matches_models(tmp_path):
    assert _diff_after_upgrade(f"sqlite:///{tmp_path / 'empty.db'}") == []


def _postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        return url.rsplit("/", 1)[0] + "/postgres"
    try:
        engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                               connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:  # noqa: BLE001 — no server here: the CI run on PostgreSQL covers it
        return None
    return "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def test_upgrade_on_empty_postgresql_matches_models():
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL server reachable on 127.0.0.1:5432")
    name = f"tc_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        assert _diff_after_upgrade(admin_url.rsplit("/", 1)[0] + f"/{name}") == []
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_schema_enforces_constraints(make):
    """CHECK constraints and unique keys hold in the database itself, not only in forms."""
    from sqlalchemy.exc import IntegrityError

    from traincenter.models import Trainee

    trainee = make.trainee()
    duplicate = Trainee(name="重复", id_number=trainee.id_number, gender="F",
                        birth_on=trainee.birth_on, education="junior", origin="rural")
    db.session.add(duplicate)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    enrolment = make.enrolment()
    exam = make.exam(enrolment.training_class)
    for bad in ({"theory_score": 101}, {"theory_score": 50, "theory_absent": True},
                {"practical_score": -1}):
        with pytest.raises(IntegrityError):
            make.result(exam, enrolment, status="draft", **bad)
        db.session.rollback()


def test_exams_scheduled_before_0003_get_the_marks_in_force(tmp_path):
    """The migration that records pass marks on exams backfills existing exams with the settings
    in force (the marks their stored verdicts were computed with)."""
    from flask_migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, PASS_MARK_THEORY=65.0,
                     PASS_MARK_PRACTICAL=62.5)
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO track (id, code, name, is_active, sort_order) VALUES (1, 'JZ', '家政', 1, 0)"))
            connection.execute(text(
                "INSERT INTO training_class (id, code, name, track_id, level, kind, provider_kind, "
                "provider_name, starts_on, ends_on, required_total_hours, required_classroom_hours, "
                "required_self_study_hours, fee, capacity, created_at) VALUES (1, 'C1', '一班', 1, 5, "
                "'regular', 'union', '市总工会', '2025-03-01', '2025-04-30', 150, 80, 70, 1300, 60, "
                "'2025-02-01 09:00:00')"))
            connection.execute(text(
                "INSERT INTO exam (id, class_id, kind, held_on, place, created_at) "
                "VALUES (1, 1, 'first', '2025-04-30', '考场', '2025-04-01 09:00:00')"))
        upgrade()
        with db.engine.connect() as connection:
            marks = connection.execute(
                text("SELECT pass_mark_theory, pass_mark_practical FROM exam")).one()
        db.session.remove()
        db.engine.dispose()
    assert tuple(marks) == (65, 62.5)
