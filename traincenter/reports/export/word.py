"""The annual report as an editable Word document (python-docx), laid out as an office expects.

A4 (210 × 297 mm) with the margins of GB/T 9704; the center's name in the header and
"第 X 页 共 Y 页" (PAGE and NUMPAGES fields) in the footer; fonts set by their East Asian name
(``w:eastAsia``) — 黑体 for the title and headings, 仿宋 for the text, 宋体 for tables —
because ``run.font.name`` alone does not reach Chinese text, and the theme fonts of python-docx's
template are removed so they cannot win. Table header rows repeat on every page and no row splits.
"""

from __future__ import annotations

import io

from flask_babel import gettext as _
from flask_babel import pgettext

from ... import rules
from . import document
from .formatting import Table, Value, cell_text

HEADING_FONT, BODY_FONT, TABLE_FONT, LATIN_FONT = "黑体", "仿宋", "宋体", "Times New Roman"
BODY_SIZE, TABLE_SIZE = 14, 10.5  # 四号 text, 五号 tables
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def _qn(name: str) -> str:
    from docx.oxml.ns import qn

    return qn(name)


def _set_fonts(element, east_asia: str, latin: str = LATIN_FONT) -> None:
    """Latin and East Asian font names on a style or run; theme fonts removed (they would win)."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(_qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(_qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(_qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(_qn(attribute), latin)
    fonts.set(_qn("w:eastAsia"), east_asia)


def _style(document_, name: str, east_asia: str, size: float, *, bold: bool = False,
           align=None, before: float = 0, after: float = 0, line: float | None = None,
           indent_chars: float = 0, keep_next: bool = False):
    from docx.shared import Pt, RGBColor

    style = document_.styles[name]
    _set_fonts(style.element, east_asia)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    paragraph = style.paragraph_format
    paragraph.space_before, paragraph.space_after = Pt(before), Pt(after)
    if line:
        from docx.enum.text import WD_LINE_SPACING

        paragraph.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.line_spacing = Pt(line)
    paragraph.first_line_indent = Pt(size * indent_chars)
    paragraph.keep_with_next = keep_next
    if align is not None:
        paragraph.alignment = align
    return style


def _styles(document_) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    justify, center = WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.CENTER
    _style(document_, "Normal", BODY_FONT, BODY_SIZE, align=justify, line=28, indent_chars=2)
    _style(document_, "Title", HEADING_FONT, 22, align=center, after=12, line=36)
    _style(document_, "Subtitle", BODY_FONT, TABLE_SIZE, align=center, after=18)
    _style(document_, "Heading 1", HEADING_FONT, 16, before=12, after=6, keep_next=True, indent_chars=2)
    _style(document_, "Heading 2", HEADING_FONT, BODY_SIZE, before=6, after=3, keep_next=True,
           indent_chars=2)
    _style(document_, "Caption", HEADING_FONT, 12, align=center, before=12, after=6, keep_next=True)
    title = document_.styles["Title"].element.pPr
    for border in title.findall(_qn("w:pBdr")):  # the template's title has a rule under it
        title.remove(border)


def _field(paragraph, instruction: str) -> None:
    """A PAGE or NUMPAGES field (Word and LibreOffice fill in the number)."""
    from docx.oxml import OxmlElement

    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"),
                       ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(_qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(_qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = text


def _page_setup(document_, center: str) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    for section in document_.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
        section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
        section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
        section.header_distance, section.footer_distance = Mm(15), Mm(18)
        header = section.header.paragraphs[0]
        header.text = center
        footer = section.footer.paragraphs[0]
        before, middle, after = pgettext("page footer", "Page %(page)s of %(pages)s", page="\0", pages="\0").split("\0")
        footer.add_run(before)
        _field(footer, "PAGE")
        footer.add_run(middle)
        _field(footer, "NUMPAGES")
        footer.add_run(after)
        for paragraph in (header, footer):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _unindented(paragraph, single=True)
            for run in paragraph.runs:
                run.font.size = Pt(TABLE_SIZE)
                _set_fonts(run._r, TABLE_FONT)
        _bottom_border(header)


def _bottom_border(paragraph) -> None:
    from docx.oxml import OxmlElement

    borders = OxmlElement("w:pBdr")
    line = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        line.set(_qn(key), value)
    borders.append(line)
    paragraph._p.get_or_add_pPr().append(borders)


def _row_properties(row, header: bool) -> None:
    """No row splits across pages; header rows repeat on every page."""
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _unindented(paragraph, single: bool = False) -> None:
    """No first-line indent (the Normal style has one); single line spacing when asked."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    paragraph.paragraph_format.first_line_indent = Pt(0)
    if single:
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _cell(cell, text: str, *, bold: bool = False, align=None) -> None:
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    _unindented(paragraph, single=True)
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(TABLE_SIZE)
    _set_fonts(run._r, TABLE_FONT)


def _table(document_, table: Table, number: int) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    caption = document_.add_paragraph(_("Table %(n)s  %(title)s", n=number, title=table.title),
                                      style="Caption")
    _unindented(caption)
    if table.note:
        note = document_.add_paragraph(table.note)
        _unindented(note, single=True)
        note.paragraph_format.keep_with_next = True
        for run in note.runs:
            run.font.size = Pt(TABLE_SIZE)
    grid = document_.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = [any(isinstance(row[i], Value) for row in table.rows) for i in range(len(table.headers))]
    right, center = WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.CENTER
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        _cell(cell, header, bold=True, align=center)
    _row_properties(grid.rows[0], header=True)
    for values in table.rows:
        row = grid.add_row()
        _row_properties(row, header=False)
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _cell(cell, cell_text(value), align=right if numeric[i] else None)
    if not table.rows:
        row = grid.add_row()
        _row_properties(row, header=False)
        merged = row.cells[0].merge(row.cells[-1]) if len(row.cells) > 1 else row.cells[0]
        _cell(merged, _("No data for this year"), align=center)
    usable = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
    weights = table.widths or tuple([2] + [1] * (len(table.headers) - 1))
    grid.autofit = False
    for column, weight in zip(grid.columns, weights, strict=False):
        width = Mm(usable * weight / sum(weights))
        column.width = width  # the table grid, which LibreOffice follows
        for cell in column.cells:
            cell.width = width  # each cell, which Word follows


def to_docx(content) -> bytes:
    """An editable Word document: the report in the shape of 篇2, then the appendix."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    pngs = content.charts()
    blocks = document.build(content.figures, content.narrative, center=content.center,
                            finalised=content.finalised, charts={k: v[0] for k, v in pngs.items()})
    doc = Document()
    _styles(doc)
    _page_setup(doc, content.center)
    doc.core_properties.title = blocks[0].text
    doc.core_properties.author = content.center
    tables = charts = 0
    for index, block in enumerate(blocks):
        if block.kind == document.SIGNATURE and blocks[index - 1].kind != document.SIGNATURE:
            doc.paragraphs[-1].paragraph_format.keep_with_next = True  # never a signature alone
        if block.kind == document.TITLE:
            doc.add_paragraph(block.text, style="Title")
        elif block.kind == document.SUBTITLE:
            _unindented(doc.add_paragraph(block.text, style="Subtitle"))
        elif block.kind == document.HEADING:
            doc.add_paragraph(block.text, style="Heading 1")
        elif block.kind == document.SUBHEADING:
            doc.add_paragraph(block.text, style="Heading 2")
        elif block.kind in (document.PARAGRAPH, document.PROSE):
            if block.text:
                doc.add_paragraph(block.text)
            elif block.key in rules.NARRATIVE_EXPECTED:
                doc.add_paragraph(document.missing_text())
        elif block.kind == document.NOTE:
            note = doc.add_paragraph(block.text)
            for run in note.runs:
                run.font.size = Pt(12)
        elif block.kind == document.SIGNATURE:
            signature = doc.add_paragraph(block.text)
            signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _unindented(signature)
            if block.text == content.center:
                signature.paragraph_format.space_before = Pt(14)
                signature.paragraph_format.keep_with_next = True  # the name and the date together
        elif block.kind == document.APPENDIX:
            appendix = doc.add_paragraph(block.text, style="Heading 1")
            appendix.paragraph_format.page_break_before = True
            appendix.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _unindented(appendix)
        elif block.kind == document.TABLE:
            tables += 1
            _table(doc, block.table, tables)
        elif block.kind == document.CHART:
            charts += 1
            doc.add_paragraph(_("Figure %(n)s  %(title)s", n=charts, title=block.text), style="Caption")
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _unindented(picture, single=True)  # a picture in a 28-pt exact line would be clipped
            picture.add_run().add_picture(io.BytesIO(pngs[block.key][1]), width=Cm(15))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
