"""Every workbook we write shows its values whole: an 18-digit ID number, an 11-digit phone and a
Chinese name are never clipped by a narrow column (issue 14 item 6).

A column's width is counted in characters of the default font (a digit is one, a CJK character
two); checked by eye in LibreOffice Calc (``soffice --headless --convert-to pdf``).
"""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest

from traincenter import rules
from traincenter.spreadsheets import MAX_COLUMN_WIDTH, SheetSpec, display_width, write_xlsx

from .conftest import login
from .test_exams_helpers import draft_exam

ID_WIDTH = 18 + 1   # 18 digits and a margin
PHONE_WIDTH = 11 + 1


def _widths(sheet) -> dict[str, float]:
    """Each column's width by its header text."""
    return {cell.value: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]}


def _fits(sheet) -> list[str]:
    """Cells whose text is wider than their column and does not wrap."""
    clipped = []
    for row in sheet.iter_rows():
        for cell in row:
            width = sheet.column_dimensions[cell.column_letter].width
            if cell.value is not None and display_width(cell.value) >= width \
                    and not (cell.alignment and cell.alignment.wrap_text):
                clipped.append(f"{cell.coordinate}={cell.value!r} (width {width})")
    return clipped


@pytest.mark.parametrize(("text", "width"), [
    ("110105194912310021", 18), ("13900000001", 11), ("王秀英", 6), ("身份证号", 8),
    ("第一行\n第二行更长", 10), (72.5, 4), (date(2026, 11, 9), 10), (None, 0), ("ＡＢ", 4),
])
def test_display_width_counts_cjk_twice(text, width):
    assert display_width(text) == width


def test_columns_fit_their_longest_value():
    long_text = "通知" * 50
    data = write_xlsx(SheetSpec("表", ["身份证号", "手机号", "姓名", "通知"],
                                [["110105194912310021", "13900000001", "欧阳秀英", long_text]],
                                text_columns=(0, 1), widths={2: 14}))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    widths = _widths(sheet)
    assert widths["身份证号"] >= ID_WIDTH and widths["手机号"] >= PHONE_WIDTH
    assert widths["姓名"] == 14  # a minimum given by the caller holds
    assert widths["通知"] == MAX_COLUMN_WIDTH and sheet["D2"].alignment.wrap_text
    assert _fits(sheet) == []


def _roster_error_sheet(client) -> openpyxl.worksheet.worksheet.Worksheet:
    headers = ["姓名", "身份证号", "手机号", "学历", "来源", "是否同意公示", "班级编号"]
    good_id = rules.make_id_number("110105", date(1975, 3, 12), 3, "F")
    rows = [["王秀英", good_id, "13900000001", "初中", "农村", "是", ""],
            ["李桂兰", good_id[:-1] + ("0" if good_id[-1] != "0" else "1"), "13900000002", "大学",
             "农村", "是", ""]]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = client.post("/trainees/import", data={"file": (io.BytesIO(buffer.getvalue()), "r.xlsx")},
                       content_type="multipart/form-data").get_data(as_text=True)
    digest = re.search(r"file=([0-9a-f]{64})", page).group(1)
    response = client.get(f"/trainees/import/errors?file={digest}")
    return openpyxl.load_workbook(io.BytesIO(response.data)).active


def test_the_roster_error_workbook_fits_ids_and_phones(client, login_as):
    login_as("staff")
    sheet = _roster_error_sheet(client)
    widths = _widths(sheet)
    assert widths["身份证号"] >= ID_WIDTH and widths["手机号"] >= PHONE_WIDTH
    assert _fits(sheet) == []


def test_the_roster_template_fits_ids_and_phones(client, login_as):
    login_as("staff")
    book = openpyxl.load_workbook(io.BytesIO(client.get("/trainees/import/template").data))
    widths = _widths(book["学员名单"])
    assert widths["身份证号"] >= ID_WIDTH and widths["手机号"] >= PHONE_WIDTH
    assert _fits(book["学员名单"]) == [] and _fits(book["填写说明"]) == []


def test_the_score_sheet_fits_ids_and_names(client, make):
    exam, _results, instructor = draft_exam(make, 3)
    login(client, instructor)
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"/exams/{exam.id}/template.xlsx").data))
    assert _widths(book["成绩"])["身份证号"] >= ID_WIDTH
    assert _fits(book["成绩"]) == [] and _fits(book["说明"]) == []


def test_the_retraining_notices_fit_phones(client, login_as, make):
    from datetime import timedelta

    from .test_retraining_views import TODAY, failed_course

    track = make.track()
    course = failed_course(make, 72, 50, track=track,
                           trainee=make.trainee(name="欧阳秀英", phone="13912345678"))
    training_class = make.training_class(track=track, kind="retraining", code="R-1",
                                         starts_on=TODAY + timedelta(days=3),
                                         ends_on=TODAY + timedelta(days=20), location="二楼教室")
    make.enrolment(course.trainee, training_class, continues_id=course.id)
    login_as("staff")
    response = client.get(f"/retraining/classes/{training_class.id}/notices.xlsx",
                          headers={"Accept-Language": "zh-CN"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert _widths(sheet)["手机号"] >= PHONE_WIDTH
    assert _fits(sheet) == []
