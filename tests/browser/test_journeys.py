"""The four journeys people really take, in Debian's Chromium against the live server.

(1) an instructor takes attendance and fills the score grid with the keyboard, submits, sees
pass/fail; (2) a trainee on a 360×740 phone logs in, changes the initial password, sees hours,
result and next step, downloads the certificate; (3) staff publish results, issue certificates for
a class, open the annual report and download the .docx; (4) a citizen opens a certificate's QR URL
on a phone and sees its status.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from traincenter import rules
from traincenter.extensions import db
from traincenter.models import Attendance, Certificate, ExamResult, User

from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser

INITIAL = "abcd2345ef"


def _ok(page) -> None:
    """No server error page and no JavaScript error so far."""
    assert "服务器出错" not in page.content() and "Something went wrong" not in page.content()
    assert page.console_errors == [], page.console_errors


def test_instructor_takes_attendance_and_fills_the_score_grid_with_the_keyboard(live, world, page):
    with live.context():
        teacher = world.user("instructor", username="teacher_wang", display_name="王老师")
        training_class = world.training_class(instructors=[teacher])
        enrolments = [world.enrolment(world.trainee(name=name), training_class)
                      for name in ("陈秀英", "林桂兰", "何玉梅")]
        for enrolment in enrolments:
            world.hours(enrolment)
        session = world.session(training_class, hours=4, held_on=date.today())
        exam = world.exam(training_class)
        results = [world.result(exam, enrolment, status="draft") for enrolment in enrolments]
        result_ids = [r.id for r in results]
        enrolment_ids = [e.id for e in enrolments]
        session_id, exam_id = session.id, exam.id

    log_in(page, "teacher_wang")
    page.goto(f"/training/sessions/{session_id}")
    _ok(page)
    page.get_by_role("button", name=re.compile("全部.*出勤|都.*出勤|到")).first.click()
    for enrolment_id in enrolment_ids:
        assert page.locator(f"input[name=status-{enrolment_id}][value=present]").is_checked()
    page.locator("#attendance-form button[type=submit]").click()
    page.wait_for_load_state()
    _ok(page)
    with live.context():
        statuses = db.session.scalars(select(Attendance.status)
                                      .where(Attendance.session_id == session_id)).all()
    assert sorted(statuses) == ["present"] * 3

    page.goto(f"/exams/{exam_id}/grid")
    _ok(page)
    # The rows in the order the page shows them; type down the theory column with Enter, then
    # down the practical column, as an instructor copies from the paper sheet.
    ids = [int(v.split("-")[1]) for v in
           page.locator("input[data-col=t]").evaluate_all("els => els.map(e => e.id)")]
    assert sorted(ids) == sorted(result_ids)
    page.locator(f"#t-{ids[0]}").click()
    for value in ("85", "45", "90"):
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    page.locator(f"#p-{ids[0]}").click()
    for value in ("72", "80", "66"):
        page.keyboard.type(value)
        page.keyboard.press("Enter")
    assert page.locator(f"#t-{ids[2]}").input_value() == "90"
    assert page.locator(f"#p-{ids[1]}").input_value() == "80"
    page.get_by_role("button", name=re.compile("保存")).first.click()
    page.wait_for_load_state()
    _ok(page)
    rows = {result_id: page.locator(f"tr:has(#t-{result_id})").inner_text() for result_id in ids}
    assert "不合格" not in rows[ids[0]] and "合格" in rows[ids[0]]
    assert "不合格" in rows[ids[1]]
    assert "不合格" not in rows[ids[2]] and "合格" in rows[ids[2]]

    page.goto(f"/exams/{exam_id}")
    page.get_by_role("button", name=re.compile("提交")).first.click()
    page.wait_for_load_state()
    _ok(page)
    assert page.dialogs, "submitting asks for a confirmation first"
    with live.context():
        stored = {r.id: (float(r.theory_score), float(r.practical_score), r.is_passed, r.status)
                  for r in db.session.scalars(select(ExamResult).where(ExamResult.id.in_(ids)))}
    assert stored[ids[0]] == (85.0, 72.0, True, "submitted")
    assert stored[ids[1]] == (45.0, 80.0, False, "submitted")
    assert stored[ids[2]] == (90.0, 66.0, True, "submitted")


def _certified_trainee(world, *, must_change: bool):
    trainee = world.trainee(name="赵秀兰", with_login=True, password=INITIAL)
    user = trainee.user
    user.must_change_password = must_change
    training_class = world.training_class()
    enrolment = world.enrolment(trainee, training_class)
    world.hours(enrolment)
    exam = world.exam(training_class, held_on=date.today() - timedelta(days=5))
    result = world.result(exam, enrolment, 86, 78)
    certificate = world.certificate(result)
    world.health(trainee, issued_on=date.today() - timedelta(days=20))
    db.session.commit()
    return trainee, certificate


def test_trainee_on_a_phone_changes_the_password_sees_progress_and_downloads_the_certificate(
        live, world, phone):
    with live.context():
        trainee, _ = _certified_trainee(world, must_change=True)
        id_number = trainee.id_number

    log_in(phone, id_number, INITIAL)
    assert "/auth/password" in phone.url, "the initial password must be changed first"
    assert no_horizontal_scroll(phone)
    phone.locator("input[name=current]").fill(INITIAL)
    phone.locator("input[name=new]").fill("my-new-pass-88")
    phone.locator("input[name=confirm]").fill("my-new-pass-88")
    phone.locator("form:has(input[name=confirm]) [type=submit]").click()
    phone.wait_for_load_state()
    _ok(phone)
    assert "/auth/password" not in phone.url
    with live.context():
        user = db.session.scalar(select(User).where(User.username == id_number))
        assert not user.must_change_password

    phone.goto("/me/")
    _ok(phone)
    assert no_horizontal_scroll(phone)
    home = phone.locator("main").inner_text() if phone.locator("main").count() else phone.inner_text("body")
    assert "150" in home and "80" in home and "70" in home  # hours done against what is needed
    assert "合格" in home
    assert re.search("证书|上岗", home), "the home page tells her what comes next"

    phone.goto("/me/results")
    _ok(phone)
    assert no_horizontal_scroll(phone)
    results = phone.inner_text("body")
    assert "合格" in results and "86" in results and "78" in results

    phone.goto("/me/certificate")
    _ok(phone)
    assert no_horizontal_scroll(phone)
    link = phone.get_by_role("link", name=re.compile("下载")).first
    href = link.get_attribute("href")
    fetched = phone.request.get(href)  # with her cookies, exactly what the tap fetches
    assert fetched.ok and fetched.headers["content-type"].startswith("application/pdf")
    assert fetched.body()[:5] == b"%PDF-"
    link.click()  # Chromium opens the PDF (its viewer, or a download on a phone)
    phone.wait_for_load_state()
    assert phone.url.endswith(".pdf")


def test_staff_publish_results_issue_certificates_and_download_the_annual_report(
        live, world, page):
    with live.context():
        staff = world.user("staff", username="jiaowu_li")
        training_class = world.training_class(starts_on=date.today() - timedelta(days=40))
        enrolments = [world.enrolment(world.trainee(name=name), training_class)
                      for name in ("孙丽娟", "周敏", "吴静")]
        for enrolment in enrolments:
            world.hours(enrolment)
        exam = world.exam(training_class, held_on=date.today() - timedelta(days=1))
        for enrolment, (theory, practical) in zip(enrolments, ((88, 91), (62, 60), (55, 70)),
                                                  strict=True):
            world.result(exam, enrolment, theory, practical, status="submitted")
        exam_id, class_id, year = exam.id, training_class.id, date.today().year
        passed = {enrolments[0].trainee_id, enrolments[1].trainee_id}
        assert staff.id

    log_in(page, "jiaowu_li")
    page.goto(f"/exams/{exam_id}")
    _ok(page)
    page.get_by_role("button", name=re.compile("公布|发布")).first.click()
    page.wait_for_load_state()
    _ok(page)
    with live.context():
        statuses = set(db.session.scalars(select(ExamResult.status)
                                          .where(ExamResult.exam_id == exam_id)))
    assert statuses == {"published"}

    page.goto(f"/certificates/classes/{class_id}")
    _ok(page)
    page.locator(f"form[action$='/classes/{class_id}/issue'] [type=submit]").click()
    page.wait_for_load_state()
    _ok(page)
    with live.context():
        holders = set(db.session.scalars(select(Certificate.trainee_id)))
    assert holders == passed  # the two who passed
    body = page.inner_text("body")
    assert "孙丽娟" in body and "周敏" in body

    page.goto(f"/reports/annual/{year}")
    _ok(page)
    assert str(year) in page.inner_text("h1")
    with page.expect_download() as download_info:
        page.locator(f"a[href$='/reports/annual/{year}/download/docx']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert str(year) in document


def test_citizen_scans_the_qr_code_and_sees_the_status_on_a_phone(live, world, phone):
    with live.context():
        trainee, certificate = _certified_trainee(world, must_change=False)
        code, number = certificate.verification_code, certificate.number
        id_number, name, phone_number = trainee.id_number, trainee.name, trainee.phone

    phone.goto(f"/verify/{code}")
    _ok(phone)
    assert no_horizontal_scroll(phone)
    body = phone.inner_text("body")
    assert rules.mask_name(name) in body
    assert number in body
    assert "可上岗" in body or "有效" in body
    for secret in (id_number, name, phone_number, id_number[6:14]):
        assert secret not in phone.content()

    phone.goto("/verify/not-a-real-code-123")
    assert no_horizontal_scroll(phone)
    assert re.search("查无|没有|不存在|未找到", phone.inner_text("body"))
