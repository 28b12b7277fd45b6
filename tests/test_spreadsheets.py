"""The shared spreadsheet helper: safe reading of uploads, safe writing of downloads."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import openpyxl
import pytest

from traincenter.spreadsheets import (
    SheetSpec,
    SpreadsheetError,
    read_table,
    write_csv,
    write_xlsx,
)

HEADERS = ["姓名", "身份证号", "手机号"]


def _xlsx(rows, headers=HEADERS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _code(data, filename="x.xlsx", **kw) -> str:
    with pytest.raises(SpreadsheetError) as info:
        read_table(data, filename, **kw)
    return info.value.code


def test_xlsx_rows_keep_values_types_and_row_numbers():
    data = _xlsx([["王秀英", "110105194912310021", "13900000001"], [None, None, None],
                  ["李桂兰", 110105194912310000, 13900000002]])
    table = read_table(data, "roster.xlsx")
    assert table.kind == "xlsx"
    assert table.headers == HEADERS
    assert [row.number for row in table.rows] == [2, 4]  # the blank row 3 is skipped
    first, second = table.rows
    assert first.values[1] == "110105194912310021" and first.types[1] == "s"
    assert not first.is_number(1)
    assert second.is_number(1) and second.types[1] == "n"
    assert second.text(2) == "13900000002"


def test_magic_bytes_decide_not_the_name():
    data = _xlsx([["王秀英", "110105194912310021", "13900000001"]])
    assert read_table(data, "renamed.csv").kind == "xlsx"
    assert _code(b"name,id\nx,y\n", "fake.xlsx") == "unreadable"


def test_old_excel_and_unknown_types_are_named():
    assert _code(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100, "old.xls") == "old_excel"
    assert _code(b"%PDF-1.4 something", "scan.pdf") == "wrong_type"


def test_damaged_xlsx_is_unreadable():
    assert _code(b"PK\x03\x04" + b"garbage" * 50) == "unreadable"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert _code(buffer.getvalue()) == "unreadable"


def test_oversized_file_is_refused_before_parsing():
    data = _xlsx([["王秀英", "110105194912310021", "13900000001"]])
    with pytest.raises(SpreadsheetError) as info:
        read_table(data, "x.xlsx", max_bytes=len(data) - 1)
    assert info.value.code == "oversized" and info.value.limit == len(data) - 1
    stream = io.BytesIO(b"a,b\n" + b"1,2\n" * 1000)
    assert _code(stream, "big.csv", max_bytes=100) == "oversized"


def test_zip_bomb_is_refused_by_its_uncompressed_size():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 100 * 1024
    assert _code(data, max_uncompressed=1024 * 1024) == "too_large_inside"


@pytest.mark.parametrize("data", [b"", b"   \n", "姓名,身份证号\n".encode(), b"\n\n,,\n"])
def test_empty_files(data):
    assert _code(data, "x.csv") == "empty"


def test_xlsx_with_header_only_is_empty():
    assert _code(_xlsx([])) == "empty"


def test_too_many_rows():
    data = ("姓名\n" + "张三\n" * 11).encode()
    assert _code(data, "x.csv", max_rows=10) == "too_many_rows"
    assert len(read_table(data, "x.csv", max_rows=11).rows) == 11


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings(encoding):
    text = "姓名,身份证号,手机号\r\n王秀英,110105194912310021,13900000001\r\n"
    table = read_table(text.encode(encoding), "roster.csv")
    assert table.kind == "csv"
    assert table.headers == HEADERS
    assert table.rows[0].values == ["王秀英", "110105194912310021", "13900000001"]
    assert table.rows[0].types == ["s", "s", "s"]


def test_csv_semicolons_and_binary():
    table = read_table("姓名;手机号\n王秀英;13900000001\n".encode(), "x.csv")
    assert table.rows[0].values == ["王秀英", "13900000001"]
    assert _code(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "x.csv") == "unreadable"
    assert _code("姓名\n王秀英\n".encode("utf-16"), "x.csv") == "unreadable"


def test_control_characters_are_dropped_when_reading_and_writing():
    table = read_table("姓名,备注\n王\x1b秀\x00英,a\x0bb\n".encode(), "x.csv")
    assert table.rows[0].values == ["王秀英", "ab"]
    data = write_xlsx(SheetSpec("表", ["姓\x1f名"], [["王\x07英"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "姓名" and sheet["A2"].value == "王英"


def test_column_lookup_is_loose():
    table = read_table("姓名 *, 身份证号（18位）,Phone\nA,B,C\n".encode(), "x.csv")
    assert table.column("身份证号") == 1
    assert table.column("姓名") == 0
    assert table.column("phone", "手机号") == 2
    assert table.column("学历") is None


def test_short_rows_are_padded_and_text_helpers():
    table = read_table(b"a,b,c\n1\n", "x.csv")
    row = table.rows[0]
    assert row.values == ["1", None, None]
    assert row.text(1) == "" and row.value(7) is None and row.text(None) == ""


def test_written_xlsx_keeps_ids_as_text_and_neutralises_formulas():
    data = write_xlsx(
        SheetSpec("名单", HEADERS, [["=HYPERLINK(\"http://x\")", 110105194912310021, "+8613900000001"]],
                  text_columns=("身份证号",), blank_rows=5),
        SheetSpec("说明", ["项目"], [["学历: 小学"]]),
    )
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["名单"]
    name, id_cell, phone = sheet[2]
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    assert phone.data_type == "s"
    assert id_cell.data_type == "s" and id_cell.value == "110105194912310021"
    assert id_cell.number_format == "@"
    assert sheet.cell(row=7, column=2).number_format == "@"  # blank rows typed later stay text
    assert workbook.sheetnames == ["名单", "说明"]
    # and our own file reads back without a formula or a number in the ID column
    table = read_table(data, "x.xlsx")
    assert table.rows[0].types == ["s", "s", "s"]


def test_written_csv_has_bom_and_neutralised_formulas():
    data = write_csv(["姓名", "备注"], [["=1+1", None], ["王秀英", datetime(2026, 1, 2).date()]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1] == "'=1+1,"
    assert "王秀英,2026-01-02" in text
