"""Finding one's way: a sidebar on a desktop, the menu on a phone, tiles that open their lists,
list tables as cards on a phone, a header row that stays in view on a long list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _staff_with_trainees(live, world, count: int = 3) -> dict:
    with live.context():
        world.user("staff", username="jiaowu")
        track = world.track(name="养老护理")
        cls = world.training_class(track=track, code="YL-01")
        for index in range(count):
            enrolment = world.enrolment(world.trainee(name=f"王秀{'英兰梅'[index % 3]}"), cls)
            world.self_study(enrolment, hours=2, status="pending")
        return {"class_id": cls.id}


def test_desktop_has_a_sidebar_and_no_menu_button(live, world, page):
    _staff_with_trainees(live, world)
    log_in(page, "jiaowu")
    sidebar = page.locator("nav.sidenav")
    assert sidebar.is_visible()
    assert not page.locator("details.menu summary").is_visible()
    sidebar.get_by_role("link", name="培训班").click()
    page.wait_for_url("**/training/classes")
    assert sidebar.locator("a[aria-current]").inner_text() == "培训班"
    page.locator("table.table tbody a").first.click()
    page.wait_for_url("**/training/classes/*")
    assert sidebar.locator("a[aria-current]").inner_text() == "培训班"  # the area stays marked
    assert page.console_errors == []


def test_phone_has_the_menu_button_and_no_sidebar(live, world, phone):
    _staff_with_trainees(live, world)
    log_in(phone, "jiaowu")
    assert not phone.locator("nav.sidenav").is_visible()
    phone.locator("details.menu summary").click()
    phone.locator("details.menu").get_by_role("link", name="学员").click()
    phone.wait_for_url("**/trainees/")
    assert no_horizontal_scroll(phone)


def test_a_tile_opens_its_list_with_the_same_count(live, world, page):
    _staff_with_trainees(live, world, count=3)
    log_in(page, "jiaowu")
    tile = page.locator("a.tile", has_text="待审核的自学记录")
    assert tile.locator(".tile-value").inner_text() == "3"
    tile.click()
    page.wait_for_url("**/training/self-study")
    assert "共 3 条" in page.locator(".list-total").inner_text()


def test_a_list_is_cards_on_a_phone(live, world, phone):
    _staff_with_trainees(live, world)
    log_in(phone, "jiaowu")
    phone.goto("/trainees/")
    table = phone.locator("table.stack")
    assert not table.locator("thead").is_visible() or table.locator("thead").bounding_box()["height"] <= 1
    row = table.locator("tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    label = row.locator("td").first.evaluate("el => getComputedStyle(el, '::before').content")
    assert label == '"姓名"'
    assert no_horizontal_scroll(phone)


def test_registry_badges_and_levels_keep_to_one_line_on_a_phone(live, world, phone):
    with live.context():
        for name in ("周凤珍", "吴德兰"):
            certificate = world.certified(name=name, consents_to_listing=True)
            world.health(certificate.trainee, issued_on=date.today() - timedelta(days=10))
    phone.goto("/registry")
    badge = phone.locator("span.badge").first
    height = badge.evaluate("el => el.getBoundingClientRect().height")
    line = badge.evaluate("el => parseFloat(getComputedStyle(el).lineHeight) || 24")
    assert height < line * 1.6  # one line, not one character per line
    level = phone.locator("td[data-label='等级']").first
    assert level.evaluate("el => el.getClientRects().length") == 1
    assert no_horizontal_scroll(phone)


def test_the_header_row_of_a_long_list_stays_in_view(live, world, page):
    with live.context():
        world.user("staff", username="jiaowu")
        for index in range(40):
            world.opening(employer_name=f"雇主{index:02d}")
    log_in(page, "jiaowu")
    page.goto("/placement/")
    page.mouse.wheel(0, 1500)
    page.wait_for_function("window.scrollY > 1000")
    top = page.locator("table.table thead th").first.evaluate(
        "el => el.getBoundingClientRect().top")
    assert -1 <= top <= 2


def test_favicon_is_served(live, page):
    page.goto("/auth/login")
    href = page.locator("link[rel=icon][type='image/svg+xml']").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and b"<svg" in response.body()
