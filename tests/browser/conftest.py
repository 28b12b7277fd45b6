"""Fixtures for the browser journeys: a live server on its own database, and Debian's Chromium.

The app is served from a thread (``werkzeug.serving.make_server``) on a temporary SQLite file built
by the migrations, with CSRF ON (a real browser posts real tokens). Each test builds the rows it
needs with ``make`` inside ``live.context()`` and finds an empty database afterwards.
A failing test leaves a full-page screenshot in tests/browser/screenshots/ (git-ignored).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text

from traincenter import create_app
from traincenter.extensions import db, limiter

from ..factories import Factory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    """Everything in this folder is a browser test (run by ``make test-browser``)."""
    folder = Path(__file__).resolve().parent
    for item in items:
        if folder in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def ctx():
    """Replaces the suite's per-test context: these tests use the live server's database."""
    yield


class Live:
    """The running server: ``url(path)``, ``context()`` (an app context for building rows)."""

    def __init__(self, app, base_url: str):
        self.app = app
        self.base_url = base_url

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @contextmanager
    def context(self):
        with self.app.app_context():
            yield
            db.session.remove()

    def clean(self) -> None:
        with self.app.app_context():
            db.session.remove()
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(text(f'DELETE FROM "{table.name}"'))
            limiter.reset()


@pytest.fixture(scope="session")
def live():
    """The app on a temporary SQLite database, served on 127.0.0.1:<free port> from a thread."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    folder = Path(tempfile.mkdtemp(prefix="traincenter-browser-"))
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'live.db'}",
                     WTF_CSRF_ENABLED=True, PUBLIC_BASE_URL="http://127.0.0.1",
                     UPLOAD_FOLDER=str(folder / "uploads"))
    with app.app_context():
        upgrade()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Live(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def world(live):
    """``make`` for the live database (use it inside ``with live.context():`` and keep plain
    values — ids, names — for after the block); rows are deleted after the test."""
    yield Factory()
    live.clean()


def _fontconfig(folder: Path) -> dict[str, str]:
    """Environment that adds the project's CJK font to the system's fonts (a CI machine may have
    none: Chinese would be drawn as empty boxes in the screenshots)."""
    from traincenter.fonts import FONT_PATH

    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{FONT_PATH.parent}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    env = _fontconfig(tmp_path_factory.mktemp("fonts"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             env=env)
        yield browser
        browser.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _new_page(request, chromium, live, **options):
    context = chromium.new_context(base_url=live.base_url, locale="zh-CN",
                                   accept_downloads=True, **options)
    context.set_default_timeout(15000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    dialogs: list[str] = []

    def accept(dialog):  # data-confirm buttons ask first; a person clicks OK
        dialogs.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.dialogs = dialogs
    page.console_errors = errors
    return context, page


@contextmanager
def _screenshot_on_failure(request, page):
    try:
        yield
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            SCREENSHOTS.mkdir(exist_ok=True)
            name = request.node.name.replace("/", "_").replace("[", "_").replace("]", "")
            try:
                page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
            except Exception as error:  # noqa: BLE001 - a failed screenshot must not hide the failure
                print(f"screenshot failed: {error}")


@pytest.fixture
def page(request, chromium, live):
    """A desktop browser tab (1280×800), Chinese."""
    context, page = _new_page(request, chromium, live, viewport={"width": 1280, "height": 800})
    with _screenshot_on_failure(request, page):
        yield page
    context.close()


@pytest.fixture
def phone(request, chromium, live):
    """A cheap Android phone: 360×740, touch, Chinese."""
    context, page = _new_page(request, chromium, live, viewport=PHONE, is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    with _screenshot_on_failure(request, page):
        yield page
    context.close()


def log_in(page, login: str, password: str = "password123") -> None:
    """Log in through the real form."""
    page.goto("/auth/login")
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("form:has(input[name=login]) [type=submit]").first.click()
    page.wait_for_load_state()


def no_horizontal_scroll(page) -> bool:
    """The page fits the viewport width (wide tables scroll inside their own wrapper)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
