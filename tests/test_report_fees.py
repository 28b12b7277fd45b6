"""The annual report's fee section (issue 17): fees collected and certificate subsidies, beside
the year before, in the figures, the sentences of 一、培训工作情况 and the appendix table."""

from __future__ import annotations

from datetime import date

from flask_babel import force_locale

from traincenter.extensions import db
from traincenter.fees import operations
from traincenter.reports import cache
from traincenter.reports.export import formatting
from traincenter.reports.export.document import build as build_document

from .report_world import AS_OF, Y, build


def _entry(enrolment, actor, amount, on, payer="self", kind="payment", reason=None):
    values = operations.EntryInput(kind=kind, amount=amount, happened_on=on, payer=payer,
                                   method="cash", reason=reason)
    return operations.record_fee_entry(enrolment.id, values, actor, today=on)


def test_the_fee_figures_are_in_the_report_and_follow_new_entries(make):
    world = build(make)
    staff = make.user("staff")
    enrolments = list(world["enrolments"].values())
    _entry(enrolments[0], staff, "1300", date(Y, 3, 1))
    _entry(enrolments[1], staff, "800", date(Y, 3, 2), payer="employer")
    _entry(enrolments[1], staff, "100", date(Y, 4, 1), payer="employer", kind="refund",
           reason="少上两天课")
    _entry(enrolments[2], staff, "500", date(Y - 1, 12, 30))
    fees = cache.figures_for(Y, AS_OF).figures["fees"]
    assert fees["current"]["collected"] == 2000.0  # 1300 + 800 − 100
    assert fees["current"]["collected_by_payer"] == {"self": 1300.0, "subsidy": 0.0,
                                                     "employer": 700.0}
    assert fees["current"]["refunded"] == 100.0 and fees["previous"]["collected"] == 500.0
    assert fees["current"]["receipts"] == 3 and fees["current"]["receipts_unbroken"]
    _entry(enrolments[3], staff, "200", date(Y, 5, 1))  # a new entry: the kept figures are stale
    fresh = cache.figures_for(Y, AS_OF)
    assert not fresh.from_cache and fresh.figures["fees"]["current"]["collected"] == 2200.0
    db.session.expire_all()


def test_the_document_and_the_table_say_the_fee_figures(make):
    world = build(make)
    staff = make.user("staff")
    enrolment = next(iter(world["enrolments"].values()))
    _entry(enrolment, staff, "1300", date(Y, 3, 1))
    figures = cache.figures_for(Y, AS_OF).figures
    with force_locale("zh_Hans_CN"):
        text = " ".join(block.text for block in build_document(
            figures, {}, center="测试中心", finalised=False, charts={}))
        table = formatting.fee_table(figures)
    assert "（五）培训经费与补贴" in text and "全年收取培训费1,300.00元" in text
    assert table.title == "培训经费与补贴（元）"
    rows = {row[0]: row for row in table.rows}
    assert rows["实收培训费"][1].text() == "1,300.00" and rows["实收培训费"][2].text() == "0.00"
    assert "编号" in table.note


def test_a_report_without_fee_figures_has_no_fee_section(make):
    build(make)
    figures = dict(cache.figures_for(Y, AS_OF).figures)
    figures.pop("fees")  # a report finalised before fees were recorded
    assert formatting.fee_table(figures) is None
    with force_locale("zh_Hans_CN"):
        text = " ".join(block.text for block in build_document(
            figures, {}, center="测试中心", finalised=False, charts={}))
    assert "培训经费" not in text
