"""Reading numbers from URLs and forms: one bounded way for every route, never a 500.

Integer path arguments (``<int:…>``) are matched by ``IdConverter``: a value beyond what the
database's INTEGER holds simply does not match, so the route answers 404. Query-string and form
numbers go through ``arg_int`` / ``arg_page`` / ``arg_year`` / ``form_ints``: a malformed or
out-of-range value is ignored and the default is used, as a mistyped filter should be.
"""

from __future__ import annotations

from datetime import date

from flask import request
from werkzeug.routing import IntegerConverter

from . import rules

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; a larger id names no row anywhere
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """``<int:…>`` bounded to 1 … MAX_ID unless a route asks for other bounds."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_int(raw: str | None, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int within bounds, else None: ASCII digits only (an optional leading minus
    when ``minimum`` is negative); never raises."""
    text = (raw or "").strip()
    negative = text.startswith("-") and minimum < 0
    digits = text[1:] if negative else text
    if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        return None
    value = -int(digits) if negative else int(digits)
    return value if minimum <= value <= maximum else None


def arg_int(name: str, default: int | None = None, *, minimum: int = 1,
            maximum: int = MAX_ID) -> int | None:
    """A whole number from the query string (an id or a count); ``default`` when absent or bad."""
    value = parse_int(request.args.get(name), minimum=minimum, maximum=maximum)
    return default if value is None else value


def arg_page(name: str = "page") -> int:
    """The page number of a paged list: 1 unless a sensible page is asked for."""
    return arg_int(name, 1, minimum=1, maximum=MAX_PAGE)


def arg_year(name: str = "year", default: int | None = None,
             today: date | None = None) -> int | None:
    """A calendar year from the query string, within ``rules.year_in_range``; else ``default``."""
    value = parse_int(request.args.get(name), minimum=rules.FIRST_YEAR, maximum=9999)
    if value is None or not rules.year_in_range(value, today or date.today()):
        return default
    return value


def form_ints(name: str) -> list[int]:
    """Every valid id posted under ``name`` (checkbox lists); bad values are left out."""
    values = (parse_int(raw, minimum=1) for raw in request.form.getlist(name))
    return [value for value in values if value is not None]


def arg_choice(name: str, choices, default: str = "") -> str:
    """A coded filter value from the query string: one of ``choices``, else ``default``."""
    value = (request.args.get(name) or "").strip()
    return value if value in choices else default


def arg_text(name: str = "q", max_length: int = 40) -> str:
    """Search text from the query string: trimmed, control characters dropped, at most
    ``max_length`` characters."""
    text = "".join(ch for ch in (request.args.get(name) or "") if ch.isprintable())
    return text.strip()[:max_length]
