"""Score grid in a real browser: Enter moves down, typing survives a reload, save clears it;
the trainee's results page fits a phone."""

from __future__ import annotations

from .conftest import log_in, no_horizontal_scroll


def _script_errors(page) -> list[str]:
    """Console errors other than a missing resource (the browser asks for /favicon.ico)."""
    return [e for e in page.console_errors if not e.startswith("Failed to load resource")]


def _exam(world, count=3):
    instructor = world.user("instructor")
    training_class = world.training_class(instructors=[instructor])
    exam = world.exam(training_class)
    results = [world.result(exam, world.enrolment(training_class=training_class), status="draft")
               for _ in range(count)]
    return instructor, exam, results


def test_typing_survives_a_reload_and_enter_moves_down(live, world, page):
    with live.context():
        instructor, exam, results = _exam(world)
        ids = sorted((r.enrolment.trainee.sort_key, r.id) for r in results)  # the grid's order
        exam_id, username = exam.id, instructor.username
    first, second = ids[0][1], ids[1][1]
    log_in(page, username)
    page.goto(f"/exams/{exam_id}/grid")
    page.locator(f"#t-{first}").fill("72.5")
    page.locator(f"#t-{first}").press("Enter")
    assert page.evaluate("document.activeElement.id") == f"t-{second}"
    page.keyboard.type("58")
    page.reload()
    banner = page.locator("#grid-restore")
    assert banner.is_visible()
    assert page.locator(f"#t-{first}").input_value() == ""
    page.locator("#grid-restore-yes").click()
    assert page.locator(f"#t-{first}").input_value() == "72.5"
    assert page.locator(f"#t-{second}").input_value() == "58"
    page.locator("#score-grid [type=submit]").click()
    page.wait_for_load_state()
    assert "已保存" in page.locator("body").inner_text()
    page.reload()
    assert not page.locator("#grid-restore").is_visible()  # cleared after the save
    assert page.locator(f"#t-{first}").input_value() == "72.5"
    assert _script_errors(page) == []


def test_results_page_fits_a_phone(live, world, phone):
    with live.context():
        user = world.trainee_user()
        training_class = world.training_class()
        exam = world.exam(training_class)
        world.result(exam, world.enrolment(user.trainee, training_class), 72, "absent")
        login = user.username
    log_in(phone, login)
    phone.goto("/me/results")
    text = phone.locator("body").inner_text()
    assert "不合格" in text and "缺考" in text
    assert no_horizontal_scroll(phone)
    assert _script_errors(phone) == []
