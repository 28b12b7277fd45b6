"""Bad input never causes a 500 or a partial write.

Hypothesis throws random and malformed rows at the roster import and the score upload (web and
CLI) and random values at the main forms; fixed cases cover the file-level traps: empty files,
wrong types, an .xlsx zip bomb, a 50 MB upload (413 page), GBK and UTF-8-BOM CSVs, formulas in
cells, merged cells, ID numbers stored as numbers. Formula-looking text written back into the
sheets we export is neutralised (CSV/Excel injection).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from traincenter import rules
from traincenter.extensions import db
from traincenter.models import Enrolment, ExamResult, ScoreChange, Trainee, User

from .conftest import login
from .test_backup import snapshot

EXAMPLES = settings(max_examples=25, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
HEADERS = ["姓名", "身份证号", "手机号", "学历", "来源", "是否同意公示", "班级编号"]
FORMULAS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@cmd", '=HYPERLINK("http://x","点我")',
            "=cmd|' /C calc'!A0"]

# -- strategies ---------------------------------------------------------------------------------
# Control characters (other than tab/newline) have their own test below (they once broke the
# roster error workbook: openpyxl refuses them).
nasty_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=[
        chr(c) for c in range(32) if c not in (9, 10, 13)]), max_size=40),
    st.sampled_from(["", " ", "\t", "NULL", "None", "0", "-1", "1e309", "NaN", "是", "否", "缺考",
                     "１２３", "王" * 80, "\u200b", "🙂", "'; DROP TABLE trainee; --", "<script>",
                     *FORMULAS]),
)


@st.composite
def id_numbers(draw):
    kind = draw(st.sampled_from(["valid", "valid", "bad_checksum", "short", "text", "float"]))
    birth = draw(st.dates(date(1940, 1, 1), date(2008, 12, 31)))
    number = rules.make_id_number("110105", birth, draw(st.integers(0, 999)), "F")
    if kind == "bad_checksum":
        return number[:17] + ("0" if number[17] != "0" else "1")
    if kind == "short":
        return number[: draw(st.integers(0, 17))]
    if kind == "text":
        return draw(nasty_text)
    if kind == "float":
        return float(number[:15])
    return number


@st.composite
def roster_rows(draw):
    return [
        draw(st.one_of(st.sampled_from(["王秀英", "李桂兰", "张 丽"]), nasty_text)),
        draw(id_numbers()),
        draw(st.one_of(st.sampled_from(["13900001111", "18612345678", ""]), nasty_text)),
        draw(st.one_of(st.sampled_from(["初中", "小学", "高中", "大专及以上", "文盲", "高职"]),
                       nasty_text)),
        draw(st.one_of(st.sampled_from(["农村", "城镇下岗/失业", "其他"]), nasty_text)),
        draw(st.one_of(st.sampled_from(["是", "否", ""]), nasty_text)),
        draw(st.one_of(st.just(""), nasty_text)),
    ]


def xlsx_bytes(headers, rows, *, merge=None, formula_cell=None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:  # Excel itself cannot hold control characters: drop them as Excel would
        sheet.append([None if value == "" else ILLEGAL_CHARACTERS_RE.sub("", value)
                      if isinstance(value, str) else value for value in row])
    if merge:
        sheet.merge_cells(merge)
    if formula_cell:
        sheet[formula_cell] = "=CONCAT(\"王\",\"秀英\")"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, rows, encoding="utf-8-sig") -> bytes:
    def cell(value):
        text = "" if value is None else str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n\r') else text

    lines = [",".join(cell(v) for v in headers)]
    lines += [",".join(cell(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding, errors="replace")


def zip_bomb() -> bytes:
    """A valid-looking .xlsx whose sheet unpacks to ~200 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        chunk = b"0" * (1024 * 1024)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            for _ in range(200):
                handle.write(chunk)
    return buffer.getvalue()


# -- helpers ------------------------------------------------------------------------------------
def _counts() -> tuple[int, int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Trainee)),
            db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(Enrolment)))


def _upload(client, url: str, data: bytes, filename: str, **fields):
    """POST a file as a browser does (body kept in memory: no stray temporary file)."""
    body = MultiDict(fields)
    body.add("file", FileStorage(io.BytesIO(data), filename=filename))
    stream, length, boundary = stream_encode_multipart(body, use_tempfile=False)
    response = client.post(url, input_stream=stream, content_length=length,
                           content_type=f'multipart/form-data; boundary="{boundary}"',
                           headers={"Accept-Language": "zh-CN"})
    response.get_data()
    response.close()
    return response


def _upload_roster(client, data: bytes, filename: str):
    return _upload(client, "/trainees/import", data, filename)


def _digest(response) -> str:
    """The identity of the previewed file, as the preview page carries it ('' when none)."""
    found = re.search(r'(?:name="digest"[^>]*value="|file=)([0-9a-f]{64})',
                      response.get_data(as_text=True))
    return found.group(1) if found else ""


def _confirm(client, preview):
    """Press "import" on the preview page (the confirm names the previewed file)."""
    return client.post("/trainees/import/confirm", data={"digest": _digest(preview)},
                       headers={"Accept-Language": "zh-CN"})


def _errors(client, preview, kind="xlsx"):
    query = "?format=csv&" if kind == "csv" else "?"
    return client.get(f"/trainees/import/errors{query}file={_digest(preview)}")


# -- roster import (web) ------------------------------------------------------------------------
@EXAMPLES
@given(rows=st.lists(roster_rows(), min_size=1, max_size=8),
       kind=st.sampled_from(["xlsx", "csv", "csv-gbk"]))
def test_random_roster_rows_never_500_and_import_all_or_nothing(app, client, make, rows, kind):
    if not hasattr(client, "_staff"):
        client._staff = make.user("staff")
        login(client, client._staff)
    if kind == "xlsx":
        data, name = xlsx_bytes(HEADERS, rows), "roster.xlsx"
    else:
        text_rows = [[str(v) for v in row] for row in rows]
        data = csv_bytes(HEADERS, text_rows, "gb18030" if kind == "csv-gbk" else "utf-8-sig")
        name = "roster.csv"
    before = _counts()
    response = _upload_roster(client, data, name)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert _counts() == before  # the upload only checks
    for kind in ("xlsx", "csv"):
        assert _errors(client, response, kind).status_code < 500  # whatever was in the cells
    response = _confirm(client, response)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    after = _counts()
    new_trainees = after[0] - before[0]
    assert new_trainees in (0, len(rows)), f"partial import: {new_trainees} of {len(rows)}"
    if new_trainees == 0:
        assert after == before


def _good_rows(n=3, start=0):
    return [[f"王秀{chr(0x4e00 + i)}", rules.make_id_number("110105", date(1975, 1, 1)
                                                          + timedelta(days=start + i), 2, "F"),
             f"1390000{start + i:04d}", "初中", "农村", "是", ""] for i in range(n)]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_gbk_and_bom_csvs_import(client, make, encoding):
    login(client, make.user("staff"))
    rows = _good_rows(3, start={"utf-8-sig": 0, "utf-8": 10, "gbk": 20}[encoding])
    response = _upload_roster(client, csv_bytes(HEADERS, rows, encoding), "名单.csv")
    assert response.status_code == 200
    assert _confirm(client, response).status_code == 200
    names = set(db.session.scalars(select(Trainee.name)))
    assert {row[0] for row in rows} <= names


def _bad_file_cases():
    big_row = _good_rows(1)[0]
    return {
        "empty": (b"", "roster.csv"),
        "header only": (csv_bytes(HEADERS, []), "roster.csv"),
        "png named csv": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "roster.csv"),
        "random bytes named xlsx": (bytes(range(256)) * 40, "roster.xlsx"),
        "truncated xlsx": (xlsx_bytes(HEADERS, [big_row])[:700], "roster.xlsx"),
        "old xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "roster.xls"),
        "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "roster.pdf"),
        "zip bomb": (zip_bomb(), "roster.xlsx"),
        "utf-16": ("\n".join([",".join(HEADERS), ",".join(big_row)]).encode("utf-16"),
                   "roster.csv"),
        "merged cells": (xlsx_bytes(HEADERS, _good_rows(3, 40), merge="A2:A3"), "roster.xlsx"),
        "formula cell": (xlsx_bytes(HEADERS, _good_rows(2, 50), formula_cell="A2"), "roster.xlsx"),
        "numeric id": (xlsx_bytes(HEADERS, [[r[0], int(r[1][:17] + "0") if r[1][17] == "X"
                                             else int(r[1]), *r[2:]] for r in _good_rows(2, 60)]),
                       "roster.xlsx"),
    }


@pytest.mark.parametrize("case", sorted(_bad_file_cases()))
def test_malformed_roster_files_get_a_clear_answer_and_change_nothing(client, make, case):
    data, name = _bad_file_cases()[case]
    login(client, make.user("staff"))
    before = snapshot()
    response = _upload_roster(client, data, name)
    assert response.status_code < 500
    body = response.get_data(as_text=True)
    assert "error" in body or "错" in body or "不" in body or "请" in body
    confirm = _confirm(client, response)
    assert confirm.status_code < 500
    db.session.remove()
    after = snapshot()
    for table in ("trainee", "user", "enrolment"):
        assert after[table] == before[table], f"{case}: {table} changed"


@pytest.mark.parametrize("character", ["\x1b", "\x1f", "\x00", "\x0b"])
def test_control_characters_in_a_csv_do_not_break_the_error_file(client, make, character):
    login(client, make.user("staff"))
    rows = [[f"王{character}英", "not-an-id", "13900001111", "初中", "农村", "是", ""]]
    preview = _upload_roster(client, csv_bytes(HEADERS, rows), "roster.csv")
    assert preview.status_code == 200
    assert _errors(client, preview).status_code == 200


def test_numeric_id_cells_are_refused_with_the_text_column_hint(client, make):
    login(client, make.user("staff"))
    data, name = _bad_file_cases()["numeric id"]
    body = _upload_roster(client, data, name).get_data(as_text=True)
    assert "文本" in body


def test_a_50_mb_upload_gets_the_413_page_in_chinese(client, make):
    login(client, make.user("staff"))
    before = _counts()
    data = b"a" * (50 * 1024 * 1024)
    response = _upload_roster(client, data, "roster.csv")
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "文件太大" in body and "10" in body
    assert _counts() == before


def test_the_error_file_neutralises_formulas(client, make):
    login(client, make.user("staff"))
    rows = [[formula, "not-an-id", "12", "初中", "农村", "是", ""] for formula in FORMULAS]
    response = _upload_roster(client, csv_bytes(HEADERS, rows), "roster.csv")
    assert response.status_code == 200
    sheet = _errors(client, response)
    assert sheet.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(sheet.data))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
    formula_texts = [cell for cell in cells if str(cell.value).lstrip("'") in FORMULAS]
    assert len(formula_texts) >= len(FORMULAS)
    assert all(cell.data_type != "f" for cell in cells), "a formula was written into the sheet"
    csv_text = _errors(client, response, "csv").data.decode("utf-8-sig")
    fields = [field for line in csv.reader(io.StringIO(csv_text)) for field in line]
    assert sum(field.lstrip("'") in FORMULAS for field in fields) >= len(FORMULAS)
    dangerous = [field for field in fields if field.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert not dangerous, f"formula-looking CSV fields not neutralised: {dangerous}"


# -- roster import (CLI) ------------------------------------------------------------------------
@pytest.mark.parametrize("case", ["empty", "png named csv", "zip bomb", "numeric id", "old xls"])
def test_cli_roster_import_refuses_bad_files_and_changes_nothing(runner, make, tmp_path, case):
    make.user("admin")
    data, name = _bad_file_cases()[case]
    path = tmp_path / name
    path.write_bytes(data)
    before = _counts()
    result = runner.invoke(args=["import", "trainees", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _counts() == before


@EXAMPLES
@given(rows=st.lists(roster_rows(), min_size=1, max_size=6))
def test_cli_random_rows_import_all_or_nothing(runner, make, tmp_path, rows):
    if not db.session.scalar(select(User.id).where(User.role == "admin")):
        make.user("admin")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(HEADERS, rows))
    before = _counts()
    result = runner.invoke(args=["import", "trainees", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    new = _counts()[0] - before[0]
    assert new in (0, len(rows))
    assert (new == len(rows)) == (result.exit_code == 0)


# -- score upload (web and CLI) -----------------------------------------------------------------
_SHARED: dict = {}


def _shared_exam(request, make, n=4):
    """One exam per test function, reused by its hypothesis examples (they compare before/after)."""
    key = request.node.nodeid
    if key not in _SHARED:
        _SHARED.clear()
        _SHARED[key] = _exam_with_candidates(make, n)
    instructor, exam, results = _SHARED[key]
    return (db.session.merge(instructor), db.session.merge(exam),
            [db.session.merge(r) for r in results])


def _exam_with_candidates(make, n=4):
    instructor = make.user("instructor")
    training_class = make.training_class(instructors=[instructor])
    exam = make.exam(training_class)
    results = []
    for _ in range(n):
        enrolment = make.enrolment(make.trainee(), training_class)
        make.hours(enrolment)
        results.append(make.result(exam, enrolment, status="draft"))
    return instructor, exam, results


def _score_state(exam_id):
    db.session.expire_all()
    rows = db.session.execute(select(ExamResult.id, ExamResult.theory_score,
                                     ExamResult.practical_score, ExamResult.theory_absent,
                                     ExamResult.practical_absent, ExamResult.version)
                              .where(ExamResult.exam_id == exam_id).order_by(ExamResult.id)).all()
    changes = db.session.scalar(select(func.count()).select_from(ScoreChange))
    return [tuple(r) for r in rows], changes


score_values = st.one_of(
    st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-1000, 1000),
    st.decimals(0, 100, places=2).map(str), st.sampled_from(["缺考", "absent", "60", "59.9", "100.0",
                                                             "100.1", "-0", "６０", *FORMULAS]),
    nasty_text,
)


@EXAMPLES
@given(values=st.lists(st.tuples(score_values, score_values), min_size=1, max_size=6),
       id_noise=st.lists(st.one_of(st.none(), nasty_text), min_size=6, max_size=6),
       kind=st.sampled_from(["xlsx", "csv"]))
def test_random_score_sheets_never_500_and_save_all_or_nothing(app, request, make, values,
                                                               id_noise, kind):
    client = app.test_client()
    instructor, exam, results = _shared_exam(request, make)
    login(client, instructor)
    rows = []
    for index, (theory, practical) in enumerate(values):
        result = results[index % len(results)]
        trainee = result.enrolment.trainee
        number = trainee.id_number if id_noise[index] is None else id_noise[index]
        rows.append([number, trainee.name, theory, practical])
    headers = ["身份证号", "姓名", "理论成绩", "实操成绩"]
    if kind == "xlsx":
        data, name = xlsx_bytes(headers, rows), "scores.xlsx"
    else:
        data, name = csv_bytes(headers, rows), "scores.csv"
    before = _score_state(exam.id)
    response = _upload(client, f"/exams/{exam.id}/upload", data, name)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert _score_state(exam.id) == before, "the preview changed scores"
    if _digest(response):  # previewed: save it
        response = client.post(f"/exams/{exam.id}/upload/confirm",
                               data={"digest": _digest(response)})
        assert response.status_code < 500, response.get_data(as_text=True)[:500]
    after = _score_state(exam.id)
    if response.status_code != 302:
        assert after == before, "a refused sheet changed scores"
    else:
        changed = [a for a, b in zip(after[0], before[0], strict=True) if a != b]
        assert after[1] - before[1] >= len(changed)  # every change is in the history


@pytest.mark.parametrize("case", ["empty", "png named csv", "zip bomb", "truncated xlsx", "pdf"])
def test_malformed_score_files_change_nothing_web_and_cli(app, make, runner, tmp_path, case):
    data, name = _bad_file_cases()[case]
    instructor, exam, _ = _exam_with_candidates(make, n=2)
    client = app.test_client()
    login(client, instructor)
    before = _score_state(exam.id)
    response = _upload(client, f"/exams/{exam.id}/upload", data, name)
    assert 400 <= response.status_code < 500
    path = tmp_path / name
    path.write_bytes(data)
    make.user("admin")
    result = runner.invoke(args=["import", "scores", str(path), "--exam", str(exam.id)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _score_state(exam.id) == before


def test_a_50_mb_score_sheet_gets_the_413_page(app, make):
    instructor, exam, _ = _exam_with_candidates(make, n=1)
    client = app.test_client()
    login(client, instructor)
    before = _score_state(exam.id)
    response = _upload(client, f"/exams/{exam.id}/upload", b"1" * (50 * 1024 * 1024), "s.csv")
    assert response.status_code == 413 and "文件太大" in response.get_data(as_text=True)
    assert _score_state(exam.id) == before


def test_the_score_template_writes_names_as_text_not_formulas(app, make):
    instructor, exam, results = _exam_with_candidates(make, n=1)
    trainee = results[0].enrolment.trainee
    trainee.name = "=HYPERLINK(\"http://evil\",\"x\")"
    db.session.commit()
    client = app.test_client()
    login(client, instructor)
    response = client.get(f"/exams/{exam.id}/template.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert any(str(c.value).endswith('"x")') for c in cells)
    assert all(c.data_type != "f" for c in cells)
    id_cells = [c for c in cells if c.value == trainee.id_number]
    assert id_cells and all(c.data_type == "s" for c in id_cells)


# -- forms --------------------------------------------------------------------------------------
@EXAMPLES
@given(fields=st.fixed_dictionaries({
    "name": nasty_text, "id_number": st.one_of(id_numbers().map(str), nasty_text),
    "phone": nasty_text, "education": st.one_of(st.sampled_from(rules.EDUCATION_LEVELS), nasty_text),
    "origin": st.one_of(st.sampled_from(rules.ORIGINS), nasty_text), "address": nasty_text,
    "notes": nasty_text, "consents_to_listing": st.sampled_from(["y", "", "on", "否"]),
}))
def test_random_trainee_form_values_never_500_or_half_save(app, make, fields):
    client = app.test_client()
    login(client, make.user("staff"))
    before = _counts()
    response = client.post("/trainees/new", data=fields)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    after = _counts()
    if after != before:
        # Saved: the answer is her enrolment slip, and both the trainee and her login exist.
        assert response.status_code == 200 and "报名单" in response.get_data(as_text=True)
        assert after[0] == before[0] + 1 and after[1] == before[1] + 1
        assert rules.clean_name(fields["name"])  # never a name of invisible characters only


@EXAMPLES
@given(cells=st.lists(st.tuples(nasty_text, nasty_text, st.booleans(), st.booleans(),
                                st.one_of(st.none(), st.integers(-3, 5), nasty_text)),
                      min_size=2, max_size=2))
def test_random_score_grid_values_never_500_and_save_all_or_nothing(app, request, make, cells):
    instructor, exam, results = _shared_exam(request, make, n=2)
    db.session.expire_all()
    client = app.test_client()
    login(client, instructor)
    form = {}
    for result, (theory, practical, theory_absent, practical_absent, version) in zip(
            results, cells, strict=True):
        form[f"t-{result.id}"] = theory
        form[f"p-{result.id}"] = practical
        if theory_absent:
            form[f"ta-{result.id}"] = "1"
        if practical_absent:
            form[f"pa-{result.id}"] = "1"
        form[f"v-{result.id}"] = str(result.version if version is None else version)
    before = _score_state(exam.id)
    response = client.post(f"/exams/{exam.id}/grid", data=form)
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code != 302:
        assert _score_state(exam.id) == before


@EXAMPLES
@given(login_name=nasty_text, password=nasty_text)
def test_random_login_values_never_500(app, login_name, password):
    response = app.test_client().post("/auth/login", data={"login": login_name,
                                                           "password": password})
    assert response.status_code in (200, 404, 429), response.status_code


def test_a_name_of_only_invisible_characters_is_missing(client, make):
    login(client, make.user("staff"))
    fields = {"name": "\u200b\ufeff", "id_number": "110105199507030529", "education": "primary",
              "origin": "other", "phone": ""}
    response = client.post("/trainees/new", data=fields)
    assert response.status_code == 200 and "没有填写姓名。" in response.get_data(as_text=True)
    assert _counts()[0] == 0
