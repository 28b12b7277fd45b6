"""Issue 14 in the exams area: no scores before the exam's day (and staff move the date), remove
a candidate before publication, send the scores back with a comment, one history event per exam,
and what the instructor sees after submitting."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from traincenter.errors import DomainError
from traincenter.exams import operations, scores
from traincenter.exams.values import ScoreRow
from traincenter.extensions import db
from traincenter.models import AuditEvent, Exam, ExamResult, ScoreChange

from .conftest import login
from .test_exams_helpers import draft_exam, fresh, grid_form

TODAY = date.today()


def _events(exam_id: int) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(AuditEvent.object_kind == "exam",
                                                       AuditEvent.object_id == exam_id)
                              .order_by(AuditEvent.id)).all()


# --- no scores before the exam's day ---------------------------------------------------------------


def test_a_future_exam_takes_no_scores_anywhere(client, make):
    exam, (a,), instructor = draft_exam(make, 1, held_on=TODAY + timedelta(days=9))
    with pytest.raises(DomainError) as refused:
        scores.record_scores(exam, [ScoreRow(a.id, "80", "80")], instructor)
    assert "当天起才能录入成绩" in str(refused.value)
    login(client, instructor)
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert "当天起才能录入成绩" in page and f'name="t-{a.id}"' not in page
    assert "请联系教务修改" in page
    response = client.post(f"/exams/{exam.id}/grid", data=grid_form([a], {a: ("80", "80")}))
    assert response.status_code == 422
    sheet = Workbook()
    sheet.active.append(["身份证号", "姓名", "理论成绩", "实操成绩"])
    sheet.active.append([a.enrolment.trainee.id_number, a.enrolment.trainee.name, 80, 80])
    buffer = io.BytesIO()
    sheet.save(buffer)
    response = client.post(f"/exams/{exam.id}/upload",
                           data={"file": (io.BytesIO(buffer.getvalue()), "s.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422 and "当天起才能录入成绩" in response.get_data(as_text=True)
    stored = fresh(a)
    assert stored.theory_score is None and stored.version == 1
    detail = client.get(f"/exams/{exam.id}").get_data(as_text=True)
    assert f"/exams/{exam.id}/grid" not in detail  # no entry button before the day


def test_staff_move_the_date_and_it_is_audited(client, other_client, make):
    exam, (a,), instructor = draft_exam(make, 1, held_on=TODAY + timedelta(days=9))
    staff = make.user("staff")
    login(other_client, instructor)
    assert other_client.get(f"/exams/{exam.id}/date").status_code == 403
    login(client, staff)
    assert "修改考试日期" in client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    response = client.post(f"/exams/{exam.id}/date", data={"held_on": TODAY.isoformat(),
                                                            "reason": ""})
    assert response.status_code == 200 and "请填写修改考试日期的原因" in response.get_data(as_text=True)
    response = client.post(f"/exams/{exam.id}/date", data={"held_on": TODAY.isoformat(),
                                                            "reason": "录入时日期打错了"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Exam, exam.id).held_on == TODAY
    (event,) = _events(exam.id)
    assert event.action == "exam.date_moved" and event.reason == "录入时日期打错了"
    assert event.details == {"changes": {"held_on": [(TODAY + timedelta(days=9)).isoformat(),
                                                     TODAY.isoformat()]}}
    assert event.actor_id == staff.id
    scores.record_scores(db.session.get(Exam, exam.id), [ScoreRow(a.id, "80", "80")], instructor)
    history = client.get(f"/exams/{exam.id}/history").get_data(as_text=True)
    assert "修改考试日期" in history and "录入时日期打错了" in history


def test_the_date_cannot_move_ahead_of_recorded_scores_nor_after_publication(make):
    exam, (a,), instructor = draft_exam(make, 1, held_on=TODAY)
    staff = make.user("staff")
    scores.record_scores(exam, [ScoreRow(a.id, "80", "")], instructor)
    with pytest.raises(DomainError, match="不能改到今天以后"):
        operations.move_exam_date(exam, TODAY + timedelta(days=3), "推迟", staff)
    operations.move_exam_date(exam, TODAY - timedelta(days=1), "其实是昨天考的", staff)
    with pytest.raises(DomainError):
        operations.move_exam_date(exam, exam.held_on, "同一天", staff)
    with pytest.raises(DomainError):
        operations.move_exam_date(exam, exam.training_class.starts_on - timedelta(days=1), "早",
                                  staff)
    with pytest.raises(DomainError):
        operations.move_exam_date(exam, TODAY, "教员改", instructor)
    published, _ = _published_exam(make)
    with pytest.raises(DomainError, match="已经公布"):
        operations.move_exam_date(published, TODAY - timedelta(days=2), "改", staff)


def test_moving_a_reexam_past_the_keeping_period_of_a_carried_part_is_refused(make):
    staff = make.user("staff")
    regular = make.training_class(starts_on=TODAY - timedelta(days=400))
    enrolment = make.enrolment(training_class=regular)
    make.result(make.exam(regular, held_on=TODAY - timedelta(days=360)), enrolment, 72, 50)
    retraining = make.training_class(kind="retraining", track=regular.track,
                                     starts_on=TODAY - timedelta(days=30))
    again = make.enrolment(enrolment.trainee, retraining, continues_id=enrolment.id)
    make.hours(again)
    exam = operations.schedule_exam(retraining, TODAY, "考场", "reexam", staff)
    assert exam.results[0].theory_carried_from_id is not None
    with pytest.raises(DomainError, match="过了保留期"):
        operations.move_exam_date(exam, TODAY + timedelta(days=10), "推迟", staff)


# --- removing a candidate --------------------------------------------------------------------------


def test_staff_remove_a_candidate_with_a_reason_and_the_history_keeps_it(client, other_client,
                                                                        make):
    exam, (a, b), instructor = draft_exam(make, 2)
    staff = make.user("staff")
    scores.record_scores(exam, [ScoreRow(a.id, "72.5", "缺考")], instructor)
    name, trainee_id, a_id, b_id = a.enrolment.trainee.name, a.enrolment.trainee_id, a.id, b.id
    login(other_client, instructor)
    assert other_client.get(f"/exams/results/{a.id}/remove").status_code == 403
    assert "移出" not in other_client.get(f"/exams/{exam.id}").get_data(as_text=True)
    login(client, staff)
    assert "移出" in client.get(f"/exams/{exam.id}").get_data(as_text=True)
    page = client.get(f"/exams/results/{a.id}/remove").get_data(as_text=True)
    assert name in page and "72.5" in page
    assert client.post(f"/exams/results/{a.id}/remove", data={"reason": ""}).status_code == 200
    assert db.session.get(ExamResult, a.id) is not None
    response = client.post(f"/exams/results/{a.id}/remove", data={"reason": "误加，该学员已退班"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ExamResult, a_id) is None
    assert db.session.scalar(select(func.count()).select_from(ScoreChange)
                             .where(ScoreChange.result_id == a_id)) == 0
    assert [r.id for r in db.session.get(Exam, exam.id).results] == [b_id]
    (event,) = _events(exam.id)
    assert (event.action, event.trainee_id, event.reason) == (
        "exam.candidate_removed", trainee_id, "误加，该学员已退班")
    assert event.details["theory"] == "72.5" and event.details["practical"] == "absent"
    assert [(h["field"], h["new"]) for h in event.details["history"]] == [
        ("theory", "72.5"), ("practical", "absent")]
    history = client.get(f"/exams/{exam.id}/history").get_data(as_text=True)
    assert "移出考生" in history and name in history and "误加，该学员已退班" in history
    mine = client.get(f"/exams/trainees/{trainee_id}/history").get_data(as_text=True)
    assert "移出考生" in mine and "72.5" in mine


def test_a_published_candidate_cannot_be_removed(make):
    exam, result = _published_exam(make)
    with pytest.raises(DomainError, match="已经公布"):
        operations.remove_candidate(result, "误加", make.user("staff"))
    assert db.session.get(ExamResult, result.id) is not None


# --- sending the scores back -----------------------------------------------------------------------


def test_staff_send_the_scores_back_and_the_instructor_sees_the_comment(client, other_client,
                                                                         make):
    exam, (a, b), instructor = draft_exam(make, 2)
    staff = make.user("staff")
    scores.record_scores(exam, [ScoreRow(a.id, "80", "80"), ScoreRow(b.id, "45", "70")],
                         instructor)
    before = client  # the instructor's browser
    login(before, instructor)
    detail = before.get(f"/exams/{exam.id}").get_data(as_text=True)
    assert f"/exams/{exam.id}/grid" in detail and f"/exams/{exam.id}/upload" in detail
    operations.submit_scores(exam, instructor)
    detail = client.get(f"/exams/{exam.id}").get_data(as_text=True)
    assert "等待公布" in detail and "把成绩退回给教员" not in detail
    for action in ("录入成绩", "上传成绩表", f"/exams/{exam.id}/grid", f"/exams/{exam.id}/upload"):
        assert action not in detail
    login(other_client, staff)
    page = other_client.get(f"/exams/{exam.id}").get_data(as_text=True)
    assert "把成绩退回给教员" in page and f"/exams/{exam.id}/grid" in page
    response = other_client.post(f"/exams/{exam.id}/send-back", data={"comment": ""})
    assert response.status_code == 302
    assert fresh(a).status == "submitted"  # no comment, nothing sent back
    response = other_client.post(f"/exams/{exam.id}/send-back",
                                 data={"comment": "第二位学员理论45分，请核对试卷。"})
    assert response.status_code == 302
    assert fresh(a).status == "draft" and fresh(b).status == "draft"
    for url in (f"/exams/{exam.id}", f"/exams/{exam.id}/grid"):
        page = client.get(url).get_data(as_text=True)
        assert "退回了成绩" in page and "第二位学员理论45分，请核对试卷。" in page
    assert f'name="t-{b.id}"' in client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    scores.record_scores(exam, [ScoreRow(b.id, "54", "70")], instructor)
    operations.submit_scores(exam, instructor)
    assert "退回了成绩" not in client.get(f"/exams/{exam.id}").get_data(as_text=True)
    assert [e.action for e in _events(exam.id)] == [
        "exam.submitted", "exam.sent_back", "exam.submitted"]
    assert _events(exam.id)[1].reason == "第二位学员理论45分，请核对试卷。"


def test_send_back_needs_submitted_unpublished_scores_and_staff(make):
    exam, (a,), instructor = draft_exam(make, 1)
    staff = make.user("staff")
    with pytest.raises(DomainError, match="没有已提交的成绩"):
        operations.send_back(exam, "请核对", staff)
    scores.record_scores(exam, [ScoreRow(a.id, "80", "80")], instructor)
    operations.submit_scores(exam, instructor)
    with pytest.raises(DomainError):
        operations.send_back(exam, "请核对", instructor)
    operations.publish_exam(exam, staff)
    with pytest.raises(DomainError, match="已经公布"):
        operations.send_back(exam, "请核对", staff)


# --- one history event per exam --------------------------------------------------------------------


def test_publication_writes_one_event_and_the_score_changes_stay_visible(client, make):
    exam, results, instructor = draft_exam(make, 12)
    staff = make.user("staff")
    scores.record_scores(exam, [ScoreRow(r.id, "70", "66") for r in results], instructor)
    scores.record_scores(exam, [ScoreRow(results[0].id, "71", "66")], instructor)
    operations.submit_scores(exam, instructor)
    operations.publish_exam(exam, staff)
    assert [e.action for e in _events(exam.id)] == ["exam.submitted", "exam.published"]
    assert db.session.scalar(select(func.count()).select_from(ScoreChange)
                             .where(ScoreChange.field == "status")) == 0
    login(client, staff)
    history = client.get(f"/exams/{exam.id}/history").get_data(as_text=True)
    assert history.count("公布成绩") == 1 and history.count("成绩提交给教务") == 1
    # The steps table (a header row + two events) above the score changes (a header row + 25).
    assert "71" in history and history.count("<tr") == (1 + 2) + (1 + 12 * 2 + 1)


def test_scheduling_writes_one_event_not_a_row_per_candidate(make):
    staff = make.user("staff")
    training_class = make.training_class()
    for _ in range(5):
        make.hours(make.enrolment(training_class=training_class))
    exam = operations.schedule_exam(training_class, TODAY, "二楼考场", "first", staff)
    assert len(exam.results) == 5
    assert db.session.scalar(select(func.count()).select_from(ScoreChange)) == 0
    (event,) = _events(exam.id)
    assert event.action == "exam.scheduled" and event.details["candidates"] == 5


# --- the grid: marks for the live verdict, Tab order -----------------------------------------------


def test_the_grid_carries_the_exams_own_marks_and_skips_the_absent_switches(client, make):
    exam, (a,), instructor = draft_exam(make, 1, pass_mark_theory=70, pass_mark_practical=65)
    login(client, instructor)
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert 'data-pass-theory="70"' in page and 'data-pass-practical="65"' in page
    assert 'data-absent-words="' in page and "缺考" in page
    assert f'id="t-{a.id}"' in page and 'inputmode="decimal"' in page
    assert 'role="switch" tabindex="-1"' in page
    assert "下一位" not in page or "录完了，去保存" in page  # a single row ends at Save
    assert "理论 70 分，实操 65 分" in page


def _published_exam(make):
    exam, (result,), _ = draft_exam(make, 1)
    result.theory_score, result.practical_score, result.status = 80, 80, "published"
    result.is_passed = True
    exam.published_at = db.func.now()
    db.session.commit()
    return exam, result
