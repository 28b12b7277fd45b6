"""Roster import: every row checked first, all rows or none, on the web and from the CLI."""

from __future__ import annotations

import io
import re
from datetime import date

import openpyxl
import pytest
from sqlalchemy import func, select

from traincenter import rules
from traincenter.extensions import db
from traincenter.models import Enrolment, Trainee, User
from traincenter.trainees import roster

HEADERS = ["姓名", "身份证号", "手机号", "学历", "来源", "是否同意公示", "班级编号"]


def _id(n: int, gender: str = "F") -> str:
    return rules.make_id_number("110105", date(1970 + n % 30, 1 + n % 12, 1 + n % 28), n * 2 + 1,
                                gender)


def _good_rows(count: int = 3, class_code: str = "") -> list[list]:
    return [[f"学员{n}", _id(n), f"139{n:08d}", "初中", "农村", "是", class_code]
            for n in range(1, count + 1)]


def _xlsx(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows, encoding="utf-8-sig") -> bytes:
    lines = [",".join(HEADERS)] + [",".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _upload(client, data: bytes, name: str = "roster.xlsx", class_code: str = ""):
    return client.post("/trainees/import", data={"file": (io.BytesIO(data), name),
                                                 "class_code": class_code},
                       content_type="multipart/form-data")


def _digest(page: str) -> str:
    """The identity of the previewed file, as the preview page carries it."""
    return re.search(r'(?:name="digest"[^>]*value="|file=)([0-9a-f]{64})', page).group(1)


def _confirm(client, page: str, **extra):
    class_code = re.search(r'name="class_code" type="hidden" value="([^"]*)"', page)
    return client.post("/trainees/import/confirm", data={
        "digest": _digest(page), "class_code": class_code.group(1) if class_code else "", **extra})


def test_good_file_is_previewed_then_imported_in_one_go(client, login_as, make):
    cls = make.training_class(code="2026-01")
    login_as("staff")
    response = _upload(client, _xlsx(_good_rows(3)), class_code="2026-01")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "学员3" in page
    assert _count(Trainee) == 0  # the preview saves nothing
    response = _confirm(client, page)
    assert response.status_code == 200
    passwords = re.findall(r'class="password">([a-z0-9]+)<', response.get_data(as_text=True))
    assert len(passwords) == 3
    db.session.expire_all()
    assert _count(Trainee) == 3
    assert db.session.scalar(select(func.count(User.id)).where(User.role == "trainee")) == 3
    enrolments = db.session.scalars(select(Enrolment)).all()
    assert {e.class_id for e in enrolments} == {cls.id} and all(e.fee_amount == 1300 for e in enrolments)
    # each printed password opens that trainee's account
    first_id = _good_rows(1)[0][1]
    response = client.application.test_client().post(
        "/auth/login", data={"login": first_id, "password": passwords[0]})
    assert response.status_code == 302
    # the stashed file is gone: confirming twice imports nothing more
    assert _confirm(client, page).status_code == 302
    assert _count(Trainee) == 3


def test_one_bad_row_among_good_ones_imports_nothing_and_lists_every_bad_row(client, login_as, make):
    make.trainee(id_number=_id(50), name="已登记")
    rows = _good_rows(4)
    rows[1][1] = rows[1][1][:-1] + ("0" if rows[1][1][-1] != "0" else "1")  # bad checksum
    rows[2][1] = int(_id(60)[:17] + "0")  # stored as a number
    rows.append(["", _id(70), "", "小学", "其他", "", ""])  # missing name
    rows.append(["重复", rows[0][1], "", "小学", "其他", "否", ""])  # duplicate in file
    rows.append(["老学员", _id(50), "12345", "博士", "火星", "也许", "NOPE"])
    login_as("staff")
    response = _upload(client, _xlsx(rows), class_code="")
    page = response.get_data(as_text=True)
    assert _count(Trainee) == 1
    assert "没有导入任何学员" in page
    for text in ("校验位", "请将身份证号列设为文本", "未填写", "出现了两次", "已经登记过（已登记）",
                 "手机号不对", "学历“博士”", "来源“火星”", "是 或 否", "没有编号为 NOPE 的班级"):
        assert text in page, text
    assert _confirm(client, page).status_code == 200
    assert _count(Trainee) == 1  # confirming a bad file still imports nothing

    sheet = client.get(f"/trainees/import/errors?file={_digest(page)}")
    assert sheet.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(sheet.data))
    rows_out = list(workbook.active.iter_rows(values_only=True))
    assert rows_out[0][0] == "行号" and rows_out[0][-1] == "错误"
    bad_numbers = {row[0] for row in rows_out[1:] if row[-1]}
    assert bad_numbers == {3, 4, 6, 7, 8}
    csv_sheet = client.get(f"/trainees/import/errors?format=csv&file={_digest(page)}")
    assert csv_sheet.data.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_and_gbk(client, login_as, encoding):
    login_as("staff")
    response = _upload(client, _csv(_good_rows(2), encoding), "roster.csv")
    assert "学员2" in response.get_data(as_text=True)
    _confirm(client, response.get_data(as_text=True))
    assert _count(Trainee) == 2


@pytest.mark.parametrize("data, name, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 200, "old.xls", "旧版 Excel"),
    (b"PK\x03\x04broken", "roster.xlsx", "无法读取"),
    ("姓名,身份证号\n".encode(), "roster.csv", "没有可导入的行"),
    ("名字,号码\n王,1\n".encode(), "roster.csv", "缺少列"),
])
def test_unreadable_files_get_a_clear_message(client, login_as, data, name, message):
    login_as("staff")
    response = _upload(client, data, name)
    assert message in response.get_data(as_text=True)
    assert _count(Trainee) == 0


def test_oversized_upload_is_refused(client, login_as, app):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    login_as("staff")
    response = _upload(client, _csv(_good_rows(60)), "roster.csv")
    assert response.status_code == 413
    assert _count(Trainee) == 0


def test_full_class_refuses_the_extra_rows(client, login_as, make):
    make.training_class(code="SMALL", capacity=2)
    login_as("staff")
    page = _upload(client, _xlsx(_good_rows(3, "SMALL"))).get_data(as_text=True)
    assert "超过名额" in page
    assert _count(Trainee) == 0


def test_template_downloads_keep_ids_as_text(client, login_as):
    login_as("staff")
    response = client.get("/trainees/import/template")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]][:6] == HEADERS[:6]
    assert sheet.cell(row=50, column=2).number_format == "@"
    assert sheet.cell(row=2, column=2).data_type == "s"
    csv_template = client.get("/trainees/import/template?format=csv").data
    assert csv_template.startswith(b"\xef\xbb\xbf") and "身份证号".encode() in csv_template


def test_check_roster_accepts_labels_and_aliases():
    data = _csv([["王秀英", _id(1).lower(), "+86 139-0000-0001", "大专", "下岗", "", ""]])
    check = roster.check_roster(data, "x.csv")
    assert check.ok, check.errors
    values = check.rows[0].values
    assert values["education"] == "college" and values["origin"] == "laid_off"
    assert values["phone"] == "13900000001" and values["consents_to_listing"] is False
    assert values["id_number"] == _id(1).upper()


# -- the CLI ----------------------------------------------------------------------------------


def test_cli_imports_a_good_file_with_a_progress_bar(runner, make, tmp_path):
    make.user("admin")
    cls = make.training_class(code="CLI-1")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(_xlsx(_good_rows(5)))
    result = runner.invoke(args=["import", "trainees", str(path), "--class", "CLI-1"])
    assert result.exit_code == 0, result.output
    assert "已将 5 名学员导入 CLI-1 班" in result.output  # Chinese by default
    db.session.expire_all()
    assert _count(Trainee) == 5
    assert db.session.scalar(select(func.count(Enrolment.id)).where(Enrolment.class_id == cls.id)) == 5


def test_cli_prints_every_bad_row_and_exits_non_zero(runner, make, tmp_path):
    make.user("admin")
    rows = _good_rows(3)
    rows[0][3] = "博士"
    rows[2][1] = "123"
    path = tmp_path / "roster.csv"
    path.write_bytes(_csv(rows, "gbk"))
    result = runner.invoke(args=["import", "trainees", str(path)])
    assert result.exit_code != 0
    assert "第 2 行" in result.output and "第 4 行" in result.output
    assert "第 3 行" not in result.output
    assert "没有导入任何学员" in result.output
    english = runner.invoke(args=["import", "trainees", str(path), "--lang", "en"])
    assert english.exit_code != 0
    assert "Row 2" in english.output and "Row 4" in english.output and "Row 3" not in english.output
    assert "nothing was imported" in english.output
    assert _count(Trainee) == 0


def test_cli_writes_passwords_to_a_file(runner, make, tmp_path):
    make.user("staff", username="jiaowu")
    path = tmp_path / "roster.csv"
    path.write_bytes(_csv(_good_rows(2)))
    out = tmp_path / "passwords.csv"
    result = runner.invoke(args=["import", "trainees", str(path), "--as", "jiaowu",
                                 "--passwords", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().decode("utf-8-sig").count("\n") == 3
    english = tmp_path / "roster-en.csv"
    english.write_bytes(_csv([[f"学员{n}", _id(n), f"139{n:08d}", "初中", "农村", "是", ""]
                              for n in (3, 4)]))
    result = runner.invoke(args=["import", "trainees", str(english), "--as", "jiaowu", "--lang",
                                 "en"])
    assert result.exit_code == 0, result.output
    assert "2 trainees imported." in result.output


def test_cli_refuses_an_unreadable_file(runner, make, tmp_path):
    make.user("admin")
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04nonsense")
    result = runner.invoke(args=["import", "trainees", str(path)])
    assert result.exit_code == 1
    assert _count(Trainee) == 0
