"""Reads of the reports area: live or finalised figures, differences, years, subsidy roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import DomainError
from ..extensions import db
from ..models import Certificate, Enrolment, ReportSnapshot, Track, Trainee, TrainingClass
from . import aggregates, data

FIRST_YEAR = 2000
TRACK_KEYS = ("trained", "exam_takers", "certified", "placed")  # compared track by track


@dataclass
class Report:
    """The figures to show for a year and where they come from."""

    year: int
    figures: dict
    snapshot: ReportSnapshot | None
    live: dict | None = None

    @property
    def is_final(self) -> bool:
        """Whether the figures are the finalised (submitted) ones."""
        return self.snapshot is not None

    @property
    def can_finalise(self) -> bool:
        """Whether the year has ended and is not finalised yet."""
        return self.snapshot is None and self.year < date.today().year

    def differences(self) -> list[dict]:
        """Headline figures whose live value now differs from the submitted one."""
        if self.snapshot is None or self.live is None:
            return []
        return differences(self.figures, self.live)


def check_year(year: int, today: date | None = None) -> int:
    """A year a report can be made for: 2000 … this year."""
    today = today or date.today()
    if not isinstance(year, int) or year < FIRST_YEAR or year > today.year:
        raise DomainError(_l("There is no report for this year: choose a year from %(first)s to %(last)s.",
                             first=FIRST_YEAR, last=today.year), field="year")
    return year


def live_figures(year: int, as_of: date | None = None) -> dict:
    """The figures computed from today's data."""
    check_year(year)
    return data.annual_figures(db.session, year, as_of or date.today())


def snapshot_for(year: int) -> ReportSnapshot | None:
    """The finalised report of ``year``, if any."""
    return db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.year == year))


def report_for(year: int, *, compare: bool = True) -> Report:
    """The finalised figures when the year is finalised (with the live ones to compare), else live."""
    check_year(year)
    snapshot = snapshot_for(year)
    if snapshot is None:
        return Report(year, live_figures(year), None)
    return Report(year, snapshot.figures, snapshot, _live_at(snapshot) if compare else None)


def report_or_404(year: int) -> Report:
    """``report_for(year)`` without the live comparison; 404 for a year with no report."""
    try:
        return report_for(year, compare=False)
    except DomainError:
        abort(404)


def _live_at(snapshot: ReportSnapshot) -> dict:
    """The figures counted from today's data at the snapshot's report date."""
    return data.annual_figures(db.session, snapshot.year, date.fromisoformat(snapshot.figures["as_of"]))


def differences(submitted: dict, now: dict) -> list[dict]:
    """Headline figures (this year's and the previous year's) that changed since finalising.

    The live figures are computed with the submitted report date so that only data changes show,
    not the passing of time. Breakdown tables are compared track by track. Only numbers are
    compared: other keys of the figures (``pass_marks``, the breakdowns) are left alone.
    """
    changed = []
    for scope, old, new in (("year", submitted, now),
                            ("previous_year", submitted.get("previous_year", {}), now.get("previous_year", {}))):
        for key in data.HEADLINE_KEYS:
            if old.get(key) != new.get(key):
                changed.append({"scope": scope, "year": old.get("year"), "key": key, "track": None,
                                "submitted": old.get(key), "now": new.get(key)})
    old_tracks = {row["track"]: row for row in submitted.get("by_track", [])}
    new_tracks = {row["track"]: row for row in now.get("by_track", [])}
    for name in sorted(set(old_tracks) | set(new_tracks)):
        for key in TRACK_KEYS:
            before = old_tracks.get(name, {}).get(key, 0)
            after = new_tracks.get(name, {}).get(key, 0)
            if before != after:
                changed.append({"scope": "track", "year": submitted.get("year"), "key": key,
                                "track": name, "submitted": before, "now": after})
    return changed


def compare_with_live(snapshot: ReportSnapshot) -> list[dict]:
    """Differences between a snapshot and the data now, at the snapshot's report date."""
    return differences(snapshot.figures, _live_at(snapshot))


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
    """Trainees certified in ``year`` (certificate not revoked), with the course's fee payer and fee."""
    check_year(year)
    start, end = aggregates.year_bounds(year)
    rows = db.session.execute(
        select(Certificate.number, Certificate.issued_on, Trainee.name, Trainee.id_number,
               Trainee.phone, Track.name.label("track"), Certificate.level, Enrolment.fee_payer,
               Enrolment.fee_amount)
        .join(Trainee, Certificate.trainee_id == Trainee.id)
        .join(Track, Certificate.track_id == Track.id)
        .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
        .where(Certificate.issued_on.between(start, end), Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_on, Certificate.number)
    ).all()
    return [dict(row._mapping) for row in rows]


def roster_or_404(year: int) -> list[dict]:
    """``subsidy_roster(year)``; 404 for a year with no report."""
    try:
        return subsidy_roster(year)
    except DomainError:
        abort(404)
