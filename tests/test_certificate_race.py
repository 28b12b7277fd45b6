"""One standing certificate per course, held by the database even when two people issue at once."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from traincenter.certificates import operations
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import Certificate
from traincenter.models.base import utcnow


def test_database_refuses_a_second_standing_certificate_for_a_course(make):
    first = make.certified()
    with pytest.raises(IntegrityError):
        make.certificate(first.result)
    db.session.rollback()


def test_a_revoked_certificate_can_be_replaced(make):
    first = make.certified()
    first.revoked_at, first.revocation_reason = utcnow(), "打印错误"
    db.session.commit()
    second = make.certificate(first.result)
    assert second.enrolment_id == first.enrolment_id


def test_losing_the_race_says_the_course_already_has_a_certificate(make, monkeypatch):
    """The check passed for both people; the second commit hits the index and is told why."""
    staff = make.user("staff")
    enrolment = make.enrolment()
    result = make.result(make.exam(enrolment.training_class), enrolment, 80, 80)
    checks = iter([None])  # the first check sees no certificate yet, as it did for both people

    real_check = operations._check_issuable

    def check_then_someone_else_issues(enrolment):
        if next(checks, "again") is None:
            real_check(enrolment)
            make.certificate(result)  # the other person's issue lands in between
            return
        real_check(enrolment)

    monkeypatch.setattr(operations, "_check_issuable", check_then_someone_else_issues)
    with pytest.raises(DomainError) as refused:
        operations.issue_certificate(enrolment.id, staff)
    assert "已" in str(refused.value) and enrolment.trainee.name in str(refused.value)
    assert db.session.query(Certificate).filter_by(enrolment_id=enrolment.id).count() == 1
