"""The demo data includes the worker's file: a fee ledger with unbroken receipt numbers and one
reversal, outstanding balances, background checks and insurance in every state."""

from __future__ import annotations

from sqlalchemy import func, select

from traincenter.demo import seed_demo
from traincenter.extensions import db
from traincenter.fees import queries
from traincenter.models import BackgroundCheck, FeeEntry, InsurancePolicy
from traincenter.services import fitness


def test_demo_has_fees_checks_and_insurance():
    seed_demo(trainees=60, echo=lambda _line: None)
    years = queries.receipt_years()
    assert years
    for year in years:
        figures = queries.year_fee_figures(year)
        assert figures.receipts_unbroken and figures.receipts > 0
    assert db.session.scalar(select(func.count()).where(FeeEntry.reverses_id.is_not(None))) == 1
    assert queries.outstanding_page(queries.BalanceFilters())["count"] > 0
    assert {"pending", "passed"} <= set(db.session.scalars(select(BackgroundCheck.status)))
    assert db.session.scalar(select(func.count(InsurancePolicy.id))) > 0
    colours = {status.colour for status in fitness.duty_statuses(
        db.session.scalars(select(BackgroundCheck.trainee_id))).values()}
    assert "yellow" in colours or "red" in colours
