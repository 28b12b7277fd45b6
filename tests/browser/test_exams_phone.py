"""Scores at the station on a 360-px phone (one card per candidate, the result following the
typing, 缺考 as a switch, Enter and 下一位), Tab on a desktop, and the send-back journey: staff
return the scores with a comment, the instructor corrects them and submits again."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from traincenter.extensions import db
from traincenter.models import ExamResult

from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _script_errors(page) -> list[str]:
    return [e for e in page.console_errors if not e.startswith("Failed to load resource")]


def _exam(world, names, marks=(60, 60)):
    teacher = world.user("instructor", username="teacher_li", display_name="李老师")
    training_class = world.training_class(instructors=[teacher])
    exam = world.exam(training_class, held_on=date.today(), pass_mark_theory=marks[0],
                      pass_mark_practical=marks[1])
    results = [world.result(exam, world.enrolment(world.trainee(name=name), training_class),
                            status="draft") for name in names]
    return exam.id, {r.enrolment.trainee.name: r.id for r in results}


def _in_page_order(page) -> list[int]:
    """Result ids in the order the grid shows them (by name, as the page sorts it)."""
    return [int(v.split("-")[1]) for v in
            page.locator("tr.grid-row").evaluate_all("els => els.map(e => e.id)")]


def _verdict(page, result_id) -> str:
    return page.locator(f"#row-{result_id} .live-verdict").inner_text().strip()


def test_scores_on_a_phone_card_by_card(live, world, phone):
    with live.context():
        exam_id, _ids = _exam(world, ("陈秀英", "林桂兰", "何玉梅"), marks=(60, 70))
    log_in(phone, "teacher_li")
    phone.goto(f"/exams/{exam_id}/grid")
    first, second, third = _in_page_order(phone)
    assert no_horizontal_scroll(phone)
    # One card per candidate: the rows are blocks, the score box is large, nothing wraps
    # one character per line.
    row = phone.locator(f"#row-{first}")
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    box = phone.locator(f"#t-{first}").bounding_box()
    assert box["width"] >= 150 and box["height"] >= 48
    toggle = phone.locator(f"#row-{first} .absent-toggle").first.bounding_box()
    assert toggle["height"] < 70 and toggle["width"] > toggle["height"]
    assert phone.locator(f"#t-{first}").get_attribute("inputmode") == "decimal"

    phone.locator(f"#t-{first}").fill("72")
    assert _verdict(phone, first) == "尚未完成"
    phone.locator(f"#p-{first}").fill("65")  # below this exam's own practical mark of 70
    assert _verdict(phone, first) == "不合格"
    assert phone.locator(f"#row-{first} .unsaved").is_visible()
    phone.locator(f"#p-{first}").fill("70")
    assert _verdict(phone, first) == "合格"
    phone.locator(f"#p-{first}").press("Enter")  # the next candidate, same part
    assert phone.evaluate("document.activeElement.id") == f"p-{second}"
    phone.keyboard.type("105")
    assert _verdict(phone, second) == "请检查分数"
    phone.locator(f"#p-{second}").fill("88")
    phone.locator(f"#t-{second}").fill("59.5")
    assert _verdict(phone, second) == "不合格"
    phone.locator(f"#row-{second} .next-candidate").click()
    assert phone.evaluate("document.activeElement.id") == f"t-{third}"
    phone.locator(f"#row-{third} .absent-toggle").first.click()  # theory: 缺考
    assert phone.locator(f"#t-{third}").get_attribute("readonly") is not None
    assert phone.locator(f"#t-{third}").input_value() == ""
    phone.locator(f"#p-{third}").fill("80")
    assert _verdict(phone, third) == "不合格"
    last = phone.locator(f"#row-{third} .next-candidate")
    assert last.inner_text().strip() == "录完了，去保存"
    last.click()
    assert phone.evaluate("document.activeElement.id") == "grid-save"
    assert phone.locator("#grid-save").is_visible()
    phone.locator("#grid-save").click()
    phone.wait_for_load_state()
    assert "已保存" in phone.locator("body").inner_text()
    assert _verdict(phone, first) == "合格" and _verdict(phone, third) == "不合格"
    with live.context():
        stored = {r.id: (r.theory_score, r.theory_absent, r.practical_score, r.is_passed)
                  for r in db.session.scalars(select(ExamResult))}
    assert stored[first] == (72, False, 70, True)
    assert stored[second] == (59.5, False, 88, False)
    assert stored[third] == (None, True, 80, False)
    assert no_horizontal_scroll(phone)
    assert _script_errors(phone) == []


def test_tab_goes_theory_practical_next_row_on_a_desktop(live, world, page):
    with live.context():
        exam_id, _ids = _exam(world, ("陈秀英", "林桂兰"))
    log_in(page, "teacher_li")
    page.goto(f"/exams/{exam_id}/grid")
    first, second = _in_page_order(page)
    assert page.locator(f"#row-{first}").evaluate("el => getComputedStyle(el).display") \
        == "table-row"
    assert not page.locator(f"#row-{first} .next-candidate").is_visible()
    page.locator(f"#t-{first}").click()
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == [f"p-{first}", f"t-{second}", f"p-{second}"]
    assert _script_errors(page) == []


def test_staff_send_the_scores_back_and_the_instructor_corrects_them(live, world, page, phone):
    with live.context():
        world.user("staff", username="office_zhou", display_name="周老师")
        exam_id, ids = _exam(world, ("陈秀英", "林桂兰"))
    first, second = ids["陈秀英"], ids["林桂兰"]
    # The instructor enters the scores on her phone and submits them.
    log_in(phone, "teacher_li")
    phone.goto(f"/exams/{exam_id}/grid")
    for result_id, theory, practical in ((first, "80", "75"), (second, "45", "70")):
        phone.locator(f"#t-{result_id}").fill(theory)
        phone.locator(f"#p-{result_id}").fill(practical)
    phone.locator("#grid-save").click()
    phone.wait_for_load_state()
    phone.goto(f"/exams/{exam_id}")
    phone.get_by_role("button", name="向教务提交成绩").click()
    phone.wait_for_load_state()
    body = phone.locator("body").inner_text()
    assert "等待公布" in body and "录入成绩" not in body and "上传成绩表" not in body
    # Staff see a doubtful score and send the scores back with a comment.
    log_in(page, "office_zhou")
    page.goto(f"/exams/{exam_id}")
    page.get_by_text("把成绩退回给教员").click()
    page.get_by_label("请教员核对或修改什么？").fill("林桂兰理论45分，请核对试卷后再提交。")
    page.get_by_role("button", name="退回", exact=True).click()
    page.wait_for_load_state()
    assert "退回给教员" in page.locator("body").inner_text()
    # The instructor sees the comment, corrects the score and submits again.
    phone.goto(f"/exams/{exam_id}")
    body = phone.locator("body").inner_text()
    assert "周老师" in body and "林桂兰理论45分，请核对试卷后再提交。" in body
    phone.get_by_role("link", name="录入成绩").click()
    phone.wait_for_load_state()
    assert "林桂兰理论45分" in phone.locator("body").inner_text()
    phone.locator(f"#t-{second}").fill("54")
    assert _verdict(phone, second) == "不合格"
    phone.locator("#grid-save").click()
    phone.wait_for_load_state()
    phone.goto(f"/exams/{exam_id}")
    phone.get_by_role("button", name="向教务提交成绩").click()
    phone.wait_for_load_state()
    assert "林桂兰理论45分" not in phone.locator("body").inner_text()
    # Staff publish; the history shows each step once and the corrected score.
    page.goto(f"/exams/{exam_id}")
    page.get_by_role("button", name="公布成绩").click()
    page.wait_for_load_state()
    page.goto(f"/exams/{exam_id}/history")
    history = page.locator("body").inner_text()
    assert history.count("公布成绩") == 1 and history.count("成绩退回给教员") == 1
    assert re.search(r"45\s+54", history)
    with live.context():
        stored = db.session.get(ExamResult, second)
        assert (stored.theory_score, stored.status) == (54, "published")
    assert _script_errors(phone) == [] and _script_errors(page) == []
