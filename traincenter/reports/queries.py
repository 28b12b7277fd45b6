"""Reads of the reports area: live or finalised figures and text, differences, years, subsidy roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import rules, settings
from ..errors import DomainError
from ..extensions import db
from ..models import (
    Certificate,
    Enrolment,
    ReportDraft,
    ReportSnapshot,
    Track,
    Trainee,
    TrainingClass,
)
from . import aggregates, cache, data
from .export import Content

FIRST_YEAR = rules.FIRST_YEAR
TRACK_KEYS = ("trained", "completed", "in_training", "stopped", "exam_takers", "certified", "placed")


@dataclass
class Report:
    """The figures and text to show for a year, and where they come from.

    Live (not finalised): ``computed`` holds the figures counted today. Finalised: the figures
    and text are the snapshot's, and ``live`` (when asked for) the same year counted again at the
    snapshot's as-of date from the data now.
    """

    year: int
    figures: dict
    narrative: dict
    snapshot: ReportSnapshot | None = None
    draft: ReportDraft | None = None
    computed: cache.Computed | None = None
    live: cache.Computed | None = None

    @property
    def is_final(self) -> bool:
        """Whether the figures are the finalised (submitted) ones."""
        return self.snapshot is not None

    @property
    def can_finalise(self) -> bool:
        """Whether the year has ended and is not finalised yet."""
        return self.snapshot is None and self.year < date.today().year

    @property
    def computed_at(self) -> datetime | None:
        """When the figures shown (or compared with) were counted."""
        source = self.computed or self.live
        return source.computed_at if source else None

    @property
    def chart_key(self) -> str:
        """Names the figures shown: a finalised report's never change."""
        if self.snapshot is not None:
            return f"final.{self.snapshot.id}"
        return self.computed.key if self.computed else "none"

    @property
    def draft_version(self) -> int:
        """The version of the staff's text the page was built from (0: none saved yet)."""
        return self.draft.version if self.draft else 0

    def content(self, pngs: dict | None = None) -> Content:
        """What the files are made from."""
        return Content(self.figures, self.narrative, self.is_final, settings.center_name(), pngs)

    def differences(self) -> list[dict]:
        """Figures whose count from today's data differs from the submitted one."""
        if self.snapshot is None or self.live is None:
            return []
        return differences(self.figures, self.live.figures)


def check_year(year: int, today: date | None = None) -> int:
    """A year a report can be made for: 2000 … this year."""
    today = today or date.today()
    if not isinstance(year, int) or year < FIRST_YEAR or year > today.year:
        raise DomainError(_l("There is no report for this year: choose a year from %(first)s to %(last)s.",
                             first=FIRST_YEAR, last=today.year), field="year")
    return year


def live_figures(year: int, as_of: date | None = None) -> dict:
    """The figures of ``year`` counted from the data now (kept ones while the data is unchanged)."""
    check_year(year)
    return cache.figures_for(year, as_of or date.today()).figures


def snapshot_for(year: int) -> ReportSnapshot | None:
    """The finalised report of ``year``, if any."""
    return db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.year == year))


def draft_for(year: int) -> ReportDraft | None:
    """The staff's text of ``year`` while it is not finalised, if any was saved."""
    return db.session.scalar(select(ReportDraft).where(ReportDraft.year == year))


def report_for(year: int, *, compare: bool = True) -> Report:
    """The finalised figures and text when the year is finalised (with today's count to compare),
    else the figures counted today (from the cache while the data is unchanged) and the draft."""
    check_year(year)
    snapshot = snapshot_for(year)
    if snapshot is None:
        draft = draft_for(year)
        computed = cache.figures_for(year, date.today())
        return Report(year, computed.figures, dict(draft.texts) if draft else {}, draft=draft,
                      computed=computed)
    live = cache.figures_for(year, date.fromisoformat(snapshot.figures["as_of"])) if compare else None
    return Report(year, snapshot.figures, dict(snapshot.narrative or {}), snapshot=snapshot, live=live)


def report_or_404(year: int) -> Report:
    """``report_for(year)`` without the live comparison; 404 for a year with no report."""
    try:
        return report_for(year, compare=False)
    except DomainError:
        abort(404)


def differences(submitted: dict, now: dict) -> list[dict]:
    """Figures (this year's and the previous year's) that changed since finalising.

    The live figures are counted at the submitted as-of date, so only data changes show, not the
    passing of time. Tracks are compared figure by figure. Only numbers the submitted report has
    are compared (a report finalised before a figure existed does not list it).
    """
    changed = []
    for scope, old, new in (("year", submitted, now),
                            ("previous_year", submitted.get("previous_year", {}), now.get("previous_year", {}))):
        for key in data.HEADLINE_KEYS:
            if key in old and old.get(key) != new.get(key):
                changed.append({"scope": scope, "year": old.get("year"), "key": key, "track": None,
                                "submitted": old.get(key), "now": new.get(key)})
    old_tracks = {row["track"]: row for row in submitted.get("by_track", [])}
    new_tracks = {row["track"]: row for row in now.get("by_track", [])}
    for name in sorted(set(old_tracks) | set(new_tracks)):
        for key in TRACK_KEYS:
            if old_tracks and key not in next(iter(old_tracks.values())):
                continue
            before = old_tracks.get(name, {}).get(key, 0)
            after = new_tracks.get(name, {}).get(key, 0)
            if before != after:
                changed.append({"scope": "track", "year": submitted.get("year"), "key": key,
                                "track": name, "submitted": before, "now": after})
    return changed


def compare_with_live(snapshot: ReportSnapshot) -> list[dict]:
    """Differences between a snapshot and the data now, at the snapshot's as-of date."""
    live = cache.figures_for(snapshot.year, date.fromisoformat(snapshot.figures["as_of"]))
    return differences(snapshot.figures, live.figures)


def finalised_years() -> dict[int, ReportSnapshot]:
    """Every finalised report by year."""
    return {snap.year: snap for snap in db.session.scalars(select(ReportSnapshot))}


def years_overview(today: date | None = None) -> tuple[list[int], dict[int, ReportSnapshot]]:
    """The years to offer (``report_years``) and the finalised reports by year, in two statements."""
    today = today or date.today()
    snapshots = finalised_years()
    first, last = db.session.execute(
        select(func.min(TrainingClass.starts_on), func.max(TrainingClass.ends_on))).one()
    years = {today.year} | set(snapshots)
    if first is not None:
        years |= set(range(max(first.year, FIRST_YEAR), min(last.year, today.year) + 1))
    return sorted(years, reverse=True), snapshots


def report_years(today: date | None = None) -> list[int]:
    """Years with any class, newest first, plus this year and any finalised year."""
    return years_overview(today)[0]


def subsidy_roster(year: int) -> list[dict]:
    """The 获证补贴名单: trainees certified in ``year`` (certificate not revoked) whose course fee
    was paid by the training subsidy, with the fee."""
    check_year(year)
    start, end = aggregates.year_bounds(year)
    rows = db.session.execute(
        select(Certificate.number, Certificate.issued_on, Trainee.name, Trainee.id_number,
               Trainee.phone, Track.name.label("track"), Certificate.level, Enrolment.fee_payer,
               Enrolment.fee_amount)
        .join(Trainee, Certificate.trainee_id == Trainee.id)
        .join(Track, Certificate.track_id == Track.id)
        .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
        .where(Certificate.issued_on.between(start, end), Certificate.revoked_at.is_(None),
               Enrolment.fee_payer == rules.SUBSIDY_PAYER)
        .order_by(Certificate.issued_on, Certificate.number)
    ).all()
    return [dict(row._mapping) for row in rows]


def roster_or_404(year: int) -> list[dict]:
    """``subsidy_roster(year)``; 404 for a year with no report."""
    try:
        return subsidy_roster(year)
    except DomainError:
        abort(404)
