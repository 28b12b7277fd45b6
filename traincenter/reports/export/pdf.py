"""The annual report as an A4 PDF (fpdf2) with the bundled CJK font embedded."""

from __future__ import annotations

import io

from flask_babel import gettext as _

from ... import fonts
from .. import charts
from .formatting import all_tables, cell_text, narrative, subtitle, title


def to_pdf(figures: dict, finalised: bool = False, pngs: dict | None = None) -> bytes:
    """A4 PDF with the bundled CJK font embedded (subset)."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos
    from fpdf.fonts import FontFace

    pngs = pngs if pngs is not None else charts.render_all(figures)
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
