"""Masking of personal data on public pages: names, ID numbers, phones."""

from __future__ import annotations

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 "
    "闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 轩辕 钟离 呼延 万俟 百里 东郭 南门 羊舌 微生 "
    "梁丘 左丘 拓跋 第五".split()
)


def mask_name(name: str) -> str:
    """Mask a name for public display: 张*华, 李*, 欧阳**; the surname stays readable."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    surname_length = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    rest = len(name) - surname_length
    if surname_length == 1 and rest >= 2:
        return name[0] + "*" * (rest - 1) + name[-1]
    return name[:surname_length] + "*" * rest


def mask_id_number(number: str) -> str:
    """Keep the first 4 and last 4 characters of an ID number: 1101**********0021."""
    number = number or ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number: 138****1234."""
    phone = phone or ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
