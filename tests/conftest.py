"""Shared fixtures.

- The schema is built once per run by running the migrations (so the migrations are tested).
- Every test gets a clean database: all rows are deleted after the test.
- Test code runs inside an app context (``db.session`` works directly); each client request runs
  in a context of its own, exactly like a real request, so nothing leaks between them. After a
  request changed data, refresh what the test holds: ``db.session.expire_all()``.
- ``make`` builds rows (``make.trainee()``, ``make.exam(...)``); ``login(client, user)`` logs in.
"""

from __future__ import annotations

import contextvars
import os
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

os.environ.setdefault("TRAINCENTER_ENV", "testing")

from traincenter import create_app  # noqa: E402
from traincenter.extensions import db, limiter  # noqa: E402

from .factories import Factory  # noqa: E402


class IsolatedClient(FlaskClient):
    """Runs every request in an empty context, so it gets its own app context, session and g."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _database_url(tmp_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_dir / 'test.db'}"


@pytest.fixture(scope="session")
def app():
    """One app for the whole run, on a database built by the migrations."""
    from flask_migrate import upgrade

    tmp_dir = Path(tempfile.mkdtemp(prefix="traincenter-test-"))
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=_database_url(tmp_dir),
                     PHOTO_DIR=str(tmp_dir / "photos"))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _clean(app) -> None:
    """Delete every row (keep the schema and alembic_version)."""
    with app.app_context():
        db.session.remove()
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(f'"{name}"' for name in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    connection.execute(text(f'DELETE FROM "{name}"'))
                connection.execute(text("DELETE FROM sqlite_sequence")) if connection.execute(
                    text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")
                ).first() else None


@pytest.fixture(autouse=True)
def ctx(app):
    """An app context for the test body; a clean database and fresh limits afterwards."""
    saved = dict(app.config)
    with app.app_context():
        limiter.reset()
        yield
        db.session.remove()
    app.config.clear()
    app.config.update(saved)
    _clean(app)


@pytest.fixture
def client(app):
    """A browser-like client (cookies kept between its requests)."""
    return app.test_client()


@pytest.fixture
def other_client(app):
    """A second, independent browser."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs ``flask`` commands."""
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factory for rows: ``make.trainee()``, ``make.training_class()`` … (see tests/factories.py)."""
    return Factory()


def login(client, user, password: str = "password123") -> None:
    """Log ``client`` in as ``user`` through the real login form."""
    response = client.post("/auth/login", data={"login": user.username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def login_as(client, make):
    """``login_as("staff")`` → a user of that role, logged in on ``client``."""

    def _login_as(role: str, **kwargs):
        user = make.user(role, **kwargs)
        login(client, user)
        return user

    return _login_as
