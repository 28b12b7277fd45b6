"""Two journeys of the office's first week, in Debian's Chromium against the live server:

(1) a trainee on a phone mistypes her password until her login is locked, staff unlock it on her
page, and she logs in, while a classmate on the same Wi-Fi logs in all along; (2) staff check two
roster files in two tabs and press "import" on the first tab: nothing is imported and the page says
why; the second tab imports its own file.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from traincenter import rules
from traincenter.extensions import db
from traincenter.models import Trainee

from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser

HEADERS = ["姓名", "身份证号", "手机号", "学历", "来源", "是否同意公示", "班级编号"]


def test_a_locked_trainee_is_unlocked_by_staff_and_her_classmate_is_never_locked(
        live, world, phone, page, chromium):
    with live.context():
        her = world.trainee_user(name="陈秀英").trainee.id_number
        classmate = world.trainee_user(name="林桂兰").trainee.id_number
        world.user("staff", username="staff_li")
    for _ in range(rules.LOGIN_FREE_FAILURES):
        log_in(phone, her, "wrong-password")
    assert "已被锁定" in phone.locator(".flash-error").inner_text()
    assert no_horizontal_scroll(phone)
    log_in(phone, her)  # the right password, but locked
    assert "登录失败次数过多" in phone.locator(".flash-error").inner_text()
    assert "/auth/login" in phone.url

    # Her classmate, on the same Wi-Fi (the same address), logs in as usual.
    other = chromium.new_context(base_url=live.base_url, locale="zh-CN",
                                 viewport={"width": 360, "height": 740})
    classmate_page = other.new_page()
    log_in(classmate_page, classmate)
    assert "/auth/login" not in classmate_page.url
    other.close()

    log_in(page, "staff_li")
    page.goto("/trainees/?q=陈秀英")
    page.get_by_role("link", name="陈秀英").first.click()
    assert "锁定至" in page.content()
    page.get_by_role("button", name="解锁登录").click()
    page.wait_for_load_state()
    assert "已解锁" in page.content() and "锁定至" not in page.content()

    log_in(phone, her)
    assert "/auth/login" not in phone.url


def _roster(names: list[str], start: int) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for n, name in enumerate(names):
        number = rules.make_id_number("110105", date(1978, 1 + n, 3), 2 * (start + n) + 1, "F")
        sheet.append([name, number, "", "初中", "农村", "是", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _check(tab, data: bytes, name: str) -> None:
    tab.goto("/trainees/import")
    tab.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    tab.locator("form:has(input[type=file]) button[type=submit]").click()
    tab.wait_for_load_state()


def test_two_tabs_two_rosters_the_first_tab_cannot_import_the_second_file(live, world, page):
    with live.context():
        world.user("staff", username="staff_zhou")
    log_in(page, "staff_zhou")
    second_tab = page.context.new_page()
    _check(page, _roster(["甲秀英", "甲桂兰"], 10), "a.xlsx")
    _check(second_tab, _roster(["乙玉梅"], 20), "b.xlsx")
    assert "甲秀英" in page.content() and "乙玉梅" in second_tab.content()

    page.get_by_role("button", name="全部导入 2 名学员").click()
    page.wait_for_load_state()
    assert "没有导入任何内容" in page.locator(".flash-error").inner_text()
    with live.context():
        assert db.session.scalar(select(func.count(Trainee.id))) == 0

    second_tab.get_by_role("button", name="全部导入 1 名学员").click()
    second_tab.wait_for_load_state()
    with live.context():
        assert db.session.scalars(select(Trainee.name)).all() == ["乙玉梅"]
