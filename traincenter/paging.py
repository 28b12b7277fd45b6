"""Paged lists: one shape for every list page, read in a fixed number of statements.

``paginate(query, page)`` runs two statements whatever the size of the data: the total count
and the rows of the asked-for page (a page beyond the last shows the last page). ``page_of``
pages a list already in memory (for lists classified by a rule in Python). Templates show a
page with ``_macros.pagination`` and its ``total``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import lazyload

from .extensions import db

PER_PAGE = 50  # rows per list page: a phone scrolls them easily, the page stays well under 100 KB


@dataclass
class Page:
    """One page of a list: its rows, its number and the total number of rows."""

    items: list
    page: int
    per_page: int
    total: int
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int:
        """How many pages the list has (at least one)."""
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    @property
    def first(self) -> int:
        """Position of the page's first row in the whole list (0 when the list is empty)."""
        return (self.page - 1) * self.per_page + 1 if self.items else 0

    @property
    def last(self) -> int:
        """Position of the page's last row in the whole list."""
        return self.first + len(self.items) - 1 if self.items else 0


def _clamp(page: int, total: int, per_page: int) -> int:
    return min(max(page, 1), max(1, math.ceil(total / per_page)))


def count(query: Select) -> int:
    """How many rows ``query`` returns (one statement; ordering and eager loads dropped)."""
    inner = query.options(lazyload("*")).order_by(None).subquery()
    return db.session.scalar(select(func.count()).select_from(inner)) or 0


def paginate(query: Select, page: int, per_page: int = PER_PAGE, *, scalars: bool = True) -> Page:
    """The asked-for page of ``query`` (two statements, plus the query's own eager loads).

    ``scalars=False`` keeps whole rows (``select(Model, count, …)``) as tuples.
    """
    total = count(query)
    page = _clamp(page, total, per_page)
    limited = query.limit(per_page).offset((page - 1) * per_page)
    if scalars:
        items = list(db.session.scalars(limited).unique())
    else:
        items = [tuple(row) for row in db.session.execute(limited)]
    return Page(items, page, per_page, total)


def page_of(rows: Sequence, page: int, per_page: int = PER_PAGE) -> Page:
    """The asked-for page of rows already in memory."""
    total = len(rows)
    page = _clamp(page, total, per_page)
    start = (page - 1) * per_page
    return Page(list(rows[start:start + per_page]), page, per_page, total)
