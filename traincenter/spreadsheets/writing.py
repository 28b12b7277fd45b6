"""Writing .xlsx and .csv downloads: text columns kept as text, formulas never run."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .reading import CONTROL_CHARACTERS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class SheetSpec:
    """One sheet to write: title, header texts, rows, the columns kept as text."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    text_columns: Sequence[str | int] = ()
    blank_rows: int = 0
    widths: dict[int, float] | None = field(default=None)


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet program could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def write_xlsx(*sheets: SheetSpec) -> bytes:
    """An .xlsx workbook with one worksheet per ``SheetSpec``."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        headers = list(spec.headers)
        text_indexes = {
            column if isinstance(column, int) else headers.index(column)
            for column in spec.text_columns
        }
        sheet.append([CONTROL_CHARACTERS.sub("", str(h)) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = TYPE_STRING
        row_count = 1
        for values in spec.rows:
            row_count += 1
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_count, column=index)
                if index - 1 in text_indexes and value is not None and not isinstance(value, str):
                    value = str(value)
                if isinstance(value, str):
                    value = CONTROL_CHARACTERS.sub("", value)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
        for index in text_indexes:
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, row_count + spec.blank_rows + 1):
                sheet.cell(row=row, column=index + 1).number_format = "@"
        for index, header in enumerate(headers):
            width = (spec.widths or {}).get(index) or max(10, min(40, len(str(header)) * 2 + 4))
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV as UTF-8 with BOM; formula-looking text is prefixed with an apostrophe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(h) for h in headers])
    for values in rows:
        writer.writerow(["'" + v if looks_like_formula(v) else ("" if v is None else v)
                         for v in values])
    return buffer.getvalue().encode("utf-8-sig")
