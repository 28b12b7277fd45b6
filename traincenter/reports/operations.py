"""Writes of the reports area: finalising a year's report."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..models import ReportSnapshot, User
from . import data
from .queries import check_year, snapshot_for

MAX_NOTE = 2000


def finalise_year(year: int, actor: User, note: str | None = None) -> ReportSnapshot:
    """Freeze ``year``'s figures as submitted to the federation (once per year)."""
    require_staff(actor, message=_l("Only staff can finalise a report."))
    check_year(year)
    today = date.today()
    if year >= today.year:
        raise DomainError(_l("A year can be finalised only after it has ended."), field="year")
    if snapshot_for(year) is not None:
        raise DomainError(_l("The report for %(year)s is already finalised.", year=year), field="year")
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise DomainError(_l("The note is too long (at most %(n)s characters).", n=MAX_NOTE), field="note")
    snapshot = ReportSnapshot(year=year, figures=data.annual_figures(db.session, year, today),
                              note=note, finalised_by_id=actor.id)
    db.session.add(snapshot)
    db.session.commit()
    return snapshot
