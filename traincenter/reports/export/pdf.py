"""The annual report as an A4 PDF (fpdf2): the same blocks as the Word document.

The bundled CJK font is embedded (subset). Every page has the center's name at the top and
"第 X 页 共 Y 页" at the bottom. Text is broken into lines by ``typesetting`` (Chinese line-breaking
rules) and set line by line; table cells are broken the same way before fpdf2 sets them. Table
header rows repeat on every page and a row never splits (fpdf2 moves a row that does not fit).
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from flask_babel import pgettext

from ... import fonts, rules
from . import document
from .formatting import Table, Value, cell_text
from .typesetting import break_lines

FONT = "noto"
MARGIN, TOP, BOTTOM = 22, 24, 20  # mm
BODY, SMALL, TABLE_SIZE = 11, 9, 8.5  # pt
PADDING = 1.2  # mm inside table cells
INDENT = "\u3000\u3000"  # two ideographic spaces: the first-line indent of Chinese text


def _pdf_class():
    from fpdf import FPDF

    class ReportPDF(FPDF):
        """A4 portrait with the center's name in the header and the page number in the footer."""

        center = ""
        page_label = ""

        def header(self) -> None:
            self.set_font(FONT, size=SMALL)
            self.set_y(10)
            self.cell(0, 5, self.center, align="C")
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.3)
            self.line(self.l_margin, 16, self.w - self.r_margin, 16)
            self.set_y(TOP)

        def footer(self) -> None:
            self.set_font(FONT, size=SMALL)
            self.set_y(-14)
            self.cell(0, 5, self.page_label.replace("\0page\0", str(self.page_no())), align="C")

    return ReportPDF


class Writer:
    """Sets blocks on the PDF: paragraphs broken by the Chinese rules, tables, pictures."""

    def __init__(self, center: str) -> None:
        self.pdf = _pdf_class()(format="A4")
        pdf = self.pdf
        pdf.center = center
        pdf.page_label = pgettext("page footer", "Page %(page)s of %(pages)s", page="\0page\0", pages="{nb}")
        pdf.set_margins(MARGIN, TOP, MARGIN)
        pdf.set_auto_page_break(True, margin=BOTTOM)
        pdf.add_font(FONT, fname=str(fonts.FONT_PATH))
        pdf.set_creator(center)
        self._widths: dict[tuple[str, float], float] = {}

    def measure(self, text: str) -> float:
        """Width of ``text`` in the current font (cached per piece)."""
        key = (text, self.pdf.font_size_pt)
        if key not in self._widths:
            self._widths[key] = self.pdf.get_string_width(text)
        return self._widths[key]

    def lines(self, text: str, size: float, align: str = "L", indent: bool = False,
              spacing: float = 1.55, after: float = 1.5) -> None:
        """A paragraph set line by line (the lines of one paragraph may cross a page)."""
        pdf = self.pdf
        pdf.set_font(FONT, size=size)
        height = size * 0.3528 * spacing
        for line in break_lines((INDENT if indent else "") + text, pdf.epw, self.measure):
            if pdf.will_page_break(height):
                pdf.add_page()
            pdf.set_x(pdf.l_margin)
            pdf.cell(pdf.epw, height, line, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after)

    def heading(self, text: str, size: float, align: str = "L", keep: float = 14) -> None:
        """A heading kept with ``keep`` mm of what follows (a sub-heading and two lines for 一、)."""
        if self.pdf.will_page_break(size * 0.3528 * 1.6 + keep):
            self.pdf.add_page()
        self.pdf.ln(1.5)
        self.lines(text, size, align, after=1)

    def table(self, table: Table, number: int) -> None:
        """A table with its caption and note; header row repeated, rows never split."""
        from fpdf.enums import TableCellFillMode, WrapMode
        from fpdf.fonts import FontFace

        pdf = self.pdf
        self.heading(_("Table %(n)s  %(title)s", n=number, title=table.title), 10.5, "C")
        if table.note:
            self.lines(table.note, SMALL, after=1)
        weights = table.widths or tuple([2] + [1] * (len(table.headers) - 1))
        widths = [pdf.epw * weight / sum(weights) for weight in weights]
        numeric = [any(isinstance(row[i], Value) for row in table.rows) for i in range(len(table.headers))]
        pdf.set_font(FONT, size=TABLE_SIZE)

        def broken(text: str, column: int) -> str:
            return "\n".join(break_lines(text, widths[column] - 2 * PADDING - 1.0, self.measure))

        rows = table.rows or [[_("No data for this year")] + [""] * (len(table.headers) - 1)]
        with pdf.table(col_widths=widths, width=pdf.epw, line_height=TABLE_SIZE * 0.3528 * 1.45,
                       text_align=tuple("RIGHT" if n else "LEFT" for n in numeric),
                       headings_style=FontFace(emphasis=None, fill_color=(232, 236, 240)),
                       cell_fill_mode=TableCellFillMode.NONE, padding=PADDING,
                       wrapmode=WrapMode.CHAR, repeat_headings=1) as grid:
            header = grid.row()
            for column, text in enumerate(table.headers):
                header.cell(broken(text, column), align="CENTER")
            for values in rows:
                row = grid.row()
                for column, value in enumerate(values):
                    row.cell(broken(cell_text(value), column))
        pdf.ln(4)

    def picture(self, caption: str, image: bytes, number: int) -> None:
        """A chart with its caption on the same page."""
        pdf = self.pdf
        width = pdf.epw * 0.92
        height = width * 4 / 7
        if pdf.will_page_break(height + 12):
            pdf.add_page()
        self.lines(_("Figure %(n)s  %(title)s", n=number, title=caption), 10.5, "C", after=1)
        pdf.image(io.BytesIO(image), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height)
        pdf.ln(5)


def to_pdf(content) -> bytes:
    """A4 PDF of the report: the text in the shape of 篇2, then the appendix."""
    pngs = content.charts()
    blocks = document.build(content.figures, content.narrative, center=content.center,
                            finalised=content.finalised, charts={k: v[0] for k, v in pngs.items()})
    writer = Writer(content.center)
    pdf = writer.pdf
    pdf.set_title(blocks[0].text)
    pdf.add_page()
    tables = charts = 0
    for block in blocks:
        if block.kind == document.TITLE:
            pdf.ln(4)
            writer.lines(block.text, 18, "C", after=2)
        elif block.kind == document.SUBTITLE:
            writer.lines(block.text, SMALL, "C", after=5)
        elif block.kind == document.HEADING:
            writer.heading(block.text, 13.5, keep=26)
        elif block.kind == document.SUBHEADING:
            writer.heading(block.text, 12)
        elif block.kind in (document.PARAGRAPH, document.PROSE):
            if block.text:
                writer.lines(block.text, BODY, indent=True)
            elif block.key in rules.NARRATIVE_EXPECTED:
                writer.lines(document.missing_text(), BODY, indent=True)
        elif block.kind == document.NOTE:
            writer.lines(block.text, SMALL, indent=True)
        elif block.kind == document.SIGNATURE:
            if block.text == content.center:
                pdf.ln(6)
                if pdf.will_page_break(14):
                    pdf.add_page()
            writer.lines(block.text, BODY, "R", after=0)
        elif block.kind == document.APPENDIX:
            pdf.add_page()
            writer.heading(block.text, 13.5, "C")
        elif block.kind == document.TABLE:
            tables += 1
            writer.table(block.table, tables)
        elif block.kind == document.CHART:
            charts += 1
            writer.picture(block.text, pngs[block.key][1], charts)
    return bytes(pdf.output())
