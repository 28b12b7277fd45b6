"""One source of truth for a pass: each exam keeps the pass marks it was scheduled with.

Changing the setting after results are published changes no verdict of that exam — on the grid,
the statistics, the trainee's pages, the next step, the retraining list, certificates or the
report — and applies to exams scheduled afterwards.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from traincenter import rules
from traincenter.exams.queries import exam_stats
from traincenter.extensions import db
from traincenter.reports.queries import live_figures
from traincenter.retraining.next_step import course_steps
from traincenter.retraining.queries import retraining_list
from traincenter.services import attempts, verdicts

from .conftest import login


@pytest.fixture
def published(make):
    """An exam scheduled under the default marks (60/60): one pass (65/62), one fail (55/70)."""
    passer, failer = make.trainee_user(), make.trainee_user()
    exam = make.exam(held_on=date.today() - timedelta(days=10))
    results = {}
    for user, scores in ((passer, (65, 62)), (failer, (55, 70))):
        enrolment = make.enrolment(user.trainee, exam.training_class)
        results[user] = make.result(exam, enrolment, *scores)
    db.session.commit()
    return exam, passer, failer, results


def raise_the_marks(app):
    app.config.update(PASS_MARK_THEORY=70.0, PASS_MARK_PRACTICAL=75.0)


def test_an_exam_records_the_marks_in_force_when_scheduled(app, make, published):
    exam, *_ = published
    assert exam.pass_marks == rules.PassMarks(60, 60)
    raise_the_marks(app)
    db.session.expire_all()
    assert exam.pass_marks == rules.PassMarks(60, 60)


def test_every_verdict_keeps_the_exams_own_marks_after_the_setting_changes(app, client, make,
                                                                          published):
    exam, passer, failer, results = published
    raise_the_marks(app)
    db.session.expire_all()

    # The stored verdicts and the per-part verdicts agree, by the exam's marks.
    assert results[passer].is_passed is True and results[failer].is_passed is False
    assert verdicts.part_passed(results[passer], "theory")  # 65 ≥ 60, though the setting is 70
    assert verdicts.parts_not_passed(results[failer]) == ["theory"]

    stats = exam_stats(exam)
    assert stats.passed == 1
    assert stats.parts["theory"].passed == 1 and stats.parts["practical"].passed == 2

    # The next step and the retraining list: only theory to retake, practical 70 kept.
    plan = attempts.plan_for(attempts.course_results([results[failer].enrolment_id])[
        results[failer].enrolment_id])
    assert plan.parts_to_sit == ("theory",)
    [step] = course_steps(failer.trainee_id)
    assert step.failed_parts == ["theory"]
    [entry] = retraining_list().may_retake
    assert entry.parts_not_passed == ["theory"]

    # The report counts the pass.
    figures = live_figures(exam.held_on.year, as_of=date.today())
    assert figures["first_attempt_passed"] == 1 and figures["exam_takers"] == 2
    assert figures["pass_marks"] == {"theory": [60.0], "practical": [60.0]}

    # The trainee's own page says her 65 in theory passed.
    login(client, passer)
    page = client.get("/me/results").get_data(as_text=True)
    assert "65" in page and "不合格" not in page


def test_a_correction_after_the_change_is_judged_by_the_exams_marks(app, client, make, published,
                                                                     login_as):
    exam, passer, _failer, results = published
    raise_the_marks(app)
    login_as("staff")
    result = results[passer]
    response = client.post(f"/exams/results/{result.id}/correct", data={
        "theory": "66", "practical": "62", "version": result.version,
        "reason": "复核试卷后更正"})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    db.session.expire_all()
    assert db.session.get(type(result), result.id).is_passed is True  # 66 ≥ 60: still a pass


def test_exams_scheduled_after_the_change_use_the_new_marks(app, client, make, login_as):
    raise_the_marks(app)
    training_class = make.training_class()
    db.session.commit()
    login_as("staff")
    response = client.post("/exams/new", data={
        "class_id": training_class.id, "kind": "first", "held_on": training_class.ends_on.isoformat(),
        "place": "培训中心考场"})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    db.session.expire_all()
    [exam] = training_class.exams
    assert exam.pass_marks == rules.PassMarks(70, 75)
