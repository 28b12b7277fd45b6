"""Amounts of money: yuan and fen, and the amount in capital figures (大写) printed on receipts.

The capital figures follow the People's Bank of China rules for filling in bills (《正确填写票据和
结算凭证的基本规定》): 壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, "整" after 元 when there are no
jiao and fen, "零" for a gap of zeros inside the figure (one 零 for a run of zeros), "零" after 元
when the jiao are zero and the fen are not, and "壹拾" (never a bare 拾) for the tens.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿", "万亿")
MAX_AMOUNT = Decimal("99999999.99")  # what the Money column (10 digits, 2 decimals) holds
CENT = Decimal("0.01")


def to_fen(amount) -> int:
    """An amount in yuan (number, Decimal or text) as whole fen, rounded half up."""
    value = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    return int(value * 100)


def from_fen(fen: int) -> Decimal:
    """Whole fen as yuan with two decimals."""
    return (Decimal(fen) / 100).quantize(CENT)


def amount_error(amount, maximum: Decimal = MAX_AMOUNT) -> str | None:
    """Why ``amount`` cannot be an amount of money, or None: not_a_number, not_positive,
    too_many_decimals, too_large."""
    try:
        value = Decimal(str(amount)).normalize()
    except (InvalidOperation, ValueError):
        return "not_a_number"
    if not value.is_finite():
        return "not_a_number"
    if value <= 0:
        return "not_positive"
    if value.as_tuple().exponent < -2:
        return "too_many_decimals"
    if value > maximum:
        return "too_large"
    return None


def format_yuan(fen: int) -> str:
    """Fen as a figure with thousands separators and two decimals: 130000 → '1,300.00'."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{yuan:,}.{cents:02d}"


def _four_digits(number: int) -> str:
    """A group of up to four digits in capital figures (zeros inside become one 零)."""
    text, zero = "", False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)  # a zero after a non-zero digit: write 零 before the next one
            continue
        if zero:
            text += DIGITS[0]
            zero = False
        text += DIGITS[digit] + SMALL_UNITS[position]
    return text


def _integer_in_words(number: int) -> str:
    """Whole yuan in capital figures, grouped by 万 and 亿."""
    if number == 0:
        return DIGITS[0]
    groups = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    text = ""
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        # Zeros between two written groups are read as one 零: 壹万零伍佰, 壹亿零壹仟.
        if text and (group < 1000 or groups[index + 1] == 0):
            text += DIGITS[0]
        text += _four_digits(group) + GROUP_UNITS[index]
    return text


def amount_in_words(amount) -> str:
    """An amount in yuan written in capital figures (大写): 1300 → 壹仟叁佰元整,
    1409.50 → 壹仟肆佰零玖元伍角, 16409.02 → 壹万陆仟肆佰零玖元零贰分, 0.05 → 伍分.

    Raises ValueError for a negative amount or one of more than 16 digits of yuan.
    """
    fen = to_fen(amount)
    if fen < 0:
        raise ValueError("a negative amount has no capital figures on a receipt")
    yuan, cents = divmod(fen, 100)
    if yuan >= 10**16:
        raise ValueError("amount too large")
    jiao, fen_digit = divmod(cents, 10)
    if yuan == 0 and cents == 0:
        return "零元整"
    text = ""
    if yuan:
        text = _integer_in_words(yuan) + "元"
    if cents == 0:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif yuan:
        text += DIGITS[0]  # 元 followed by zero jiao and some fen: 叁佰贰拾伍元零肆分
    if fen_digit:
        text += DIGITS[fen_digit] + "分"
    return text
