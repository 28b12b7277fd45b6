"""The annual report as an editable Word document (python-docx)."""

from __future__ import annotations

import io

from flask_babel import gettext as _

from .. import charts
from .formatting import all_tables, cell_text, narrative, subtitle, title

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


def to_docx(figures: dict, finalised: bool = False, pngs: dict | None = None) -> bytes:
    """An editable Word document: headings, narrative, tables, charts; Chinese font set."""
    from docx import Document
    from docx.shared import Cm, Pt

    pngs = pngs if pngs is not None else charts.render_all(figures)
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
