"""Writers of the annual report: tables, narrative, JSON, Excel, Word and PDF.

Everything here is a pure function of the figures dict (live or from a snapshot), so a finalised
report is reproduced exactly. Text goes through gettext in the current locale (the CLI forces
Chinese); charts are rendered once and shared by the Word and PDF writers.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field

from flask_babel import gettext as _

from .. import fonts, rules
from ..i18n import label
from ..web import format_percent
from . import charts
from .data import HEADLINE_KEYS, RATE_KEYS
from .services import AGE_NOTE, BREAKDOWN_NOTE, DEFINITIONS, MONTH_NOTE, SCORE_NOTE

FORMATS = ("docx", "pdf", "xlsx", "json")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


# ---------------------------------------------------------------------------------------------
# Cells and tables shared by every output
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A number with its kind: count, hours, rate (fraction), points (rate change), rating, change."""

    value: float | int | None
    kind: str = "count"

    def text(self) -> str:
        value = self.value
        if value is None:
            return "—"
        if self.kind == "rate":
            return format_percent(value)
        if self.kind == "points":
            points = "%.1f" % (value * 100)
            return _("%(sign)s%(points)s pts", sign="+" if value > 0 else "", points=points)
        if self.kind == "relative":
            return f"{'+' if value > 0 else ''}{value * 100:.1f}%"
        if self.kind == "change":
            number = f"{value:.1f}" if isinstance(value, float) and not float(value).is_integer() else f"{int(value)}"
            return f"{'+' if value > 0 else ''}{number}"
        if self.kind == "hours" or self.kind == "rating":
            return f"{value:.1f}" if not float(value).is_integer() else f"{int(value)}"
        return str(value)


def cell_text(cell) -> str:
    if isinstance(cell, Value):
        return cell.text()
    return "" if cell is None else str(cell)


@dataclass
class Table:
    """One table of the report (one sheet in Excel)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str | None = None


def kind_of(key: str) -> str:
    if key in RATE_KEYS:
        return "rate"
    if key.startswith("hours"):
        return "hours"
    if key == "average_rating":
        return "rating"
    return "count"


def headline_table(figures: dict) -> Table:
    previous = figures["previous_year"]
    changes = figures.get("changes", {})
    table = Table("headline", _("Headline figures"),
                  [_("Figure"), str(figures["year"]), str(previous["year"]), _("Change"),
                   _("Change %"), _("How it is counted")])
    for key in HEADLINE_KEYS:
        kind = kind_of(key)
        change = changes.get(key, {})
        change_kind = "points" if kind == "rate" else "change"
        table.rows.append([
            str(DEFINITIONS[key][0]), Value(figures[key], kind), Value(previous[key], kind),
            Value(change.get("change"), change_kind), Value(change.get("relative"), "relative"),
            str(DEFINITIONS[key][1]),
        ])
    return table


def track_table(figures: dict) -> Table:
    table = Table("by_track", _("By track"), [
        _("Track"), _("Trained"), _("Exam takers"), _("Passed at first attempt"),
        _("First-attempt pass rate"), _("Passed in the end"), _("Final pass rate"),
        _("Certificates issued"), _("Placed in work"), _("Placement rate")])
    for row in figures["by_track"]:
        table.rows.append([
            row["track"], Value(row["trained"]), Value(row["exam_takers"]),
            Value(row["first_attempt_passed"]), Value(row["first_attempt_pass_rate"], "rate"),
            Value(row["final_passed"]), Value(row["final_pass_rate"], "rate"),
            Value(row["certified"]), Value(row["placed"]), Value(row["placement_rate"], "rate")])
    return table


def _share_table(key: str, title: str, heading: str, rows: list[tuple[str, int]], note=None) -> Table:
    total = sum(count for _name, count in rows)
    table = Table(key, title, [heading, _("Number of trainees"), _("Share")], note=note)
    for name, count in rows:
        table.rows.append([name, Value(count), Value(rules.rate(count, total), "rate")])
    return table


def breakdown_tables(figures: dict) -> list[Table]:
    note = str(BREAKDOWN_NOTE)
    tables = [
        _share_table("by_level", _("By level"), _("Level"),
                     [(label("level", row["key"]), row["trained"]) for row in figures["by_level"]], note),
        _share_table("by_provider", _("By provider"), _("Provider"),
                     [(f"{row['provider_name']}（{label('provider_kind', row['provider_kind'])}）",
                       row["trained"]) for row in figures["by_provider"]], note),
        _share_table("by_gender", _("By gender"), _("Gender"),
                     [(label("gender", row["key"]), row["trained"]) for row in figures["by_gender"]]),
        _share_table("by_age_band", _("By age band"), _("Age band"),
                     [(row["key"], row["trained"]) for row in figures["by_age_band"]],
                     str(AGE_NOTE) % {"date": figures["age_reference_on"]}),
        _share_table("by_education", _("By education"), _("Education"),
                     [(label("education", row["key"]), row["trained"]) for row in figures["by_education"]]),
        _share_table("by_origin", _("By origin"), _("Origin"),
                     [(label("origin", row["key"]), row["trained"]) for row in figures["by_origin"]]),
    ]
    month = Table("by_month", _("By month"), [_("Month"), _("Number of trainees")], note=str(MONTH_NOTE))
    month.rows = [[_("Month %(month)s", month=row["month"]), Value(row["trainees"])]
                  for row in figures["by_month"]]
    scores = Table("scores", _("Score distribution"), [_("Score"), label("part", "theory"),
                                                       label("part", "practical")], note=str(SCORE_NOTE))
    theory, practical = (figures["score_distribution"][part] for part in rules.PARTS)
    scores.rows = [[a["bin"], Value(a["count"]), Value(b["count"])] for a, b in zip(theory, practical, strict=True)]
    return [*tables, month, scores]


def all_tables(figures: dict) -> list[Table]:
    return [headline_table(figures), track_table(figures), *breakdown_tables(figures)]


# ---------------------------------------------------------------------------------------------
# Narrative sentences generated from the figures
# ---------------------------------------------------------------------------------------------


def _count_change(now: int | float, before: int | float) -> str:
    if not before:
        return _("there were none the year before") if now else _("none the year before either")
    difference = rules.change(now, before)
    relative = rules.rate(abs(difference), before)
    if difference > 0:
        return _("up %(pct)s on the year before", pct=format_percent(relative))
    if difference < 0:
        return _("down %(pct)s on the year before", pct=format_percent(relative))
    return _("the same as the year before")


def narrative(figures: dict) -> list[str]:
    """Plain sentences for the Word report (the federation edits them into its own text)."""
    year, previous = figures["year"], figures["previous_year"]
    sentences = [_("In %(year)s the center trained %(n)s trainees, %(change)s.", year=year,
                   n=figures["trained"], change=_count_change(figures["trained"], previous["trained"]))]
    sentences.append(_("Classroom hours delivered: %(classroom)s; verified self-study hours: %(self_study)s.",
                       classroom=Value(figures["hours_classroom"], "hours").text(),
                       self_study=Value(figures["hours_self_study"], "hours").text()))
    if figures["exam_takers"]:
        sentences.append(_(
            "%(takers)s trainees sat their first exam; %(passed)s passed at the first attempt "
            "(pass rate %(rate)s), and %(final)s have passed in the end, re-exams included "
            "(final pass rate %(final_rate)s).",
            takers=figures["exam_takers"], passed=figures["first_attempt_passed"],
            rate=format_percent(figures["first_attempt_pass_rate"]), final=figures["final_passed"],
            final_rate=format_percent(figures["final_pass_rate"])))
    else:
        sentences.append(_("No trainee sat a first exam in %(year)s.", year=year))
    if figures["retrained"] or figures["reexam_takers"]:
        sentences.append(_(
            "%(retrained)s trainees were retrained; %(passed)s of %(takers)s re-exam takers passed "
            "(re-exam pass rate %(rate)s).", retrained=figures["retrained"],
            passed=figures["reexam_passed"], takers=figures["reexam_takers"],
            rate=format_percent(figures["reexam_pass_rate"])))
    sentences.append(_(
        "%(certified)s certificates were issued (%(change)s) and %(health)s health certificates "
        "recorded; %(placed)s certified trainees started work (placement rate %(rate)s), and "
        "%(contracts)s labour contracts were registered.", certified=figures["certified"],
        change=_count_change(figures["certified"], previous["certified"]),
        health=figures["health_certificates"], placed=figures["placed"],
        rate=format_percent(figures["placement_rate"]), contracts=figures["contracts_registered"]))
    if figures["feedback_count"]:
        sentences.append(_(
            "Customers gave %(n)s ratings, %(avg)s out of 5 on average; %(rate)s were satisfied "
            "(rated 4 or 5).", n=figures["feedback_count"],
            avg=Value(figures["average_rating"], "rating").text(),
            rate=format_percent(figures["satisfaction_rate"])))
    else:
        sentences.append(_("No customer feedback was recorded in %(year)s.", year=year))
    if figures["by_track"]:
        largest = max(figures["by_track"], key=lambda row: row["trained"])
        if largest["trained"]:
            sentences.append(_("The largest track was %(track)s, with %(n)s trainees.",
                               track=largest["track"], n=largest["trained"]))
    return sentences


def title(figures: dict) -> str:
    return _("Annual report on domestic-service training, %(year)s", year=figures["year"])


def subtitle(figures: dict, finalised: bool) -> str:
    state = _("finalised") if finalised else _("provisional, from the data today")
    return _("Report date %(date)s (%(state)s); previous year %(previous)s beside each figure.",
             date=figures["as_of"], state=state, previous=figures["previous_year"]["year"])


# ---------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------


def to_json(figures: dict) -> bytes:
    """The figures as JSON (rates as fractions 0–1, null when nothing to divide by)."""
    return json.dumps(figures, ensure_ascii=False, indent=2).encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Excel
# ---------------------------------------------------------------------------------------------

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
    from ..spreadsheets import SheetSpec, write_xlsx

    headers = [_("Certificate number"), _("Issued on"), _("Name"), _("ID number"), _("Phone"),
               _("Track"), _("Level"), _("Fee payer"), _("Fee (yuan)")]
    values = [[row["number"], row["issued_on"], row["name"], row["id_number"], row["phone"] or "",
               row["track"], str(label("level", row["level"])), str(label("fee_payer", row["fee_payer"])),
               float(row["fee_amount"])] for row in rows]
    spec = SheetSpec(title=_("Subsidy roster %(year)s", year=year), headers=headers, rows=values,
                     text_columns=(0, 3, 4), widths={0: 18, 1: 12, 3: 22, 4: 14, 5: 16, 6: 18})
    return write_xlsx(spec)


# ---------------------------------------------------------------------------------------------
# Word
# ---------------------------------------------------------------------------------------------

EAST_ASIA_FONT = "宋体"


def _east_asia(style_or_run, name: str = EAST_ASIA_FONT) -> None:
    from docx.oxml.ns import qn

    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts_element = rpr.find(qn("w:rFonts"))
    if fonts_element is None:
        fonts_element = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts_element)
    fonts_element.set(qn("w:eastAsia"), name)


def rendered_charts(figures: dict) -> dict[str, tuple[str, bytes]]:
    """Every chart as (caption, PNG), rendered once for the documents."""
    return {name: (str(caption), charts.render(name, figures)) for name, (_fn, caption) in charts.CHARTS.items()}


def to_docx(figures: dict, finalised: bool = False, pngs: dict | None = None) -> bytes:
    """An editable Word document: headings, narrative, tables, charts; Chinese font set."""
    from docx import Document
    from docx.shared import Cm, Pt

    pngs = pngs if pngs is not None else rendered_charts(figures)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(11)
    _east_asia(normal)
    for name in ("Title", "Heading 1", "Heading 2", "Caption"):
        _east_asia(document.styles[name], "黑体")
    document.add_heading(title(figures), level=0)
    document.add_paragraph(subtitle(figures, finalised))
    document.add_heading(_("Summary"), level=1)
    for sentence in narrative(figures):
        document.add_paragraph(sentence)
    for table in all_tables(figures):
        document.add_heading(table.title, level=1)
        if table.note:
            document.add_paragraph(table.note)
        grid = document.add_table(rows=1, cols=len(table.headers))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
            cell.text = header
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in table.rows:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = cell_text(value)
    document.add_heading(_("Charts"), level=1)
    for caption, image in pngs.values():
        document.add_paragraph(caption, style="Caption")
        document.add_picture(io.BytesIO(image), width=Cm(15.5))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------


def to_pdf(figures: dict, finalised: bool = False, pngs: dict | None = None) -> bytes:
    """A4 PDF with the bundled CJK font embedded (subset)."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos
    from fpdf.fonts import FontFace

    pngs = pngs if pngs is not None else rendered_charts(figures)
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("noto", fname=str(fonts.FONT_PATH))
    pdf.set_title(title(figures))
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: int = 14) -> None:
        pdf.set_font("noto", size=size)
        pdf.multi_cell(width, size * 0.6, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    def paragraph(text: str, size: int = 10) -> None:
        pdf.set_font("noto", size=size)
        pdf.multi_cell(width, size * 0.55, text, wrapmode=WrapMode.CHAR, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1)

    heading(title(figures), 18)
    paragraph(subtitle(figures, finalised), 9)
    heading(_("Summary"))
    for sentence in narrative(figures):
        paragraph(sentence)
    for table in all_tables(figures):
        heading(table.title)
        if table.note:
            paragraph(table.note, 8)
        size = 7 if len(table.headers) > 6 else 9
        pdf.set_font("noto", size=size)
        widths = None
        if table.key == "headline":
            widths = (22, 12, 12, 12, 12, 50)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.5,
                       headings_style=FontFace(emphasis=None, fill_color=(230, 236, 242)),
                       wrapmode=WrapMode.CHAR) as grid:
            header = grid.row()
            for text in table.headers:
                header.cell(text)
            for row in table.rows:
                line = grid.row()
                for value in row:
                    line.cell(cell_text(value))
        pdf.ln(3)
    heading(_("Charts"))
    for caption, image in pngs.values():
        if pdf.will_page_break(100):
            pdf.add_page()
        paragraph(caption, 10)
        pdf.image(io.BytesIO(image), w=width * 0.9)
        pdf.ln(2)
    return bytes(pdf.output())


def export(fmt: str, figures: dict, finalised: bool = False, pngs: dict | None = None) -> bytes:
    """The report in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        return to_json(figures)
    if fmt == "xlsx":
        return to_xlsx(figures, finalised)
    return {"docx": to_docx, "pdf": to_pdf}[fmt](figures, finalised, pngs)


def filename(year: int, fmt: str) -> str:
    return f"annual-report-{year}.{fmt}"
