"""Online applications (issue 16): the public form, its checks against bots, the status check,
the staff's queue and decisions, the figures and the poster."""

from __future__ import annotations

import io
import re
import time
from datetime import date, timedelta

import pypdf
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from traincenter import rules
from traincenter.applications import guard
from traincenter.extensions import db
from traincenter.models import Application, Enrolment, Trainee, User

from .pdftext import pdftotext
from .test_training import count_queries

STAMP = re.compile(r'name="stamp" type="hidden" value="([^"]+)"|id="stamp" name="stamp" '
                   r'type="hidden" value="([^"]+)"')
ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def quick(app):
    """Tests send the form at once: no minimum fill time unless a test sets one."""
    app.config["APPLY_MIN_FILL_SECONDS"] = 0
    return app


def _stamp(seconds_ago: float = 60) -> str:
    return guard.new_stamp(time.time() - seconds_ago)


def _form(track, **overrides) -> dict:
    data = {"name": "王秀英", "id_number": rules.make_id_number("110105", date(1978, 3, 4), 21, "F"),
            "phone": "13912345678", "education": "primary", "origin": "rural",
            "track_id": str(track.id), "preferred_start": "asap",
            "consents_to_processing": "y", "stamp": _stamp(), "website": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _apply(client, data, address="10.0.0.1"):
    return client.post("/apply", data=data, headers=ZH, environ_base={"REMOTE_ADDR": address})


def _count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Application.id)))


# -- the form ---------------------------------------------------------------------------------


def test_the_form_is_public_chinese_and_lists_the_active_tracks(client, make):
    make.track(name="育婴师")
    make.track(name="旧专业", is_active=False)
    page = client.get("/apply", headers=ZH).get_data(as_text=True)
    assert "在线报名" in page
    assert "育婴师" in page and "旧专业" not in page
    assert STAMP.search(page)
    assert 'name="website"' in page and 'class="hp-field"' in page
    # the two consents are separate boxes, neither ticked in advance
    boxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', page)
    assert len(boxes) == 2 and not any("checked" in box for box in boxes)


def test_a_good_application_is_received_and_thanked_masked(client, make, quick):
    track = make.track(name="养老护理")
    response = _apply(client, _form(track, consents_to_listing="y",
                                    preferred_start=rules.preferred_start_choices(
                                        date.today())[1].strftime("%Y-%m")))
    assert response.status_code == 302 and response.headers["Location"].endswith("/apply/thanks")
    application = db.session.scalar(select(Application))
    assert application.status == "received" and application.name == "王秀英"
    assert application.gender == "F" and application.birth_on == date(1978, 3, 4)
    assert application.consents_to_processing and application.consents_to_listing
    assert application.preferred_start_on == rules.preferred_start_choices(date.today())[1]
    assert application.address_key == guard.address_key("10.0.0.1")
    assert "10.0.0.1" not in application.address_key  # never the address itself
    page = client.get("/apply/thanks", headers=ZH).get_data(as_text=True)
    assert "王*英" in page and "139****5678" in page and "王秀英" not in page


def test_full_width_digits_and_a_country_code_are_read_as_meant(client, make, quick):
    track = make.track()
    number = rules.make_id_number("110105", date(1978, 3, 4), 21, "F")
    full_width = "".join(chr(0xFF10 + int(ch)) if ch.isdigit() else ch for ch in number)
    assert _apply(client, _form(track, id_number=full_width,
                                phone="+86 139-1234-5678")).status_code == 302
    application = db.session.scalar(select(Application))
    assert application.id_number == number and application.phone == "13912345678"
    page = _status(client, full_width, "139 1234 5678").get_data(as_text=True)
    assert "已收到" in page


def test_consent_to_listing_is_separate_and_optional(client, make, quick):
    track = make.track()
    assert _apply(client, _form(track)).status_code == 302
    assert db.session.scalar(select(Application.consents_to_listing)) is False


def test_bad_input_gets_chinese_messages_for_every_field_and_keeps_what_she_typed(client, make,
                                                                                 quick):
    track = make.track()
    response = _apply(client, _form(track, name="", id_number="11010519780304002X",
                                    phone="1391234", education="", track_id="",
                                    consents_to_processing=None, consents_to_listing="y"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in ("请填写您的姓名", "校验", "11位", "请选择您的文化程度", "请选择您想学的",
                    "同意"):
        assert message in page, message
    assert 'value="11010519780304002X"' in page and 'value="1391234"' in page
    assert re.search(r'name="consents_to_listing"[^>]*checked|checked[^>]*name="consents_to_listing"',
                     page)
    assert _count() == 0


def test_an_unknown_or_inactive_track_or_a_month_not_offered_is_refused(client, make, quick):
    retired = make.track(is_active=False)
    assert _apply(client, _form(retired)).status_code == 400
    track = make.track()
    assert _apply(client, _form(track, preferred_start="2001-01")).status_code == 400
    assert _count() == 0


# -- against bots -----------------------------------------------------------------------------


def test_the_honeypot_keeps_the_form_and_saves_nothing(client, make, quick):
    track = make.track()
    response = _apply(client, _form(track, website="http://spam.example"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "王秀英" in page and "请检查" in page
    assert _count() == 0


def test_a_form_sent_faster_than_a_person_can_fill_it_is_shown_again(client, make, app):
    app.config["APPLY_MIN_FILL_SECONDS"] = 8
    track = make.track()
    response = _apply(client, _form(track, stamp=_stamp(seconds_ago=2)))
    assert response.status_code == 400 and _count() == 0
    fresh = STAMP.search(response.get_data(as_text=True))
    assert fresh  # a new stamp: sent again later, it is taken
    assert _apply(client, _form(track, stamp=_stamp(seconds_ago=9))).status_code == 302


def test_a_person_who_typed_something_wrong_sees_that_first_not_the_bot_check(client, make,
                                                                            app):
    app.config["APPLY_MIN_FILL_SECONDS"] = 8
    track = make.track()
    stamp = _stamp(seconds_ago=2)
    response = _apply(client, _form(track, phone="12345", stamp=stamp))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "11位" in page and "没有提交成功" not in page
    assert stamp in page  # the same stamp: correcting the phone later is not "too fast"


@pytest.mark.parametrize("stamp", ["", "forged.value", None])
def test_a_missing_or_forged_stamp_is_not_taken(client, make, quick, stamp):
    track = make.track()
    data = _form(track, stamp=stamp)
    response = _apply(client, data)
    assert response.status_code == 400 and _count() == 0
    assert "王秀英" in response.get_data(as_text=True)


def test_a_stamp_older_than_a_day_asks_to_send_again(client, make, quick):
    track = make.track()
    response = _apply(client, _form(track, stamp=_stamp(seconds_ago=25 * 3600)))
    assert response.status_code == 400 and "再提交" in response.get_data(as_text=True)
    assert _count() == 0


def test_one_address_may_send_a_limited_number_a_day(client, make, quick, app):
    app.config["APPLY_MAX_PER_ADDRESS_PER_DAY"] = 2
    track = make.track()
    for n in range(2):
        number = rules.make_id_number("110105", date(1980, 1, 1), 100 + n * 2, "F")
        assert _apply(client, _form(track, id_number=number)).status_code == 302
    third = rules.make_id_number("110105", date(1980, 1, 1), 200, "F")
    response = _apply(client, _form(track, id_number=third))
    assert response.status_code == 400 and "太多" in response.get_data(as_text=True)
    # another address is not affected
    assert _apply(client, _form(track, id_number=third), address="10.0.0.2").status_code == 302
    assert _count() == 3


def test_the_form_is_rate_limited_per_address(client, make, quick, app):
    app.config["APPLY_RATE_LIMIT"] = "3 per minute"
    track = make.track()
    statuses = [_apply(client, _form(track, name="")).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert _apply(client, _form(track, name=""), address="10.0.0.9").status_code == 400


# -- an ID number already known ---------------------------------------------------------------


def _contact_page(response) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "请联系培训中心" in page
    return page


def test_a_registered_trainee_is_told_to_contact_the_center_and_nothing_else(client, make, quick):
    trainee = make.trainee(name="李桂兰")
    enrolment = make.enrolment(trainee)
    track = make.track()
    page = _contact_page(_apply(client, _form(track, name="张三", id_number=trainee.id_number)))
    for secret in ("李桂兰", "李*兰", enrolment.training_class.name, enrolment.training_class.code,
                   trainee.phone):
        assert secret not in page
    assert _count() == 0


def test_an_open_application_blocks_a_second_one_a_declined_one_does_not(client, make, quick):
    track = make.track()
    first = make.application(track=track, name="赵桂英")
    page = _contact_page(_apply(client, _form(track, id_number=first.id_number)))
    assert "赵桂英" not in page and "赵*英" not in page
    first.status, first.decline_reason = "declined", "名额已满"
    db.session.commit()
    assert _apply(client, _form(track, id_number=first.id_number)).status_code == 302
    assert _count() == 2


def test_the_contact_answer_names_the_center_phone_when_set(client, make, quick, app):
    app.config["CENTER_PHONE"] = "0571-88886666"
    trainee = make.trainee()
    page = _contact_page(_apply(client, _form(make.track(), id_number=trainee.id_number)))
    assert "0571-88886666" in page


# -- the applicant's status -------------------------------------------------------------------


def _status(client, id_number, phone, address="10.0.1.1"):
    return client.post("/apply/status", data={"id_number": id_number, "phone": phone},
                       headers=ZH, environ_base={"REMOTE_ADDR": address})


def test_status_needs_both_id_number_and_phone_and_shows_that_status_only_masked(client, make):
    track = make.track(name="育婴师")
    application = make.application(track=track, name="欧阳秀英", phone="13700001111")
    make.application(track=track, name="别人")
    page = _status(client, application.id_number, "13700001111").get_data(as_text=True)
    assert "欧阳**" in page and "137****1111" in page
    assert rules.mask_id_number(application.id_number) in page
    assert application.id_number not in page and "欧阳秀英" not in page and "别人" not in page
    assert "已收到" in page
    for wrong_phone in ("13700001112", ""):
        page = _status(client, application.id_number, wrong_phone).get_data(as_text=True)
        assert "没有找到" in page and "欧阳" not in page


@pytest.mark.parametrize(("status", "expected"), [
    ("waitlisted", "候补"), ("declined", "名额已满"), ("accepted", "报到")])
def test_status_says_what_happens_next(client, make, status, expected):
    training_class = make.training_class(name="育婴师一班")
    application = make.application(status=status, decline_reason="名额已满" if status == "declined"
                                   else None, class_id=training_class.id
                                   if status == "accepted" else None)
    page = _status(client, application.id_number, application.phone).get_data(as_text=True)
    assert expected in page
    if status == "accepted":
        assert "育婴师一班" in page


def test_status_checks_are_rate_limited(client, make, app):
    app.config["APPLY_RATE_LIMIT"] = "2 per minute"
    application = make.application()
    codes = [_status(client, application.id_number, "13000000000").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


# -- the staff's queue and decisions ----------------------------------------------------------


def test_the_queue_lists_open_applications_oldest_first_in_fixed_statements(client, make,
                                                                           login_as):
    track = make.track()
    older = make.application(track=track, name="先来", submitted_on=date.today() - timedelta(3))
    make.application(track=track, name="后到")
    make.application(track=track, name="已拒", status="declined", decline_reason="x")
    login_as("staff")
    page = client.get("/applications/", headers=ZH).get_data(as_text=True)
    assert page.index("先来") < page.index("后到") and "已拒" not in page
    assert f"/applications/{older.id}" in page
    declined = client.get("/applications/?status=declined").get_data(as_text=True)
    assert "已拒" in declined and "先来" not in declined
    assert "后到" in client.get("/applications/?q=后到&status=all").get_data(as_text=True)

    def statements() -> int:
        with count_queries() as seen:
            assert client.get("/applications/?status=all").status_code == 200
        return len(seen)

    few = statements()
    for n in range(30):
        make.application(track=make.track() if n % 5 == 0 else track)
    assert statements() == few


def _staff_accepts(client, application, training_class):
    return client.post(f"/applications/{application.id}/accept",
                       data={"class_id": str(training_class.id)}, headers=ZH)


def test_accepting_creates_the_trainee_the_enrolment_and_the_login_slip(client, make, login_as,
                                                                        other_client):
    track = make.track()
    training_class = make.training_class(track=track, starts_on=date.today() + timedelta(5))
    application = make.application(track=track, name="陈秀英", phone="13811112222",
                                   consents_to_listing=True)
    staff = login_as("staff")
    page = client.get(f"/applications/{application.id}", headers=ZH).get_data(as_text=True)
    assert training_class.name in page and application.id_number in page
    response = _staff_accepts(client, application, training_class)
    slip = response.get_data(as_text=True)
    assert response.status_code == 200 and "陈秀英" in slip
    password = re.search(r'class="password">([^<]+)<', slip).group(1)
    db.session.expire_all()
    trainee = db.session.scalar(select(Trainee).where(Trainee.id_number == application.id_number))
    assert trainee.consents_to_listing and trainee.phone == "13811112222"
    assert trainee.education == application.education and trainee.origin == application.origin
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.trainee_id == trainee.id))
    assert enrolment.class_id == training_class.id
    accepted = db.session.get(Application, application.id)
    assert accepted.status == "accepted" and accepted.trainee_id == trainee.id
    assert accepted.decided_by_id == staff.id and accepted.class_id == training_class.id
    # her first login, with the password on the slip: she must choose her own
    response = other_client.post("/auth/login", data={"login": application.id_number,
                                                      "password": password})
    assert response.status_code == 302
    assert "/auth/password" in other_client.get("/me/").headers["Location"]


def test_accepting_into_a_full_or_ended_class_changes_nothing(client, make, login_as):
    track = make.track()
    full = make.training_class(track=track, capacity=1)
    make.enrolment(training_class=full)
    ended = make.training_class(track=track, starts_on=date.today() - timedelta(60),
                                ends_on=date.today() - timedelta(1))
    application = make.application(track=track)
    login_as("staff")
    assert "满" in _staff_accepts(client, application, full).get_data(as_text=True)
    assert _staff_accepts(client, application, ended).status_code == 400
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "received"
    assert db.session.scalar(select(func.count(Trainee.id))) == 1
    assert db.session.scalar(select(func.count(User.id))) == 1  # the staff account only


def test_accepting_someone_registered_meanwhile_enrols_that_trainee(client, make, login_as):
    track = make.track()
    training_class = make.training_class(track=track)
    application = make.application(track=track)
    trainee = make.trainee_user(id_number=application.id_number).trainee
    login_as("staff")
    response = _staff_accepts(client, application, training_class)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).trainee_id == trainee.id
    assert db.session.scalar(select(Enrolment.class_id)
                             .where(Enrolment.trainee_id == trainee.id)) == training_class.id


def test_waitlist_then_accept_and_decline_needs_a_reason(client, make, login_as):
    application = make.application()
    other = make.application()
    login_as("staff")
    assert client.post(f"/applications/{application.id}/waitlist",
                       data={"note": "下期再联系"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "waitlisted"
    response = client.post(f"/applications/{other.id}/decline", data={"reason": ""}, headers=ZH)
    assert response.status_code == 400 and "原因" in response.get_data(as_text=True)
    assert client.post(f"/applications/{other.id}/decline",
                       data={"reason": "年龄不符合要求"}).status_code == 302
    db.session.expire_all()
    declined = db.session.get(Application, other.id)
    assert declined.status == "declined" and declined.decline_reason == "年龄不符合要求"
    # a decided application cannot be decided again
    response = client.post(f"/applications/{other.id}/waitlist", data={}, headers=ZH)
    assert response.status_code == 400
    assert db.session.get(Application, other.id).status == "declined"


def test_only_staff_decide(client, make, login_as):
    application = make.application()
    login_as("instructor")
    assert client.post(f"/applications/{application.id}/decline",
                       data={"reason": "x"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Application, application.id).status == "received"


# -- figures ----------------------------------------------------------------------------------


def test_figures_count_received_and_accepted_by_month_and_track(client, make, login_as):
    year = date.today().year - 1
    baby = make.track(name="育婴师")
    elder = make.track(name="养老护理")
    make.application(track=baby, submitted_on=date(year, 3, 5))
    make.application(track=baby, submitted_on=date(year, 3, 20), status="accepted",
                     decided_on=date(year, 4, 2))
    make.application(track=elder, submitted_on=date(year, 3, 31), status="declined",
                     decline_reason="x", decided_on=date(year, 4, 1))
    make.application(track=elder, submitted_on=date(year + 1, 1, 1))
    login_as("staff")
    page = client.get(f"/applications/figures?year={year}", headers=ZH).get_data(as_text=True)
    assert "育婴师" in page and "养老护理" in page
    from traincenter.applications.queries import figures

    figures_of_year = figures(year)
    assert figures_of_year.cell("received", 3, baby.id) == 2
    assert figures_of_year.cell("received", 3, elder.id) == 1
    assert figures_of_year.cell("accepted", 4, baby.id) == 1
    assert figures_of_year.cell("accepted", 3, baby.id) == 0
    assert figures_of_year.total("received") == 3 and figures_of_year.total("accepted") == 1
    assert "3 / 1" in page  # the year's total row: received / accepted


# -- the poster -------------------------------------------------------------------------------


def test_the_poster_is_an_a4_pdf_whose_qr_code_opens_the_form(client, make, login_as, app,
                                                            tmp_path):
    app.config["PUBLIC_BASE_URL"] = "https://px.example.cn"
    make.track(name="母婴护理")
    make.training_class(name="月嫂培训班", starts_on=date.today() + timedelta(10))
    login_as("staff")
    response = client.get("/applications/poster.pdf?phone=0571-88886666&address=幸福路1号"
                          "&note=可申请培训补贴")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert round(width / 72 * 25.4) == 210 and round(height / 72 * 25.4) == 297
    payloads = [code.text for image in reader.pages[0].images
                for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)).convert("L"))]
    assert payloads == ["https://px.example.cn/apply"]
    text = pdftotext(response.data)
    for expected in ("在线报名", "母婴护理", "月嫂培训班", "0571-88886666", "幸福路1号",
                     "可申请培训补贴"):
        assert expected in text, expected


def test_the_poster_command_needs_an_address_phones_can_open(app, runner, tmp_path):
    out = tmp_path / "poster.pdf"
    for base in ("", "http://127.0.0.1:5000"):
        app.config["PUBLIC_BASE_URL"] = base
        result = runner.invoke(args=["applications", "poster", str(out)])
        assert result.exit_code != 0 and "PUBLIC_BASE_URL" in result.output
        assert not out.exists()


def test_the_poster_command_writes_the_same_poster(app, runner, make, tmp_path):
    app.config["PUBLIC_BASE_URL"] = "https://px.example.cn"
    make.track(name="育婴师")
    out = tmp_path / "poster.pdf"
    result = runner.invoke(args=["applications", "poster", str(out), "--phone", "12345"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    result = runner.invoke(args=["applications", "figures", "--lang", "en"])
    assert result.exit_code == 0 and "received 0" in result.output
