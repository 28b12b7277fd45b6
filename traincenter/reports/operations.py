"""Writes of the reports area: the staff's text, counting the figures again, finalising a year."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from .. import rules
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..models import ReportDraft, ReportSnapshot, User
from ..models.base import utcnow
from . import cache
from .queries import check_year, draft_for, snapshot_for

MAX_NOTE = 2000
CHANGED_MEANWHILE = _l("Someone else saved this text meanwhile; nothing was saved. Your text is "
                       "still in the form: compare it with the saved one below, then save again.")


def _not_final(year: int) -> None:
    if snapshot_for(year) is not None:
        raise DomainError(_l("The report for %(year)s is already finalised.", year=year), field="year")


def save_narrative(year: int, texts: dict, version: int, actor: User) -> ReportDraft:
    """Save the staff's text of ``year``'s report (compare-and-swap on the draft's version).

    ``version`` is the draft version the form was built from (0 when there was none). When
    someone else saved in between, nothing is saved and the refusal says so; the view keeps the
    text typed in the form.
    """
    require_staff(actor, message=_l("Only staff can edit the report."))
    check_year(year)
    _not_final(year)
    cleaned = rules.clean_narrative(texts)
    too_long = rules.narrative_too_long(cleaned)
    if too_long:
        raise DomainError(_l("This part is too long (at most %(n)s characters).",
                             n=rules.NARRATIVE_MAX_CHARS), field=too_long[0])
    draft = draft_for(year)
    if draft is None:
        if version:
            raise DomainError(CHANGED_MEANWHILE)
        draft = ReportDraft(year=year, texts=cleaned, version=1, updated_by_id=actor.id)
        db.session.add(draft)
    else:
        table = ReportDraft.__table__
        swapped = db.session.execute(
            update(table).where(table.c.id == draft.id, table.c.version == version)
            .values(texts=cleaned, version=version + 1, updated_by_id=actor.id, updated_at=utcnow()))
        if swapped.rowcount != 1:
            db.session.rollback()
            raise DomainError(CHANGED_MEANWHILE)
    try:
        db.session.commit()
    except IntegrityError:  # two first saves at once: the other one won
        db.session.rollback()
        raise DomainError(CHANGED_MEANWHILE) from None
    db.session.refresh(draft)
    return draft


def recount_figures(year: int, actor: User) -> cache.Computed:
    """Count ``year``'s figures again now (for a finalised year: the comparison with today's data)."""
    require_staff(actor)
    check_year(year)
    snapshot = snapshot_for(year)
    as_of = date.fromisoformat(snapshot.figures["as_of"]) if snapshot else date.today()
    return cache.figures_for(year, as_of, recompute=True)


def finalise_year(year: int, actor: User, note: str | None = None) -> ReportSnapshot:
    """Freeze ``year``'s figures and the staff's text as submitted to the federation (once)."""
    require_staff(actor, message=_l("Only staff can finalise a report."))
    check_year(year)
    if year >= date.today().year:
        raise DomainError(_l("A year can be finalised only after it has ended."), field="year")
    _not_final(year)
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise DomainError(_l("The note is too long (at most %(n)s characters).", n=MAX_NOTE), field="note")
    figures = cache.figures_for(year, date.today()).figures  # counted again if anything changed
    draft = draft_for(year)
    snapshot = ReportSnapshot(year=year, figures=figures, note=note, finalised_by_id=actor.id,
                              narrative=rules.clean_narrative(draft.texts if draft else {}))
    db.session.add(snapshot)
    db.session.commit()
    return snapshot
