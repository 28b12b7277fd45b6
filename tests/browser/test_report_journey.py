"""Staff write the annual report's own text, finalise it, and later see what changed; on a phone too."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from traincenter.extensions import db
from traincenter.models import Certificate, ReportSnapshot
from traincenter.models.base import utcnow

from ..report_world import Y, build
from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    """Console errors of the page, except the browser's own request for /favicon.ico."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error"
            and not message.location.get("url", "").endswith("/favicon.ico") else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.report_errors = errors
    return errors


def _ok(page) -> None:
    assert "服务器出错" not in page.content()
    assert page.report_errors == [], page.report_errors


def test_staff_write_the_text_finalise_and_see_later_changes(live, world, page):
    with live.context():
        world.user("staff", username="jiaowu_zhou")
        built = build(world)
        certificate_id = built["certificates"]["t1"].id

    _watch(page)
    log_in(page, "jiaowu_zhou")
    page.goto(f"/reports/annual/{Y}")
    _ok(page)
    assert "一、培训工作情况" in page.inner_text("main") and "参考人数" in page.inner_text(".report-cards")
    page.locator("textarea[name=shortcomings]").fill("部分农村妇女不敢走出家门。\n培训周期长，供不应求。")
    page.locator("textarea[name=plans]").fill("开设月嫂高级班。")
    page.locator("textarea[name=plans]").locator("xpath=..").get_by_role("button", name="保存文字").click()
    page.wait_for_load_state()
    _ok(page)
    assert "报告文字已保存" in page.inner_text("body")
    assert page.locator("textarea[name=shortcomings]").input_value() == "部分农村妇女不敢走出家门。\n培训周期长，供不应求。"

    page.get_by_role("button", name=f"定稿{Y}年报告").click()  # the confirm dialog is accepted
    page.wait_for_load_state()
    _ok(page)
    main = page.inner_text("main")
    assert "已定稿" in main and "定稿后数据没有变化" in main and "开设月嫂高级班。" in main
    assert page.locator("textarea[name=plans]").count() == 0
    with live.context():
        snapshot = db.session.scalar(select(ReportSnapshot))
        assert snapshot.narrative["plans"] == "开设月嫂高级班。"
        db.session.get(Certificate, certificate_id).revoked_at = utcnow()
        db.session.commit()

    page.reload()
    _ok(page)
    changes = page.locator(".report-differences table").inner_text()
    assert "发证数" in changes and "上岗人数" in changes


def test_the_report_reads_on_a_phone(live, world, phone):
    with live.context():
        world.user("staff", username="jiaowu_wu")
        build(world)

    _watch(phone)
    log_in(phone, "jiaowu_wu")
    phone.goto(f"/reports/annual/{Y}")
    _ok(phone)
    assert no_horizontal_scroll(phone)  # wide tables scroll inside their wrapper
    pictures = phone.locator(".report-chart img")
    assert pictures.count() == 8
    for index in range(pictures.count()):
        pictures.nth(index).scroll_into_view_if_needed()
        phone.wait_for_function("img => img.complete && img.naturalWidth > 0",
                                arg=pictures.nth(index).element_handle())
