"""Classes, enrolment, modules, sessions and attendance; instructors reach only their classes."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, time, timedelta

import pytest
from sqlalchemy import event, func, select

from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import Attendance, CourseModule, Enrolment, TrainingClass, TrainingSession
from traincenter.services.progress import eligibility_of
from traincenter.training import operations, queries

from .conftest import login


@contextmanager
def count_queries():
    """Count the SQL statements run on the engine while the block runs."""
    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def _class_form(track, **overrides) -> dict:
    data = {"code": "2026-07", "name": "育婴师培训班", "track_id": track.id, "level": 5,
            "kind": "regular", "provider_kind": "company", "provider_name": "幸福家政公司",
            "starts_on": "2026-03-01", "ends_on": "2026-04-30", "location": "",
            "required_total_hours": "150", "required_classroom_hours": "80",
            "required_self_study_hours": "70", "fee": "1300", "capacity": "40"}
    data.update(overrides)
    return data


def test_staff_open_a_class_with_instructors_and_defaults(client, login_as, make):
    track = make.track()
    teacher = make.user("instructor")
    login_as("staff")
    assert "150" in client.get("/training/classes/new").get_data(as_text=True)
    response = client.post("/training/classes/new",
                           data=_class_form(track, instructors=[str(teacher.id)]))
    assert response.status_code == 302
    cls = db.session.scalar(select(TrainingClass).where(TrainingClass.code == "2026-07"))
    assert cls.provider_kind == "company" and cls.fee == 1300 and cls.required_total_hours == 150
    assert [u.id for u in cls.instructors] == [teacher.id]


@pytest.mark.parametrize("overrides, message", [
    ({"ends_on": "2026-02-01"}, "结业日期不能早于开班日期"),
    ({"required_classroom_hours": "60"}, "必须达到总学时"),
    ({"code": "TAKEN"}, "已被其他班级使用"),
])
def test_bad_classes_are_refused(client, login_as, make, overrides, message):
    track = make.track()
    make.training_class(code="TAKEN")
    login_as("staff")
    response = client.post("/training/classes/new", data=_class_form(track, **overrides))
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TrainingClass.id))) == 1


def test_enrol_from_search_and_by_id_number(client, login_as, make):
    cls = make.training_class(capacity=2)
    first, second, third = make.trainee(name="王秀英"), make.trainee(), make.trainee()
    login_as("staff")
    page = client.get(f"/training/classes/{cls.id}?q=秀英").get_data(as_text=True)
    assert first.id_number in page
    client.post(f"/training/classes/{cls.id}/enrol", data={"trainee_id": first.id,
                                                          "fee_payer": "subsidy"})
    client.post(f"/training/classes/{cls.id}/enrol", data={"id_number": second.id_number.lower(),
                                                          "fee_payer": "self"})
    response = client.post(f"/training/classes/{cls.id}/enrol", data={"trainee_id": third.id,
                                                                     "fee_payer": "self"},
                           follow_redirects=True)
    assert "已满" in response.get_data(as_text=True)
    response = client.post(f"/training/classes/{cls.id}/enrol",
                           data={"trainee_id": first.id, "fee_payer": "self"}, follow_redirects=True)
    assert "在这个班" in response.get_data(as_text=True)
    enrolments = db.session.scalars(select(Enrolment).order_by(Enrolment.id)).all()
    assert [e.trainee_id for e in enrolments] == [first.id, second.id]
    assert enrolments[0].fee_payer == "subsidy" and enrolments[0].course_attempt == 1


def test_a_second_regular_course_in_the_track_counts_as_attempt_two(make, login_as):
    staff = make.user("staff")
    track = make.track()
    trainee = make.trainee()
    make.enrolment(trainee, make.training_class(track=track), status="not_passed")
    later = make.training_class(track=track)
    enrolment = operations.enrol_trainee(later, trainee, staff)
    assert enrolment.course_attempt == 2
    with pytest.raises(Exception, match="still in training|仍在"):
        operations.enrol_trainee(make.training_class(track=track), trainee, staff)


def test_employment_agreement_fee_payer_and_withdrawal(client, login_as, make):
    enrolment = make.enrolment()
    login_as("staff")
    response = client.post(f"/training/enrolments/{enrolment.id}", data={
        "fee_payer": "employer", "fee_amount": "1000", "employment_agreement_on": "2026-01-05",
        "withdraw": "y", "reason": "回老家"})
    assert response.status_code == 302
    db.session.expire_all()
    assert enrolment.fee_payer == "employer" and enrolment.fee_amount == 1000
    assert enrolment.employment_agreement_on == date(2026, 1, 5)
    assert enrolment.status == "withdrawn" and enrolment.closed_reason == "回老家"


def test_modules_are_seeded_and_added(client, login_as):
    login_as("staff")
    page = client.get("/training/modules").get_data(as_text=True)
    assert "职业道德" in page  # offered as missing standard modules
    client.post("/training/modules/standard")
    names = set(db.session.scalars(select(CourseModule.name)))
    assert {"职业道德", "劳动法常识", "再就业优惠政策", "疏通下水道", "社交礼仪"} <= names
    compulsory = set(db.session.scalars(select(CourseModule.name)
                                        .where(CourseModule.is_compulsory.is_(True))))
    assert compulsory == {"职业道德", "劳动法常识", "再就业优惠政策"}
    client.post("/training/modules", data={"name": "收纳整理", "suggested_hours": "6"})
    response = client.post("/training/modules", data={"name": "收纳整理"})
    assert "已经有名为" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CourseModule.id))) == len(queries.DEFAULT_MODULES) + 1


def test_the_fee_setting_reaches_new_classes_and_their_enrolments(app, make):
    app.config["DEFAULT_FEE"] = 1500
    staff = make.user("staff")
    values = {name: value for name, value in _class_form(make.track()).items() if name != "fee"}
    values.update(starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 30), level=5, capacity=40,
                  required_total_hours=150, required_classroom_hours=80,
                  required_self_study_hours=70)
    cls = operations.save_class(values, [], staff)
    assert cls.fee == 1500  # the setting in force, not the rules' default
    assert operations.enrol_trainee(cls, make.trainee(), staff).fee_amount == 1500
    agreed = operations.enrol_trainee(cls, make.trainee(), staff, fee_payer="subsidy", fee_amount=0)
    assert agreed.fee_amount == 0


@pytest.mark.parametrize("hours, accepted", [(0.1, True), (12, True), (12.1, False), (0, False),
                                             (1.25, False)])
def test_a_session_lasts_up_to_the_rules_maximum_in_tenths(make, hours, accepted):
    cls = make.training_class()
    values = {"module_id": make.module().id, "form": "lecture", "hours": hours,
              "held_on": cls.starts_on, "starts_at": time(9, 0)}
    if accepted:
        assert operations.schedule_session(cls, values, make.user("staff")).hours == hours
    else:
        with pytest.raises(DomainError, match="12"):
            operations.schedule_session(cls, values, make.user("staff"))


def test_seed_modules_command_speaks_chinese_by_default(runner):
    result = runner.invoke(args=["training", "seed-modules"])
    assert result.exit_code == 0, result.output
    assert f"已添加 {len(queries.DEFAULT_MODULES)} 个标准模块" in result.output
    again = runner.invoke(args=["training", "seed-modules", "--lang", "en"])
    assert "0 standard modules added." in again.output


def test_instructor_schedules_a_session_in_own_class_only(client, make):
    teacher = make.user("instructor")
    mine = make.training_class(instructors=[teacher])
    other = make.training_class()
    module = make.module()
    login(client, teacher)
    form = {"held_on": mine.starts_on.isoformat(), "starts_at": "09:00", "hours": "3.5",
            "module_id": module.id, "form": "practice", "topic": "拖地"}
    assert client.post(f"/training/classes/{mine.id}/sessions/new", data=form).status_code == 302
    assert client.post(f"/training/classes/{other.id}/sessions/new", data=form).status_code == 403
    bad = dict(form, held_on=(mine.ends_on + timedelta(days=1)).isoformat())
    assert "必须在培训期间内" in client.post(f"/training/classes/{mine.id}/sessions/new",
                                            data=bad).get_data(as_text=True)
    session = db.session.scalar(select(TrainingSession))
    assert session.hours == 3.5 and session.form == "practice" and session.instructor_id == teacher.id
    assert db.session.scalar(select(func.count(TrainingSession.id))) == 1


def test_instructor_sees_only_own_classes(client, make):
    teacher = make.user("instructor")
    mine = make.training_class(instructors=[teacher], name="我的班")
    other = make.training_class(name="别人的班")
    login(client, teacher)
    page = client.get("/training/classes").get_data(as_text=True)
    assert "我的班" in page and "别人的班" not in page
    assert client.get(f"/training/classes/{other.id}").status_code == 403
    assert client.get(f"/training/classes/{mine.id}").status_code == 200
    session = make.session(other)
    assert client.get(f"/training/sessions/{session.id}").status_code == 403


def test_attendance_register_saves_the_whole_class_and_credits_present_and_late(client, make):
    teacher = make.user("instructor")
    cls = make.training_class(instructors=[teacher])
    session = make.session(cls, hours=4)
    enrolments = [make.enrolment(make.trainee(), cls) for _ in range(4)]
    login(client, teacher)
    statuses = ["present", "late", "absent", "excused"]
    data = {f"status-{e.id}": s for e, s in zip(enrolments, statuses, strict=True)}
    data[f"note-{enrolments[3].id}"] = "病假"
    assert client.post(f"/training/sessions/{session.id}", data=data).status_code == 302
    credited = [eligibility_of(e).classroom for e in enrolments]
    assert credited == [4, 4, 0, 0]
    assert db.session.scalar(select(Attendance.note).where(
        Attendance.enrolment_id == enrolments[3].id)) == "病假"
    # changing the register updates rows instead of adding new ones
    data[f"status-{enrolments[2].id}"] = "present"
    client.post(f"/training/sessions/{session.id}", data=data)
    db.session.expire_all()
    assert eligibility_of(enrolments[2]).classroom == 4
    assert db.session.scalar(select(func.count(Attendance.id))) == 4


def test_attendance_with_someone_unmarked_saves_nothing(client, make):
    teacher = make.user("instructor")
    cls = make.training_class(instructors=[teacher])
    session = make.session(cls)
    first, second = make.enrolment(training_class=cls), make.enrolment(training_class=cls)
    login(client, teacher)
    response = client.post(f"/training/sessions/{session.id}",
                           data={f"status-{first.id}": "present"})
    assert response.status_code == 400
    assert second.trainee.name in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Attendance.id))) == 0
    outsider = make.enrolment()
    response = client.post(f"/training/sessions/{session.id}", data={
        f"status-{first.id}": "present", f"status-{second.id}": "late",
        f"status-{outsider.id}": "present"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Attendance.id))) == 0


def test_roster_shows_progress_eligibility_and_what_is_missing(client, login_as, make):
    cls = make.training_class()
    done = make.enrolment(make.trainee(name="够学时"), cls)
    make.hours(done, 80, 70)
    short = make.enrolment(make.trainee(name="差学时"), cls)
    make.hours(short, 76, 70)
    login_as("staff")
    page = client.get(f"/training/classes/{cls.id}").get_data(as_text=True)
    assert "1人可以参加考试" in page
    assert "集中授课学时：还差 4 小时" in page
    assert "合计学时：还差 4 小时" in page or "总学时：还差 4 小时" in page
    assert "<progress" in page and "出勤" in page  # the credit rule is shown


def _class_of(make, size: int, teacher):
    cls = make.training_class(instructors=[teacher])
    sessions = [make.session(cls, hours=4) for _ in range(2)]
    for n in range(size):
        enrolment = make.enrolment(make.trainee(), cls)
        for session in sessions:
            make.attendance(session, enrolment, "present" if n % 3 else "late")
        make.self_study(enrolment, hours=2, status="verified" if n % 2 else "pending")
    return cls, sessions[0]


def test_roster_and_register_run_the_same_queries_for_6_and_60(client, make):
    teacher = make.user("instructor")
    small, small_session = _class_of(make, 6, teacher)
    large, large_session = _class_of(make, 60, teacher)
    login(client, teacher)
    counts = {}
    for name, url in (("roster-6", f"/training/classes/{small.id}"),
                      ("roster-60", f"/training/classes/{large.id}"),
                      ("register-6", f"/training/sessions/{small_session.id}"),
                      ("register-60", f"/training/sessions/{large_session.id}")):
        client.get(url)  # warm up (login checks, first-request work)
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        counts[name] = len(statements)
    assert counts["roster-6"] == counts["roster-60"], counts
    assert counts["register-6"] == counts["register-60"], counts


def test_class_edit_keeps_capacity_above_the_enrolled_and_changes_instructors(client, login_as,
                                                                             make):
    first, second = make.user("instructor"), make.user("instructor")
    cls = make.training_class(instructors=[first], code="EDIT-1")
    for _ in range(3):
        make.enrolment(training_class=cls)
    login_as("staff")
    form = _class_form(cls.track, code="EDIT-1", capacity="2", instructors=[str(second.id)])
    assert "名额不能更少" in client.post(f"/training/classes/{cls.id}/edit",
                                        data=form).get_data(as_text=True)
    form["capacity"] = "3"
    assert client.post(f"/training/classes/{cls.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert cls.capacity == 3 and [u.id for u in cls.instructors] == [second.id]
