"""PDF certificates (A4 landscape), combined class PDFs and work cards (上岗证), with QR codes.

The Noto Sans CJK SC font bundled with the project is embedded (as a subset), so the PDF prints
the same on any machine. A combined class PDF registers the font once for all its pages.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from fpdf import FPDF

from .. import addresses, rules, settings
from ..fonts import FONT_PATH
from ..models import Certificate
from ..printing import FONT, GREY, RED, qr_png
from ..trainees.photos import read_photo

CARD_SIZE = (85.6, 54.0)  # ISO/IEC 7810 ID-1, millimetres
# The certificate is an official Chinese document: it reads the same whatever the UI language.
LEVEL_ZH = {5: "五级（初级）", 4: "四级（中级）", 3: "三级（高级）"}


def verify_url(certificate: Certificate) -> str:
    """The public verify page of a certificate (what its QR code opens)."""
    base = addresses.public_base_url()
    return f"{base}/verify/{certificate.verification_code}"


def _document(orientation: str, page_format) -> FPDF:
    pdf = FPDF(orientation=orientation, unit="mm", format=page_format)
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(FONT_PATH))
    pdf.set_creator(settings.center_name())
    return pdf


def _centred(pdf: FPDF, y: float, text: str, size: float, colour=(0, 0, 0)) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(pdf.w - pdf.l_margin - pdf.r_margin, size * 0.5, text, align="C")


def _photo(pdf: FPDF, photo_file: str | None, x: float, y: float, w: float, h: float,
           caption_size: float) -> None:
    """The holder's photo in a ``w`` × ``h`` box (3:4), or the dashed box to glue one in."""
    data = read_photo(photo_file)
    if data is not None:
        pdf.image(io.BytesIO(data), x=x, y=y, w=w, h=h)
        pdf.set_draw_color(*GREY)
        pdf.set_line_width(0.2)
        pdf.rect(x, y, w, h)
        return
    pdf.set_draw_color(*GREY)
    pdf.set_line_width(0.2)
    pdf.set_dash_pattern(dash=1, gap=1)
    pdf.rect(x, y, w, h)
    pdf.set_dash_pattern()
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, size=caption_size)
    pdf.set_xy(x, y + h / 2 - 2)
    pdf.cell(w, 4, "照片", align="C")


def holder_id_number(certificate: Certificate) -> str:
    """The ID number as the certificate prints it: whole, unless the center masks it."""
    number = certificate.trainee.id_number
    return rules.mask_id_number(number) if settings.certificate_masks_id_number() else number


def _certificate_page(pdf: FPDF, certificate: Certificate) -> None:
    """One A4 landscape page for one certificate."""
    trainee = certificate.trainee
    pdf.add_page()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)
    center = settings.center_name()
    _centred(pdf, 24, center, 16, GREY)
    _centred(pdf, 38, "培训合格证书", 34, RED)
    _centred(pdf, 56, "Certificate of Training", 12, GREY)
    rows = [
        ("姓名", trainee.name),
        ("身份证号", holder_id_number(certificate)),
        ("专业方向", certificate.track.name),
        ("等级", LEVEL_ZH.get(certificate.level, str(certificate.level))),
        ("培训学时", f"{_figure(certificate.hours_completed)} 学时"),
        ("理论知识考试", f"{_figure(certificate.theory_score)} 分"),
        ("技能操作考核", f"{_figure(certificate.practical_score)} 分"),
        ("发证日期", rules.chinese_date(certificate.issued_on)),
        ("证书编号", certificate.number),
    ]
    y = 72
    for caption, value in rows:
        pdf.set_xy(40, y)
        pdf.set_font(FONT, size=13)
        pdf.set_text_color(*GREY)
        pdf.cell(42, 9, caption)
        pdf.set_font(FONT, size=16 if caption == "姓名" else 13)
        pdf.set_text_color(0, 0, 0)
        pdf.cell(130, 9, value)
        y += 10
    pdf.set_xy(40, y + 3)
    pdf.set_font(FONT, size=12)
    pdf.multi_cell(150, 7, "该学员已完成家政服务员培训全部课程，经考核成绩合格，特发此证。")
    # The right-hand column: the holder's photo (30 × 40 mm, 3:4), the QR code below it.
    column = pdf.w - 40 - 23  # the middle of the column
    _photo(pdf, trainee.photo_file, column - 15, 66, 30, 40, 10)
    qr_size = 38
    qr_x, qr_y = column - qr_size / 2, 112
    pdf.image(qr_png(verify_url(certificate)), x=qr_x, y=qr_y, w=qr_size, h=qr_size)
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(*GREY)
    pdf.set_xy(qr_x - 12, qr_y + qr_size + 2)
    pdf.multi_cell(qr_size + 24, 5, "扫码查验证书真伪\nScan to verify", align="C")
    _centred(pdf, pdf.h - 27, f"{center}（盖章）", 13)


def _figure(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    """One PDF with a page per certificate (one certificate, or a whole class)."""
    pdf = _document("L", "A4")
    count = 0
    for certificate in certificates:
        _certificate_page(pdf, certificate)
        count += 1
    if not count:
        raise ValueError("no certificates to print")
    pdf.set_title("培训合格证书")
    return bytes(pdf.output())


def work_card_pdf(certificate: Certificate) -> bytes:
    """The work card (上岗证) at card size: photo, name, track, number, QR."""
    pdf = _document("L", (CARD_SIZE[1], CARD_SIZE[0]))  # fpdf2 swaps a format for landscape
    pdf.set_margins(3, 3, 3)
    pdf.add_page()
    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, CARD_SIZE[0], 9, style="F")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(255, 255, 255)
    pdf.set_xy(3, 2)
    pdf.cell(CARD_SIZE[0] - 6, 5, f"{settings.center_name()} · 上岗证", align="C")
    # The passport photo, 19.5 × 26 mm (3:4); without one, the box where the center glues it.
    trainee = certificate.trainee
    _photo(pdf, trainee.photo_file, 4, 13, 19.5, 26, 7)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(27, 12)
    pdf.set_font(FONT, size=13)
    pdf.cell(32, 7, trainee.name)
    lines = [certificate.track.name, LEVEL_ZH.get(certificate.level, str(certificate.level)),
             f"证号 {certificate.number}", f"发证 {rules.chinese_date(certificate.issued_on)}"]
    pdf.set_font(FONT, size=7)
    y = 21
    for line in lines:
        pdf.set_xy(27, y)
        pdf.cell(33, 4.5, line)
        y += 4.5
    pdf.image(qr_png(verify_url(certificate)), x=60, y=12, w=23, h=23)
    pdf.set_font(FONT, size=5.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(58, 35.5)
    pdf.cell(27, 3, "扫码查验", align="C")
    pdf.set_xy(3, 46)
    pdf.set_font(FONT, size=6)
    pdf.cell(CARD_SIZE[0] - 6, 4, "请同时查验有效健康证 · 上岗状态以扫码结果为准", align="C")
    pdf.set_title("上岗证")
    return bytes(pdf.output())
