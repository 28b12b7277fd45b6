"""The score sheet: template, upload (all rows or none), CLI."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from traincenter.extensions import db
from traincenter.models import ScoreChange

from .conftest import login
from .test_exams_helpers import draft_exam, fresh


def _xlsx(rows, numeric_ids=False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["身份证号", "姓名", "理论成绩", "实操成绩"])
    for number, name, theory, practical in rows:
        sheet.append([int(number[:17]) if numeric_ids else number, name, theory, practical])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, exam, data: bytes, name: str = "scores.xlsx", **fields):
    return client.post(f"/exams/{exam.id}/upload", data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


def _digest(response) -> str:
    return re.search(r'name="digest" type="hidden" value="([0-9a-f]{64})"',
                     response.get_data(as_text=True)).group(1)


def _upload_and_save(client, exam, data: bytes, name: str = "scores.xlsx", **fields):
    """Upload a sheet, check the preview offers to save it, and save it."""
    preview = _upload(client, exam, data, name, **fields)
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    return client.post(f"/exams/{exam.id}/upload/confirm", data={"digest": _digest(preview)})


def _who(result):
    trainee = result.enrolment.trainee
    return trainee.id_number, trainee.name


def test_template_lists_candidates_with_ids_as_text(client, make):
    exam, results, instructor = draft_exam(make, 2)
    login(client, instructor)
    response = client.get(f"/exams/{exam.id}/template.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data))["成绩"]
    assert [c.value for c in sheet[1]] == ["身份证号", "姓名", "理论成绩", "实操成绩"]
    ids = {sheet.cell(row=i, column=1).value for i in (2, 3)}
    assert ids == {r.enrolment.trainee.id_number for r in results}
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert sheet.cell(row=2, column=1).number_format == "@"


def test_upload_imports_every_row_and_records_history(client, make):
    exam, (a, b), instructor = draft_exam(make, 2)
    login(client, instructor)
    data = _xlsx([(*_who(a), 60, "缺考"), (*_who(b), "59.9", 88)])
    response = _upload_and_save(client, exam, data)
    assert response.status_code == 302
    assert fresh(a).practical_absent is True and fresh(a).is_passed is False
    assert float(fresh(b).theory_score) == 59.9 and fresh(b).is_passed is False
    sources = db.session.scalars(select(ScoreChange.source).where(ScoreChange.field != "candidate")).all()
    assert sources == ["import"] * 4


def test_bad_upload_changes_nothing_and_lists_every_problem(client, make):
    exam, (a, b, c), instructor = draft_exam(make, 3)
    outsider = make.trainee()
    login(client, instructor)
    data = _xlsx([
        (*_who(a), 70, 80),
        (*_who(b), "七十", 101),
        (*_who(b), 70, 80),
        (outsider.id_number, outsider.name, 70, 80),
        (*_who(c), 70.25, None),
    ])
    before = db.session.scalar(select(func.count(ScoreChange.id)))
    response = client.post(f"/exams/{exam.id}/upload",
                           data={"file": (io.BytesIO(data), "scores.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for expected in ("不是数字", "两次", "不是本场考试的考生", "一位小数"):
        assert expected in page, expected
    assert fresh(a).theory_score is None  # the good row was not saved either
    assert db.session.scalar(select(func.count(ScoreChange.id))) == before


def test_numeric_id_cells_are_refused(client, make):
    exam, (a,), instructor = draft_exam(make, 1)
    login(client, instructor)
    response = client.post(f"/exams/{exam.id}/upload", data={
        "file": (io.BytesIO(_xlsx([(*_who(a), 70, 80)], numeric_ids=True)), "s.xlsx")},
        content_type="multipart/form-data")
    assert "请将身份证号列设为文本" in response.get_data(as_text=True)
    assert fresh(a).theory_score is None


def test_garbage_file_is_refused_with_a_message(client, make):
    exam, (a,), instructor = draft_exam(make, 1)
    login(client, instructor)
    response = client.post(f"/exams/{exam.id}/upload", data={
        "file": (io.BytesIO(b"PK\x03\x04garbage"), "s.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "无法读取" in response.get_data(as_text=True)


def test_csv_in_gbk_is_read(client, make):
    exam, (a,), instructor = draft_exam(make, 1)
    number, name = _who(a)
    data = f"身份证号,姓名,理论成绩,实操成绩\r\n{number},{name},66,77\r\n".encode("gbk")
    login(client, instructor)
    response = _upload_and_save(client, exam, data, "s.csv")
    assert response.status_code == 302
    assert fresh(a).is_passed is True


def test_cli_imports_and_exits_non_zero_when_nothing_imported(runner, make, tmp_path):
    make.user("admin")
    exam, (a,), _ = draft_exam(make, 1)
    path = tmp_path / "scores.xlsx"
    path.write_bytes(_xlsx([(*_who(a), 70, 80)]))
    result = runner.invoke(args=["import", "scores", str(path), "--exam", str(exam.id)])
    assert result.exit_code == 0, result.output
    assert "读取 1 行，更改了 1 条成绩" in result.output  # Chinese by default
    assert fresh(a).is_passed is True
    again = runner.invoke(args=["import", "scores", str(path), "--exam", str(exam.id)])
    assert again.exit_code == 1
    assert "没有导入任何成绩" in again.output
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_xlsx([(*_who(a), 170, 80)]))
    failed = runner.invoke(args=["import", "scores", str(bad), "--exam", str(exam.id)])
    assert failed.exit_code == 1
    assert "第 2 行" in failed.output and _who(a)[1] in failed.output
    assert float(fresh(a).theory_score) == 70
    missing = runner.invoke(args=["import", "scores", str(path), "--exam", "999999"])
    assert missing.exit_code == 1 and "没有编号为 999999 的考试" in missing.output
    english = runner.invoke(args=["import", "scores", str(path), "--exam", str(exam.id),
                                  "--lang", "en"])
    assert english.exit_code == 1
    assert "Read 1 rows, changed 0 results" in english.output
    assert "Nothing was imported" in english.output


def test_reexam_sheet_shows_the_kept_part_locked_and_import_leaves_it(client, make):
    from traincenter.exams import operations

    staff = make.user("staff")
    regular = make.training_class()
    enrolment = make.enrolment(training_class=regular)
    make.result(make.exam(regular), enrolment, 72, 50)
    retraining = make.training_class(kind="retraining", track=regular.track)
    again = make.enrolment(enrolment.trainee, retraining, continues_id=enrolment.id)
    make.hours(again)
    exam = operations.schedule_exam(retraining, date.today(), "考场", "reexam", staff)
    (result,) = exam.results
    login(client, staff)
    sheet = load_workbook(io.BytesIO(client.get(f"/exams/{exam.id}/template.xlsx").data))["成绩"]
    kept = sheet.cell(row=2, column=3)
    assert kept.value.startswith("保留 72") and kept.protection.locked
    assert not sheet.cell(row=2, column=4).protection.locked and sheet.protection.sheet
    number, name = _who(result)
    data = _xlsx([(number, name, kept.value, 66)])
    response = _upload_and_save(client, exam, data)
    assert response.status_code == 302
    stored = fresh(result)
    assert stored.theory_score is None and float(stored.practical_score) == 66
    assert stored.is_passed is True
