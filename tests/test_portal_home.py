"""The trainee's home page."""

from __future__ import annotations

from .conftest import login


def test_trainee_home_shows_hours_result_and_status(client, make):
    user = make.trainee_user()
    enrolment = make.enrolment(user.trainee)
    make.hours(enrolment, classroom=40, self_study=10)
    old = make.enrolment(user.trainee, make.training_class())
    exam = make.exam(old.training_class)
    make.result(exam, old, 80, 50)
    login(client, user)
    page = client.get("/me/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert user.trainee.name in page
    assert "40 / 80" in page and "10 / 70" in page
    assert "不合格" in page
    assert "不可上岗" in page


def test_unpublished_result_is_not_shown(client, make):
    user = make.trainee_user()
    enrolment = make.enrolment(user.trainee)
    make.result(make.exam(enrolment.training_class), enrolment, 30, 20, status="submitted")
    login(client, user)
    page = client.get("/me/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "不合格" not in page


def test_trainee_home_is_reached_from_the_root(client, make):
    user = make.trainee_user()
    login(client, user)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/me/")


def test_the_certificate_button_shows_while_a_certificate_stands(client, make):
    from traincenter.extensions import db
    from traincenter.models.base import utcnow

    user = make.trainee_user()
    login(client, user)
    button = 'class="button wide" href="/me/certificate"'
    assert button not in client.get("/me/").get_data(as_text=True)  # none yet
    enrolment = make.enrolment(user.trainee)
    certificate = make.certificate(make.result(make.exam(enrolment.training_class), enrolment,
                                               80, 85))
    assert button in client.get("/me/").get_data(as_text=True)
    certificate.revoked_at = utcnow()
    db.session.commit()
    assert button not in client.get("/me/").get_data(as_text=True)
