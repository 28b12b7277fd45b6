"""Health certificates: record one or a class, expiry defaults, watch lists, reminders, status."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from traincenter import rules
from traincenter.certificates import operations, watchlist
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import HealthCertificate
from traincenter.services import fitness

from .conftest import login


def _count():
    db.session.expire_all()
    return db.session.scalar(select(func.count(HealthCertificate.id)))


def test_record_one_defaults_to_one_year(client, make):
    staff = make.user("staff")
    trainee = make.trainee(name="吴秀英")
    login(client, staff)
    issued = date.today() - timedelta(days=3)
    response = client.post("/certificates/health/new", data={
        "trainee": trainee.id_number.lower(), "number": "JK2026-001", "issuer": "市疾控中心",
        "issued_on": issued.isoformat(), "expires_on": ""}, follow_redirects=True)
    assert "已为 吴秀英 登记健康证" in response.get_data(as_text=True)
    row = db.session.scalar(select(HealthCertificate))
    assert row.expires_on == rules.health_expiry_default(issued) and row.recorded_by_id == staff.id


@pytest.mark.parametrize("change, message", [
    ({"trainee": "110105197501010000"}, "没有找到这个身份证号、电话或姓名的学员"),
    ({"number": ""}, "请输入健康证编号"),
    ({"issued_on": (date.today() + timedelta(days=2)).isoformat()}, "发证日期不能晚于今天"),
    ({"expires_on": (date.today() - timedelta(days=30)).isoformat()}, "有效期必须晚于发证日期"),
    ({"issued_on": "2026-02-30"}, "issued_on"),
])
def test_record_one_refuses_bad_input(client, make, change, message):
    trainee = make.trainee()
    login(client, make.user("staff"))
    data = {"trainee": trainee.id_number, "number": "JK1", "issuer": "市疾控中心",
            "issued_on": (date.today() - timedelta(days=10)).isoformat(), "expires_on": ""}
    data.update(change)
    response = client.post("/certificates/health/new", data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page or 'id="issued_on"' in page and "has-error" in page
    assert _count() == 0


def test_trainee_found_by_phone_or_unique_name(client, make):
    login(client, make.user("staff"))
    by_phone = make.trainee(name="何秀英", phone="13812345678")
    make.trainee(name="何丽娟")
    make.trainee(name="何丽娟")
    day = (date.today() - timedelta(days=1)).isoformat()
    base = {"number": "P1", "issuer": "市疾控中心", "issued_on": day}
    client.post("/certificates/health/new", data={**base, "trainee": "13812345678"})
    assert db.session.scalar(select(HealthCertificate.trainee_id)) == by_phone.id
    page = client.post("/certificates/health/new", data={**base, "number": "P2", "trainee": "何丽娟"})
    assert "有多个学员符合，请输入身份证号" in page.get_data(as_text=True)
    client.post("/certificates/health/new", data={**base, "number": "P3", "trainee": "何秀英"})
    assert _count() == 2


def test_same_number_twice_is_refused(make):
    staff = make.user("staff")
    trainee = make.trainee()
    entry = operations.HealthEntry(trainee.id, "JK9", "市疾控中心", date.today() - timedelta(days=1))
    operations.record_health(entry, staff)
    with pytest.raises(DomainError, match="已经登记过"):
        operations.record_health(entry, staff)


def test_record_for_a_whole_class_all_or_nothing(client, make):
    staff = make.user("staff")
    cls = make.training_class()
    people = [make.enrolment(make.trainee(), cls).trainee for _ in range(3)]
    outsider = make.trainee()
    login(client, staff)
    page = client.get(f"/certificates/classes/{cls.id}/health").get_data(as_text=True)
    assert all(person.name in page for person in people)
    day = (date.today() - timedelta(days=5)).isoformat()
    data = {"issuer": "市疾控中心", "issued_on": day, "trainee_id": [p.id for p in people],
            f"number_{people[0].id}": "A1", f"number_{people[1].id}": "A2",
            f"expires_on_{people[1].id}": "2020-01-01"}
    response = client.post(f"/certificates/classes/{cls.id}/health", data=data)
    body = response.get_data(as_text=True)
    assert "没有保存任何内容" in body and "有效期必须晚于发证日期" in body and "row-error" in body
    assert 'value="A1"' in body  # what was typed is kept
    assert _count() == 0
    data[f"expires_on_{people[1].id}"] = ""
    data[f"issued_on_{people[1].id}"] = "2026-13-01"
    assert "日期填写有误" in client.post(f"/certificates/classes/{cls.id}/health", data=data).get_data(as_text=True)
    assert _count() == 0
    data[f"issued_on_{people[1].id}"] = ""
    response = client.post(f"/certificates/classes/{cls.id}/health", data=data, follow_redirects=True)
    assert "已登记 2 个健康证" in response.get_data(as_text=True)
    assert _count() == 2
    rows = db.session.scalars(select(HealthCertificate).order_by(HealthCertificate.number)).all()
    assert [r.trainee_id for r in rows] == [people[0].id, people[1].id]
    assert all(r.expires_on == rules.health_expiry_default(date.fromisoformat(day)) for r in rows)
    with pytest.raises(DomainError):  # someone outside the class
        operations.record_health_for_class(cls.id, [operations.HealthEntry(outsider.id, "B", "x", date.today())], staff)
    with pytest.raises(DomainError, match="至少填写一个"):
        operations.record_health_for_class(cls.id, [operations.HealthEntry(people[2].id, "", "x", date.today())], staff)


def test_watchlist_reminders_and_export(client, make):
    today = date.today()
    staff = make.user("staff")

    def certified_with(expires_in: int | None, name: str):
        certificate = make.certified(name=name)
        if expires_in is not None:
            make.health(certificate.trainee, issued_on=today - timedelta(days=300),
                        expires_on=today + timedelta(days=expires_in))
        return certificate.trainee

    soon = certified_with(5, "王秀英")        # 7-day reminder
    month = certified_with(25, "李桂兰")      # 30-day reminder
    edge = certified_with(30, "张玉梅")       # exactly 30 days: still the 30-day reminder
    fine = certified_with(90, "刘淑华")       # nothing to do
    expired = certified_with(-3, "陈红霞")    # expired
    missing = certified_with(None, "杨丽娟")  # certified, no health certificate
    make.health(make.trainee(name="赵敏静"), expires_on=today + timedelta(days=3))  # not certified
    lists = watchlist.watchlist(today)
    assert [r.trainee.id for r in lists["expiring"]] == [soon.id, month.id, edge.id]
    assert [r.trainee.id for r in lists["expired"]] == [expired.id]
    assert [r.trainee.id for r in lists["missing"]] == [missing.id]
    assert [(r.trainee.id, r.reminder) for r in watchlist.reminders(today)] == [
        (soon.id, 7), (month.id, 30), (edge.id, 30)]
    assert fine.id not in {r.trainee.id for rows in lists.values() for r in rows}
    login(client, staff)
    page = client.get("/certificates/health").get_data(as_text=True)
    for name in ("王秀英", "李桂兰", "张玉梅"):
        assert name in page
    assert "赵敏静" not in page and "刘淑华" not in page and "陈红霞" not in page
    assert f'href="tel:{soon.phone}"' in page
    assert page.count("（3）</a>") == 2 and page.count("（1）</a>") == 2  # the four tabs
    expired_page = client.get("/certificates/health?state=expired").get_data(as_text=True)
    assert "陈红霞" in expired_page and "王秀英" not in expired_page
    missing_page = client.get("/certificates/health?state=missing").get_data(as_text=True)
    assert "杨丽娟" in missing_page and "陈红霞" not in missing_page
    found = client.get("/certificates/health?state=expiring&q=李桂").get_data(as_text=True)
    assert "李桂兰" in found and "王秀英" not in found
    csv = client.get("/certificates/health/reminders.csv")
    assert csv.status_code == 200 and csv.data.startswith("\ufeff".encode())
    text = csv.data.decode("utf-8-sig")
    assert "王秀英" in text and soon.phone in text and "到期前 7 天提醒" in text
    assert "陈红霞" not in text


@pytest.mark.parametrize("days_left, stage", [(31, None), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)])
def test_reminder_stage(days_left, stage):
    assert watchlist.reminder_due(days_left) == stage


def test_status_follows_the_health_certificate_dates(make):
    certificate = make.certified()
    trainee_id = certificate.trainee_id
    today = date.today()
    assert fitness.duty_status(trainee_id).reason == "no_health"
    row = make.health(certificate.trainee, issued_on=today - timedelta(days=10))
    assert fitness.duty_status(trainee_id).colour == "green"
    row.expires_on = today + timedelta(days=30)
    db.session.commit()
    assert fitness.duty_status(trainee_id).colour == "yellow"
    row.expires_on = today - timedelta(days=1)
    db.session.commit()
    assert (fitness.duty_status(trainee_id).colour, fitness.duty_status(trainee_id).reason) == (
        "red", "health_expired")


def test_remove_a_health_certificate_entered_by_mistake(client, make):
    trainee = make.trainee()
    row = make.health(trainee)
    login(client, make.user("staff"))
    response = client.post(f"/certificates/health/{row.id}/delete", follow_redirects=True)
    assert "健康证记录已删除" in response.get_data(as_text=True)
    assert _count() == 0
    assert client.post("/certificates/health/424242/delete").status_code == 404


def test_duty_badge_partial_renders_colour_reason_and_date(app, make):
    from flask import render_template_string

    status = rules.DutyStatus("yellow", "expiring", date(2026, 12, 1))
    with app.test_request_context():
        html = render_template_string('{% include "certificates/_duty_badge.html" %}', duty=status)
    assert "badge-yellow" in html and "可上岗，需留意" in html and "健康证即将到期" in html
    assert "健康证有效期至 2026年12月1日" in html
    red = rules.DutyStatus("red", "revoked", None)
    with app.test_request_context():
        html = render_template_string('{% include "certificates/_duty_badge.html" %}', duty=red)
    assert "badge-red" in html and "撤销" in html
