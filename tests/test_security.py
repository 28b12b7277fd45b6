"""Security properties that must hold for EVERY route, whichever area adds it.

These tests walk ``app.url_map``, so a new page is checked the moment it is registered:
CSRF on every POST, security headers and no inline script/style on every page, no way for a
trainee to reach another trainee's rows by changing an id, no way for an instructor to open or
post to another instructor's class, no personal data on public pages, production-only settings.
(Login throttling and copied-cookie replay are proved in tests/test_auth.py.)
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest
from flask import url_for

from traincenter import PROJECT_DIR, create_app
from traincenter.auth.passwords import hash_password
from traincenter.extensions import db
from traincenter.models import Recommendation

from .conftest import IsolatedClient, login
from .permissions import ANON, collect
from .test_backup import snapshot
from .world import build_world

EXPECTED, ARGS = collect()
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def _known(rule) -> bool:
    """Routes missing from tests/permissions are reported by test_permissions, not here."""
    return rule.endpoint in EXPECTED and all(name in ARGS for name in rule.arguments)


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if _known(r)), key=lambda r: r.rule)


def _url(app, rule, world) -> str:
    values = {name: ARGS[name](world) for name in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def _methods(rule) -> set[str]:
    return set(rule.methods) - {"HEAD", "OPTIONS"}


def _swapped(world: dict) -> dict:
    """The world seen through the other person's objects: ``class`` → ``other_class`` …"""
    swapped = dict(world)
    for key in world:
        if f"other_{key}" in world:
            swapped[key] = world[f"other_{key}"]
    return swapped


def _with_twins(make, world: dict) -> dict:
    """Give every personal object of the world an ``other_`` twin that belongs to someone else
    (added here, not in tests/world.py, so no other test sees the extra rows)."""
    other, other_instructor = world["other_trainee"], world["other_instructor"]
    extra_class = make.training_class(track=world["track"], instructors=[other_instructor])
    extra_enrolment = make.enrolment(other, extra_class)
    extra_exam = make.exam(extra_class)
    extra_result = make.result(extra_exam, extra_enrolment, 80, 80)
    placement = make.placement(other)
    recommendation = Recommendation(opening=world["opening"], trainee=other)
    db.session.add(recommendation)
    db.session.commit()
    twins = {
        "other_session": make.session(world["other_class"], hours=4),
        "other_certificate": make.certificate(extra_result),
        "other_health": make.health(other, issued_on=date.today() - timedelta(days=5)),
        "other_placement": placement,
        "other_feedback": make.feedback(placement),
        "other_recommendation": recommendation,
    }
    return {**world, **{key: value for key, value in twins.items() if key not in world}}


def _changed_rules(app, world):
    """Rules with an URL argument that points at someone else's object in the swapped world."""
    other = _swapped(world)
    for rule in _rules(app):
        if not rule.arguments or rule.endpoint == "static":
            continue
        if all(ARGS[name](world) == ARGS[name](other) for name in rule.arguments):
            continue
        yield rule, _url(app, rule, other)


def _csrf_login(client, user, password="password123") -> None:
    page = client.get("/auth/login").get_data(as_text=True)
    token = CSRF_INPUT.search(page).group(1)
    response = client.post("/auth/login", data={"login": user.username, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_every_post_route_refuses_a_request_without_a_csrf_token(app, make):
    world = build_world(make)
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                          WTF_CSRF_ENABLED=True)
    csrf_app.test_client_class = IsolatedClient
    try:
        _post_without_tokens(csrf_app, world)
    finally:
        with csrf_app.app_context():
            db.engine.dispose()


def _post_without_tokens(csrf_app, world) -> None:
    client = csrf_app.test_client()
    _csrf_login(client, world["admin"])  # the positive control: a POST with its token goes through
    before = snapshot()
    checked, failures = 0, []
    for rule in _rules(csrf_app):
        if "POST" not in rule.methods:
            continue
        url = _url(csrf_app, rule, world)
        for data in ({}, {"csrf_token": "forged-token"}):
            response = client.post(url, data=data)
            checked += 1
            if response.status_code != 400:
                failures.append(f"POST {url} {data}: {response.status_code}")
    assert checked >= 4  # login, logout, password change … at the very least
    assert not failures, "\n".join(failures)
    db.session.remove()
    assert snapshot() == before
    response = client.post("/auth/logout", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 400 and "请求" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", [ANON, "trainee", "instructor", "staff"])
def test_every_page_sends_security_headers_and_has_no_inline_code(app, make, role):
    world = build_world(make)
    users = {"trainee": world["trainee_user"], "instructor": world["instructor"],
             "staff": world["staff"]}
    client = app.test_client()
    if role != ANON:
        login(client, users[role])
    failures = []
    for rule in _rules(app):
        if "GET" not in rule.methods:
            continue
        url = _url(app, rule, world)
        response = client.get(url)
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        problems = []
        if "default-src 'self'" not in csp or "unsafe-inline" in csp or "unsafe-eval" in csp:
            problems.append(f"CSP {csp!r}")
        if "frame-ancestors 'none'" not in csp or headers.get("X-Frame-Options") != "DENY":
            problems.append("framing allowed")
        if headers.get("X-Content-Type-Options") != "nosniff":
            problems.append("no nosniff")
        if rule.endpoint != "static" and headers.get("Cache-Control") != "no-store":
            problems.append(f"Cache-Control {headers.get('Cache-Control')!r}")
        if response.mimetype == "text/html":
            body = response.get_data(as_text=True)
            for name, pattern in (("inline <script>", INLINE_SCRIPT), ("style=", STYLE_ATTRIBUTE),
                                  ("on…= handler", EVENT_HANDLER), ("<style>", STYLE_ELEMENT)):
                found = pattern.search(body)
                if found:
                    problems.append(f"{name}: {found.group(0)[:80]!r}")
        response.close()
        if problems:
            failures.append(f"GET {url} as {role}: {'; '.join(problems)}")
    assert not failures, "\n".join(failures)


def test_session_cookie_is_httponly_and_samesite_lax(client, make):
    user = make.user("staff")
    response = client.post("/auth/login", data={"login": user.username, "password": "password123"})
    cookie = next(value for value in response.headers.getlist("Set-Cookie")
                  if value.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain-HTTP intranet by default (see GOTCHAS)


def _production(tmp_path, code: str, **env):
    """Run ``code`` in a fresh interpreter with production settings read from the environment."""
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("SECRET_KEY", "SESSION_COOKIE_SECURE", "DATABASE_URL")}
    environment.update(TRAINCENTER_ENV="production",
                       DATABASE_URL=f"sqlite:///{tmp_path / 'prod.db'}", **env)
    return subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, env=environment,
                          capture_output=True, text=True, timeout=120)


def test_production_cookies_are_secure_when_configured(tmp_path):
    code = (
        "from traincenter import create_app\n"
        "from traincenter.extensions import db\n"
        "from flask_migrate import upgrade\n"
        "app = create_app()\n"
        "with app.app_context(): upgrade()\n"
        "assert app.config['WTF_CSRF_ENABLED'] is not False\n"
        "assert app.config['REMEMBER_COOKIE_SECURE'] and app.config['REMEMBER_COOKIE_HTTPONLY']\n"
        "r = app.test_client().get('/auth/login')\n"
        "print(r.status_code)\n"
        "print([c for c in r.headers.getlist('Set-Cookie') if c.startswith('session=')][0])\n"
    )
    result = _production(tmp_path, code, SECRET_KEY="x" * 40, SESSION_COOKIE_SECURE="1")
    assert result.returncode == 0, result.stderr[-2000:]
    status, cookie = result.stdout.strip().splitlines()[-2:]
    assert status == "200"
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("secret", [None, ""])
def test_production_refuses_to_start_without_a_secret_key_from_the_environment(tmp_path, secret):
    env = {} if secret is None else {"SECRET_KEY": secret}
    result = _production(tmp_path, "from traincenter import create_app\ncreate_app()\n", **env)
    assert result.returncode != 0
    assert "ConfigurationError" in result.stderr and "SECRET_KEY" in result.stderr


def test_production_strength_password_hashes_are_scrypt(app, client, make):
    app.config.pop("PASSWORD_HASH_METHOD")  # the suite's fast setting; production uses the default
    hashed = hash_password("a-long-password-1")
    assert hashed.startswith("scrypt:32768:8:1$")
    user = make.user("staff")
    login(client, user)
    response = client.post("/auth/password", data={"current": "password123",
                                                   "new": "another-secret-2",
                                                   "confirm": "another-secret-2"})
    assert response.status_code == 302
    db.session.expire_all()
    db.session.refresh(user)
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert "another-secret-2" not in user.password_hash


def _personal_texts(trainee) -> list[str]:
    birth = trainee.birth_on
    return [
        trainee.id_number, trainee.id_number[6:14], trainee.phone or "", trainee.address or "",
        birth.isoformat(), f"{birth.year}年{birth.month}月{birth.day}日",
        f"{birth.year}/{birth.month:02d}/{birth.day:02d}", f"{birth.year}-{birth.month}-{birth.day}",
    ]


def _leaks(body: str, trainees) -> list[str]:
    found = []
    for trainee in trainees:
        for text in _personal_texts(trainee):
            if text and len(text) >= 6 and text in body:
                found.append(f"{trainee.name}: {text}")
        if len(trainee.name) >= 2 and trainee.name in body:
            found.append(f"unmasked name {trainee.name}")
    return found


def test_a_trainee_cannot_reach_another_trainees_data_by_changing_an_id(app, make):
    world = _with_twins(make, build_world(make))
    other = world["other_trainee"]
    client = app.test_client()
    login(client, world["trainee_user"])
    before = snapshot()
    failures = []
    own_pages = 0
    for rule, url in _changed_rules(app, world):
        if ANON in EXPECTED[rule.endpoint]:
            continue  # public pages show public facts by design (their own test scans them)
        own_pages += "trainee" in EXPECTED[rule.endpoint]
        for method in sorted(_methods(rule)):
            response = client.open(url, method=method)
            body = response.get_data(as_text=True)
            if response.status_code not in (403, 404):
                failures.append(f"{method} {url}: {response.status_code}")
            elif other.id_number in body or other.name in body:
                failures.append(f"{method} {url}: the error page shows the other trainee")
    assert not failures, "\n".join(failures)
    assert own_pages >= 1, "no trainee page takes an id: this test checked nothing of hers"
    db.session.remove()
    assert snapshot() == before


def test_an_instructor_cannot_open_or_post_to_another_instructors_class(app, make):
    world = _with_twins(make, build_world(make))
    client = app.test_client()
    login(client, world["instructor"])
    before = snapshot()
    failures, checked = [], 0
    for rule, url in _changed_rules(app, world):
        if "instructor" not in EXPECTED[rule.endpoint] or ANON in EXPECTED[rule.endpoint]:
            continue
        for method in sorted(_methods(rule)):
            checked += 1
            response = client.open(url, method=method)
            if response.status_code not in (403, 404):
                failures.append(f"{method} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert checked >= 5, "no instructor page takes a class, session or exam id"
    db.session.remove()
    assert snapshot() == before


def _public_urls(app, world):
    for rule in _rules(app):
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        if ANON in EXPECTED[rule.endpoint]:
            yield _url(app, rule, world)


def test_no_public_page_shows_an_id_number_phone_birth_date_or_full_name(app, make):
    world = build_world(make)
    for key in ("trainee", "other_trainee"):
        world[key].consents_to_listing = True
        world[key].address = "幸福路88号3单元"
    db.session.commit()
    trainees = [world["trainee"], world["other_trainee"]]
    client = app.test_client()
    failures = []
    for url in _public_urls(app, world):
        for language in ("zh-CN", "en"):
            response = client.get(url, headers={"Accept-Language": language})
            if response.status_code >= 500:
                failures.append(f"{url}: {response.status_code}")
            leaks = _leaks(response.get_data(as_text=True), trainees)
            if leaks:
                failures.append(f"{url} ({language}): {leaks}")
    assert not failures, "\n".join(failures)


def test_demo_data_public_pages_leak_nothing(app):
    """The same scan over the realistic demo data (every certificate's verification page)."""
    from sqlalchemy import select

    from traincenter.demo import seed_demo
    from traincenter.models import Certificate, Trainee

    seed_demo(trainees=60, if_empty=False, echo=lambda *a, **k: None)
    db.session.execute(Trainee.__table__.update().values(consents_to_listing=True))
    db.session.commit()
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert certificates, "the demo data has no certificates to verify"
    trainees = db.session.scalars(select(Trainee)).all()
    client = app.test_client()
    urls = set()
    for rule in _rules(app):
        if rule.endpoint == "static" or "GET" not in rule.methods or ANON not in EXPECTED[rule.endpoint]:
            continue
        if rule.arguments == {"code"}:
            with app.test_request_context():
                urls.update(url_for(rule.endpoint, code=c.verification_code) for c in certificates[:40])
        elif not rule.arguments:
            with app.test_request_context():
                urls.add(url_for(rule.endpoint))
    failures = []
    for url in sorted(urls):
        response = client.get(url)
        leaks = _leaks(response.get_data(as_text=True), trainees)
        if response.status_code >= 500 or leaks:
            failures.append(f"{url}: {response.status_code} {leaks[:3]}")
    assert not failures, "\n".join(failures[:20])


def test_the_id_number_birth_date_check_is_not_vacuous(make):
    trainee = make.trainee(birth_on=date(1970, 3, 9))
    page = f"<p>{trainee.id_number}</p><p>1970年3月9日</p>"
    assert len(_leaks(page, [trainee])) >= 2
    assert _leaks(f"<p>{trainee.masked_name}</p>", [trainee]) == []


@pytest.mark.parametrize("html, pattern", [
    ('<script>alert(1)</script>', INLINE_SCRIPT),
    ('<div class="a" style="width: 3px">', STYLE_ATTRIBUTE),
    ('<button onclick="go()">', EVENT_HANDLER),
    ("<style>p{}</style>", STYLE_ELEMENT),
])
def test_the_inline_code_scan_finds_what_csp_would_block(html, pattern):
    assert pattern.search(html)
    assert not INLINE_SCRIPT.search('<script src="/static/js/app.js"></script>')
    assert not STYLE_ATTRIBUTE.search('<progress value="3" max="10"></progress>')
