"""The annual report's tables as an Excel workbook, and the subsidy roster."""

from __future__ import annotations

import io

from flask_babel import gettext as _

from ...i18n import label
from ...spreadsheets import SheetSpec, write_xlsx
from .formatting import Value, all_tables, cell_text, subtitle, title

SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})
NUMBER_FORMATS = {"rate": "0.0%", "relative": "0.0%", "points": "+0.0%;-0.0%;0.0%",
                  "hours": "0.0", "rating": "0.00", "change": "+0;-0;0", "count": "0"}


def to_xlsx(figures: dict, finalised: bool = False) -> bytes:
    """One sheet per table; numbers stay numbers; no text can run as a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in all_tables(figures):
        name = table.title.translate(SHEET_FORBIDDEN)[:31]
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        sheet = workbook.create_sheet(name)
        sheet.append([])
        heading = sheet.cell(row=1, column=1, value=f"{title(figures)} · {table.title}")
        heading.data_type = TYPE_STRING
        heading.font = Font(bold=True, size=13)
        sheet.cell(row=2, column=1, value=subtitle(figures, finalised)).data_type = TYPE_STRING
        first = 3
        if table.note:
            sheet.cell(row=3, column=1, value=table.note).data_type = TYPE_STRING
            first = 4
        for column, header in enumerate(table.headers, start=1):
            cell = sheet.cell(row=first, column=column, value=header)
            cell.data_type = TYPE_STRING
            cell.font = Font(bold=True)
        for offset, row in enumerate(table.rows, start=1):
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=first + offset, column=column)
                if isinstance(value, Value):
                    cell.value = value.value
                    cell.number_format = NUMBER_FORMATS.get(value.kind, "General")
                else:
                    cell.value = "" if value is None else str(value)
                    cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
                    if len(cell.value) > 40:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for column, header in enumerate(table.headers, start=1):
            longest = max([len(str(header))] + [len(cell_text(row[column - 1])) for row in table.rows])
            sheet.column_dimensions[get_column_letter(column)].width = max(10, min(60, longest * 2 + 2))
        sheet.freeze_panes = sheet.cell(row=first + 1, column=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_xlsx(year: int, rows: list[dict]) -> bytes:
    """The subsidy roster (获证补贴): certified trainees with fee payer; ID numbers as text."""
    headers = [_("Certificate number"), _("Issued on"), _("Name"), _("ID number"), _("Phone"),
               _("Track"), _("Level"), _("Fee payer"), _("Fee (yuan)")]
    values = [[row["number"], row["issued_on"], row["name"], row["id_number"], row["phone"] or "",
               row["track"], str(label("level", row["level"])), str(label("fee_payer", row["fee_payer"])),
               float(row["fee_amount"])] for row in rows]
    spec = SheetSpec(title=_("Subsidy roster %(year)s", year=year), headers=headers, rows=values,
                     text_columns=(0, 3, 4), widths={0: 18, 1: 12, 3: 22, 4: 14, 5: 16, 6: 18})
    return write_xlsx(spec)
