"""Scheduling, candidates, re-exam carry-over, submit / publish, corrections and history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from traincenter.errors import DomainError
from traincenter.exams import operations, scores
from traincenter.exams.scores import ScoreErrors
from traincenter.exams.values import ScoreRow
from traincenter.extensions import db
from traincenter.models import AuditEvent, Certificate, Enrolment, ScoreChange

from .conftest import login
from .test_exams_helpers import draft_exam, fresh


def _class_with(make, eligible: int, short: int, instructor=None):
    training_class = make.training_class(instructors=[instructor] if instructor else [])
    ok = [make.enrolment(training_class=training_class) for _ in range(eligible)]
    for enrolment in ok:
        make.hours(enrolment)
    not_ok = [make.enrolment(training_class=training_class) for _ in range(short)]
    for enrolment in not_ok:
        make.hours(enrolment, classroom=40, self_study=10)
    return training_class, ok, not_ok


def test_schedule_fills_only_eligible_candidates_via_the_page(client, make):
    staff = make.user("staff")
    training_class, ok, not_ok = _class_with(make, 2, 1)
    login(client, staff)
    response = client.post("/exams/new", data={
        "class_id": training_class.id, "kind": "first", "held_on": training_class.ends_on.isoformat(),
        "place": "二楼考场"})
    assert response.status_code == 302
    db.session.expire_all()
    exam = db.session.get(Enrolment, ok[0].id).training_class.exams[0]
    assert {r.enrolment_id for r in exam.results} == {e.id for e in ok}
    assert all(r.attempt_no == 1 for r in exam.results)


def test_adding_an_ineligible_trainee_needs_a_reason_which_is_kept(make):
    staff = make.user("staff")
    training_class, _ok, (short,) = _class_with(make, 1, 1)
    exam = operations.schedule_exam(training_class, training_class.ends_on, "考场", "first", staff)
    with pytest.raises(DomainError):
        operations.add_candidate(exam, short, "", staff)
    result = operations.add_candidate(exam, short, "病假补足学时中，经主任批准", staff)
    assert fresh(result).added_reason == "病假补足学时中，经主任批准"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exam.candidate_added"))
    assert event.object_id == exam.id and event.trainee_id == short.trainee_id
    assert event.reason.startswith("病假") and event.actor_id == staff.id


def test_instructor_cannot_schedule(make):
    training_class, _, _ = _class_with(make, 0, 0)
    with pytest.raises(DomainError):
        operations.schedule_exam(training_class, training_class.ends_on, "考场", "first",
                               make.user("instructor"))


def _failed_first_exam(make, theory, practical, held_on=None):
    staff = make.user("staff")
    regular = make.training_class()
    enrolment = make.enrolment(training_class=regular)
    first = make.exam(regular, held_on=held_on or date.today() - timedelta(days=10))
    make.result(first, enrolment, theory, practical)
    retraining = make.training_class(kind="retraining", track=regular.track)
    again = make.enrolment(enrolment.trainee, retraining, continues_id=enrolment.id)
    make.hours(again)
    return staff, retraining, enrolment, again


def test_reexam_carries_the_passed_part_and_asks_only_the_failed_one(client, make):
    staff, retraining, enrolment, again = _failed_first_exam(make, 72, 50)
    exam = operations.schedule_exam(retraining, date.today(), "考场", "reexam", staff)
    (result,) = exam.results
    assert result.attempt_no == 2
    assert result.theory_carried_from_id is not None and result.practical_carried_from_id is None
    assert "72" in result.carry_over_note
    # The practical alone decides; the carried theory counts.
    scores.record_scores(exam, [ScoreRow(result.id, "99", "61")], staff)
    stored = fresh(result)
    assert stored.theory_score is None and stored.is_passed is True
    login(client, staff)
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert f'name="t-{result.id}"' not in page and f'name="p-{result.id}"' in page
    assert "保留" in page


def test_reexam_after_the_keeping_period_sits_both_parts(make):
    long_ago = date.today() - timedelta(days=500)
    staff, retraining, _enrolment, _again = _failed_first_exam(make, 72, 50, held_on=long_ago)
    exam = operations.schedule_exam(retraining, retraining.ends_on, "考场", "reexam", staff)
    (result,) = exam.results
    assert result.theory_carried_from_id is None
    assert "需重考" in result.carry_over_note


def test_reexam_leaves_out_trainees_with_no_attempt_left(make):
    staff, retraining, enrolment, again = _failed_first_exam(make, 40, 50)
    second = make.exam(retraining, kind="reexam")
    make.result(second, again, 45, 55, attempt_no=2)
    exam = operations.schedule_exam(retraining, retraining.ends_on, "考场", "reexam", staff)
    assert exam.results == []
    with pytest.raises(DomainError):
        operations.add_candidate(exam, again, "再给一次机会", staff)


def test_submit_needs_every_part_then_publish_settles_the_course(client, make):
    exam, (a, b), instructor = draft_exam(make, 2)
    staff = make.user("staff")
    scores.record_scores(exam, [ScoreRow(a.id, "80", "80"), ScoreRow(b.id, "50", "")],
                         instructor)
    with pytest.raises(DomainError):
        operations.submit_scores(exam, instructor)
    scores.record_scores(exam, [ScoreRow(b.id, "50", "", practical_absent=True)], instructor)
    with pytest.raises(DomainError):
        operations.publish_exam(exam, staff)  # drafts are not published
    login(client, instructor)
    assert client.post(f"/exams/{exam.id}/submit").status_code == 302
    assert client.post(f"/exams/{exam.id}/publish").status_code == 403
    operations.publish_exam(exam, staff)
    assert fresh(a).status == "published"
    db.session.expire_all()
    assert db.session.get(Enrolment, a.enrolment_id).status == "passed"
    assert db.session.get(Enrolment, b.enrolment_id).status == "active"  # may retake
    # One event per exam for each step, not a history row per candidate.
    assert db.session.scalars(select(ScoreChange).where(ScoreChange.field == "status")).all() == []
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_id == exam.id)
                                .order_by(AuditEvent.id)).all()
    assert [(e.action, e.details) for e in events] == [
        ("exam.submitted", {"results": 2}), ("exam.published", {"results": 2})]


def test_an_instructor_of_another_class_may_neither_record_nor_submit(make):
    exam, (a,), _ = draft_exam(make, 1)
    stranger = make.user("instructor")
    with pytest.raises(DomainError) as recording:
        scores.record_scores(exam, [ScoreRow(a.id, "80", "80")], stranger)
    with pytest.raises(DomainError) as submitting:
        operations.submit_scores(exam, stranger)
    assert str(submitting.value) == str(recording.value)
    assert fresh(a).status == "draft" and fresh(a).theory_score is None


def test_correction_after_publication_needs_staff_and_reason_and_flags_the_certificate(make):
    exam, (result,), instructor = draft_exam(make, 1)
    staff = make.user("staff")
    scores.record_scores(exam, [ScoreRow(result.id, "80", "70")], instructor)
    operations.submit_scores(exam, instructor)
    operations.publish_exam(exam, staff)
    certificate = make.certificate(fresh(result))
    with pytest.raises(ScoreErrors):
        scores.correct_result(fresh(result), "80", "55", reason="", actor=staff)
    with pytest.raises(ScoreErrors):
        scores.correct_result(fresh(result), "80", "55", reason="阅卷错误", actor=instructor)
    scores.correct_result(fresh(result), "80", "55", reason="实操复核扣分", actor=staff)
    stored = fresh(result)
    assert stored.is_passed is False and float(stored.practical_score) == 55
    assert db.session.get(Certificate, certificate.id).needs_review is True
    assert db.session.get(Enrolment, result.enrolment_id).status == "active"
    change = db.session.scalars(select(ScoreChange).where(
        ScoreChange.result_id == result.id, ScoreChange.source == "correction")).one()
    assert (change.field, change.old_value, change.new_value, change.reason, change.changed_by_id) \
        == ("practical", "70", "55", "实操复核扣分", staff.id)


def test_history_records_every_change_and_staff_read_it(client, make):
    exam, (result,), instructor = draft_exam(make, 1)
    scores.record_scores(exam, [ScoreRow(result.id, "70", "", practical_absent=True)],
                           instructor)
    scores.record_scores(exam, [ScoreRow(result.id, "75", "66")], instructor)
    rows = db.session.scalars(select(ScoreChange).where(ScoreChange.result_id == result.id)
                              .order_by(ScoreChange.id)).all()
    assert [(r.field, r.old_value, r.new_value, r.source) for r in rows] == [
        ("theory", None, "70", "grid"), ("practical", None, "absent", "grid"),
        ("theory", "70", "75", "grid"), ("practical", "absent", "66", "grid")]
    login(client, make.user("staff"))
    page = client.get(f"/exams/{exam.id}/history").get_data(as_text=True)
    assert "缺考" in page and "75" in page and instructor.display_name in page
    trainee_page = client.get(f"/exams/trainees/{result.enrolment.trainee_id}/history")
    assert trainee_page.status_code == 200 and "66" in trainee_page.get_data(as_text=True)


def test_stats_page_shows_rate_mean_median_and_bars(client, make):
    exam, results, instructor = draft_exam(make, 4)
    values = [("95", "80"), ("59.9", "70"), ("61", "", False, True), ("70", "90")]
    scores.record_scores(exam, [ScoreRow(r.id, t, p, *flags) for r, (t, p, *flags)
                                  in zip(results, values, strict=True)], instructor)
    login(client, instructor)
    page = client.get(f"/exams/{exam.id}/stats").get_data(as_text=True)
    assert "50.0%" in page  # 2 passed of 4 complete
    assert "71.5" in page and "65.5" in page  # theory mean 71.5, median 65.5
    assert page.count("<meter") == 20


def test_exam_list_shows_instructors_only_their_classes(client, make):
    mine, _, instructor = draft_exam(make, 1)
    theirs, _, _ = draft_exam(make, 1)
    login(client, instructor)
    page = client.get("/exams/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert f"/exams/{mine.id}" in page and f"/exams/{theirs.id}" not in page
    assert "考试" in page
    assert client.get(f"/exams/{theirs.id}").status_code == 403


def test_scheduling_refuses_bad_input_with_a_message_and_creates_nothing(client, make):
    from traincenter.models import Exam

    training_class, _, _ = _class_with(make, 1, 0)
    login(client, make.user("staff"))
    early = (training_class.starts_on - timedelta(days=1)).isoformat()
    response = client.post("/exams/new", data={
        "class_id": training_class.id, "kind": "first", "held_on": early, "place": "考场"})
    assert "考试日期不能早于开班日期" in response.get_data(as_text=True)
    response = client.post("/exams/new", data={
        "class_id": training_class.id, "kind": "first", "held_on": "", "place": ""})
    assert "请填写考场" in response.get_data(as_text=True)
    assert db.session.scalar(select(Exam.id)) is None
