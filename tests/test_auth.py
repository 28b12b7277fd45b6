"""Logging in and out, throttling, password changes, session invalidation, language."""

from __future__ import annotations

import pytest

from traincenter import create_app
from traincenter.auth import operations, passwords
from traincenter.extensions import db
from traincenter.models import User

from .conftest import login
from .factories import PASSWORD


def test_staff_logs_in_with_username_and_sees_the_dashboard(client, make):
    user = make.user("staff")
    login(client, user)
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "工作台" in page


def test_trainee_logs_in_with_id_number_or_phone(client, make):
    user = make.trainee_user(phone="13900001111")
    for login_name in (user.trainee.id_number.lower(), "13900001111"):
        response = client.post("/auth/login", data={"login": login_name, "password": PASSWORD})
        assert response.status_code == 302
        client.post("/auth/logout")


def test_ambiguous_phone_does_not_log_in(client, make):
    make.trainee_user(phone="13900002222")
    make.trainee_user(phone="13900002222")
    response = client.post("/auth/login", data={"login": "13900002222", "password": PASSWORD})
    assert response.status_code == 200
    assert "账号或密码错误" in response.get_data(as_text=True)


def test_wrong_password_is_refused_in_chinese(client, make):
    user = make.user("staff")
    response = client.post("/auth/login", data={"login": user.username, "password": "nope-nope"},
                           headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    assert "账号或密码错误" in response.get_data(as_text=True)


# Throttling (per-account lockout, per-address cap, unlock, constant work): test_login_throttle.py


def test_copied_cookie_is_dead_after_logout(app, client, make):
    user = make.user("staff")
    login(client, user)
    cookie = client.get_cookie("session")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    assert thief.get("/").status_code == 200
    assert "/auth/login" not in thief.get("/").headers.get("Location", "")
    client.post("/auth/logout")
    response = thief.get("/", headers={"Accept-Language": "zh-CN"})
    assert "工作台" not in response.get_data(as_text=True)


def test_copied_cookie_is_dead_after_password_change_and_deactivation(app, client, make):
    user = make.user("staff")
    login(client, user)
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    response = client.post("/auth/password", data={"current": PASSWORD, "new": "a-new-secret-9",
                                                   "confirm": "a-new-secret-9"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the person who changed it stays logged in
    assert "工作台" not in thief.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    thief.set_cookie("session", client.get_cookie("session").value)
    operations.set_active(db.session.get(User, user.id), False)
    assert "工作台" not in thief.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)


def test_deactivated_account_cannot_log_in(client, make):
    user = make.user("staff", is_active_account=False)
    response = client.post("/auth/login", data={"login": user.username, "password": PASSWORD})
    assert response.status_code == 200


def test_initial_password_must_be_changed_first(client, make):
    user = make.user("staff", must_change_password=True)
    login(client, user)
    response = client.get("/")
    assert response.status_code == 302 and "/auth/password" in response.headers["Location"]
    response = client.post("/auth/password", data={"current": PASSWORD, "new": "short",
                                                   "confirm": "short"})
    assert response.status_code == 200
    response = client.post("/auth/password", data={"current": PASSWORD, "new": "better-pass-1",
                                                   "confirm": "better-pass-1"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    db.session.expire_all()
    assert not db.session.get(User, user.id).must_change_password


def test_wrong_current_password_changes_nothing(client, make):
    user = make.user("staff")
    login(client, user)
    response = client.post("/auth/password", data={"current": "not-it-at-all", "new": "better-pass-1",
                                                   "confirm": "better-pass-1"},
                           headers={"Accept-Language": "zh-CN"})
    assert "当前密码不正确" in response.get_data(as_text=True)
    db.session.expire_all()
    assert passwords.password_matches(db.session.get(User, user.id).password_hash, PASSWORD)


def test_passwords_are_hashed_with_scrypt(make):
    user = make.user("staff")
    assert user.password_hash.startswith("scrypt:")


def test_open_redirect_is_refused(client, make):
    user = make.user("staff")
    response = client.post("/auth/login?next=https://evil.example/", data={
        "login": user.username, "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_page_in_chinese_for_a_chinese_browser_and_english_on_request(client):
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    assert "登录" in page and 'lang="zh-CN"' in page
    page = client.get("/auth/login", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "Log in" in page
    client.get("/lang/zh_Hans_CN")
    page = client.get("/auth/login", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert "登录" in page


def test_error_pages_are_friendly_and_chinese(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/auth/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    import config

    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", None)
    from traincenter import ConfigurationError

    with pytest.raises(ConfigurationError):
        create_app("production")


def test_create_admin_command(runner):
    result = runner.invoke(args=["users", "create-admin", "--username", "boss", "--name", "主任",
                                 "--password", "long-enough-1"])
    assert result.exit_code == 0, result.output
    user = db.session.query(User).filter_by(username="boss").one()
    assert user.role == "admin" and not user.must_change_password
    again = runner.invoke(args=["users", "create-admin", "--username", "boss", "--name", "x",
                                "--password", "long-enough-1"])
    assert again.exit_code != 0


def test_create_admin_refuses_a_short_password(runner):
    result = runner.invoke(args=["users", "create-admin", "--username", "boss2", "--name", "主任",
                                 "--password", "short"])
    assert result.exit_code != 0
    assert db.session.query(User).filter_by(username="boss2").count() == 0
