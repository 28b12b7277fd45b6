"""The trainee's hours page and the self-study workflow (log → verify/reject → counted)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from traincenter.extensions import db
from traincenter.models import SelfStudyLog
from traincenter.services.progress import eligibility_of

from .conftest import login


@pytest.fixture
def trainee_in_class(make):
    """A trainee with a login in a running class, with 40 classroom and 20 verified self-study."""
    user = make.trainee_user()
    teacher = make.user("instructor")
    cls = make.training_class(instructors=[teacher], starts_on=date.today() - timedelta(days=20))
    enrolment = make.enrolment(user.trainee, cls)
    make.hours(enrolment, 40, 20)
    return user, enrolment, teacher


def test_hours_page_shows_bars_and_what_is_missing(client, trainee_in_class):
    user, enrolment, _ = trainee_in_class
    login(client, user)
    page = client.get("/me/hours", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert page.count("<progress") == 3
    assert "40 / 80" in page and "20 / 70" in page and "60 / 150" in page
    assert "集中授课学时：还差 40 小时" in page and "还不能参加考试" in page
    assert "我的学时" in page


def test_eligible_trainee_sees_a_big_yes(client, make):
    user = make.trainee_user()
    enrolment = make.enrolment(user.trainee)
    make.hours(enrolment, 80, 70)
    login(client, user)
    page = client.get("/me/hours").get_data(as_text=True)
    assert "verdict pass big" in page and "可以参加考试" in page


def test_trainee_logs_self_study_which_counts_only_once_verified(client, other_client,
                                                                   trainee_in_class):
    user, enrolment, teacher = trainee_in_class
    login(client, user)
    yesterday = date.today() - timedelta(days=1)
    response = client.post("/me/hours", data={"enrolment": enrolment.id,
                                              "studied_on": yesterday.isoformat(), "hours": "2.5",
                                              "content": "看了婴儿洗澡的视频"})
    assert response.status_code == 302
    log = db.session.scalar(select(SelfStudyLog).where(SelfStudyLog.content == "看了婴儿洗澡的视频"))
    assert log.status == "pending" and log.logged_by_id == user.id
    assert eligibility_of(enrolment).self_study == 20
    assert "等待审核" in client.get("/me/hours").get_data(as_text=True) or \
        "待审核" in client.get("/me/hours").get_data(as_text=True)

    login(other_client, teacher)
    queue = other_client.get("/training/self-study").get_data(as_text=True)
    assert "看了婴儿洗澡的视频" in queue
    other_client.post(f"/training/self-study/{log.id}", data={"action": "verify"})
    db.session.expire_all()
    assert log.status == "verified" and log.verified_by_id == teacher.id
    assert eligibility_of(enrolment).self_study == 22.5


def test_rejection_needs_a_reason_and_is_shown_to_the_trainee(client, other_client,
                                                              trainee_in_class, make):
    user, enrolment, teacher = trainee_in_class
    log = make.self_study(enrolment, hours=3, status="pending")
    login(other_client, teacher)
    other_client.post(f"/training/self-study/{log.id}", data={"action": "reject", "reason": ""})
    db.session.expire_all()
    assert log.status == "pending"
    other_client.post(f"/training/self-study/{log.id}", data={"action": "reject",
                                                             "reason": "内容太笼统"})
    db.session.expire_all()
    assert log.status == "rejected"
    login(client, user)
    assert "内容太笼统" in client.get("/me/hours").get_data(as_text=True)
    assert eligibility_of(enrolment).self_study == 20


@pytest.mark.parametrize("hours, days_ago, message", [
    ("9", 1, "每天最多 8 小时"),
    ("0", 1, "请填写学习小时数"),
    ("1.25", 1, "最多一位小数"),
    ("2", -1, "日期不能晚于今天"),
    ("2", 60, "早于开班日期"),
])
def test_implausible_entries_are_refused(client, trainee_in_class, hours, days_ago, message):
    user, enrolment, _ = trainee_in_class
    login(client, user)
    before = db.session.scalar(select(func.count(SelfStudyLog.id)))
    response = client.post("/me/hours", data={
        "enrolment": enrolment.id, "hours": hours, "content": "自学",
        "studied_on": (date.today() - timedelta(days=days_ago)).isoformat()})
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(SelfStudyLog.id))) == before


def test_daily_limit_adds_up_entries_of_the_same_day_and_is_a_setting(client, app,
                                                                      trainee_in_class):
    user, enrolment, _ = trainee_in_class
    login(client, user)
    day = (date.today() - timedelta(days=2)).isoformat()
    form = {"enrolment": enrolment.id, "studied_on": day, "content": "自学"}
    assert client.post("/me/hours", data=dict(form, hours="5")).status_code == 302
    assert "已经记了 5 小时" in client.post("/me/hours", data=dict(form, hours="4")).get_data(
        as_text=True)
    app.config["SELF_STUDY_MAX_HOURS_PER_DAY"] = 10
    assert client.post("/me/hours", data=dict(form, hours="4")).status_code == 302


def test_trainee_cannot_log_for_someone_elses_enrolment(client, trainee_in_class, make):
    user, _, _ = trainee_in_class
    other = make.enrolment()
    login(client, user)
    response = client.post("/me/hours", data={"enrolment": other.id, "hours": "1",
                                              "content": "x",
                                              "studied_on": date.today().isoformat()})
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(SelfStudyLog.id)).where(
        SelfStudyLog.enrolment_id == other.id)) == 0


def test_instructor_logs_for_a_trainee_verified_at_once_and_only_in_own_class(client, make,
                                                                              trainee_in_class):
    _, enrolment, teacher = trainee_in_class
    outsider = make.enrolment()
    login(client, teacher)
    form = {"studied_on": date.today().isoformat(), "hours": "3", "content": "课后练习"}
    assert client.post(f"/training/enrolments/{enrolment.id}/self-study", data=form).status_code == 302
    assert eligibility_of(enrolment).self_study == 23
    assert client.post(f"/training/enrolments/{outsider.id}/self-study",
                       data=form).status_code == 403
    assert client.get("/training/self-study").status_code == 200


def test_instructor_queue_holds_only_own_classes_and_bulk_verify(client, make, trainee_in_class):
    _, enrolment, teacher = trainee_in_class
    mine = [make.self_study(enrolment, hours=1, status="pending", content=f"我的{n}")
            for n in range(3)]
    foreign = make.self_study(make.enrolment(), hours=1, status="pending", content="别班的")
    login(client, teacher)
    page = client.get("/training/self-study").get_data(as_text=True)
    assert "我的0" in page and "别班的" not in page
    response = client.post("/training/self-study/verify",
                           data={"log": [str(log.id) for log in mine] + [str(foreign.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert all(log.status == "pending" for log in mine + [foreign])  # refused as a whole
    client.post("/training/self-study/verify", data={"log": [str(log.id) for log in mine]})
    db.session.expire_all()
    assert all(log.status == "verified" for log in mine) and foreign.status == "pending"
    assert client.post(f"/training/self-study/{foreign.id}", data={"action": "verify"}).status_code == 403


def test_trainee_without_class_gets_a_plain_message(client, make):
    login(client, make.trainee_user())
    assert "还没有报名班级" in client.get("/me/hours").get_data(as_text=True)
