"""Calendar arithmetic the other rules share."""

from __future__ import annotations

import calendar
from datetime import date

FIRST_YEAR = 2000  # the first year anything in the system can be about (reports, filters)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def year_in_range(year: int, today: date) -> bool:
    """A year a person may ask about: from ``FIRST_YEAR`` to next year."""
    return FIRST_YEAR <= year <= today.year + 1


def chinese_date(day: date) -> str:
    """A day as a Chinese reader writes it, without padding: 2026年11月9日."""
    return f"{day.year}年{day.month}月{day.day}日"
