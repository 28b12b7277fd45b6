"""Issue 14 outside the exams area: a certificate under review on the public pages and API;
deleting a placement or a feedback; managing tracks and course modules; the audit list; and what
the hours pages say after an exam."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from traincenter.errors import DomainError
from traincenter.exams import operations as exam_operations
from traincenter.exams import scores
from traincenter.exams.values import ScoreRow
from traincenter.extensions import db
from traincenter.models import (
    AuditEvent,
    Certificate,
    CourseModule,
    Enrolment,
    Feedback,
    FeedbackLink,
    Placement,
    Recommendation,
    Track,
    VerificationLookup,
)
from traincenter.models.audit import AuditRewriteError
from traincenter.placement import feedback as customer_feedback
from traincenter.placement import figures
from traincenter.placement import operations as placement_operations
from traincenter.services import audit
from traincenter.training import operations as training_operations

from .conftest import login
from .test_certificates import _QueryCounter

TODAY = date.today()


def _events(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                              .order_by(AuditEvent.id)).all()


# --- a certificate under review --------------------------------------------------------------------


def _flagged(make) -> Certificate:
    certificate = make.certified(name="李桂兰")
    make.health(certificate.trainee, issued_on=TODAY - timedelta(days=30))
    certificate.needs_review = True
    certificate.review_reason = "实操成绩更正后不再合格"
    db.session.commit()
    return certificate


def test_a_certificate_under_review_reads_under_review_everywhere(client, make):
    certificate = _flagged(make)
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "证书核查中" in page and "核查中" in page and "有效</span>" not in page
    assert "badge-green" not in page
    found = client.get("/verify", query_string={"number": certificate.number, "name": "李桂兰"})
    assert found.status_code == 200 and "证书核查中" in found.get_data(as_text=True)
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").get_json()
    assert body["status"] == "under_review"
    assert (body["duty_colour"], body["duty_reason"], body["fit_for_duty"]) == (
        "red", "under_review", False)
    outcomes = db.session.scalars(select(VerificationLookup.outcome)
                                  .order_by(VerificationLookup.id)).all()
    assert outcomes == ["under_review"] * 3
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Certificate"]
    assert "under_review" in schema["properties"]["status"]["enum"]
    assert "under_review" in schema["properties"]["duty_reason"]["enum"]
    assert set(body) == set(schema["required"])


def test_once_staff_confirm_it_the_certificate_is_valid_again(client, make):
    from traincenter.certificates import operations as certificate_operations

    certificate = _flagged(make)
    certificate_operations.clear_review(certificate.id, "核对试卷，原成绩无误", make.user("staff"))
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").get_json()
    assert body["status"] == "valid" and body["fit_for_duty"] is True
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "有效" in page and "核查中" not in page


# --- deleting a placement or a feedback ------------------------------------------------------------


def _placed(make, rating=5):
    certificate = make.certified(name="王淑芬")
    make.health(certificate.trainee, issued_on=TODAY - timedelta(days=30))
    opening = make.opening(positions=1, status="filled")
    recommendation = Recommendation(opening=opening, trainee=certificate.trainee,
                                    outcome="hired")
    db.session.add(recommendation)
    db.session.commit()
    placement = make.placement(certificate.trainee, starts_on=TODAY,
                               recommendation_id=recommendation.id, opening_id=opening.id)
    feedback = make.feedback(placement, rating=rating, comment="干活仔细")
    make.feedback_link(placement, feedback_id=feedback.id, used_at=db.func.now())
    return placement, feedback, recommendation, opening


def test_staff_delete_a_placement_with_a_reason_and_the_figures_follow(client, make):
    placement, _feedback, recommendation, opening = _placed(make)
    staff = make.user("staff")
    _rows, total = figures.figures(TODAY.year)
    assert (total.placed, total.placements, total.ratings) == (1, 1, (5,))
    with pytest.raises(DomainError):
        placement_operations.delete_placement(placement, "录错", make.user("instructor"))
    login(client, staff)
    page = client.get(f"/placement/placements/{placement.id}/delete").get_data(as_text=True)
    assert "王淑芬" in page and "1 条评价" in page
    response = client.post(f"/placement/placements/{placement.id}/delete", data={"reason": ""})
    assert response.status_code == 200 and "请填写删除原因" in response.get_data(as_text=True)
    response = client.post(f"/placement/placements/{placement.id}/delete",
                           data={"reason": "录错了人，应是王淑珍"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Placement)) == 0
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0
    assert db.session.scalar(select(func.count()).select_from(FeedbackLink)) == 0
    _rows, total = figures.figures(TODAY.year)
    assert (total.placed, total.placements, total.ratings) == (0, 0, ())
    assert db.session.get(Recommendation, recommendation.id).outcome == "pending"
    assert opening.status == "open"
    (event,) = _events("placement.deleted")
    assert event.reason == "录错了人，应是王淑珍" and event.actor_id == staff.id
    assert event.details["trainee"] == "王淑芬" and event.details["feedback"][0]["rating"] == 5
    listed = client.get("/audit/?kind=placement").get_data(as_text=True)
    assert "删除就业安置" in listed and "录错了人，应是王淑珍" in listed and "干活仔细" in listed


def test_staff_delete_a_feedback_and_the_placement_page_says_so(client, make):
    placement, feedback, _recommendation, _opening = _placed(make, rating=2)
    make.feedback(placement, rating=5)
    assert figures.figures(TODAY.year)[1].satisfaction_rate == 0.5
    with pytest.raises(DomainError):
        customer_feedback.delete_feedback(feedback, "  ", make.user("staff"))
    with pytest.raises(DomainError):
        customer_feedback.delete_feedback(feedback, "录错", make.user("instructor"))
    login(client, make.user("staff"))
    assert "删除（录错了）" in client.get(f"/placement/placements/{placement.id}").get_data(
        as_text=True)
    response = client.post(f"/placement/feedback-entries/{feedback.id}/delete",
                           data={"reason": "雇主打错分，应为4分"})
    assert response.status_code == 302
    db.session.expire_all()
    assert figures.figures(TODAY.year)[1].satisfaction_rate == 1.0
    link = db.session.scalar(select(FeedbackLink))
    assert link.feedback_id is None and link.used_at is not None  # the link stays used
    page = client.get(f"/placement/placements/{placement.id}").get_data(as_text=True)
    assert "已删除的评价" in page and "雇主打错分，应为4分" in page and "干活仔细" in page


# --- tracks and course modules ---------------------------------------------------------------------


def test_staff_create_change_retire_and_delete_tracks(client, make):
    staff = make.user("staff")
    login(client, staff)
    response = client.post("/training/tracks", data={"code": "yl", "name": "养老护理员",
                                                     "sort_order": "3"})
    assert response.status_code == 302
    track = db.session.scalar(select(Track).where(Track.name == "养老护理员"))
    assert track.code == "YL" and track.is_active
    again = client.post("/training/tracks", data={"code": "YL", "name": "养老护理"})
    assert "已有专业方向使用代码 YL" in again.get_data(as_text=True)
    response = client.post(f"/training/tracks/{track.id}/edit",
                           data={"code": "YL", "name": "养老护理", "sort_order": "3",
                                 "reason": "按职业标准改名"})
    assert response.status_code == 302
    (changed,) = _events("track.updated")
    assert changed.details["changes"] == {"name": ["养老护理员", "养老护理"]}
    assert changed.reason == "按职业标准改名"
    make.training_class(track=track)
    response = client.post(f"/training/tracks/{track.id}/edit",
                           data={"code": "YLHL", "name": "养老护理", "sort_order": "3"})
    assert "代码不能再改" in response.get_data(as_text=True)
    response = client.post(f"/training/tracks/{track.id}/delete", data={"reason": "建错了"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Track, track.id) is not None  # in use: never deleted
    client.post(f"/training/tracks/{track.id}/status", data={"action": "retire", "reason": ""})
    db.session.expire_all()
    assert db.session.get(Track, track.id).is_active is False
    assert "养老护理" not in client.get("/training/classes/new").get_data(as_text=True)
    unused_id = make.track(code="XX", name="建错的方向").id
    client.post(f"/training/tracks/{unused_id}/delete", data={"reason": "建错了"})
    db.session.expire_all()
    assert db.session.get(Track, unused_id) is None
    assert [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))] == [
        "track.created", "track.updated", "track.retired", "track.deleted"]
    page = client.get("/training/tracks").get_data(as_text=True)
    assert "已停用" in page and "养老护理" in page


def test_staff_change_retire_and_delete_modules(client, make):
    staff = make.user("staff")
    training_class = make.training_class()
    used = make.session(training_class).module
    unused_id = make.module(name="插花").id
    login(client, staff)
    page = client.get("/training/modules").get_data(as_text=True)
    assert f"/training/modules/{used.id}/edit" in page
    response = client.post(f"/training/modules/{used.id}/edit",
                           data={"name": used.name, "is_compulsory": "y",
                                 "suggested_hours": "6", "reason": "按新大纲"})
    assert response.status_code == 302
    with pytest.raises(DomainError, match="不能删除"):
        training_operations.delete_module(used, "不用了", staff)
    client.post(f"/training/modules/{used.id}/status", data={"action": "retire"})
    db.session.expire_all()
    assert db.session.get(CourseModule, used.id).is_active is False
    form = client.get(f"/training/classes/{training_class.id}/sessions/new").get_data(as_text=True)
    assert used.name not in form
    client.post(f"/training/modules/{used.id}/status", data={"action": "restore"})
    client.post(f"/training/modules/{unused_id}/delete", data={"reason": "建错了"})
    db.session.expire_all()
    assert db.session.get(CourseModule, unused_id) is None
    assert db.session.get(CourseModule, used.id).is_active is True
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions == ["course_module.updated", "course_module.retired",
                       "course_module.restored", "course_module.deleted"]


# --- the audit trail -------------------------------------------------------------------------------


def test_the_audit_trail_is_append_only(make):
    event = audit.record(make.user("staff"), "track.created", "track", 1, details={"code": "A"})
    db.session.commit()
    event.reason = "改掉"
    with pytest.raises(AuditRewriteError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, event.id))
    with pytest.raises(AuditRewriteError):
        db.session.commit()
    db.session.rollback()


def test_the_audit_list_pages_in_a_fixed_number_of_statements(client, make):
    staff = make.user("staff")
    trainee = make.trainee()
    for n in range(3):
        audit.record(staff, "exam.date_moved", "exam", n, reason="改期", trainee_id=trainee.id,
                     details={"changes": {"held_on": ["2026-11-01", "2026-11-09"]}})
    db.session.commit()
    login(client, staff)
    with _QueryCounter() as few:
        page = client.get("/audit/").get_data(as_text=True)
    assert "2026年11月1日 → 2026年11月9日" in page and trainee.name in page
    for n in range(60):
        audit.record(make.user("staff"), "exam.published", "exam", n, trainee_id=make.trainee().id,
                     details={"results": n})
    db.session.commit()
    with _QueryCounter() as many:
        page = client.get("/audit/").get_data(as_text=True)
    assert many.count == few.count
    assert "第 1 页" in page or "下一页" in page
    assert client.get("/audit/?page=2").status_code == 200
    assert "改期" in client.get(f"/audit/?trainee={trainee.id}").get_data(as_text=True)


# --- what the hours pages say after an exam --------------------------------------------------------


def _trainee_in_class(make):
    user = make.trainee_user()
    training_class = make.training_class()
    enrolment = make.enrolment(user.trainee, training_class)
    make.hours(enrolment)
    return user, training_class, enrolment


def test_hours_page_before_and_after_the_exam(client, other_client, make):
    user, training_class, enrolment = _trainee_in_class(make)
    staff = make.user("staff")
    login(client, user)
    login(other_client, staff)
    assert "可以参加考试" in client.get("/me/hours").get_data(as_text=True)
    exam = exam_operations.schedule_exam(training_class, TODAY + timedelta(days=3), "考场",
                                         "first", staff)
    for page in (client.get("/me/hours"), other_client.get(f"/trainees/{user.trainee.id}")):
        text = page.get_data(as_text=True)
        assert "已安排考试" in text and "可以参加考试" not in text
    exam_operations.move_exam_date(exam, TODAY - timedelta(days=1), "其实昨天考的", staff)
    (result,) = exam.results
    scores.record_scores(exam, [ScoreRow(result.id, "55", "80")], staff)
    assert "等待公布成绩" in client.get("/me/hours").get_data(as_text=True)
    exam_operations.submit_scores(exam, staff)
    exam_operations.publish_exam(exam, staff)
    for page in (client.get("/me/hours"), other_client.get(f"/trainees/{user.trainee.id}")):
        text = page.get_data(as_text=True)
        assert "未通过考试，等待安排补考" in text and "可以参加考试" not in text
    assert "/me/results" in client.get("/me/hours").get_data(as_text=True)


def test_hours_page_after_passing_and_after_the_last_attempt(client, other_client, make):
    user, training_class, enrolment = _trainee_in_class(make)
    exam = make.exam(training_class, held_on=TODAY - timedelta(days=5))
    make.result(exam, enrolment, 82, 75)
    login(client, user)
    text = client.get("/me/hours").get_data(as_text=True)
    assert "已通过考试" in text and "可以参加考试" not in text
    other, other_class, failing = _trainee_in_class(make)
    first = make.exam(other_class, held_on=TODAY - timedelta(days=60))
    make.result(first, failing, 40, 50)
    retraining = make.training_class(kind="retraining", track=other_class.track)
    again = make.enrolment(other.trainee, retraining, continues_id=failing.id)
    reexam = make.exam(retraining, kind="reexam", held_on=TODAY + timedelta(days=6),
                       published_at=None)
    login(other_client, other)
    text = other_client.get("/me/hours").get_data(as_text=True)
    assert "已安排补考" in text
    second = make.exam(retraining, kind="reexam", held_on=TODAY - timedelta(days=1))
    make.result(second, again, 45, 52, attempt_no=2)
    db.session.delete(reexam)
    db.session.commit()
    text = other_client.get("/me/hours").get_data(as_text=True)
    assert "本课程的考试机会已用完" in text and "可以参加考试" not in text


def test_standings_take_a_fixed_number_of_statements(make):
    from traincenter.services.standing import exam_standings

    def enrolments(n):
        out = []
        for _ in range(n):
            _user, training_class, enrolment = _trainee_in_class(make)
            make.result(make.exam(training_class, held_on=TODAY - timedelta(days=2)),
                        enrolment, 50, 70)
            out.append(enrolment)
        return out

    few, many = [e.id for e in enrolments(2)], [e.id for e in enrolments(10)]

    def loaded(ids):
        db.session.expire_all()
        return db.session.scalars(select(Enrolment).where(Enrolment.id.in_(ids))).all()

    first, second = loaded(few), loaded(many + few)
    with _QueryCounter() as a:
        exam_standings(first)
    with _QueryCounter() as b:
        result = exam_standings(second)
    assert a.count == b.count
    assert {s.kind for s in result.values()} == {"retake_pending"}

