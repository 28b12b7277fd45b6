"""The trainee registry: registration with a login and slip, ID checks, search, timeline."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from traincenter import rules
from traincenter.extensions import db
from traincenter.models import Trainee, User
from traincenter.paging import PER_PAGE

from .conftest import login

ID_NUMBER = rules.make_id_number("110105", date(1975, 3, 12), 2, "F")


def _form(**overrides) -> dict:
    data = {"name": "王秀英", "id_number": ID_NUMBER, "phone": "13900000001",
            "education": "junior", "origin": "rural", "address": "", "notes": ""}
    data.update(overrides)
    return data


def test_registering_creates_trainee_login_and_shows_the_password_once(client, login_as, app):
    login_as("staff")
    response = client.post("/trainees/new", data=_form(consents_to_listing="y"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    db.session.expire_all()
    trainee = db.session.scalar(select(Trainee).where(Trainee.id_number == ID_NUMBER))
    assert trainee.birth_on == date(1975, 3, 12) and trainee.gender == "F"
    assert trainee.consents_to_listing is True
    user = trainee.user
    assert user.role == "trainee" and user.username == ID_NUMBER and user.must_change_password
    password = re.search(r'class="password">([a-z0-9]+)<', page).group(1)
    assert len(password) == 10
    # the trainee logs in with the ID number (or the phone) and the printed password
    phone_client = app.test_client()
    response = phone_client.post("/auth/login", data={"login": "13900000001", "password": password})
    assert response.status_code == 302
    assert "/auth/password" in phone_client.get("/me/hours").headers["Location"]


@pytest.mark.parametrize("number, message", [
    (ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1"), "校验位"),
    ("11010519750312", "18"),
    ("110105197513120021", "出生日期"),
])
def test_bad_id_numbers_are_refused_in_chinese(client, login_as, number, message):
    login_as("staff")
    response = client.post("/trainees/new", data=_form(id_number=number),
                           headers={"Accept-Language": "zh-CN"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(Trainee.id)) is None
    assert db.session.scalar(select(User.id).where(User.role == "trainee")) is None


def test_duplicate_id_number_links_to_the_existing_trainee(client, login_as, make):
    existing = make.trainee(id_number=ID_NUMBER, name="李桂兰")
    login_as("staff")
    response = client.post("/trainees/new", data=_form(id_number=ID_NUMBER.lower()))
    page = response.get_data(as_text=True)
    assert f"/trainees/{existing.id}" in page and "李桂兰" in page
    assert db.session.scalar(select(db.func.count(Trainee.id))) == 1


@pytest.mark.parametrize("field, value", [("phone", "1234"), ("name", " "), ("education", "phd")])
def test_bad_fields_change_nothing(client, login_as, field, value):
    login_as("staff")
    response = client.post("/trainees/new", data=_form(**{field: value}))
    assert response.status_code == 200
    assert db.session.scalar(select(Trainee.id)) is None


def test_edit_keeps_the_id_number_and_updates_the_login(client, login_as, make):
    trainee = make.trainee(with_login=True)
    login_as("staff")
    response = client.post(f"/trainees/{trainee.id}/edit", data=_form(
        name="赵凤珍", phone="13700000009", id_number="110105199001010000", education="senior"))
    assert response.status_code == 302
    db.session.expire_all()
    assert trainee.name == "赵凤珍" and trainee.education == "senior"
    assert trainee.id_number != "110105199001010000"
    assert trainee.user.display_name == "赵凤珍" and trainee.user.phone == "13700000009"


def test_reset_password_gives_a_new_slip_and_ends_old_sessions(client, login_as, make, app):
    user = make.trainee_user()
    trainee_client = app.test_client()
    login(trainee_client, user)
    login_as("staff")
    response = client.post(f"/trainees/{user.trainee.id}/password")
    assert response.status_code == 200
    password = re.search(r'class="password">([a-z0-9]+)<', response.get_data(as_text=True)).group(1)
    db.session.expire_all()
    assert user.must_change_password
    assert trainee_client.get("/me/hours").status_code == 302  # the old session is over
    assert app.test_client().post("/auth/login", data={"login": user.username,
                                                       "password": password}).status_code == 302


def test_search_is_partial_and_filters_combine(client, login_as, make):
    track = make.track()
    cls = make.training_class(track=track, starts_on=date(2025, 3, 1), ends_on=date(2025, 5, 1))
    wang = make.trainee(name="王秀英", phone="13911112222", education="primary", origin="laid_off")
    make.enrolment(wang, cls, status="passed")
    make.trainee(name="王桂兰", education="junior")
    make.trainee(name="李红")
    login_as("staff")

    def names(query: str) -> set[str]:
        page = client.get(f"/trainees/?{query}").get_data(as_text=True)
        return {name for name in ("王秀英", "王桂兰", "李红") if name in page}

    assert names("q=王") == {"王秀英", "王桂兰"}
    assert names("q=1112222") == {"王秀英"}
    assert names(f"q={wang.id_number[-6:]}") == {"王秀英"}
    assert names("education=primary") == {"王秀英"}
    assert names("origin=laid_off") == {"王秀英"}
    assert names(f"track={track.id}&year=2025&status=passed") == {"王秀英"}
    assert names("year=2024") == set()
    assert names("status=none") == {"王桂兰", "李红"}



def test_registry_paginates(client, login_as, make):
    for _ in range(PER_PAGE + 1):
        make.trainee()
    login_as("staff")
    first = client.get("/trainees/").get_data(as_text=True)
    assert "page=2" in first
    second = client.get("/trainees/?page=2").get_data(as_text=True)
    assert second.count("/trainees/") > 2


def test_timeline_shows_the_whole_history(client, login_as, make):
    cert = make.certified(name="周淑华")
    trainee = cert.trainee
    make.health(trainee, issued_on=date.today().replace(day=1))
    make.placement(trainee, employer_name="张先生家", job_type="老人照料")
    login_as("staff")
    page = client.get(f"/trainees/{trainee.id}").get_data(as_text=True)
    enrolment = trainee.enrolments[0]
    for text in ("周淑华", enrolment.training_class.name, cert.number, "市疾病预防控制中心",
                 "张先生家", "老人照料", "80", "85", "badge-green"):
        assert text in page, text


def test_timeline_of_unknown_trainee_is_404(client, login_as):
    login_as("staff")
    assert client.get("/trainees/999999").status_code == 404


def test_chinese_pages(client, login_as):
    login_as("staff")
    page = client.get("/trainees/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "登记学员" in page


def test_imported_one_time_passwords_use_the_lighter_scrypt_factor(app):
    from werkzeug.security import check_password_hash

    from traincenter.auth.passwords import hash_initial_password

    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    hashed = hash_initial_password("abcdefghjk")
    assert hashed.startswith("scrypt:4096:8:1$")
    assert check_password_hash(hashed, "abcdefghjk")


def test_timeline_colours_each_health_certificate(client, login_as, make):
    from datetime import timedelta

    trainee = make.trainee()
    today = date.today()
    make.health(trainee, issued_on=today - timedelta(days=400), expires_on=today - timedelta(days=35))
    make.health(trainee, issued_on=today - timedelta(days=340), expires_on=today + timedelta(days=25))
    login_as("staff")
    page = client.get(f"/trainees/{trainee.id}").get_data(as_text=True)
    assert "badge-red\">已过期" in page and "badge-yellow\">即将过期" in page
    assert page.count("badge badge-red") == 2  # no certificate: not fit for duty, and the expired one
