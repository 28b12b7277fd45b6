"""A5 receipts (收据) for fee entries, in Chinese, with the amount in capital figures (大写).

A payment prints a 收款收据, a refund a 退费凭证, a waiver a 减免凭证, a reversal a 冲正凭证 naming
the receipt it cancels. A receipt whose entry was reversed later says so. The receipt is an official
Chinese document: it reads the same whatever the interface language (like the certificate).
"""

from __future__ import annotations

from flask import Response
from flask_babel import to_user_timezone
from fpdf import FPDF

from .. import rules, settings
from ..fonts import FONT_PATH
from .queries import Receipt

FONT = "noto"
RED = (180, 35, 42)
GREY = (90, 99, 107)
LINE = (120, 120, 120)
TITLES = {"payment": "收 款 收 据", "refund": "退 费 凭 证", "waiver": "减 免 凭 证"}
REVERSAL_TITLE = "冲 正 凭 证"
KIND_ZH = {"payment": "收款", "refund": "退费", "waiver": "减免"}
DOCUMENT_ZH = {"payment": "收款收据", "refund": "退费凭证", "waiver": "减免凭证"}
PAYER_ZH = {"self": "学员本人", "subsidy": "培训补贴资金", "employer": "用人单位"}
METHOD_ZH = {"cash": "现金", "wechat": "微信支付", "alipay": "支付宝", "bank_transfer": "银行转账"}
LEVEL_ZH = {5: "五级（初级）", 4: "四级（中级）", 3: "三级（高级）"}
LEFT, WIDTH = 12.0, 186.0  # A5 landscape: 210 × 148 mm
LABEL_W, ROW_H = 26.0, 9.0
A5 = (148.0, 210.0)  # ISO 216, millimetres


def _label(pdf: FPDF, x: float, y: float, w: float, text: str, h: float = ROW_H) -> None:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, size=9.5)
    pdf.set_text_color(*GREY)
    pdf.cell(w, h, text, border=1, align="C")


def _fitted(pdf: FPDF, text: str, width: float, size: float, smallest: float = 7) -> str:
    """Set the largest font size (down to ``smallest``) at which ``text`` fits ``width``; a text
    that fits at none is cut with an ellipsis."""
    while size > smallest and pdf.get_string_width(text) > width:
        size -= 0.5
        pdf.set_font(FONT, size=size)
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def _value(pdf: FPDF, x: float, y: float, w: float, text: str, size: float = 10.5,
           h: float = ROW_H, colour=(0, 0, 0)) -> None:
    pdf.set_xy(x, y)
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(*colour)
    pdf.cell(w, h, " " + _fitted(pdf, text, w - 3, size), border=1)


def _pair_row(pdf: FPDF, y: float, left: tuple[str, str], right: tuple[str, str]) -> float:
    half = WIDTH / 2
    _label(pdf, LEFT, y, LABEL_W, left[0])
    _value(pdf, LEFT + LABEL_W, y, half - LABEL_W, left[1])
    _label(pdf, LEFT + half, y, LABEL_W, right[0])
    _value(pdf, LEFT + half + LABEL_W, y, half - LABEL_W, right[1])
    return y + ROW_H


def _wide_row(pdf: FPDF, y: float, caption: str, text: str, size: float = 10.5,
              colour=(0, 0, 0)) -> float:
    _label(pdf, LEFT, y, LABEL_W, caption)
    _value(pdf, LEFT + LABEL_W, y, WIDTH - LABEL_W, text, size=size, colour=colour)
    return y + ROW_H


NOTES_BOTTOM = 127.0  # the notes end here at the latest: the signatures and the stamp follow


def _notes_box(pdf: FPDF, y: float, text: str) -> float:
    """The 说明 row: at least 2.6 rows high, taller for a long reason, the font smaller when even
    that is not enough; returns the y below it."""
    width = WIDTH - LABEL_W - 3
    size, line_h = 9.0, 4.6
    while True:
        pdf.set_font(FONT, size=size)
        lines = pdf.multi_cell(width, line_h, text, dry_run=True, output="LINES")
        height = max(ROW_H * 2.6, len(lines) * line_h + 2.4)
        if y + height <= NOTES_BOTTOM or size <= 6.5:
            break
        size, line_h = size - 0.5, line_h - 0.25
    height = min(height, NOTES_BOTTOM - y)
    fitting = int((height - 2.4) // line_h)
    if len(lines) > fitting:  # even the smallest size overflows: cut, visibly
        lines = [*lines[:fitting - 1], lines[fitting - 1][:-1] + "…"]
    _label(pdf, LEFT, y, LABEL_W, "说明", h=height)
    pdf.rect(LEFT + LABEL_W, y, WIDTH - LABEL_W, height)
    pdf.set_font(FONT, size=size)
    pdf.set_text_color(0, 0, 0)
    for index, line in enumerate(lines):  # the lines as measured, not wrapped again
        pdf.set_xy(LEFT + LABEL_W + 1.5, y + 1.2 + index * line_h)
        pdf.cell(width, line_h, line)
    return y + height


def _payer_text(entry) -> str:
    if entry.payer is None:
        return "—"
    text = PAYER_ZH.get(entry.payer, entry.payer)
    return f"{text}（{entry.payer_name}）" if entry.payer_name else text


def _notes(receipt: Receipt) -> list[str]:
    entry, account = receipt.entry, receipt.account
    lines = []
    if entry.is_reversal:
        original = entry.reverses
        lines.append(f"冲正第 {original.receipt_number} 号{DOCUMENT_ZH[original.kind]}"
                     f"（{KIND_ZH[original.kind]} {rules.format_yuan(original.amount_fen)} 元，"
                     f"{rules.chinese_date(original.happened_on)}）。")
    if entry.reason:
        lines.append(f"原因：{entry.reason}")
    lines.append(f"本班应缴 {rules.format_yuan(account.due_fen)} 元；截至本凭证，已缴 "
                 f"{rules.format_yuan(account.paid_fen)} 元，减免 "
                 f"{rules.format_yuan(account.waived_fen)} 元，"
                 + (f"尚欠 {rules.format_yuan(account.outstanding_fen)} 元。"
                    if account.outstanding_fen >= 0
                    else f"多收 {rules.format_yuan(-account.outstanding_fen)} 元（应退）。"))
    if receipt.reversed_by is not None:
        later = receipt.reversed_by
        lines.append(f"本凭证已于{rules.chinese_date(later.happened_on)}由第 {later.receipt_number} "
                     f"号冲正凭证冲正，不再有效。")
    return lines


def receipt_pdf(receipt: Receipt) -> bytes:
    """One A5 landscape receipt."""
    entry = receipt.entry
    enrolment = entry.enrolment
    trainee, training_class = enrolment.trainee, enrolment.training_class
    pdf = FPDF(orientation="L", unit="mm", format=A5)  # fpdf2 turns it for landscape
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(FONT_PATH))
    center = settings.center_name()
    pdf.set_creator(center)
    pdf.set_title(f"{DOCUMENT_ZH[entry.kind]} {entry.receipt_number}")
    pdf.add_page()
    pdf.set_draw_color(*LINE)
    pdf.set_line_width(0.25)

    pdf.set_font(FONT, size=11)
    pdf.set_text_color(*GREY)
    pdf.set_xy(LEFT, 9)
    pdf.cell(WIDTH, 6, center, align="C")
    pdf.set_font(FONT, size=20)
    pdf.set_text_color(*RED)
    pdf.set_xy(LEFT, 16)
    pdf.cell(WIDTH, 10, REVERSAL_TITLE if entry.is_reversal else TITLES[entry.kind], align="C")
    pdf.set_font(FONT, size=10)
    pdf.set_xy(LEFT, 28)
    pdf.set_text_color(*GREY)
    pdf.cell(WIDTH / 2, 6, f"开具日期：{rules.chinese_date(to_user_timezone(entry.recorded_at).date())}")
    pdf.set_text_color(*RED)
    pdf.set_font(FONT, size=12)
    pdf.cell(WIDTH / 2, 6, f"No. {entry.receipt_number}", align="R")

    y = 36.0
    masked = rules.mask_id_number(trainee.id_number)
    y = _pair_row(pdf, y, ("学员姓名", trainee.name), ("身份证号", masked))
    course = (f"{training_class.name}（{training_class.code}） · {training_class.track.name} · "
              f"{LEVEL_ZH.get(training_class.level, str(training_class.level))}")
    y = _wide_row(pdf, y, "培训班", course, size=10)
    who = {"payment": "交款人", "refund": "退款对象"}.get(entry.kind, "减免对象")
    how = METHOD_ZH.get(entry.method, "—") if entry.method else "—"
    y = _pair_row(pdf, y, (who, _payer_text(entry) if entry.payer else trainee.name),
                  ("付款方式", how))
    date_caption = {"payment": "收款日期", "refund": "退款日期"}.get(entry.kind, "减免日期")
    y = _pair_row(pdf, y, ("收费项目", "家政服务员培训费"),
                  ("冲正日期" if entry.is_reversal else date_caption,
                   rules.chinese_date(entry.happened_on)))
    words = rules.amount_in_words(entry.amount)
    sign = "-" if entry.is_reversal else ""
    prefix = "（冲减）" if entry.is_reversal else ""
    y = _wide_row(pdf, y, "金额（大写）", f"{prefix}人民币{words}", size=13)
    y = _wide_row(pdf, y, "金额（小写）", f"{sign}¥{rules.format_yuan(entry.amount_fen)}", size=13)

    y = _notes_box(pdf, y, "\n".join(_notes(receipt)))

    pdf.set_font(FONT, size=10.5)
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(LEFT, y + 4)
    unit = {"payment": "收款单位", "refund": "退款单位"}.get(entry.kind, "开具单位")
    pdf.cell(WIDTH * 0.62, 7, f"{unit}（盖章）：{center}")
    recorder = entry.recorded_by.display_name if entry.recorded_by else ""
    pdf.cell(WIDTH * 0.38, 7, f"经办人：{recorder}", align="R")
    pdf.set_font(FONT, size=7.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(LEFT, 139)
    pdf.cell(WIDTH, 4, "凭证号按年度连续编号；错误只能以冲正凭证更正，不得涂改。", align="C")

    if receipt.reversed_by is not None:
        pdf.set_draw_color(*RED)
        pdf.set_line_width(0.8)
        pdf.set_text_color(*RED)
        pdf.set_font(FONT, size=16)
        pdf.rect(160, 9, 34, 12)
        pdf.set_xy(160, 9)
        pdf.cell(34, 12, "已冲正", align="C")
    return bytes(pdf.output())


def response(data: bytes, filename: str) -> Response:
    """A PDF response that opens in the phone's or browser's viewer."""
    reply = Response(data, mimetype="application/pdf")
    reply.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return reply
