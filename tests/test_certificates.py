"""Certificates: issuance rules, numbers, revocation, review flags, staff pages."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from traincenter import rules
from traincenter.certificates import operations, queries
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import Certificate

from .conftest import login


def _passed(make, track=None, theory=80, practical=85, **trainee_kw):
    """An enrolment whose published first exam was passed, with 80 + 70 hours credited."""
    kw = {"track": track} if track is not None else {}
    enrolment = make.enrolment(make.trainee(**trainee_kw), make.training_class(**kw))
    make.hours(enrolment, 80, 70)
    exam = make.exam(enrolment.training_class)
    result = make.result(exam, enrolment, theory, practical)
    return enrolment, result


def test_issue_to_passed_trainee(make):
    staff = make.user("staff")
    track = make.track(code="YY", name="育婴师")
    enrolment, _ = _passed(make, track, 72.5, 88)
    certificate = operations.issue_certificate(enrolment.id, staff, today=date(2026, 5, 4))
    assert certificate.number == rules.certificate_number(2026, "YY", 1) == "2026YY00001"
    assert certificate.hours_completed == 150
    assert (certificate.theory_score, certificate.practical_score) == (72.5, 88)
    assert certificate.level == enrolment.training_class.level
    assert certificate.issued_by_id == staff.id
    assert len(certificate.verification_code) >= 13  # 10 random bytes, url-safe
    second, _ = _passed(make, track)
    assert operations.issue_certificate(second.id, staff, today=date(2026, 5, 4)).number == "2026YY00002"


@pytest.mark.parametrize("theory, practical", [(59.9, 80), (80, 59.9), (rules.ABSENT, 90), (None, 90)])
def test_issuance_refused_without_a_pass(make, theory, practical):
    staff = make.user("staff")
    enrolment = make.enrolment()
    exam = make.exam(enrolment.training_class)
    make.result(exam, enrolment, theory, practical)
    with pytest.raises(DomainError, match="未通过本课程考试"):
        operations.issue_certificate(enrolment.id, staff)
    assert db.session.scalar(select(Certificate.id)) is None


def test_unpublished_pass_is_not_enough(make):
    staff = make.user("staff")
    enrolment = make.enrolment()
    make.result(make.exam(enrolment.training_class), enrolment, 90, 90, status="submitted")
    with pytest.raises(DomainError):
        operations.issue_certificate(enrolment.id, staff)


def test_pass_with_carried_part_through_retraining(make):
    """Failed practical, passed theory carried over; the re-exam in a retraining class passes."""
    staff = make.user("staff")
    track = make.track(code="YL")
    regular = make.enrolment(make.trainee(), make.training_class(track=track))
    make.hours(regular, 80, 70)
    first = make.result(make.exam(regular.training_class), regular, 75, 50)
    retraining_class = make.training_class(track=track, kind="retraining")
    retraining = make.enrolment(regular.trainee, retraining_class, continues_id=regular.id)
    make.hours(retraining, 8, 0)
    reexam = make.exam(retraining_class, kind="reexam")
    make.result(reexam, retraining, None, 66, theory_carried_from=first, attempt_no=2)
    certificate = operations.issue_certificate(retraining.id, staff)
    with pytest.raises(DomainError, match="已持有"):  # the same course, seen from either class
        operations.issue_certificate(regular.id, staff)
    assert certificate.enrolment_id == regular.id
    assert (certificate.theory_score, certificate.practical_score) == (75, 66)
    assert certificate.hours_completed == 158  # the retraining hours count too


def test_one_standing_certificate_per_course(make):
    staff = make.user("staff")
    enrolment, _ = _passed(make)
    first = operations.issue_certificate(enrolment.id, staff)
    with pytest.raises(DomainError, match="已持有"):
        operations.issue_certificate(enrolment.id, staff)
    operations.revoke_certificate(first.id, "发证错误", staff)
    again = operations.issue_certificate(enrolment.id, staff)
    assert again.number != first.number


def test_issue_for_class_skips_those_who_did_not_pass(make):
    staff = make.user("staff")
    cls = make.training_class()
    exam = make.exam(cls)
    passed = [make.enrolment(make.trainee(), cls) for _ in range(3)]
    failed = make.enrolment(make.trainee(), cls)
    for enrolment in passed:
        make.result(exam, enrolment, 70, 70)
    make.result(exam, failed, 40, 70)
    issued = operations.issue_for_class(cls.id, staff)
    assert sorted(c.trainee_id for c in issued) == sorted(e.trainee_id for e in passed)
    assert len({c.number for c in issued}) == 3
    with pytest.raises(DomainError, match="本班没有等待发证"):
        operations.issue_for_class(cls.id, staff)


def test_number_clash_is_retried(make):
    """Another worker takes the next number between our read and our commit: we retry."""
    staff = make.user("staff")
    track = make.track(code="MY")
    enrolment, result = _passed(make, track)
    other, other_result = _passed(make, track)
    state = {"done": False}

    def steal(session, flush_context, instances):  # noqa: ARG001
        if not state["done"]:
            state["done"] = True
            with db.engine.begin() as other_worker:
                other_worker.execute(Certificate.__table__.insert().values(
                    number=rules.certificate_number(date.today().year, "MY", 1),
                    verification_code="stolen", trainee_id=other.trainee_id, enrolment_id=other.id,
                    result_id=other_result.id, track_id=track.id, level=5, hours_completed=150,
                    issued_on=date.today(), needs_review=False, created_at=date.today()))

    event.listen(db.session, "before_flush", steal)
    try:
        certificate = operations.issue_certificate(enrolment.id, staff)
    finally:
        event.remove(db.session, "before_flush", steal)
    assert certificate.number == rules.certificate_number(date.today().year, "MY", 2)


def test_only_staff_may_issue_or_revoke(make):
    enrolment, _ = _passed(make)
    instructor = make.user("instructor")
    with pytest.raises(DomainError):
        operations.issue_certificate(enrolment.id, instructor)
    certificate = operations.issue_certificate(enrolment.id, make.user("staff"))
    with pytest.raises(DomainError):
        operations.revoke_certificate(certificate.id, "错误", instructor)
    assert not certificate.is_revoked


def test_revoke_requires_reason_and_shows_at_once(client, make):
    staff = make.user("staff")
    certificate = make.certified()
    with pytest.raises(DomainError):
        operations.revoke_certificate(certificate.id, "   ", staff)
    login(client, staff)
    response = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, certificate.id).revoked_at is None
    client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "成绩更正后不合格"})
    public = client.get(f"/verify/{certificate.verification_code}")
    assert public.status_code == 200
    assert "证书已撤销" in public.get_data(as_text=True)
    db.session.expire_all()
    revoked = db.session.get(Certificate, certificate.id)
    assert revoked.is_revoked and revoked.revocation_reason == "成绩更正后不合格"
    with pytest.raises(DomainError, match="已经撤销"):
        operations.revoke_certificate(certificate.id, "again", staff)


def test_review_queue_revoke_or_keep(client, make):
    staff = make.user("staff")
    flagged = make.certified(name="王秀英")
    kept = make.certified(name="李桂兰")
    for certificate in (flagged, kept):
        certificate.needs_review, certificate.review_reason = True, "实操成绩更正为 55"
    make.certified(name="赵丽娟")  # not flagged
    db.session.commit()
    login(client, staff)
    page = client.get("/certificates/review").get_data(as_text=True)
    assert "王秀英" in page and "李桂兰" in page and "赵丽娟" not in page
    assert client.post(f"/certificates/{kept.id}/review", data={"note": ""}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Certificate, kept.id).needs_review
    client.post(f"/certificates/{kept.id}/review", data={"note": "复核原始试卷，成绩录入有误"})
    client.post(f"/certificates/{flagged.id}/revoke", data={"reason": "更正后不合格"})
    db.session.expire_all()
    kept_now = db.session.get(Certificate, kept.id)
    assert not kept_now.needs_review and "复核原始试卷" in kept_now.review_reason
    assert "实操成绩更正为 55" in kept_now.review_reason
    assert db.session.get(Certificate, flagged.id).is_revoked
    assert queries.count_flagged() == 0
    assert "没有待复核的证书" in client.get("/certificates/review").get_data(as_text=True)


def test_class_page_issue_buttons_and_refusal_message(client, make):
    staff = make.user("staff")
    cls = make.training_class()
    exam = make.exam(cls)
    ok = make.enrolment(make.trainee(name="陈玉梅"), cls)
    failed = make.enrolment(make.trainee(name="杨淑华"), cls)
    make.result(exam, ok, 66, 77)
    make.result(exam, failed, 50, 77)
    login(client, staff)
    page = client.get(f"/certificates/classes/{cls.id}").get_data(as_text=True)
    assert "陈玉梅" in page and "杨淑华" in page and "未通过" in page
    response = client.post("/certificates/issue", data={"enrolment_id": failed.id,
                                                       "back": f"/certificates/classes/{cls.id}"},
                           follow_redirects=True)
    assert "杨淑华 未通过本课程考试，不能发证。" in response.get_data(as_text=True)
    response = client.post(f"/certificates/classes/{cls.id}/issue", follow_redirects=True)
    assert "已发放 1 张证书" in response.get_data(as_text=True)
    assert db.session.scalar(select(Certificate.trainee_id)) == ok.trainee_id


def test_certificates_index_search_and_fixed_queries(client, make):
    staff = make.user("staff")
    track = make.track(code="BJ", name="家庭保洁")
    for _ in range(3):
        make.certified()
    login(client, staff)
    counter = _QueryCounter()
    with counter:
        client.get("/certificates/")
    few = counter.count
    for _ in range(12):
        make.certified()
    with counter:
        page = client.get("/certificates/")
    assert page.status_code == 200
    assert counter.count == few
    target = make.certified(name="欧阳春燕")
    found = client.get("/certificates/?q=欧阳").get_data(as_text=True)
    assert target.number in found
    assert client.get(f"/certificates/?track={track.id}").status_code == 200


class _QueryCounter:
    """Counts SQL statements run on the engine while active."""

    def __enter__(self):
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *args):  # noqa: ARG002
        self.count += 1

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)


def test_detail_page_and_lookups(client, make):
    staff = make.user("staff")
    certificate = make.certified(name="周凤珍")
    client.get(f"/verify/{certificate.verification_code}")
    login(client, staff)
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert "周凤珍" in page and certificate.number in page
    assert certificate.trainee.id_number not in page
    assert "二维码" in page  # the lookup through the QR code is listed
    assert re.search(r"<td>二维码</td><td>有效</td>", page)  # channel and outcome from i18n.LABELS
    assert client.get("/certificates/999999").status_code == 404


def test_trainee_page_shows_status(client, make):
    staff = make.user("staff")
    certificate = make.certified()
    make.health(certificate.trainee, issued_on=date.today() - timedelta(days=350))
    login(client, staff)
    page = client.get(f"/certificates/trainees/{certificate.trainee_id}").get_data(as_text=True)
    assert "badge-yellow" in page


def test_posts_need_the_csrf_token(app, client, make):
    app.config["WTF_CSRF_ENABLED"] = True
    staff = make.user("staff")
    certificate = make.certified()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/auth/login", data={"login": staff.username, "password": "password123",
                                     "csrf_token": token})
    detail = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert 'name="csrf_token"' in detail
    refused = client.post(f"/certificates/{certificate.id}/revoke", data={"reason": "无令牌"})
    assert refused.status_code == 400
    db.session.expire_all()
    assert not db.session.get(Certificate, certificate.id).is_revoked


@pytest.mark.parametrize("url", ["/certificates/classes/{cls}", "/certificates/classes/{cls}/health",
                                 "/certificates/health", "/certificates/review"])
def test_class_and_health_pages_run_a_fixed_number_of_queries(client, make, url):
    staff = make.user("staff")
    cls = make.training_class()
    exam = make.exam(cls)

    def add(count):
        for index in range(count):
            enrolment = make.enrolment(make.trainee(), cls)
            certificate = make.certificate(make.result(exam, enrolment, 70, 70 if index % 3 else 50))
            certificate.needs_review = True
            make.health(enrolment.trainee, issued_on=date.today() - timedelta(days=340 + index % 40))

    add(3)
    login(client, staff)
    target = url.format(cls=cls.id)
    client.get(target)
    with _QueryCounter() as counter:
        assert client.get(target).status_code == 200
    few = counter.count
    add(15)
    with _QueryCounter() as counter:
        assert client.get(target).status_code == 200
    assert counter.count == few


def test_level_check_is_built_from_the_rules_with_the_migrated_text():
    from pathlib import Path

    (check,) = [c for c in Certificate.__table__.constraints if c.name == "ck_certificate_level"]
    assert str(check.sqltext) == "level IN (3, 4, 5)"
    migration = Path(__file__).parent.parent / "migrations/versions/0001_initial_schema.py"
    assert (f"sa.CheckConstraint('{check.sqltext}', name=op.f('ck_certificate_level'))"
            in migration.read_text(encoding="utf-8"))
