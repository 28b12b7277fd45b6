"""The annual report's files: A4 Word with page fields and East Asian fonts, a PDF whose table
headers repeat and whose lines obey the Chinese line-breaking rules, an xlsx that keeps decimals."""

from __future__ import annotations

import io
from copy import deepcopy

import pytest
from flask_babel import force_locale

from traincenter.extensions import db
from traincenter.reports import charts, data
from traincenter.reports.export import Content, export, typesetting

from .pdftext import pdftotext
from .report_world import AS_OF, Y, build

CENTER = "市妇联家政服务员培训中心"
# Staff prose full of commas and full stops, so that some fall where a line would break.
PROSE = "".join(f"第{n}项工作，已经完成。" + "文" * (n % 7) for n in range(1, 60))


@pytest.fixture
def content(make):
    """The hand-built year in Chinese, with staff prose, charts rendered once."""
    build(make)
    figures = data.annual_figures(db.session, Y, AS_OF)
    with force_locale("zh_Hans_CN"):
        pngs = charts.render_all(figures)
    return Content(figures, {"shortcomings": PROSE, "plans": "一、开设月嫂高级班（三期）。\n二、加强岗中培训。"},
                   False, CENTER, pngs)


def _docx(content):
    from docx import Document

    with force_locale("zh_Hans_CN"):
        return Document(io.BytesIO(export("docx", content)))


def test_docx_is_a4_with_page_number_fields_header_and_footer(content):
    from docx.shared import Mm

    document = _docx(content)
    for section in document.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5)
        assert abs(section.page_height - Mm(297)) < Mm(0.5)
        assert section.header.paragraphs[0].text == CENTER
        footer = section.footer._element.xml
        instructions = [text.strip() for text in section.footer._element.xpath(".//w:instrText/text()")]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert "第 " in footer and " 页 共 " in footer


def test_docx_sets_fonts_by_east_asian_name(content):
    from docx.oxml.ns import qn

    document = _docx(content)

    def fonts(style):
        return style.element.rPr.find(qn("w:rFonts"))

    assert fonts(document.styles["Normal"]).get(qn("w:eastAsia")) == "仿宋"
    for name in ("Title", "Heading 1", "Heading 2"):
        element = fonts(document.styles[name])
        assert element.get(qn("w:eastAsia")) == "黑体", name
        assert element.get(qn("w:eastAsiaTheme")) is None and element.get(qn("w:asciiTheme")) is None
    body = "\n".join(p.text for p in document.paragraphs)
    for heading in ("一、培训工作情况", "二、考核情况", "三、推荐就业", "四、不足和下一步计划",
                    "（一）工作不足", "附录"):
        assert heading in body
    assert "培训家政服务员9人（较上年增加7人）" in body and "开设月嫂高级班" in body


def test_docx_tables_repeat_their_header_row_and_never_split_a_row(content):
    from docx.oxml.ns import qn

    document = _docx(content)
    assert document.tables
    for table in document.tables:
        rows = table._tbl.findall(qn("w:tr"))
        assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        for row in rows:
            assert row.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
        assert all(row.find(qn("w:trPr")).find(qn("w:tblHeader")) is None for row in rows[1:])


def _many_tracks(content) -> Content:
    """The same report with 60 more tracks whose long names wrap: the track tables cross pages."""
    figures = deepcopy(content.figures)
    for n in range(1, 61):
        figures["by_track"].append({
            "track": f"测试方向{n:02d}号甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未{n:02d}尾", "code": f"T{n}",
            "trained": n, "completed": n, "in_training": 0, "stopped": 0, "exam_takers": n,
            "first_attempt_passed": n, "final_passed": n, "certified": n, "placed": n,
            "first_attempt_pass_rate": 1.0, "final_pass_rate": 1.0, "placement_rate": 1.0})
    return Content(figures, content.narrative, False, CENTER, content.pngs)


def test_pdf_is_a4_with_header_footer_and_repeated_table_headers(content):
    from pypdf import PdfReader

    with force_locale("zh_Hans_CN"):
        pdf = export("pdf", _many_tracks(content))
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    pages = pdftotext(pdf, "-layout").split("\f")[:-1]
    assert len(pages) == len(reader.pages)
    for number, text in enumerate(pages, start=1):
        assert CENTER in text and f"第 {number} 页 共 {len(pages)} 页" in text
    appendix = next(number for number, text in enumerate(pages) if "附录：" in text)
    with_rows = [text for text in pages[appendix:] if "测试方向" in text]
    assert len(with_rows) >= 3  # the two track tables cross pages
    for text in with_rows:
        assert "专业方向" in text  # the header row is repeated on every page of the table
    for n in range(1, 61):
        holding = [number for number, text in enumerate(pages[appendix:]) if f"测试方向{n:02d}号" in text]
        tails = [number for number, text in enumerate(pages[appendix:]) if f"{n:02d}尾" in text]
        assert len(holding) == 2 and holding == tails, n  # a wrapped row never splits across pages


def test_pdf_lines_obey_chinese_line_breaking(content):
    with force_locale("zh_Hans_CN"):
        pdf = export("pdf", _many_tracks(content))
    text = pdftotext(pdf, "-layout")
    assert "第12项工作" in text  # the staff's prose is there
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    starts = [line for line in lines if line[0] in "。，、；：？！）」》"]
    ends = [line for line in lines if line[-1] in "（「《"]
    assert starts == [] and ends == []
    raw = [line.strip() for line in pdftotext(pdf, "-raw").splitlines() if line.strip()]
    assert all(line[0] not in "。，、；：？！）」》" for line in raw)
    assert all(line not in ("点", "点。", "。") for line in raw)


def test_xlsx_keeps_decimals_and_writes_rate_changes_in_percentage_points(content):
    from openpyxl import load_workbook

    figures = deepcopy(content.figures)
    figures["hours_taught"], figures["previous_year"]["hours_taught"] = 9931.5, 9708.0
    figures["changes"]["hours_taught"] = {"change": 223.5, "relative": 0.023022}
    figures["average_rating"], figures["previous_year"]["average_rating"] = 4.37, 5.0
    figures["changes"]["average_rating"] = {"change": -0.63, "relative": None}
    figures["changes"]["first_attempt_pass_rate"] = {"change": 2.5, "relative": None}
    with force_locale("zh_Hans_CN"):
        workbook = load_workbook(io.BytesIO(export("xlsx", Content(figures, {}, False, CENTER))))
    sheet = workbook[workbook.sheetnames[0]]
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    hours = rows["授课学时"]
    assert hours[1].value == 9931.5 and hours[1].number_format == "#,##0.0"
    assert hours[3].value == 223.5 and hours[3].number_format == "+#,##0.0;-#,##0.0;0.0"
    rating = rows["平均评分"]
    assert rating[3].value == -0.63 and rating[3].number_format == "+#,##0.00;-#,##0.00;0.00"
    rate = rows["一次合格率"]
    assert rate[1].number_format == "0.0%"
    assert rate[3].value == 2.5 and rate[3].number_format == '+0.0"个百分点";-0.0"个百分点";0.0"个百分点"'
    trained = rows["培训人数"]
    assert trained[1].value == 9 and trained[3].number_format == "+#,##0;-#,##0;0"
    assert sheet.page_setup.paperSize in (9, "9") and sheet.page_setup.fitToWidth in (1, "1")
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.print_title_rows
    assert sheet.column_dimensions["E"].width >= 40  # the definitions
    assert CENTER in sheet.oddHeader.center.text and "&P" in sheet.oddFooter.center.text


@pytest.mark.parametrize(("text", "width", "expected"), [
    ("一二三四五六七八九。", 18, ["一二三四五六七", "八九。"]),          # 。 never starts a line
    ("一二三四五六七（八）", 16, ["一二三四五六七", "（八）"]),            # （ never ends one
    ("比率提高2.5个百分点", 16, ["比率提高2.5个", "百分点"]),              # 2.5 and 百分点 stay whole
    ("一二三四五六七八九十点", 20, ["一二三四五六七八九", "十点"]),         # no lone last character
    ("一二三四五六七八，九十", 16, ["一二三四五六七", "八，九十"]),         # ， never starts a line
])
def test_chinese_line_breaking(text, width, expected):
    def measure(piece: str) -> float:
        return sum(1 if ord(char) < 128 else 2 for char in piece)

    assert typesetting.break_lines(text, width, measure) == expected
