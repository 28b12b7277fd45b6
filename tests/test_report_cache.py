"""The data version behind the report's kept figures: which writes move it on, which do not."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from traincenter.extensions import db
from traincenter.models import ExamResult, ReportCache, VerificationLookup, current_data_version
from traincenter.reports import cache

from .report_world import AS_OF, Y, build


def test_writes_to_the_report_data_move_the_version_on(make):
    start = current_data_version(db.session)
    trainee = make.trainee()  # a flushed object
    after_insert = current_data_version(db.session)
    assert after_insert > start
    trainee.education = "senior"
    db.session.commit()
    assert current_data_version(db.session) > after_insert


def test_bulk_statements_move_it_too_and_rollbacks_do_not(make):
    world = build(make)
    before = current_data_version(db.session)
    db.session.execute(update(ExamResult).where(ExamResult.enrolment_id == world["enrolments"]["t1"].id)
                       .values(theory_score=81))  # as the score grid writes
    db.session.rollback()
    assert current_data_version(db.session) == before
    db.session.execute(update(ExamResult.__table__).where(ExamResult.__table__.c.enrolment_id ==
                                                          world["enrolments"]["t1"].id).values(theory_score=81))
    db.session.commit()
    assert current_data_version(db.session) == before + 1


def test_other_writes_leave_it_alone(make):
    make.user("staff")
    before = current_data_version(db.session)
    db.session.add(VerificationLookup(code="x", outcome="not_found", channel="search"))
    db.session.commit()
    make.user("staff")
    assert current_data_version(db.session) == before


def test_kept_figures_are_used_while_current_and_replaced_when_stale(make):
    world = build(make)
    first = cache.figures_for(Y, AS_OF)
    assert not first.from_cache and first.figures["trained"] == 9
    again = cache.figures_for(Y, AS_OF)
    assert again.from_cache and again.computed_at == first.computed_at
    make.enrolment(make.trainee(), world["a"])
    fresh = cache.figures_for(Y, AS_OF)
    assert not fresh.from_cache and fresh.figures["trained"] == 10
    assert cache.figures_for(Y, AS_OF, recompute=True).from_cache is False
    cache.figures_for(Y, date(Y + 1, 2, 1))  # another as-of date is kept beside it
    assert db.session.query(ReportCache).count() == 2
    make.trainee()  # a new version: the next store drops every older row of the year
    cache.figures_for(Y, AS_OF)
    assert db.session.query(ReportCache).count() == 1
