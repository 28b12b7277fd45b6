"""Imports say exactly what is wrong with a file (issue 14 item 6).

The .ods and .xls files in tests/files were saved by LibreOffice Calc (``soffice --headless
--convert-to ods|xls``), and so were the .xlsx files with a title row above the header, with the
data on a second sheet and with the instructions sheet first.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from traincenter import rules
from traincenter.extensions import db
from traincenter.models import Trainee
from traincenter.spreadsheets import HeaderPlace, SpreadsheetError, read_table

from .conftest import login
from .test_exams_helpers import draft_exam, fresh

FILES = Path(__file__).parent / "files"
ZH = {"Accept-Language": "zh-CN"}
HEADERS = ["姓名", "身份证号", "手机号", "学历", "来源", "是否同意公示", "班级编号"]
HEADER_ROW = "表头必须在第一行"
FIRST_SHEET = "只读取第一个工作表"
MISSING = "缺少列"
SAVE_AS = "请另存为 .xlsx"


def _file(name: str) -> bytes:
    return (FILES / name).read_bytes()


def _id(n: int) -> str:
    return rules.make_id_number("110105", date(1980, 1 + n % 12, 1 + n % 28), n * 2 + 1, "F")


def _xlsx(*sheets) -> bytes:
    """A workbook with one sheet per (title, rows)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _code(data: bytes, name: str) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as info:
        read_table(data, name)
    return info.value


# -- the reader names each problem ------------------------------------------------------------


@pytest.mark.parametrize(("name", "code"), [
    ("roster.ods", "ods"), ("roster.xls", "old_excel"),
])
def test_office_files_of_other_formats_are_named(name, code):
    assert _code(_file(name), name).code == code
    # by their content, whatever they are called
    assert _code(_file(name), "roster.xlsx").code == code
    assert _code(_file(name), "upload").code == code


def test_an_empty_first_sheet_names_the_sheet_with_the_data():
    error = _code(_file("roster-second-sheet.xlsx"), "x.xlsx")
    assert error.code == "data_on_later_sheet" and error.sheet == "学员名单"
    # a later sheet with a header but no rows is no table: the file is simply empty
    assert _code(_xlsx(("Sheet1", []), ("Sheet2", [HEADERS])), "x.xlsx").code == "empty"


def test_find_header_in_a_later_row_or_on_a_later_sheet():
    wanted = [("姓名",), ("身份证号",), ("学历",), ("来源",)]
    table = read_table(_file("roster-title-row.xlsx"), "x.xlsx")
    assert table.find_header(wanted) == HeaderPlace(row=3)
    table = read_table(_file("roster-notes-first.xlsx"), "x.xlsx")
    assert table.find_header(wanted) == HeaderPlace(row=1, sheet="学员名单")
    table = read_table(_xlsx(("Sheet1", [["名字", "号码"], ["王", "1"]])), "x.xlsx")
    assert table.find_header(wanted) is None


# -- roster import ----------------------------------------------------------------------------


def _upload_roster(client, data: bytes, name: str):
    return client.post("/trainees/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", headers=ZH)


def _alert(response) -> str:
    """The file's problem as the page states it."""
    page = response.get_data(as_text=True)
    found = re.search(r'class="flash flash-error" role="alert">(.*?)</p>', page, re.S) or \
        re.search(r'<small class="error" role="alert">(.*?)</small>', page, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize(("name", "said", "not_said"), [
    ("roster.ods", [SAVE_AS, ".ods"], [MISSING, "损坏"]),
    ("roster.xls", [SAVE_AS, ".xls"], [MISSING, "损坏"]),
    ("roster-title-row.xlsx", [HEADER_ROW, "第3行"], [MISSING, FIRST_SHEET]),
    ("roster-second-sheet.xlsx", [FIRST_SHEET, "学员名单"], [MISSING, HEADER_ROW]),
    ("roster-notes-first.xlsx", [FIRST_SHEET, "学员名单"], [MISSING, HEADER_ROW]),
])
def test_the_roster_import_says_exactly_what_is_wrong(client, login_as, name, said, not_said):
    login_as("staff")
    message = _alert(_upload_roster(client, _file(name), name))
    for text in said:
        assert text in message, (text, message)
    for text in not_said:
        assert text not in message, (text, message)
    assert db.session.query(Trainee).count() == 0


def test_a_header_in_the_first_row_missing_a_column_is_called_that(client, login_as):
    login_as("staff")
    data = _xlsx(("名单", [["姓名", "身份证号", "学历"], ["王秀英", _id(1), "初中"]]))
    message = _alert(_upload_roster(client, data, "x.xlsx"))
    assert "缺少列：来源" in message
    assert HEADER_ROW not in message and FIRST_SHEET not in message


@pytest.mark.parametrize("column", ["姓名", "身份证号", "学历", "来源"])
def test_a_blank_required_cell_is_reported_as_not_filled_in(client, login_as, runner, make,
                                                           tmp_path, column):
    row = dict(zip(HEADERS, ["王秀英", _id(2), "13900000001", "初中", "农村", "是", ""], strict=True))
    row[column] = None
    data = _xlsx(("名单", [HEADERS, list(row.values())]))
    login_as("staff")
    page = _upload_roster(client, data, "x.xlsx").get_data(as_text=True)
    assert re.search(rf'<td class="num">2</td><td>{column}</td><td>未填写</td>', page), page
    assert "无法识别" not in page and "没有填写" not in page
    # the same words from the command line: 第N行 学历：未填写
    path = tmp_path / "roster.xlsx"
    path.write_bytes(data)
    make.user("admin")
    result = runner.invoke(args=["import", "trainees", str(path)])
    assert result.exit_code == 1
    assert re.search(rf"第\s*2\s*行.*{column}.*未填写", result.output), result.output
    assert "无法识别" not in result.output


def test_the_error_workbook_says_not_filled_in(client, login_as):
    data = _xlsx(("名单", [HEADERS, ["王秀英", _id(3), "", None, "农村", "是", ""]]))
    login_as("staff")
    page = _upload_roster(client, data, "x.xlsx").get_data(as_text=True)
    digest = re.search(r"file=([0-9a-f]{64})", page).group(1)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/trainees/import/errors?file={digest}")
                                              .data)).active
    assert sheet.cell(row=2, column=sheet.max_column).value == "学历：未填写"


# -- the roster confirm names the previewed file ----------------------------------------------


def _rows(names, start):
    return [[name, _id(start + n), "", "初中", "农村", "是", ""] for n, name in enumerate(names)]


def test_two_tabs_two_files_importing_the_first_page_is_refused(client, login_as):
    login_as("staff")
    tab_a = _upload_roster(client, _xlsx(("名单", [HEADERS, *_rows(["甲一", "甲二"], 10)])),
                           "a.xlsx").get_data(as_text=True)
    tab_b = _upload_roster(client, _xlsx(("名单", [HEADERS, *_rows(["乙一"], 20)])),
                           "b.xlsx").get_data(as_text=True)
    digest_a = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', tab_a).group(1)
    digest_b = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', tab_b).group(1)
    assert digest_a != digest_b
    # "Import all" pressed on tab A's page: B is the file checked last, so nothing is imported.
    refused = client.post("/trainees/import/confirm", data={"digest": digest_a}, headers=ZH,
                          follow_redirects=True)
    assert "没有导入任何内容" in refused.get_data(as_text=True)
    assert db.session.query(Trainee).count() == 0
    # Tab B's own page still imports B.
    client.post("/trainees/import/confirm", data={"digest": digest_b})
    assert [t.name for t in db.session.query(Trainee)] == ["乙一"]


def test_the_same_file_checked_for_another_class_is_another_preview(client, login_as, make):
    make.training_class(code="K1")
    make.training_class(code="K2")
    login_as("staff")
    data = _xlsx(("名单", [HEADERS, *_rows(["丙一"], 30)]))
    client.post("/trainees/import", data={"file": (io.BytesIO(data), "c.xlsx"), "class_code": "K1"},
                content_type="multipart/form-data")
    page = client.post("/trainees/import", data={"file": (io.BytesIO(data), "c.xlsx"),
                                                 "class_code": "K2"},
                       content_type="multipart/form-data").get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page).group(1)
    # the K1 page: same file, other class
    client.post("/trainees/import/confirm", data={"digest": digest, "class_code": "K1"})
    assert db.session.query(Trainee).count() == 0
    client.post("/trainees/import/confirm", data={"digest": digest, "class_code": "K2"})
    trainee = db.session.query(Trainee).one()
    assert [e.training_class.code for e in trainee.enrolments] == ["K2"]


def test_an_error_download_names_its_file(client, login_as):
    login_as("staff")
    bad = _xlsx(("名单", [HEADERS, ["", _id(40), "", "初中", "农村", "是", ""]]))
    page = _upload_roster(client, bad, "bad.xlsx").get_data(as_text=True)
    digest = re.search(r"file=([0-9a-f]{64})", page).group(1)
    _upload_roster(client, _xlsx(("名单", [HEADERS, *_rows(["丁一"], 41)])), "good.xlsx")
    response = client.get(f"/trainees/import/errors?file={digest}", headers=ZH)
    assert response.status_code == 302  # the other file's errors are not handed out
    assert client.get("/trainees/import/errors?file=" + "0" * 64).status_code == 302


# -- score sheet upload -----------------------------------------------------------------------


def _upload_scores(client, exam, data: bytes, name: str = "scores.xlsx"):
    return client.post(f"/exams/{exam.id}/upload", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data", headers=ZH)


def _digest(page: str) -> str:
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"', page).group(1)


@pytest.mark.parametrize(("name", "said"), [
    ("roster.ods", [SAVE_AS, ".ods"]), ("roster.xls", [SAVE_AS, ".xls"]),
])
def test_the_score_upload_asks_for_xlsx(client, make, name, said):
    exam, _results, instructor = draft_exam(make, 1)
    login(client, instructor)
    response = _upload_scores(client, exam, _file(name), name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert all(text in page for text in said) and "损坏" not in page


def test_the_score_upload_finds_the_header_out_of_place(client, make):
    exam, (result,), instructor = draft_exam(make, 1)
    trainee = result.enrolment.trainee
    header = ["身份证号", "姓名", "理论成绩", "实操成绩"]
    login(client, instructor)
    title_row = _xlsx(("成绩", [["第3期理论考试成绩"], header, [trainee.id_number, trainee.name, 70, 80]]))
    page = _upload_scores(client, exam, title_row).get_data(as_text=True)
    assert HEADER_ROW in page and "第2行" in page and "表头缺少" not in page
    later_sheet = _xlsx(("说明", [["填写说明"], ["分数 0–100"]]),
                        ("成绩", [header, [trainee.id_number, trainee.name, 70, 80]]))
    page = _upload_scores(client, exam, later_sheet).get_data(as_text=True)
    assert FIRST_SHEET in page and "“成绩”" in page and "表头缺少" not in page
    assert fresh(result).theory_score is None


def test_the_projects_own_template_with_blank_rows_is_accepted(client, make):
    exam, results, instructor = draft_exam(make, 4)
    login(client, instructor)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/exams/{exam.id}/template.xlsx").data))
    sheet = workbook["成绩"]
    sheet["C2"], sheet["D2"] = 75, 82       # one candidate scored
    sheet["C3"] = "缺考"                     # one part of another, the rest left blank
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = _upload_scores(client, exam, buffer.getvalue())
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert "读取 4 行" in page and "2 位考生的成绩将改变" in page and "2 行没有变化" in page
    assert all(fresh(r).theory_score is None and not fresh(r).theory_absent for r in results)
    saved = client.post(f"/exams/{exam.id}/upload/confirm", data={"digest": _digest(page)})
    assert saved.status_code == 302
    stored = sorted((fresh(r) for r in results), key=lambda r: r.enrolment.trainee.name)
    scored = [r for r in stored if r.theory_score is not None or r.theory_absent]
    assert len(scored) == 2
    assert sum(1 for r in stored if r.theory_score is None and not r.theory_absent) == 2


def test_a_blank_cell_keeps_the_value_recorded_on_the_grid(client, make):
    from .test_exams_helpers import grid_form

    exam, (a, b), instructor = draft_exam(make, 2)
    login(client, instructor)
    client.post(f"/exams/{exam.id}/grid", data=grid_form([a, b], {a: ("66", "77"), b: ("", "", 0, 1)}))
    assert float(fresh(a).theory_score) == 66 and fresh(b).practical_absent
    sheet = _xlsx(("成绩", [["身份证号", "姓名", "理论成绩", "实操成绩"],
                           [a.enrolment.trainee.id_number, a.enrolment.trainee.name, None, 78],
                           [b.enrolment.trainee.id_number, b.enrolment.trainee.name, 61, None]]))
    page = _upload_scores(client, exam, sheet).get_data(as_text=True)
    assert "2 位考生的成绩将改变" in page and "2 个空格保留已录入的成绩" in page
    client.post(f"/exams/{exam.id}/upload/confirm", data={"digest": _digest(page)})
    a_now, b_now = fresh(a), fresh(b)
    assert float(a_now.theory_score) == 66 and float(a_now.practical_score) == 78
    assert float(b_now.theory_score) == 61 and b_now.practical_absent


def test_a_sheet_that_changes_nothing_offers_nothing_to_save(client, make):
    exam, (a,), instructor = draft_exam(make, 1)
    login(client, instructor)
    sheet = _xlsx(("成绩", [["身份证号", "姓名", "理论成绩", "实操成绩"],
                           [a.enrolment.trainee.id_number, a.enrolment.trainee.name, None, None]]))
    page = _upload_scores(client, exam, sheet).get_data(as_text=True)
    assert "没有可保存的内容" in page and 'name="digest"' not in page


def test_two_tabs_two_score_sheets_saving_the_first_page_is_refused(client, make):
    exam, (a,), instructor = draft_exam(make, 1)
    number, name = a.enrolment.trainee.id_number, a.enrolment.trainee.name
    login(client, instructor)
    header = ["身份证号", "姓名", "理论成绩", "实操成绩"]
    tab_a = _upload_scores(client, exam, _xlsx(("成绩", [header, [number, name, 70, 80]])))
    tab_b = _upload_scores(client, exam, _xlsx(("成绩", [header, [number, name, 50, 40]])))
    refused = client.post(f"/exams/{exam.id}/upload/confirm",
                          data={"digest": _digest(tab_a.get_data(as_text=True))},
                          headers=ZH, follow_redirects=True)
    assert "没有导入任何内容" in refused.get_data(as_text=True)
    assert fresh(a).theory_score is None
    client.post(f"/exams/{exam.id}/upload/confirm",
                data={"digest": _digest(tab_b.get_data(as_text=True))})
    assert float(fresh(a).theory_score) == 50


def test_a_preview_outdated_by_a_grid_save_is_not_saved(client, other_client, make):
    from .test_exams_helpers import grid_form

    exam, (a, b), instructor = draft_exam(make, 2)
    login(client, instructor)
    login(other_client, instructor)
    header = ["身份证号", "姓名", "理论成绩", "实操成绩"]
    page = _upload_scores(client, exam, _xlsx(("成绩", [
        header, [a.enrolment.trainee.id_number, a.enrolment.trainee.name, 70, 80]]))
    ).get_data(as_text=True)
    other_client.post(f"/exams/{exam.id}/grid", data=grid_form([a, b], {b: ("90", "91")}))
    response = client.post(f"/exams/{exam.id}/upload/confirm", data={"digest": _digest(page)},
                           headers=ZH, follow_redirects=True)
    assert "预览之后" in response.get_data(as_text=True)
    assert fresh(a).theory_score is None and float(fresh(b).theory_score) == 90


def test_a_long_preview_lists_the_first_changes_and_counts_the_rest(client, make, monkeypatch):
    from traincenter.exams import views

    monkeypatch.setattr(views, "PREVIEW_ROWS", 2)
    exam, results, instructor = draft_exam(make, 3)
    login(client, instructor)
    rows = [[r.enrolment.trainee.id_number, r.enrolment.trainee.name, 70, 80] for r in results]
    page = _upload_scores(client, exam, _xlsx(("成绩", [["身份证号", "姓名", "理论成绩", "实操成绩"],
                                                       *rows]))).get_data(as_text=True)
    assert "另有 1 位考生" in page and page.count("→ <strong>70</strong>") == 2
    assert "保存这 3 位考生的成绩" in page


def test_a_sheet_previewed_for_another_exam_replaces_the_first(client, make):
    instructor = make.user("instructor")
    first, (a,), _ = draft_exam(make, 1, instructor=instructor)
    second, (b,), _ = draft_exam(make, 1, instructor=instructor)
    login(client, instructor)
    header = ["身份证号", "姓名", "理论成绩", "实操成绩"]
    page_a = _upload_scores(client, first, _xlsx(("成绩", [
        header, [a.enrolment.trainee.id_number, a.enrolment.trainee.name, 70, 80]])))
    page_b = _upload_scores(client, second, _xlsx(("成绩", [
        header, [b.enrolment.trainee.id_number, b.enrolment.trainee.name, 71, 81]])))
    digest_a, digest_b = (_digest(p.get_data(as_text=True)) for p in (page_a, page_b))
    # the first exam's page: its file is no longer the one kept
    client.post(f"/exams/{first.id}/upload/confirm", data={"digest": digest_a})
    # the second file confirmed on the first exam's address: refused too
    client.post(f"/exams/{first.id}/upload/confirm", data={"digest": digest_b})
    assert fresh(a).theory_score is None
    client.post(f"/exams/{second.id}/upload/confirm", data={"digest": digest_b})
    assert float(fresh(b).theory_score) == 71
