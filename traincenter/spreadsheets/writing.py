"""Writing .xlsx and .csv downloads: text columns kept as text, formulas never run."""

from __future__ import annotations

import csv
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from .reading import CONTROL_CHARACTERS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MIN_COLUMN_WIDTH = 8
MAX_COLUMN_WIDTH = 60  # wider text wraps inside its cell
COLUMN_PADDING = 2  # the cell margins, and bold header text
LINE_HEIGHT = 15  # points per line of wrapped text (11-point type); office suites do not grow a
# row for wrapped text written by openpyxl, so the rows are given their height


@dataclass
class SheetSpec:
    """One sheet to write: title, header texts, rows, the columns kept as text."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    text_columns: Sequence[str | int] = ()
    blank_rows: int = 0
    widths: dict[int, float] | None = field(default=None)  # minimum widths by column index


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet program could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def display_width(value: object) -> int:
    """How many character widths a spreadsheet needs to show ``value`` on one line (the widest
    line of a multi-line text): CJK and full-width characters count two."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, float):
        text = f"{value:.2f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
               for line in text.split("\n"))


def _lines(text: str, column_width: float) -> int:
    """Lines a wrapped text takes in a column of ``column_width`` characters."""
    room = max(1.0, column_width - COLUMN_PADDING)
    return sum(max(1, math.ceil(display_width(line) / room)) for line in text.split("\n"))


def _fit(width: int, minimum: float | None) -> float:
    return max(minimum or 0, MIN_COLUMN_WIDTH, min(MAX_COLUMN_WIDTH, width + COLUMN_PADDING))


def write_xlsx(*sheets: SheetSpec) -> bytes:
    """An .xlsx workbook with one worksheet per ``SheetSpec``."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")

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
        widest = [display_width(header) for header in headers]
        wrapped: list[tuple[int, int, str]] = []  # (row, column index, text)
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
                width = display_width(value)
                if index > len(widest):
                    widest.append(0)
                widest[index - 1] = max(widest[index - 1], width)
                if width > MAX_COLUMN_WIDTH - COLUMN_PADDING or "\n" in str(value or ""):
                    cell.alignment = wrap
                    wrapped.append((row_count, index - 1, str(value)))
        for index in text_indexes:
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, row_count + spec.blank_rows + 1):
                sheet.cell(row=row, column=index + 1).number_format = "@"
        final = [_fit(width, (spec.widths or {}).get(index)) for index, width in enumerate(widest)]
        for index, width in enumerate(final):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        lines: dict[int, int] = {}
        for row, index, text in wrapped:
            lines[row] = max(lines.get(row, 1), _lines(text, final[index]))
        for row, count in lines.items():
            sheet.row_dimensions[row].height = count * LINE_HEIGHT
            for cell in sheet[row]:
                if not cell.alignment.wrap_text:
                    cell.alignment = top  # the row's other values beside its first line
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
