"""The annual report's tables as an Excel workbook, and the subsidy roster.

Numbers stay numbers with formats that keep their decimals (hours 0.0, ratings 0.00, rates 0.0%),
a rate's change is written in percentage points ("+2.5个百分点"), and a change keeps the sign and
decimals of its figure. Columns are as wide as their text (a Chinese character counts double;
18-digit ID numbers and 11-digit phones fit), and every sheet prints on A4 — fit to the page
width, header row repeated, the center's name in the page header and "第 X 页 共 Y 页" in the
footer. Text is never a formula, whatever it starts with.
"""

from __future__ import annotations

import io
import math

from flask_babel import gettext as _
from flask_babel import pgettext

from ...i18n import label, show_date
from .formatting import Table, Value, all_tables, cell_text, subtitle, title

SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
MAX_WIDTH = 60


def number_format(value: Value) -> str:
    """The Excel number format of a value: its decimals, its sign, its unit."""
    if value.kind == "rate":
        return "0.0%"
    if value.kind == "relative":
        return "+0.0%;-0.0%;0.0%"
    if value.kind == "points":
        unit = _("percentage points").replace('"', "")
        return f'+0.0"{unit}";-0.0"{unit}";0.0"{unit}"'
    decimals = {"hours": ".0", "rating": ".00", "money": ".00"}.get(value.base if value.kind == "change" else value.kind, "")
    plain = f"#,##0{decimals}"
    if value.kind == "change":
        zero = "0" + decimals
        return f"+{plain};-{plain};{zero}"
    return plain


def text_width(text: str) -> float:
    """Column width units a text needs: a CJK character is about two Latin ones."""
    return sum(2.0 if ord(char) > 0x2E7F else 1.1 for char in text)


def _print_setup(sheet, center: str, header_row: int, landscape: bool = False) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.oddHeader.center.text = center.replace("&", "&&")
    sheet.oddHeader.center.size = 10
    sheet.oddFooter.center.text = pgettext("page footer", "Page %(page)s of %(pages)s", page="&P", pages="&N")
    sheet.oddFooter.center.size = 10


def _write_table(sheet, table: Table, heading: str, lines: list[str], center: str) -> None:
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=13)
    row_number = 1
    for line in lines:
        row_number += 1
        cell = sheet.cell(row=row_number, column=1, value=line)
        cell.data_type = TYPE_STRING
    first = row_number + 1
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=first, column=column, value=header)
        cell.data_type = TYPE_STRING
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8ECF0")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    widths = [text_width(str(header)) for header in table.headers]
    for offset, values in enumerate(table.rows, start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=first + offset, column=column)
            cell.border = border
            if isinstance(value, Value):
                cell.value = value.value
                cell.number_format = number_format(value)
                cell.alignment = Alignment(vertical="top")
            else:
                cell.value = "" if value is None else str(value)
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            widths[column - 1] = max(widths[column - 1], text_width(cell_text(value)))
    widths = [max(10, min(MAX_WIDTH, width + 2)) for width in widths]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for offset, values in enumerate([table.headers, *table.rows]):
        # Row heights are not measured by every office program: set them for wrapped text.
        lines = max(math.ceil(text_width(cell_text(value)) / (widths[i] - 1)) for i, value in enumerate(values))
        if lines > 1:
            sheet.row_dimensions[first + offset].height = 15 * lines
    sheet.freeze_panes = sheet.cell(row=first + 1, column=2)
    _print_setup(sheet, center, first, landscape=len(table.headers) > 6)


def to_xlsx(content) -> bytes:
    """One sheet per table of the report's appendix."""
    from openpyxl import Workbook

    figures = content.figures
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in all_tables(figures):
        name = table.title.translate(SHEET_FORBIDDEN)[:31]
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        lines = [subtitle(figures, content.finalised)] + ([table.note] if table.note else [])
        _write_table(workbook.create_sheet(name), table, f"{title(figures)} · {table.title}", lines,
                     content.center)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_table(rows: list[dict]) -> Table:
    """The subsidy roster as a table: subsidy-paid trainees certified in the year."""
    table = Table("roster", "", [
        _("No."), _("Certificate number"), _("Issued on"), _("Name"), _("ID number"), _("Phone"),
        _("Track"), _("Level"), _("Fee (yuan)")])
    for number, row in enumerate(rows, start=1):
        table.rows.append([Value(number), row["number"], show_date(row["issued_on"]), row["name"],
                           row["id_number"], row["phone"] or "", row["track"],
                           str(label("level", row["level"])), Value(float(row["fee_amount"]), "money")])
    return table


def roster_xlsx(year: int, rows: list[dict], center: str) -> bytes:
    """The 获证补贴名单: trainees certified in ``year`` whose course fee was paid by the subsidy.

    ID numbers and phones are text; A4 landscape, header row repeated, fit to the page width.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Subsidy roster")[:31]
    table = roster_table(rows)
    heading = _("Subsidy roster %(year)s", year=year)
    lines = [_("Trainees certified in %(year)s (certificate not revoked) whose course fee was paid "
               "by the training subsidy: %(n)s.", year=year, n=len(rows)), center]
    _write_table(sheet, table, heading, lines, center)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    header_row = len(lines) + 2
    for row in sheet.iter_rows(min_row=header_row + 1, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "@"
    total = sum(float(row["fee_amount"]) for row in rows)
    last = header_row + len(rows) + 1
    sheet.cell(row=last, column=1, value=_("Total")).font = Font(bold=True)
    sheet.cell(row=last, column=9, value=total).number_format = "#,##0.00"
    sheet.cell(row=last, column=9).font = Font(bold=True)
    for letter, width in (("B", 20), ("E", 22), ("F", 14)):
        sheet.column_dimensions[letter].width = max(sheet.column_dimensions[letter].width or 0, width)
    _print_setup(sheet, center, header_row, landscape=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
