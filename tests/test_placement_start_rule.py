"""A placement cannot start before a standing certificate exists: the form refuses, staff get a list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import Placement
from traincenter.models.base import utcnow
from traincenter.placement import operations, queries

TODAY = date.today()
ZH = {"Accept-Language": "zh-CN"}


def _form(trainee, starts_on: date) -> dict:
    return {"worker": trainee.id_number, "employer_name": "王女士家", "employer_type": "household",
            "job_type": "住家保姆", "starts_on": starts_on.isoformat()}


def _certified(make, issued_on: date):
    certificate = make.certified()
    certificate.issued_on = issued_on
    make.health(certificate.trainee, issued_on=issued_on - timedelta(days=60))
    return certificate


def test_the_form_refuses_a_start_before_the_certificate(client, make, login_as):
    certificate = _certified(make, TODAY - timedelta(days=10))
    login_as("staff")
    refused = client.post("/placement/placements/new", headers=ZH,
                          data=_form(certificate.trainee, TODAY - timedelta(days=11)))
    assert refused.status_code == 200
    html = refused.get_data(as_text=True)
    assert "上岗日期不能早于发证日期" in html and "上岗记录没有保存" in html
    assert db.session.query(Placement).count() == 0
    saved = client.post("/placement/placements/new", data=_form(certificate.trainee, TODAY - timedelta(days=10)))
    assert saved.status_code == 302  # the issue date itself is fine
    assert db.session.query(Placement).count() == 1


def test_moving_the_start_before_the_certificate_is_refused(make):
    certificate = _certified(make, TODAY - timedelta(days=10))
    staff = make.user("staff")
    placement, _status = operations.create_placement(
        {"trainee": certificate.trainee, "employer_name": "张家", "employer_type": "household",
         "job_type": "钟点工", "starts_on": TODAY}, staff)
    with pytest.raises(DomainError, match="发证|certificate") as refused:
        operations.update_placement(placement, {"employer_name": "张家", "employer_type": "household",
                                                "job_type": "钟点工", "starts_on": TODAY - timedelta(days=30)},
                                    staff)
    assert refused.value.field == "starts_on"
    db.session.expire_all()
    assert db.session.get(Placement, placement.id).starts_on == TODAY


def test_staff_see_the_placements_that_break_the_rule(client, make, login_as):
    early = _certified(make, TODAY - timedelta(days=10))
    make.placement(early.trainee, starts_on=TODAY - timedelta(days=40), employer_name="提前上岗家")
    fine = _certified(make, TODAY - timedelta(days=10))
    make.placement(fine.trainee, starts_on=TODAY - timedelta(days=5), employer_name="按时上岗家")
    uncertified = make.trainee()
    make.placement(uncertified, starts_on=TODAY - timedelta(days=3), employer_name="无证上岗家")
    revoked = _certified(make, TODAY - timedelta(days=100))
    revoked.revoked_at = utcnow()
    make.placement(revoked.trainee, starts_on=TODAY - timedelta(days=50), employer_name="证书撤销家")
    login_as("staff")
    html = client.get("/placement/placements/before-certificate", headers=ZH).get_data(as_text=True)
    assert "提前上岗家" in html and "比发证早30天上岗" in html
    assert "无证上岗家" in html and "证书撤销家" in html and "无有效证书" in html
    assert "按时上岗家" not in html
    assert '<table class="table">' in html
    page = queries.placements_before_certificate(1)
    assert page.total == 3


def test_the_list_runs_a_fixed_number_of_queries(client, make, login_as):
    from sqlalchemy import event

    login_as("staff")

    def count() -> int:
        counter = {"n": 0}

        def before(*_args):
            counter["n"] += 1

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get("/placement/placements/before-certificate").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return counter["n"]

    make.placement(make.trainee(), starts_on=TODAY)
    one = count()
    for _ in range(6):
        make.placement(make.trainee(), starts_on=TODAY)
    assert count() == one
