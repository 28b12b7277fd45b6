"""QR check-in for classroom sessions (issue 16): the projector screen, the scan, every refusal,
the record (who, when, how), corrections, closing, hours credited like the register's."""

from __future__ import annotations

import io
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from traincenter import rules, settings
from traincenter.extensions import db
from traincenter.models import Attendance
from traincenter.services.progress import eligibility_of
from traincenter.training import codes, operations
from traincenter.training.operations import checkin as checkin_operations

from .conftest import login
from .test_training import count_queries

ZH = {"Accept-Language": "zh-CN"}


def _session(make, training_class, minutes_ago: float = 5, hours: float = 2):
    """A session of ``training_class`` that started ``minutes_ago`` (negative: starts later)."""
    start = (settings.local_now() - timedelta(minutes=minutes_ago)).replace(microsecond=0)
    return make.session(training_class, hours=hours, held_on=start.date(), starts_at=start.time())


@pytest.fixture
def room(make):
    """An instructor's class with two trainees (with logins) and a session that started 5 min ago."""
    teacher = make.user("instructor")
    training_class = make.training_class(instructors=[teacher])
    users = [make.trainee_user() for _ in range(2)]
    enrolments = [make.enrolment(user.trainee, training_class) for user in users]
    return {"teacher": teacher, "class": training_class, "users": users,
            "enrolments": enrolments, "session": _session(make, training_class)}


def _code(session, seconds_ago: float = 0) -> str:
    return codes.current_code(session, time.time() - seconds_ago)


def _scan(client, session, code):
    return client.get(f"/me/checkin/{session.id}/scan?c={code}", headers=ZH)


def _records(session) -> list[Attendance]:
    db.session.expire_all()
    return list(db.session.scalars(select(Attendance).where(Attendance.session_id == session.id)))


# -- the projector screen ---------------------------------------------------------------------


def test_the_screen_shows_a_qr_code_of_the_scan_address_and_the_six_digits(client, room, app):
    app.config["PUBLIC_BASE_URL"] = "https://px.example.cn"
    session = room["session"]
    login(client, room["teacher"])
    page = client.get(f"/training/sessions/{session.id}/checkin", headers=ZH).get_data(as_text=True)
    code = _code(session)
    assert "请用手机扫码签到" in page and code in page
    assert f"/training/sessions/{session.id}/checkin/qr.png" in page
    assert "<script>" not in page.replace('<script src="', "")  # JS only from static files
    state = client.get(f"/training/sessions/{session.id}/checkin/state.json").get_json()
    assert state["state"] == "open" and state["code"] == code and state["total"] == 2
    assert sorted(row["name"] for row in state["waiting"]) == sorted(
        user.trainee.name for user in room["users"])
    assert state["arrived"] == [] and state["seconds_left"] <= rules.CHECKIN_STEP_SECONDS
    png = client.get(state["qr"])
    assert png.status_code == 200 and png.mimetype == "image/png"
    decoded = [c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(png.data)).convert("L"))]
    assert decoded == [f"https://px.example.cn/me/checkin/{session.id}/scan?c={code}"]


def test_the_code_changes_with_the_time_step(room):
    session = room["session"]
    now = time.time()
    assert codes.current_code(session, now) != codes.current_code(
        session, now + rules.CHECKIN_STEP_SECONDS)


def test_outside_the_window_the_screen_shows_when_and_no_code(client, room, make):
    later = _session(make, room["class"], minutes_ago=-60)
    login(client, room["teacher"])
    state = client.get(f"/training/sessions/{later.id}/checkin/state.json").get_json()
    assert state["state"] == "before" and state["code"] is None and state["qr"] is None
    assert client.get(f"/training/sessions/{later.id}/checkin/qr.png").status_code == 404
    page = client.get(f"/training/sessions/{later.id}/checkin", headers=ZH).get_data(as_text=True)
    assert f"签到将于{state['clock']['opens']}开始" in page


def test_another_instructor_cannot_open_the_screen(client, room, make):
    login(client, make.user("instructor"))
    for path in ("", "/state.json", "/qr.png"):
        assert client.get(f"/training/sessions/{room['session'].id}/checkin{path}").status_code == 403


def test_the_state_is_read_in_a_fixed_number_of_statements(client, room, make):
    session = room["session"]
    login(client, room["teacher"])

    def statements() -> int:
        with count_queries() as seen:
            assert client.get(f"/training/sessions/{session.id}/checkin/state.json").status_code == 200
        return len(seen)

    few = statements()
    for _ in range(30):
        enrolment = make.enrolment(make.trainee(), room["class"])
        make.attendance(session, enrolment, method="qr")
    assert statements() == few


# -- scanning and checking in -----------------------------------------------------------------


def test_a_logged_in_trainee_scans_confirms_and_is_present_with_who_when_how(client, room):
    session, user = room["session"], room["users"][0]
    login(client, user)
    before = datetime.now(UTC).replace(tzinfo=None)
    response = _scan(client, session, _code(session))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/me/checkin/{session.id}")
    page = client.get(f"/me/checkin/{session.id}", headers=ZH).get_data(as_text=True)
    assert "点这里签到" in page
    assert client.post(f"/me/checkin/{session.id}").status_code == 302
    [record] = _records(session)
    assert record.status == "present" and record.method == "qr"
    assert record.recorded_by_id == user.id and record.enrolment_id == room["enrolments"][0].id
    assert before - timedelta(seconds=1) <= record.scanned_at <= before + timedelta(seconds=30)
    page = client.get(f"/me/checkin/{session.id}", headers=ZH).get_data(as_text=True)
    assert "已签到" in page and "出勤" in page
    # the hours count exactly like the register's
    assert eligibility_of(room["enrolments"][0]).classroom == session.hours


def test_scanning_before_logging_in_comes_back_to_the_check_in(client, room):
    session, user = room["session"], room["users"][0]
    response = _scan(client, session, _code(session))
    assert response.status_code == 302
    response = client.get(response.headers["Location"])
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    login_url = response.headers["Location"]
    # she logs in some time later: the scan, judged when she made it, still counts
    response = client.post(login_url, data={"login": user.username, "password": "password123"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/me/checkin/{session.id}")
    assert "点这里签到" in client.get(f"/me/checkin/{session.id}", headers=ZH).get_data(as_text=True)
    assert client.post(f"/me/checkin/{session.id}").status_code == 302
    assert [r.status for r in _records(session)] == ["present"]


def test_first_login_password_change_also_returns_to_the_check_in(client, room):
    session, user = room["session"], room["users"][0]
    user.must_change_password = True
    db.session.commit()
    _scan(client, session, _code(session))
    login_url = client.get(f"/me/checkin/{session.id}").headers["Location"]
    response = client.post(login_url, data={"login": user.username, "password": "password123"})
    gate = client.get(response.headers["Location"])
    assert "/auth/password" in gate.headers["Location"]
    response = client.post(gate.headers["Location"], data={
        "current": "password123", "new": "my-own-pass-2026", "confirm": "my-own-pass-2026"})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert response.headers["Location"].endswith(f"/me/checkin/{session.id}")
    assert client.post(f"/me/checkin/{session.id}").status_code == 302
    assert len(_records(session)) == 1


def test_after_the_set_minutes_she_is_late_and_still_earns_the_hours(client, room, make):
    session = _session(make, room["class"], minutes_ago=rules.CHECKIN_LATE_AFTER_MINUTES + 5)
    login(client, room["users"][0])
    _scan(client, session, _code(session))
    client.post(f"/me/checkin/{session.id}")
    [record] = _records(session)
    assert record.status == "late"
    page = client.get(f"/me/checkin/{session.id}", headers=ZH).get_data(as_text=True)
    assert "迟到" in page
    assert eligibility_of(room["enrolments"][0]).classroom == session.hours


def test_the_late_minutes_are_a_setting(client, room, make, app):
    app.config["CHECKIN_LATE_AFTER_MINUTES"] = 30
    session = _session(make, room["class"], minutes_ago=20)
    login(client, room["users"][0])
    _scan(client, session, _code(session))
    client.post(f"/me/checkin/{session.id}")
    assert [r.status for r in _records(session)] == ["present"]


def _refused(response, words: str) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "没有签到" in page and words in page, page[-1500:]
    return page


def test_an_old_code_is_refused_in_plain_words(client, room):
    session = room["session"]
    login(client, room["users"][0])
    old = _code(session, seconds_ago=3 * rules.CHECKIN_STEP_SECONDS)
    _refused(_scan(client, session, old), "过期")
    assert _records(session) == []


def test_the_previous_code_still_counts_for_a_moment(client, room):
    session = room["session"]
    login(client, room["users"][0])
    just_replaced = _code(session, seconds_ago=rules.CHECKIN_STEP_SECONDS)
    assert _scan(client, session, just_replaced).status_code == 302
    client.post(f"/me/checkin/{session.id}")
    assert len(_records(session)) == 1


def test_a_made_up_code_is_refused(client, room):
    session = room["session"]
    code = _code(session)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    _refused(_scan(client, session, wrong), "不是这节课的签到码")
    _refused(_scan(client, session, ""), "不是这节课的签到码")


@pytest.mark.parametrize(("minutes_ago", "words"), [(-60, "才开始"), (3 * 60, "已于")])
def test_a_scan_outside_the_window_is_refused(client, room, make, minutes_ago, words):
    session = _session(make, room["class"], minutes_ago=minutes_ago, hours=1)
    login(client, room["users"][0])
    _refused(_scan(client, session, _code(session)), words)
    assert _records(session) == []


def test_someone_not_in_the_class_is_told_so(client, room, make):
    outsider = make.trainee_user()
    make.enrolment(outsider.trainee)  # in another class
    session = room["session"]
    login(client, outsider)
    response = client.get(f"/me/checkin/{session.id}", headers=ZH)
    assert response.status_code == 403 and "不在这个班" in response.get_data(as_text=True)
    assert _scan(client, session, _code(session)).status_code == 302
    response = client.post(f"/me/checkin/{session.id}", headers=ZH)
    assert response.status_code == 403 and "不在这个班" in response.get_data(as_text=True)
    assert _records(session) == []


def test_a_withdrawn_trainee_is_not_in_the_class(client, room):
    enrolment = room["enrolments"][0]
    enrolment.status = "withdrawn"
    db.session.commit()
    session = room["session"]
    login(client, room["users"][0])
    _scan(client, session, _code(session))
    response = client.post(f"/me/checkin/{session.id}", headers=ZH)
    assert response.status_code == 403 and "不在这个班" in response.get_data(as_text=True)


def test_a_second_scan_is_answered_and_changes_nothing(client, room):
    session = room["session"]
    login(client, room["users"][0])
    _scan(client, session, _code(session))
    client.post(f"/me/checkin/{session.id}")
    first = _records(session)[0].scanned_at
    _scan(client, session, _code(session))
    page = client.get(f"/me/checkin/{session.id}", headers=ZH).get_data(as_text=True)
    assert "已经签到过了" in page
    _refused(client.post(f"/me/checkin/{session.id}", headers=ZH), "已经签到")
    records = _records(session)
    assert len(records) == 1 and records[0].scanned_at == first


def test_a_record_made_by_the_teacher_is_not_overwritten_by_a_scan(client, room, make):
    session = room["session"]
    make.attendance(session, room["enrolments"][0], status="absent",
                    recorded_by_id=room["teacher"].id)
    login(client, room["users"][0])
    _scan(client, session, _code(session))
    _refused(client.post(f"/me/checkin/{session.id}", headers=ZH), "告诉老师")
    assert [r.status for r in _records(session)] == ["absent"]


def test_two_confirmations_at_once_keep_one_record(room, monkeypatch):
    session, user = room["session"], room["users"][0]
    scan = operations.Scan(_code(session), time.time())
    operations.check_in(session, user, scan, time.time())
    real = checkin_operations.attendance_record
    calls = {"n": 0}

    def racing(session_id, enrolment_id):  # the other request has not committed yet
        calls["n"] += 1
        return None if calls["n"] == 1 else real(session_id, enrolment_id)

    monkeypatch.setattr(checkin_operations, "attendance_record", racing)
    with pytest.raises(operations.CheckInRefused) as refusal:
        operations.check_in(session, user, scan, time.time())
    assert refusal.value.code == "already"
    assert len(_records(session)) == 1


def test_a_scan_kept_too_long_must_be_scanned_again(client, room):
    session = room["session"]
    login(client, room["users"][0])
    _scan(client, session, _code(session))
    with client.session_transaction() as cookie:
        ticket = cookie["checkin_scan"]
        cookie["checkin_scan"] = dict(ticket, at=ticket["at"] - 11 * 60)
    page = client.get(f"/me/checkin/{session.id}", headers=ZH).get_data(as_text=True)
    assert "点这里签到" not in page and "6位数字" in page  # no scan kept: type the code instead
    assert _records(session) == []


def test_the_six_digits_can_be_typed_instead_of_scanning(client, room):
    session = room["session"]
    login(client, room["users"][0])
    page = client.get(f"/me/checkin/{session.id}", headers=ZH).get_data(as_text=True)
    assert 'name="code"' in page and 'inputmode="numeric"' in page
    assert client.post(f"/me/checkin/{session.id}", data={"code": _code(session)}).status_code == 302
    assert [r.method for r in _records(session)] == ["qr"]


def test_typed_codes_are_limited_per_account(client, room, app):
    app.config["CHECKIN_CODE_RATE_LIMIT"] = "2 per minute"
    session = room["session"]
    login(client, room["users"][0])
    statuses = [client.post(f"/me/checkin/{session.id}", data={"code": "000000"}).status_code
                for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_scans_are_limited_per_address(client, room, app):
    app.config["CHECKIN_SCAN_RATE_LIMIT"] = "2 per minute"
    statuses = [_scan(client, room["session"], "000000").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_the_home_page_offers_the_check_in_of_the_session_now(client, room, make):
    login(client, room["users"][0])
    page = client.get("/me/", headers=ZH).get_data(as_text=True)
    assert f"/me/checkin/{room['session'].id}" in page and "正在上课" in page
    other = make.training_class()
    _session(make, other)  # not her class: not offered
    assert page.count("/me/checkin/") == 1


# -- corrections and closing ------------------------------------------------------------------


def test_the_teacher_corrects_a_scan_in_the_register(client, room):
    session = room["session"]
    first, second = room["enrolments"]
    operations.check_in(session, room["users"][0], operations.Scan(_code(session), time.time()),
                        time.time())
    login(client, room["teacher"])
    page = client.get(f"/training/sessions/{session.id}", headers=ZH).get_data(as_text=True)
    assert "扫码签到" in page  # the register says how each record was made
    client.post(f"/training/sessions/{session.id}", data={
        f"status-{first.id}": "absent", f"status-{second.id}": "present"})
    records = {r.enrolment_id: r for r in _records(session)}
    assert records[first.id].status == "absent" and records[first.id].method == "register"
    assert records[first.id].recorded_by_id == room["teacher"].id
    assert records[first.id].scanned_at is not None  # the scan's time is kept
    assert records[second.id].method == "register"
    assert eligibility_of(first).classroom == 0


def test_closing_the_check_in_marks_the_rest_absent(client, room):
    session = room["session"]
    first, second = room["enrolments"]
    operations.check_in(session, room["users"][0], operations.Scan(_code(session), time.time()),
                        time.time())
    login(client, room["teacher"])
    response = client.post(f"/training/sessions/{session.id}/checkin/close", headers=ZH)
    assert response.status_code == 302
    records = {r.enrolment_id: r for r in _records(session)}
    assert records[first.id].status == "present" and records[first.id].method == "qr"
    assert records[second.id].status == "absent" and records[second.id].method == "register"
    db.session.expire_all()
    assert session.attendance_taken_at is not None
    state = client.get(f"/training/sessions/{session.id}/checkin/state.json").get_json()
    assert len(state["arrived"]) == 1 and len(state["others"]) == 1 and state["waiting"] == []


def test_only_a_trainee_checks_in(room):
    session = room["session"]
    with pytest.raises(operations.CheckInRefused):
        operations.check_in(session, room["teacher"],
                            operations.Scan(_code(session), time.time()), time.time())
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_scan_pages_carry_no_inline_script(client, room):
    page = _scan(client, room["session"], "123").get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*src=)", page) and 'style="' not in page
