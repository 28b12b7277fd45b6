"""The permission matrix: every registered route × every role gets the expected answer.

A role that may use a route must not be refused (no 401/403, no redirect to the login page, no
500). A role that may not must be refused: anonymous users are sent to the login page, others get
403 (or 404 where the object is someone else's). A route missing from tests/permissions fails.
"""

from __future__ import annotations

import pytest

from .conftest import login
from .permissions import ANON, ROLES, collect
from .world import build_world

EXPECTED, ARGS = collect()


def _routes(app):
    yield from app.url_map.iter_rules()


def test_every_route_is_in_the_matrix(app):
    registered = {rule.endpoint for rule in _routes(app)}
    missing = sorted(registered - set(EXPECTED))
    stale = sorted(set(EXPECTED) - registered)
    assert not missing, f"routes without an entry in tests/permissions: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def _url(app, rule, world):
    from flask import url_for

    values = {}
    for name in rule.arguments:
        assert name in ARGS, f"no ARGS entry for URL argument {name!r} of {rule.endpoint}"
        values[name] = ARGS[name](world)
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def matrix_failures(app, make, role: str, endpoints=None) -> list[str]:
    """Every route (or those in ``endpoints``) requested as ``role``; the unexpected answers."""
    world = build_world(make)
    users = {
        "trainee": world["trainee_user"], "instructor": world["instructor"],
        "staff": world["staff"], "admin": world["admin"],
    }
    failures = []
    client = app.test_client()
    if role != ANON:
        login(client, users[role])  # once: logging in per route would trip the login rate limit
    for rule in sorted(_routes(app), key=lambda r: r.rule):
        if endpoints is not None and rule.endpoint not in endpoints:
            continue
        allowed = role in EXPECTED[rule.endpoint]
        url = _url(app, rule, world)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        if method != "GET" and allowed:
            continue  # a POST by an allowed role changes data; its own area's tests cover it
        response = client.open(url, method=method)
        status = response.status_code
        location = response.headers.get("Location", "")
        response.close()
        to_login = status == 302 and "/auth/login" in location
        if allowed:
            ok = status < 500 and status not in (401, 403) and not to_login
        elif role == ANON:
            ok = to_login or status in (401, 403, 404)
        else:
            ok = status in (403, 404)
        if not ok:
            failures.append(f"{method} {url} as {role}: {status} {location}")
    return failures


@pytest.mark.parametrize("role", ROLES)
def test_matrix(app, make, role):
    failures = matrix_failures(app, make, role)
    assert not failures, "\n".join(failures)
