"""The administrator's account pages."""

from __future__ import annotations

from traincenter.extensions import db
from traincenter.models import User

from .conftest import login


def test_admin_creates_an_instructor_with_a_one_time_password(client, app, login_as):
    login_as("admin")
    response = client.post("/auth/users/new", data={"username": "teacher9", "display_name": "王老师",
                                                    "role": "instructor", "phone": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "teacher9" in page
    user = db.session.query(User).filter_by(username="teacher9").one()
    assert user.role == "instructor" and user.must_change_password
    password = page.split('class="password">')[1].split("<")[0]
    fresh = app.test_client()
    assert fresh.post("/auth/login", data={"login": "teacher9", "password": password}).status_code == 302
    assert "/auth/password" in fresh.get("/").headers["Location"]


def test_duplicate_username_is_refused(client, login_as, make):
    login_as("admin")
    existing = make.user("staff")
    response = client.post("/auth/users/new", data={"username": existing.username,
                                                    "display_name": "x", "role": "staff"},
                           headers={"Accept-Language": "zh-CN"})
    assert "已被占用" in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(username=existing.username).count() == 1


def test_deactivate_ends_sessions_and_cannot_lock_oneself_out(client, app, login_as, make):
    admin = login_as("admin")
    teacher = make.user("instructor")
    other = app.test_client()
    login(other, teacher)
    client.post(f"/auth/users/{teacher.id}/active")
    assert "/auth/login" in other.get("/auth/password").headers.get("Location", "")
    response = client.post(f"/auth/users/{admin.id}/active", follow_redirects=True,
                           headers={"Accept-Language": "zh-CN"})
    assert "不能停用您自己的账号" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).is_active_account


def test_reset_gives_a_new_password(client, login_as, make):
    login_as("admin")
    teacher = make.user("instructor")
    old_hash = teacher.password_hash
    response = client.post(f"/auth/users/{teacher.id}/reset")
    assert response.status_code == 200
    db.session.expire_all()
    user = db.session.get(User, teacher.id)
    assert user.password_hash != old_hash and user.must_change_password
