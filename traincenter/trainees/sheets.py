"""The roster's downloads: the empty template, and the uploaded rows with an error column."""

from __future__ import annotations

from ..spreadsheets import SheetSpec, write_csv, write_xlsx
from .roster import COLUMNS, TEMPLATE_HEADERS, RosterCheck

EXAMPLE_ROWS = [
    ["王秀英", "110105197503120027", "13900000001", "初中", "农村", "是", ""],
]


def template_file(kind: str = "xlsx") -> bytes:
    """The empty roster template (with one example row to overwrite) and a sheet of instructions."""
    if kind == "csv":
        return write_csv(TEMPLATE_HEADERS, [])
    instructions = [
        ["姓名", "必填"],
        ["身份证号", "必填，18位；本列已设为文本，请勿改为数字"],
        ["手机号", "11位手机号，可不填"],
        ["学历", "文盲、小学、初中、职高/中专（或高职、中专、职高）、高中、大专及以上"],
        ["来源", "农村、城镇下岗/失业、其他"],
        ["是否同意公示", "是 或 否（不填视为否）"],
        ["班级编号", "可不填；填写则报名进入该班"],
        ["示例", "第2行是示例，请改成真实学员或删除"],
    ]
    return write_xlsx(
        SheetSpec("学员名单", TEMPLATE_HEADERS, EXAMPLE_ROWS, text_columns=("身份证号", "手机号"),
                  blank_rows=500, widths={1: 24, 2: 16, 4: 16, 5: 14}),
        SheetSpec("填写说明", ["列", "说明"], instructions, widths={0: 16, 1: 60}),
    )


def error_file(check: RosterCheck, kind: str = "xlsx") -> bytes:
    """The uploaded rows with an error column, bad rows first (to fix and upload again)."""
    table = check.table
    headers = ["行号", *table.headers, "错误"]
    grouped = check.errors_by_row()
    id_column = table.column(*COLUMNS["id_number"])
    rows = []
    for row in sorted(table.rows, key=lambda r: (r.number not in grouped, r.number)):
        reasons = "；".join(f"{e.column}：{e.reason}" for e in grouped.get(row.number, []))
        rows.append([row.number, *[row.text(i) for i in range(len(table.headers))], reasons])
    if kind == "csv":
        return write_csv(headers, rows)
    text_columns = [id_column + 1] if id_column is not None else []
    return write_xlsx(SheetSpec("错误清单", headers, rows, text_columns=text_columns,
                                widths={len(headers) - 1: 60}))
