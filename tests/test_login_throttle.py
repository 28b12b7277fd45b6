"""Login throttling that cannot be turned against users (issue 14 item 5, issue 18 item 3).

One account's lockout never locks another account; a whole classroom logs in from one Wi-Fi
address; staff unlock an account; the counts hold across app instances; known and unknown logins
get the same answers and the same password-hash work.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import insert

from traincenter import create_app, rules
from traincenter.auth import operations, passwords
from traincenter.extensions import db, limiter
from traincenter.models import LoginAttempt, LoginLock, User

from .conftest import login
from .factories import PASSWORD

ZH = {"Accept-Language": "zh-CN"}
CLASSROOM = {"REMOTE_ADDR": "10.20.30.40"}


def _post(client, name, password, address=CLASSROOM):
    return client.post("/auth/login", data={"login": name, "password": password}, headers=ZH,
                       environ_base=address)


class Clock:
    """A clock the throttle reads (``utcnow`` of the auth area), moved by the test."""

    def __init__(self, monkeypatch, start: datetime):
        self.now = start
        for module in ("traincenter.auth.operations", "traincenter.auth.queries"):
            monkeypatch.setattr(f"{module}.utcnow", lambda: self.now)

    def advance(self, **kw) -> None:
        self.now += timedelta(**kw)


# -- a classroom on one Wi-Fi address ---------------------------------------------------------


def test_a_classroom_of_60_logs_in_from_one_address_while_one_trainee_locks_herself_out(app, make):
    trainees = [make.trainee_user() for _ in range(rules.CLASSROOM_SIZE)]
    unlucky = trainees[7]
    for _ in range(rules.LOGIN_FREE_FAILURES):
        _post(app.test_client(), unlucky.username, "wrong-password")
    answers = []
    for user in trainees:
        client = app.test_client()
        # Each trainee first mistypes the password from her slip, then gets it right.
        mistyped = _post(client, user.trainee.id_number, "mistyped-1")
        assert mistyped.status_code == (429 if user is unlucky else 200)
        answers.append((user, _post(client, user.trainee.id_number, PASSWORD)))
    locked = [user for user, response in answers if response.status_code != 302]
    assert locked == [unlucky]
    assert "登录失败次数过多" in answers[7][1].get_data(as_text=True)
    assert db.session.query(LoginAttempt).filter_by(succeeded=True).count() == 59


def test_one_accounts_lockout_leaves_every_other_account_alone(client, other_client, make):
    staff, teacher = make.user("staff"), make.user("instructor")
    for _ in range(rules.LOGIN_FREE_FAILURES):
        _post(client, staff.username, "wrong-password")
    # The locked account is refused even with the right password, from any address …
    response = _post(other_client, staff.username, PASSWORD, {"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.get_data(as_text=True)
    # … while another account logs in from the very address the failures came from.
    assert _post(client, teacher.username, PASSWORD).status_code == 302


def test_failures_warn_before_the_lock_and_say_when_it_starts(client, make):
    staff = make.user("staff")
    pages = [_post(client, staff.username, "wrong-password").get_data(as_text=True)
             for _ in range(rules.LOGIN_FREE_FAILURES)]
    assert "账号或密码错误" in pages[0] and "还可尝试" not in pages[0]
    assert "还可尝试 2 次" in pages[2] and "还可尝试 1 次" in pages[3]
    assert "账号已被锁定 1 分钟" in pages[4]


def test_the_lock_grows_with_each_failure_and_a_success_clears_it(client, make, monkeypatch):
    staff = make.user("staff")
    clock = Clock(monkeypatch, datetime(2026, 11, 9, 8, 0))
    for _ in range(rules.LOGIN_FREE_FAILURES):
        _post(client, staff.username, "wrong-password")
    assert _post(client, staff.username, PASSWORD).status_code == 429
    clock.advance(seconds=61)  # the first lock (1 minute) is over: one more wrong try …
    assert _post(client, staff.username, "wrong-again").status_code == 200
    clock.advance(seconds=61)  # … locks for 2 minutes
    response = _post(client, staff.username, PASSWORD)
    assert response.status_code == 429 and "1 分钟后" in response.get_data(as_text=True)
    clock.advance(seconds=60)
    assert _post(client, staff.username, PASSWORD).status_code == 302
    assert db.session.query(LoginLock).count() == 0


def test_failures_are_forgotten_after_a_day(client, make, monkeypatch):
    staff = make.user("staff")
    clock = Clock(monkeypatch, datetime(2026, 11, 9, 8, 0))
    for _ in range(rules.LOGIN_FREE_FAILURES + 3):
        _post(client, staff.username, "wrong-password")
        clock.advance(hours=1)
    clock.advance(hours=rules.LOGIN_FAILURE_MEMORY_HOURS)
    _post(client, staff.username, "wrong-password")  # counts as the first of a new series
    lock = db.session.get(LoginLock, staff.username.lower())
    assert lock.failures == 1


def test_a_flood_of_failures_from_one_address_stops_that_address_only(app, client, make):
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 12
    staff = make.user("staff")
    for n in range(12):
        assert _post(client, f"nobody{n}", "wrong-password").status_code == 200
    response = _post(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert "此网络" in response.get_data(as_text=True)
    assert _post(app.test_client(), staff.username, PASSWORD,
                 {"REMOTE_ADDR": "10.1.1.1"}).status_code == 302


def test_the_request_cap_of_an_address_comes_from_the_settings(app, make):
    app.config["LOGIN_ADDRESS_REQUESTS_PER_MINUTE"] = 3
    limiter.reset()
    for n in range(3):
        assert _post(app.test_client(), f"nobody{n}", "x-wrong-x").status_code == 200
    assert _post(app.test_client(), "nobody9", "x-wrong-x").status_code == 429
    assert _post(app.test_client(), "nobody9", "x-wrong-x",
                 {"REMOTE_ADDR": "10.1.1.1"}).status_code == 200


# -- staff unlock -----------------------------------------------------------------------------


def _lock(app, name):
    for _ in range(rules.LOGIN_FREE_FAILURES):
        _post(app.test_client(), name, "wrong-password")


def test_admin_sees_a_locked_account_and_unlocks_it(app, client, login_as, make):
    teacher = make.user("instructor", phone="13912345678")
    _lock(app, teacher.username)
    _lock(app, "13912345678")  # her phone is one of her login names too
    login_as("admin")
    page = client.get("/auth/users", headers=ZH).get_data(as_text=True)
    assert "锁定至" in page and f"/auth/users/{teacher.id}/unlock" in page
    response = client.post(f"/auth/users/{teacher.id}/unlock", headers=ZH, follow_redirects=True)
    assert "已解锁" in response.get_data(as_text=True)
    assert _post(app.test_client(), teacher.username, PASSWORD).status_code == 302
    assert db.session.query(LoginLock).count() == 0


def test_staff_unlock_a_trainee_on_her_page(app, client, login_as, make):
    trainee_user = make.trainee_user()
    trainee = trainee_user.trainee
    _lock(app, trainee.id_number)
    _lock(app, trainee.phone)
    other = make.trainee_user()
    _lock(app, other.trainee.id_number)
    login_as("staff")
    page = client.get(f"/trainees/{trainee.id}", headers=ZH).get_data(as_text=True)
    assert "锁定至" in page and "解锁登录" in page
    client.post(f"/trainees/{trainee.id}/unlock")
    assert _post(app.test_client(), trainee.phone, PASSWORD).status_code == 302
    # Only her names were cleared.
    assert [lock.key for lock in db.session.query(LoginLock)] == [other.trainee.id_number.lower()]


def test_an_unlocked_page_offers_no_unlock(client, login_as, make):
    trainee = make.trainee()
    login_as("staff")
    assert "解锁登录" not in client.get(f"/trainees/{trainee.id}", headers=ZH).get_data(as_text=True)


def test_unlocking_needs_staff(make):
    from traincenter.errors import DomainError

    teacher = make.user("instructor")
    with pytest.raises(DomainError):
        operations.unlock_account(make.user("staff"), teacher)


# -- across app instances ---------------------------------------------------------------------


def test_the_lock_holds_across_app_instances(app, make):
    """A second worker process (another app on the same database) sees the same failures."""
    user = make.user("staff")
    _lock(app, user.username)
    second_app = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    with second_app.app_context():
        with pytest.raises(operations.ThrottledError):
            operations.authenticate(user.username, PASSWORD, "192.0.2.1")
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def redis_url(tmp_path):
    """A throwaway Redis server (skipped where none is installed)."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([server, "--port", str(port), "--save", "", "--appendonly", "no",
                                "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


SECOND_INSTANCE = """
import sys
from traincenter import create_app
app = create_app("testing", SQLALCHEMY_DATABASE_URI=sys.argv[1], RATELIMIT_STORAGE_URI=sys.argv[2],
                 LOGIN_ADDRESS_REQUESTS_PER_MINUTE=4)
codes = [app.test_client().post("/auth/login", data={"login": f"y{n}", "password": "wrong-pass"},
                                environ_base={"REMOTE_ADDR": "10.20.30.40"}).status_code
         for n in range(2)]
print(" ".join(map(str, codes)))
"""


def test_the_request_cap_is_shared_by_instances_through_redis(app, make, redis_url):
    """Two processes (as two gunicorn workers or hosts) share the address's count in Redis."""
    import os
    import sys
    from pathlib import Path

    database = app.config["SQLALCHEMY_DATABASE_URI"]
    first = create_app("testing", SQLALCHEMY_DATABASE_URI=database,
                       RATELIMIT_STORAGE_URI=redis_url, LOGIN_ADDRESS_REQUESTS_PER_MINUTE=4)
    try:
        with first.app_context():
            codes = [_post(first.test_client(), f"x{n}", "wrong-pass").status_code
                     for n in range(2)]
            second = subprocess.run(
                [sys.executable, "-c", SECOND_INSTANCE, database, redis_url],
                capture_output=True, text=True, timeout=120, check=True,
                cwd=Path(__file__).resolve().parent.parent,
                env={**os.environ, "TRAINCENTER_ENV": "testing"})
            codes += [int(code) for code in second.stdout.split()]
            codes.append(_post(first.test_client(), "x9", "wrong-pass").status_code)
            limiter.reset()
            db.session.remove()
            db.engine.dispose()
    finally:
        with app.app_context():
            limiter.init_app(app)  # the shared limiter object points at the test app's storage again
    assert codes == [200, 200, 200, 200, 429]


# -- the same answer and the same work for known and unknown logins ---------------------------


def _text(response) -> str:
    page = response.get_data(as_text=True)
    return re.search(r'class="flash flash-error" role="status">(.*?)<', page, re.S).group(1).strip()


def test_known_and_unknown_logins_get_the_same_answers_all_the_way_to_the_lock(client, make):
    staff = make.user("staff")
    known = [_post(client, staff.username, "wrong-password") for _ in range(6)]
    unknown = [_post(client, "no-such-person", "wrong-password") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 5 + [429]
    assert [_text(r) for r in known] == [_text(r) for r in unknown]


@pytest.fixture
def scrypt_calls(monkeypatch):
    """Every scrypt computation, as its (n, r, p) parameters."""
    calls = []
    real = hashlib.scrypt

    def spy(password, *, salt, n, r, p, maxmem=0, dklen=64):
        calls.append((n, r, p))
        return real(password, salt=salt, n=n, r=r, p=p, maxmem=maxmem, dklen=dklen)

    monkeypatch.setattr(hashlib, "scrypt", spy)
    return calls


def _hash_work(calls, name, password="wrong-password"):
    calls.clear()
    try:
        operations.authenticate(name, password, "192.0.2.7")
    except operations.DomainError:
        pass
    return sorted(calls)


def test_unknown_and_known_logins_run_the_same_hash_function(make, scrypt_calls):
    staff = make.user("staff")
    trainee = make.trainee_user()
    inactive = make.user("instructor", is_active_account=False)
    passwords.verify_login(None, "warm up the dummy hashes")
    work = {
        "known, wrong password": _hash_work(scrypt_calls, staff.username),
        "known, right password": _hash_work(scrypt_calls, staff.username, PASSWORD),
        "trainee by ID number": _hash_work(scrypt_calls, trainee.trainee.id_number),
        "deactivated account": _hash_work(scrypt_calls, inactive.username, PASSWORD),
        "unknown login": _hash_work(scrypt_calls, "nobody-at-all"),
        "empty login": _hash_work(scrypt_calls, ""),
    }
    assert work["unknown login"] == [(1024, 8, 1)]  # the tests' cheap method, checked once
    assert all(calls == work["unknown login"] for calls in work.values()), work


def test_full_strength_and_imported_hashes_cost_the_same_as_no_account(app, make, scrypt_calls):
    """In production staff passwords use full scrypt and imported one-time passwords a lighter
    one: every login runs one check of each, whichever hash the account has, if any."""
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    staff = make.user("staff")
    assert staff.password_hash.startswith("scrypt:32768:8:1$")
    imported = make.trainee_user()
    imported.password_hash = passwords.hash_initial_password(PASSWORD)
    db.session.commit()
    passwords.verify_login(None, "warm up the dummy hashes")
    expected = sorted([(32768, 8, 1), (4096, 8, 1)])
    assert _hash_work(scrypt_calls, staff.username) == expected
    assert _hash_work(scrypt_calls, imported.username) == expected
    assert _hash_work(scrypt_calls, imported.username, PASSWORD) == expected
    assert _hash_work(scrypt_calls, "nobody-at-all") == expected


def test_a_hash_of_an_old_method_is_upgraded_at_login(make):
    from werkzeug.security import generate_password_hash

    user = make.user("staff")
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    db.session.commit()
    assert operations.authenticate(user.username, PASSWORD, "192.0.2.8").id == user.id
    db.session.expire_all()
    assert db.session.get(User, user.id).password_hash.startswith("scrypt:1024:8:1$")


def test_known_and_unknown_logins_run_the_same_statements(make):
    from sqlalchemy import event

    staff = make.user("staff")
    staff_id, name = staff.id, staff.username
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement.split()[0])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        from traincenter.auth.queries import find_login

        found = [find_login(name), find_login("nobody"), find_login("")]
        assert find_login(name + "\x00") is None
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert found[0].id == staff_id and found[1] is None and found[2] is None
    assert len(statements) == 12  # three lookups each


def test_control_characters_in_a_login_are_refused_like_any_unknown_name(client, make):
    staff = make.user("staff")
    response = _post(client, staff.username + "\x01", PASSWORD)
    assert response.status_code == 200 and "账号或密码错误" in response.get_data(as_text=True)
    assert db.session.query(LoginAttempt).one().login == staff.username.lower()
    # A NUL character is refused before the login is read at all: a malformed request, not a
    # password tried, so it neither logs in nor counts against the account.
    response = _post(client, staff.username + "\x00", PASSWORD)
    assert response.status_code == 400
    assert db.session.query(LoginAttempt).count() == 1  # the earlier attempt only


def test_two_instances_counting_the_first_failure_of_a_name_at_once(make, monkeypatch):
    """The instance that loses the race to insert a name's first failure counts on the row the
    other one inserted."""
    real = operations._count_failure
    calls = []

    def racing(key, now, policy):
        calls.append(key)
        if len(calls) == 1:
            # Our UPDATE found no row; the other instance commits the name's first failure …
            with db.engine.begin() as other:
                other.execute(insert(LoginLock).values(key=key, failures=1, last_failure_at=now))
            # … before our INSERT of the same first failure reaches the database.
            db.session.add(LoginLock(key=key, failures=1, last_failure_at=now))
            return
        real(key, now, policy)

    monkeypatch.setattr(operations, "_count_failure", racing)
    with pytest.raises(operations.DomainError):
        operations.authenticate("nobody-racing", "wrong-pass", "192.0.2.9")
    db.session.expire_all()
    assert db.session.get(LoginLock, "nobody-racing").failures == 2
    assert db.session.query(LoginAttempt).count() == 1
    assert calls == ["nobody-racing", "nobody-racing"]


def test_login_page_still_logs_in(client, make):
    login(client, make.user("staff"))
