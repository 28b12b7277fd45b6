"""Issue 16's journeys in Debian's Chromium: an applicant on a 360-px phone through to staff
acceptance and her first login; a trainee checking in from a phone by scanning the projector's QR
code; an old code refused."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from traincenter import rules, settings
from traincenter.extensions import db
from traincenter.models import Application, Attendance, Enrolment, Trainee
from traincenter.training import codes

from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _ok(page, allow_400: bool = False) -> None:
    """No server error page and no JavaScript error (a refused form answers 400 on purpose)."""
    assert "服务器出错" not in page.content()
    errors = [e for e in page.console_errors if not (allow_400 and "status of 400" in e)]
    assert errors == [], errors


@pytest.fixture(autouse=True)
def no_favicon(page, phone):
    """The app has no favicon; the browser's automatic request for one is not the page's error."""
    for tab in (page, phone):
        tab.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))


@pytest.fixture
def quick_form(live):
    """No minimum fill time for a test that types faster than a person (restored afterwards):
    at 1 s the outcome hung on how fast the machine typed. The rule has its own tests."""
    saved = live.app.config["APPLY_MIN_FILL_SECONDS"]
    live.app.config["APPLY_MIN_FILL_SECONDS"] = 0
    yield
    live.app.config["APPLY_MIN_FILL_SECONDS"] = saved


def test_an_applicant_on_a_phone_is_accepted_by_staff_and_logs_in(live, world, phone, page,
                                                                 quick_form):
    with live.context():
        track = world.track(name="育婴师")
        training_class = world.training_class(track=track, name="育婴师十二月班",
                                              starts_on=date.today() + timedelta(days=3))
        world.user("staff", username="zhou_staff", display_name="教务 周敏")
        class_id, track_id = training_class.id, track.id
    id_number = rules.make_id_number("430702", date(1979, 6, 5), 42, "F")
    wrong = id_number[:-1] + ("0" if id_number[-1] != "0" else "1")

    phone.goto("/apply")
    _ok(phone)
    assert no_horizontal_scroll(phone)
    phone.locator("#name").fill("何春梅")
    phone.locator("#id_number").fill(wrong)  # one digit mistyped
    phone.locator("#phone").fill("13907361234")
    phone.locator("#education").select_option("primary")
    phone.locator("#origin").select_option("rural")
    phone.locator("#track_id").select_option(str(track_id))
    phone.locator("#consents_to_processing").check()
    phone.get_by_role("button", name="提交报名").click()
    phone.wait_for_load_state()
    _ok(phone, allow_400=True)
    assert "校验" in phone.locator("#id_number").locator("..").inner_text()
    # everything she typed is still there
    assert phone.locator("#name").input_value() == "何春梅"
    assert phone.locator("#phone").input_value() == "13907361234"
    assert phone.locator("#track_id").input_value() == str(track_id)
    assert phone.locator("#consents_to_processing").is_checked()
    assert not phone.locator("#consents_to_listing").is_checked()
    assert no_horizontal_scroll(phone)
    phone.locator("#id_number").fill(id_number)
    phone.locator("#consents_to_listing").check()
    phone.get_by_role("button", name="提交报名").click()
    phone.wait_for_load_state()
    _ok(phone, allow_400=True)
    assert "/apply/thanks" in phone.url, phone.locator("main").inner_text()
    assert "何*梅" in phone.locator("main").inner_text()

    # she checks her status
    phone.get_by_role("link", name="查询报名结果").click()
    phone.locator("#id_number").fill(id_number)
    phone.locator("#phone").fill("13907361234")
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    status = phone.locator("main").inner_text()
    assert "等待审核" in status and id_number not in status

    # staff accept her into the class: the slip carries her one-time password
    log_in(page, "zhou_staff")
    page.goto("/applications/")
    _ok(page)
    page.get_by_role("link", name="何春梅").click()
    page.locator("#class_id").select_option(str(class_id))
    page.get_by_role("button", name="录取并打印登录纸条").click()
    page.wait_for_load_state()
    _ok(page)
    password = page.locator(".password").inner_text().strip()
    assert "育婴师十二月班" in page.locator("main").inner_text()
    with live.context():
        trainee = db.session.scalar(select(Trainee).where(Trainee.id_number == id_number))
        assert trainee is not None and trainee.consents_to_listing
        assert db.session.scalar(select(Enrolment.class_id)
                                 .where(Enrolment.trainee_id == trainee.id)) == class_id
        assert db.session.scalar(select(Application.status)) == "accepted"

    # her status now says so, and her first login asks for her own password
    phone.goto("/apply/status")
    phone.locator("#id_number").fill(id_number)
    phone.locator("#phone").fill("13907361234")
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_load_state()
    assert "育婴师十二月班" in phone.locator("main").inner_text()
    log_in(phone, id_number, password)
    assert "/auth/password" in phone.url
    phone.locator("input[name=current]").fill(password)
    phone.locator("input[name=new]").fill("chunmei-2026")
    phone.locator("input[name=confirm]").fill("chunmei-2026")
    phone.locator("form:has(input[name=confirm]) [type=submit]").click()
    phone.wait_for_load_state()
    phone.goto("/me/")
    _ok(phone, allow_400=True)
    assert "何春梅" in phone.locator("main").inner_text()
    assert "育婴师十二月班" in phone.locator("main").inner_text()
    assert no_horizontal_scroll(phone)


def _session_now(world, minutes_ago: float):
    teacher = world.user("instructor", username="teacher_li", display_name="李老师")
    training_class = world.training_class(instructors=[teacher], name="一般家政十一月班")
    start = (settings.local_now() - timedelta(minutes=minutes_ago)).replace(microsecond=0)
    session = world.session(training_class, hours=3, held_on=start.date(),
                            starts_at=start.time())
    user = world.trainee_user(name="钱桂芳")
    world.enrolment(user.trainee, training_class)
    return session, user


def test_a_trainee_checks_in_from_her_phone_by_scanning_the_projector(live, world, page, phone,
                                                                     tmp_path):
    with live.context():
        session, user = _session_now(world, minutes_ago=3)
        session_id, login_name = session.id, user.username

    log_in(page, "teacher_li")
    page.goto(f"/training/sessions/{session_id}/checkin")
    _ok(page)
    assert "0 / 1" in page.locator(".checkin-count").inner_text().replace("\xa0", " ")
    # the phone's camera: read the QR code off the projected page
    page.locator("#checkin-qr").screenshot(path=str(tmp_path / "qr.png"))
    [code] = zxingcpp.read_barcodes(Image.open(tmp_path / "qr.png").convert("L"))
    assert code.text.startswith(live.base_url + f"/me/checkin/{session_id}/scan?c=")

    phone.goto(code.text)  # not logged in yet: the login page, then back to the check-in
    assert "/auth/login" in phone.url
    phone.locator("input[name=login]").fill(login_name)
    phone.locator("input[name=password]").fill("password123")
    phone.locator("form:has(input[name=login]) [type=submit]").click()
    phone.wait_for_load_state()
    assert f"/me/checkin/{session_id}" in phone.url
    assert no_horizontal_scroll(phone)
    phone.get_by_role("button", name="点这里签到").click()
    phone.wait_for_load_state()
    _ok(phone)
    result = phone.locator(".checkin-result").inner_text()
    assert "已签到" in result and "出勤" in result
    assert no_horizontal_scroll(phone)

    # the projector's list fills by itself
    page.locator("#checkin-arrived").get_by_text("钱桂芳").wait_for(timeout=15000)
    assert page.locator("#checkin-arrived-count").inner_text() == "1"
    _ok(page)
    with live.context():
        record = db.session.scalar(select(Attendance).where(Attendance.session_id == session_id))
        assert record.status == "present" and record.method == "qr"


def test_an_old_code_is_refused_on_the_phone(live, world, phone):
    with live.context():
        session, user = _session_now(world, minutes_ago=3)
        session_id, login_name = session.id, user.username
        old = codes.current_code(session, time.time() - 3 * rules.CHECKIN_STEP_SECONDS)
    log_in(phone, login_name)
    phone.goto(f"/me/checkin/{session_id}/scan?c={old}")
    _ok(phone)
    refusal = phone.locator(".checkin-result").inner_text()
    assert "没有签到" in refusal and "过期" in refusal
    assert not phone.get_by_role("button", name="点这里签到").count()
    assert no_horizontal_scroll(phone)
    with live.context():
        assert db.session.scalar(select(Attendance.id)) is None
