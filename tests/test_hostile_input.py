"""Hostile input at every door: no 5xx from any route, whoever asks and whatever they send.

The fuzzer walks ``app.url_map`` for every role. For every rule it fills the path arguments and
the query parameters each page's GET forms declare (plus the ones the app reads) with hostile
values: 0, −1, 2⁶³, 10²⁰, empty, very long, NUL, quotes, ``<script>``, ``../``, full-width digits
and non-UTF-8 percent-encodings. GET must never answer 5xx; POST without a valid CSRF token must
never answer 5xx and must change nothing. The budget is fixed (one request per value and rule,
all declared parameters at once), so a new route is covered the moment it is registered.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from flask import url_for

from traincenter import create_app
from traincenter.extensions import db
from traincenter.params import MAX_ID, arg_int, arg_page, arg_year, parse_int
from traincenter.web import safe_next

from .conftest import IsolatedClient, login
from .permissions import ANON, ROLES, collect
from .test_backup import snapshot
from .test_security import _csrf_login
from .world import build_world

EXPECTED, ARGS = collect()
HOSTILE_INTS = ["0", "-1", str(2**63), str(10**20)]
HOSTILE_TEXTS = ["", "x" * 3000, "\x00", "'", '"', "<script>alert(1)</script>", "../../etc/passwd",
                 "１２３", "2025-13-45", " 7 "]
RAW_BYTES = "%ff%fe%c0%af"  # not UTF-8 once decoded
HOSTILE = HOSTILE_INTS + HOSTILE_TEXTS
# Query parameters the app reads somewhere; each page's GET forms add their own.
KNOWN_QUERY = {"page", "track", "year", "class", "class_id", "trainee_id", "recommendation_id",
               "q", "status", "format", "next", "education", "origin", "finished",
               "employer_type", "contract", "number", "name", "saved", "course", "as_of"}
CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


class GetFormFields(HTMLParser):
    """The names of the fields of every GET form of a page."""

    def __init__(self):
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._in_get_form = (attributes.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self._in_get_form and attributes.get("name"):
            self.names.add(attributes["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_get_form = False


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules()
                   if r.endpoint in EXPECTED and r.endpoint != "static"
                   and all(name in ARGS for name in r.arguments)), key=lambda r: r.rule)


def _valid_url(app, rule, world) -> str:
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: ARGS[name](world) for name in rule.arguments})


def _hostile_paths(rule, world) -> list[str]:
    """The rule's path with one argument at a time replaced by each hostile value."""
    valid = {name: str(ARGS[name](world)) for name in rule.arguments}
    paths = []
    for target in rule.arguments:
        converter = dict((name, conv) for conv, name in CONVERTER.findall(rule.rule))[target]
        values = HOSTILE_INTS if converter == "int" else HOSTILE_TEXTS[1:] + [RAW_BYTES]
        for value in values:
            def fill(match, target=target, value=value):
                name = match.group(2)
                text = value if name == target else valid[name]
                return text if text == RAW_BYTES else quote(text, safe="")
            paths.append(CONVERTER.sub(fill, rule.rule))
    return paths


def _query_names(client, url: str) -> tuple[set[str], bool]:
    """The query parameters to fuzz on ``url``, and whether it answers with a page (HTML)."""
    response = client.get(url)
    names = set(KNOWN_QUERY)
    is_page = response.mimetype == "text/html"
    if is_page:
        parser = GetFormFields()
        parser.feed(response.get_data(as_text=True))
        names |= parser.names
    response.close()
    return names, is_page


def _get(client, url: str) -> int:
    response = client.get(url)
    status = response.status_code
    response.close()
    return status


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_no_get_route_answers_5xx_to_hostile_values(app, make, role, caplog):
    world = build_world(make)
    users = {"trainee": world["trainee_user"], "instructor": world["instructor"],
             "staff": world["staff"], "admin": world["admin"]}
    client = app.test_client()
    if role != ANON:
        login(client, users[role])
    failures, requests = [], 0
    caplog.set_level(logging.INFO, logger=app.logger.name)
    for rule in _rules(app):
        if "GET" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        if role == "admin" and "staff" in EXPECTED[rule.endpoint]:
            continue  # the staff run covers it; admin adds only the account pages
        url = _valid_url(app, rule, world)
        names, is_page = _query_names(client, url)
        # A download (PDF, Word, workbook, chart) is built whole for every request: two hostile
        # values are enough to show it ignores what it does not read.
        for value in HOSTILE if is_page else [str(2**63), "x" * 3000]:
            query = "&".join(f"{quote(name)}={quote(value, safe='')}" for name in sorted(names))
            for target in (f"{url}?{query}",):
                requests += 1
                if (status := _get(client, target)) >= 500:
                    failures.append(f"GET {target[:160]} as {role}: {status}")
        raw = "&".join(f"{quote(name)}={RAW_BYTES}" for name in sorted(names))
        for target in [f"{url}?{raw}", *_hostile_paths(rule, world)]:
            requests += 1
            if (status := _get(client, target)) >= 500:
                failures.append(f"GET {target[:160]} as {role}: {status}")
    assert requests > 20
    assert not failures, "\n".join(failures)
    # Hostile input is the client's doing: logged at INFO at most, never as an error.
    # (The once-per-address advice that QR codes would carry a loopback address is about this
    # test server's own address, not about the input.)
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name == app.logger.name
            and "PUBLIC_BASE_URL" not in r.getMessage()]
    assert not loud, [r.getMessage() for r in loud][:5]


@pytest.mark.slow
def test_no_post_route_answers_5xx_or_changes_anything_without_a_valid_token(app, make):
    world = build_world(make)
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                          WTF_CSRF_ENABLED=True)
    csrf_app.test_client_class = IsolatedClient
    targets = [(_valid_url(csrf_app, rule, world), _hostile_paths(rule, world))
               for rule in _rules(csrf_app) if "POST" in rule.methods]
    users = [None] + [type("Login", (), {"username": world[key].username})()
                      for key in ("trainee_user", "instructor", "staff")]
    fields = ("csrf_token", "theory", "practical", "reason", "name", "id_number", "hours", "next",
              "back", "trainee_id", "course", "log", "enrolment", "action", "q")
    try:
        for user in users:
            client = csrf_app.test_client()
            if user is not None:
                _csrf_login(client, user)
            db.session.remove()
            before = snapshot()
            failures = []
            for url, hostile_paths in targets:
                for value in HOSTILE:
                    response = client.post(url, data=dict.fromkeys(fields, value))
                    if response.status_code >= 500:
                        failures.append(f"POST {url} {value[:20]!r}: {response.status_code}")
                    response.close()
                for path in hostile_paths:
                    response = client.post(path, data={"csrf_token": "forged"})
                    if response.status_code >= 500:
                        failures.append(f"POST {path[:160]}: {response.status_code}")
                    response.close()
            assert not failures, "\n".join(failures)
            db.session.remove()
            assert snapshot() == before
    finally:
        with csrf_app.app_context():
            db.engine.dispose()


def test_a_server_error_page_shows_a_request_id_that_is_in_the_log(app, client, make, caplog,
                                                                   monkeypatch):
    from traincenter.main import queries

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(queries, "staff_dashboard", broken)
    login(client, make.user("staff"))
    caplog.set_level(logging.INFO, logger=app.logger.name)
    response = client.get("/", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    page = response.get_data(as_text=True)
    assert request_id in page and "错误编号" in page
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and request_id in errors[0].getMessage()


def test_a_404_shows_no_request_id_and_logs_at_info(app, client, caplog):
    caplog.set_level(logging.INFO, logger=app.logger.name)
    response = client.get("/trainees/9223372036854775808")
    assert response.status_code in (302, 404)
    response = client.get("/verify/" + "x" * 300)
    assert response.status_code < 500
    assert all(r.levelno <= logging.INFO for r in caplog.records if r.name == app.logger.name)


# -- the helpers themselves -------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("7", 7), (" 7 ", 7), ("0", None), ("-1", None), (str(2**63), None), (str(10**20), None),
    (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("１２３", None), ("7x", None), ("", None),
    (None, None), ("\x00", None), ("+7", None),
])
def test_parse_int(raw, expected):
    assert parse_int(raw, minimum=1) == expected


def test_query_helpers_fall_back_to_the_default(app):
    with app.test_request_context("/?page=99999999999999999999&track=abc&year=-1&n=5"):
        assert arg_page() == 1
        assert arg_int("track") is None and arg_int("n") == 5
        assert arg_year("year", 2025) == 2025
    with app.test_request_context("/?year=1999"):
        assert arg_year() is None
    with app.test_request_context("/?year=2025"):
        assert arg_year() == 2025


OPEN_REDIRECTS = [
    "//evil.example", "/\t/evil.example", "/\\evil.example", "\\\\evil.example",
    "https://evil.example", "http:evil.example", "/\n/evil.example", " //evil.example",
    "javascript:alert(1)", "/\x00/evil.example", "\t//evil.example", "/%09/evil.example",
    "//evil.example/%2F..", "evil.example", "///evil.example", "/\\/evil.example",
]


@pytest.mark.parametrize("payload", OPEN_REDIRECTS)
def test_safe_next_refuses_every_known_open_redirect(payload):
    target = safe_next(payload)
    assert target is None or (target.startswith("/") and not target.startswith("//")
                              and "\\" not in target and "\t" not in target)


def test_safe_next_keeps_a_local_path():
    assert safe_next("/trainees/?q=王&page=2") == "/trainees/?q=王&page=2"


@pytest.mark.parametrize("payload", OPEN_REDIRECTS)
def test_no_view_that_takes_next_leaves_the_site(app, client, make, payload):
    world = build_world(make)
    staff = world["staff"]
    login_response = client.post(f"/auth/login?next={quote(payload, safe='')}",
                                 data={"login": staff.username, "password": "password123"})
    if "\x00" in payload:
        # A NUL character is refused before anything reads it: no login, no redirect at all.
        assert login_response.status_code == 400
        return
    assert login_response.status_code == 302
    assert _local(login_response.headers["Location"]), login_response.headers["Location"]
    response = client.post(f"/training/self-study/{world['self_study'].id}",
                           data={"action": "verify", "next": payload})
    assert response.status_code in (302, 303)
    assert _local(response.headers["Location"]), response.headers["Location"]
    if payload.isprintable():  # a header cannot carry control characters
        response = client.get("/lang/en", headers={"Referer": payload})
        assert _local(response.headers["Location"]), response.headers["Location"]


def _local(location: str) -> bool:
    """A Location header that stays on this site (relative, or to the test server itself)."""
    for prefix in ("http://localhost/", "http://localhost"):
        if location.startswith(prefix):
            location = "/" + location[len(prefix):].lstrip("/")
    return location.startswith("/") and not location.startswith("//") and "\\" not in location
