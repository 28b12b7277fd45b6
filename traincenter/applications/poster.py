"""The printable A4 poster: a large QR code that opens the application form, with what the
course offers and how to reach the center. Chinese whatever the interface language (it hangs on a
village notice board); the bundled Noto Sans CJK font is embedded, like the certificates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF

from .. import rules
from ..fonts import FONT_PATH
from ..models import Track, TrainingClass
from ..printing import FONT, GREY, RED, qr_png

QR_SIZE = 84  # millimetres: scannable from two metres on a notice board
MAX_CLASSES = 3  # the next classes the poster names


@dataclass(frozen=True)
class PosterText:
    """The lines staff choose for the poster (each may be empty)."""

    phone: str = ""
    address: str = ""
    note: str = ""


def _centred(pdf: FPDF, y: float, text: str, size: float, colour=(0, 0, 0)) -> None:
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    pdf.set_xy(pdf.l_margin, y)
    pdf.cell(pdf.w - pdf.l_margin - pdf.r_margin, size * 0.45, text, align="C")


def _lines(pdf: FPDF, y: float, lines: Sequence[str], size: float, colour=(0, 0, 0)) -> float:
    """Wrapped lines from ``y``; returns where the next line starts."""
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    for line in lines:
        pdf.set_xy(pdf.l_margin, y)
        pdf.multi_cell(pdf.w - pdf.l_margin - pdf.r_margin, size * 0.5, line, align="C")
        y = pdf.get_y() + 1.5
    return y


def _day(day) -> str:
    return f"{day.month}月{day.day}日"


def poster_pdf(center: str, url: str, tracks: Sequence[Track], classes: Sequence[TrainingClass],
               text: PosterText) -> bytes:
    """One A4 page: the center, the call, the QR code of ``url``, the course, the contacts.

    Long contents (many tracks, a long address) shrink the text until everything fits the page.
    """
    for scale in (1.0, 0.92, 0.85, 0.78, 0.7, 0.62):
        pdf, bottom = _draw(center, url, tracks, classes, text, scale)
        if bottom <= pdf.h - FOOTER_SPACE:
            break
    return bytes(pdf.output())


FOOTER_SPACE = 16  # millimetres kept free above the page's privacy line


def _draw(center, url, tracks, classes, text: PosterText, scale: float) -> tuple[FPDF, float]:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(18, 12, 18)
    pdf.add_font(FONT, "", str(FONT_PATH))
    pdf.set_creator(center)
    pdf.set_title("家政服务员培训 在线报名")
    pdf.add_page()

    pdf.set_fill_color(*RED)
    pdf.rect(0, 0, pdf.w, 24, style="F")
    _centred(pdf, 9, center, 17, (255, 255, 255))

    _centred(pdf, 32, "家政服务员培训", 38, RED)
    _centred(pdf, 51, "欢迎报名", 38, RED)
    _centred(pdf, 70, "学一门手艺 · 拿一本证书 · 找一份好工作", 16, GREY)

    qr_size = QR_SIZE * (1 if scale >= 0.85 else 0.85)
    qr_y = 80
    pdf.image(qr_png(url), x=(pdf.w - qr_size) / 2, y=qr_y, w=qr_size, h=qr_size)
    _centred(pdf, qr_y + qr_size + 3, "用手机扫一扫，在线报名", 24, RED)
    _centred(pdf, qr_y + qr_size + 14, url, 10, GREY)

    y = qr_y + qr_size + 22
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin + 10, y, pdf.w - pdf.r_margin - 10, y)
    facts = []
    if tracks:
        facts.append("专业方向：" + "、".join(track.name for track in tracks))
    facts.append(f"课程：不少于{rules.REQUIRED_TOTAL_HOURS}学时（集中授课不少于"
                 f"{rules.REQUIRED_CLASSROOM_HOURS}学时，自学不少于"
                 f"{rules.REQUIRED_SELF_STUDY_HOURS}学时）")
    facts.append("理论和实际操作考试都合格，发培训合格证书，推荐上岗就业")
    facts += [f"{_day(c.starts_on)}开班：{c.name}" for c in classes[:MAX_CLASSES]]
    y = _lines(pdf, y + 4, facts, 13 * scale)

    contact = ["不会用手机？请带上身份证，到培训中心报名"]
    if text.address:
        contact.append(f"地址：{text.address}")
    if text.phone:
        contact.append(f"电话：{text.phone}")
    y = _lines(pdf, max(y + 5 * scale, 232), contact, 14 * scale)
    if text.note:
        y = _lines(pdf, y + 1, [text.note], 15 * scale, RED)
    _centred(pdf, pdf.h - 12, "您的身份证号只用于登记学籍和发证，不会公开。", 9, GREY)
    return pdf, y
