"""The computed figures, kept per year and as-of date for one data version (``ReportCache``).

Counting a year takes seconds on a large database; the figures only change when the data does.
``figures_for`` returns the stored figures while the data version they were counted at is still
the current one, and counts (and stores) them again otherwise or when asked to. Storing is best
effort: when two requests count at once, or the database is busy, the figures are still returned.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..fees.queries import year_fee_figures
from ..models import ReportCache, current_data_version
from ..models.base import utcnow
from . import data


@dataclass(frozen=True)
class Computed:
    """Figures counted at ``computed_at`` from the data at ``data_version``."""

    figures: dict
    computed_at: datetime
    data_version: int
    from_cache: bool

    @property
    def key(self) -> str:
        """Names exactly these figures (chart addresses carry it, so browsers may keep the pictures)."""
        return f"{self.figures['as_of']}.{self.data_version}"


def figures_for(year: int, as_of: date, *, recompute: bool = False) -> Computed:
    """The figures of ``year`` at ``as_of``: stored ones while still current, else counted now."""
    version = current_data_version(db.session)  # read first: a write meanwhile makes them stale
    if not recompute:
        row = db.session.scalar(select(ReportCache).where(ReportCache.year == year,
                                                          ReportCache.as_of == as_of))
        if row is not None and row.data_version == version:
            return Computed(row.figures, row.computed_at, version, True)
    figures = data.annual_figures(db.session, year, as_of)
    figures["fees"] = fee_figures(year)
    computed = Computed(figures, utcnow(), version, False)
    _store(year, as_of, computed)
    return computed


def fee_figures(year: int) -> dict:
    """The year's fee figures and the year before's, as plain numbers (the words that define
    them are printed from ``fees.queries.definitions`` in the reader's language)."""
    def plain(figures) -> dict:
        values = asdict(figures)
        values.pop("definitions", None)
        values.pop("year", None)
        return values

    return {"current": plain(year_fee_figures(year)), "previous": plain(year_fee_figures(year - 1))}


def _store(year: int, as_of: date, computed: Computed) -> None:
    try:
        # Rows of an older data version can never be current again: they go too.
        db.session.execute(delete(ReportCache).where(
            ReportCache.year == year,
            or_(ReportCache.as_of == as_of, ReportCache.data_version < computed.data_version)))
        db.session.add(ReportCache(year=year, as_of=as_of, data_version=computed.data_version,
                                   figures=computed.figures, computed_at=computed.computed_at))
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()  # another request stored them first, or the database was busy
