"""Pages of the retraining area: list, new class, class page, notices, starting again."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from traincenter.extensions import db
from traincenter.models import Enrolment, TrainingClass

from .conftest import login
from .permissions import ANON, ROLES, collect
from .permissions.retraining import EXPECTED
from .world import build_world

ZH = {"Accept-Language": "zh-CN"}
TODAY = date.today()


def failed_course(make, theory, practical, *, track=None, trainee=None, held_on=None):
    track = track or make.track(name="养老护理")
    held_on = held_on or TODAY - timedelta(days=10)
    regular = make.training_class(track=track, starts_on=held_on - timedelta(days=60),
                                  ends_on=held_on - timedelta(days=1), location="一楼")
    course = make.enrolment(trainee or make.trainee(), regular)
    course.first = make.result(make.exam(regular, held_on=held_on), course, theory, practical)
    return course


def page(client, url):
    response = client.get(url, headers=ZH)
    assert response.status_code == 200, response.status_code
    html = response.get_data(as_text=True)
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)
    return html


# -- permissions --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix_of_the_retraining_routes(app, make, role):
    _, args = collect()
    world = build_world(make)
    users = {"trainee": world["trainee_user"], "instructor": world["instructor"],
             "staff": world["staff"], "admin": world["admin"]}
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("retraining.")]
    assert {r.endpoint for r in rules} == set(EXPECTED)
    client = app.test_client()
    if role != ANON:
        login(client, users[role])
    from flask import url_for

    for rule in rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **{name: args[name](world) for name in rule.arguments})
        allowed = role in EXPECTED[rule.endpoint]
        method = "GET" if "GET" in rule.methods else "POST"
        if method == "POST" and allowed:
            continue  # changes data: covered by the tests below
        response = client.open(url, method=method)
        if allowed:
            assert response.status_code in (200, 302), (url, response.status_code)
            assert "/auth/login" not in response.headers.get("Location", "")
        elif role == ANON:
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        else:
            assert response.status_code == 403, (url, role, response.status_code)


def test_nav_shows_retraining_to_staff(client, login_as):
    login_as("staff")
    assert "二次培训" in page(client, "/")


# -- the list -----------------------------------------------------------------------------------


def test_list_page_groups_and_filters(client, login_as, make):
    login_as("staff")
    track = make.track(name="育婴师")
    retake = failed_course(make, 72, 50, track=track)
    closed = failed_course(make, 90, 30, held_on=TODAY - timedelta(days=400))
    may = page(client, "/retraining/")
    assert "二次培训名单" in may
    assert retake.trainee.name in may and closed.trainee.name not in may
    assert 'aria-current="page">可以补考（1）' in may and "不能再补考（1）" in may
    no_longer = page(client, "/retraining/?section=no_longer")
    assert closed.trainee.name in no_longer and retake.trainee.name not in no_longer
    assert "保留的成绩已过期" in no_longer
    assert "报名新的常规培训班，理论和实操都要考" in no_longer
    assert retake.trainee.name in page(client, f"/retraining/?q={retake.trainee.name}")
    assert "没有等待补考的学员" in page(client, f"/retraining/?q={closed.trainee.name}")
    html = page(client, f"/retraining/?track={track.id}")
    assert retake.trainee.name in html and closed.trainee.name not in html
    html = page(client, "/retraining/?track=abc")
    assert "筛选条件无法识别" in html


# -- creating a retraining class ----------------------------------------------------------------


def test_new_class_form_suggests_a_shorter_course(client, login_as, make):
    login_as("staff")
    teacher = make.user("instructor", display_name="刘老师")
    course = failed_course(make, 72, 50)
    course.training_class.instructors = [teacher]
    db.session.commit()
    html = page(client, f"/retraining/classes/new?course={course.id}")
    assert course.trainee.name in html
    for name, value in (("required_total_hours", "50"), ("required_classroom_hours", "27"),
                        ("required_self_study_hours", "24")):
        assert re.search(rf'name="{name}"[^>]*value="{value}(\.0)?"', html), name
    assert re.search(rf'<option selected value="{teacher.id}"|<option value="{teacher.id}" selected',
                     html)


def test_new_class_without_selection_goes_back_with_a_message(client, login_as):
    login_as("staff")
    response = client.get("/retraining/classes/new", headers=ZH, follow_redirects=True)
    assert "请在二次培训名单中至少选择一名学员" in response.get_data(as_text=True)


def form_data(course_ids, **overrides):
    data = {"code": "R-100", "name": "二次培训一班", "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + timedelta(days=14)).isoformat(), "location": "二楼教室",
            "required_total_hours": "50", "required_classroom_hours": "27",
            "required_self_study_hours": "24", "capacity": "30", "fee": "0",
            "course": [str(i) for i in course_ids]}
    data.update(overrides)
    return data


def test_create_class_from_the_list(client, login_as, make):
    login_as("staff")
    track = make.track()
    a, b = failed_course(make, 72, 50, track=track), failed_course(make, 40, 40, track=track)
    response = client.post("/retraining/classes/new", data=form_data([a.id, b.id]), headers=ZH)
    assert response.status_code == 302
    db.session.expire_all()
    training_class = db.session.query(TrainingClass).filter_by(code="R-100").one()
    assert training_class.kind == "retraining" and training_class.required_total_hours == 50
    assert {e.continues_id for e in training_class.enrolments} == {a.id, b.id}
    html = page(client, response.headers["Location"])
    assert a.trainee.name in html and b.trainee.name in html
    assert "只考实操" in html and "理论和实操都要考" in html


@pytest.mark.parametrize(("overrides", "message"), [
    ({"code": ""}, "请填写班级编号"),
    ({"required_total_hours": "abc"}, "required_total_hours"),
    ({"ends_on": (TODAY - timedelta(days=5)).isoformat()}, "结业日期不能早于开班日期"),
    ({"capacity": "0"}, "名额应在 1 到 500 之间"),
])
def test_bad_class_form_changes_nothing(client, login_as, make, overrides, message):
    login_as("staff")
    course = failed_course(make, 72, 50)
    response = client.post("/retraining/classes/new", data=form_data([course.id], **overrides),
                           headers=ZH)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(TrainingClass).filter_by(kind="retraining").count() == 0
    assert db.session.query(Enrolment).filter(Enrolment.continues_id.isnot(None)).count() == 0


def test_opening_a_class_builds_the_retraining_list_once(client, login_as, make, monkeypatch):
    from traincenter.retraining import queries

    login_as("staff")
    course = failed_course(make, 72, 50)
    built, build = [], queries.retraining_list
    monkeypatch.setattr(queries, "retraining_list",
                        lambda *args, **kwargs: built.append(1) or build(*args, **kwargs))
    response = client.post("/retraining/classes/new", data=form_data([course.id]))
    assert response.status_code == 302 and len(built) == 1


def test_a_refused_choice_names_each_refused_trainee(client, login_as, make):
    login_as("staff")
    course = failed_course(make, 72, 50)
    client.post("/retraining/classes/new", data=form_data([course.id]))
    response = client.post("/retraining/classes/new", data=form_data([course.id], code="R-101"),
                           headers=ZH, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "所选学员中有人不能编入二次培训班。" in html
    assert f"{course.trainee.name} 已在二次培训班 R-100 中。" in html


def test_add_to_an_existing_retraining_class(client, login_as, make):
    login_as("staff")
    track = make.track()
    a, b = failed_course(make, 72, 50, track=track), failed_course(make, 72, 50, track=track)
    client.post("/retraining/classes/new", data=form_data([a.id]))
    db.session.expire_all()
    training_class = db.session.query(TrainingClass).filter_by(code="R-100").one()
    assert "R-100" in page(client, f"/retraining/classes/new?course={b.id}")
    response = client.post("/retraining/classes/enrol",
                           data={"class_id": training_class.id, "course": [b.id]})
    assert response.status_code == 302
    db.session.expire_all()
    assert {e.continues_id for e in db.session.get(TrainingClass, training_class.id).enrolments} \
        == {a.id, b.id}


# -- notices ------------------------------------------------------------------------------------


@pytest.fixture
def retraining_with_reexam(make):
    track = make.track()
    course = failed_course(make, 72, 50, track=track,
                           trainee=make.trainee(name="=HYPERLINK(1)", phone="13912345678"))
    training_class = make.training_class(track=track, kind="retraining", code="R-9",
                                         starts_on=TODAY + timedelta(days=3),
                                         ends_on=TODAY + timedelta(days=20), location="二楼教室")
    make.enrolment(course.trainee, training_class, continues_id=course.id)
    exam = make.exam(training_class, kind="reexam", held_on=TODAY + timedelta(days=21),
                     place="中心考场")
    return training_class, exam, course


def test_class_notices_csv_is_utf8_with_bom_and_neutralised(client, login_as,
                                                            retraining_with_reexam):
    training_class, exam, course = retraining_with_reexam
    login_as("staff")
    response = client.get(f"/retraining/classes/{training_class.id}/notices.csv", headers=ZH)
    assert response.status_code == 200
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == "姓名,手机号,通知内容"
    assert "'=HYPERLINK(1)" in text and "13912345678" in text
    assert "二次培训：" in text and "只考实操" in text and "理论成绩 72 分保留至" in text


def test_class_notices_xlsx_keeps_phone_as_text(client, login_as, retraining_with_reexam):
    training_class, exam, course = retraining_with_reexam
    login_as("staff")
    response = client.get(f"/retraining/classes/{training_class.id}/notices.xlsx", headers=ZH)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in sheet[1]] == ["姓名", "手机号", "通知内容"]
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == "13912345678" and sheet["B2"].number_format == "@"
    assert "补考：" in sheet["C2"].value


def test_exam_notices_and_printable_sheet(client, login_as, retraining_with_reexam, make):
    training_class, exam, course = retraining_with_reexam
    login_as("staff")
    html = page(client, f"/retraining/reexams/{exam.id}/notices/print")
    assert 'class="notice-slip"' in html and "css/retraining.css" in html
    assert "补考：" in html and "中心考场" in html and "只考实操" in html
    assert "二次培训：" not in html  # the re-exam notice is about the exam
    assert client.get(f"/retraining/reexams/{exam.id}/notices.csv").status_code == 200
    assert client.get(f"/retraining/reexams/{exam.id}/notices.pdf").status_code == 404
    first = make.exam(course.training_class)
    assert client.get(f"/retraining/reexams/{first.id}/notices.csv").status_code == 404
    assert client.get(f"/retraining/classes/{course.class_id}").status_code == 404
    html = page(client, f"/retraining/classes/{training_class.id}/notices/print")
    assert "二次培训：" in html and "补考：" in html


# -- starting again -----------------------------------------------------------------------------


def test_restart_page_enrols_in_a_new_regular_class(client, login_as, make):
    login_as("staff")
    course = failed_course(make, 90, 30, held_on=TODAY - timedelta(days=400))
    new_class = make.training_class(track=course.training_class.track, code="N-1",
                                    starts_on=TODAY, ends_on=TODAY + timedelta(days=60))
    html = page(client, f"/retraining/courses/{course.id}/restart")
    assert "N-1" in html and "保留的成绩已过期" in html
    response = client.post(f"/retraining/courses/{course.id}/restart",
                           data={"class_id": new_class.id}, headers=ZH)
    assert response.status_code == 302
    db.session.expire_all()
    new = db.session.query(Enrolment).filter_by(class_id=new_class.id).one()
    assert new.course_attempt == 2
    assert "已报名新班 N-1" in page(client, "/retraining/?section=no_longer")


def test_restart_is_not_offered_to_someone_who_may_retake(client, login_as, make):
    login_as("staff")
    course = failed_course(make, 72, 50)
    assert client.get(f"/retraining/courses/{course.id}/restart").status_code == 404


def test_class_page_keeps_trainees_whose_course_was_settled(client, login_as, make,
                                                            retraining_with_reexam):
    from traincenter.services.attempts import settle_courses

    training_class, exam, course = retraining_with_reexam
    follower = db.session.query(Enrolment).filter_by(class_id=training_class.id).one()
    make.result(exam, follower, None, 75, theory_carried_from=course.first, attempt_no=2)
    settle_courses([course.id])
    db.session.commit()
    login_as("staff")
    html = page(client, f"/retraining/classes/{training_class.id}")
    assert course.trainee.name.replace("=", "") in html.replace("=", "")
    csv_text = client.get(f"/retraining/classes/{training_class.id}/notices.csv").data.decode(
        "utf-8-sig")
    assert len(csv_text.splitlines()) == 1  # a passed trainee gets no notice
