"""The placement and satisfaction figures per year and track (the figures page and its command)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from .. import rules
from ..extensions import db
from ..models import Certificate, Feedback, Placement, Track
from ..services import catalog


@dataclass(frozen=True)
class FigureRow:
    """The placement and satisfaction figures of one track (or all tracks) in one year."""

    track: Track | None
    certified: int
    placed: int
    placements: int
    contracts_registered: int
    ratings: tuple[int, ...]

    @property
    def placement_rate(self) -> float | None:
        """Placed ÷ certified."""
        return rules.placement_rate(self.placed, self.certified)

    @property
    def average_rating(self) -> float | None:
        """Mean rating of the feedback counted."""
        return rules.average(list(self.ratings))

    @property
    def satisfaction_rate(self) -> float | None:
        """Share of feedback rated 4 or 5."""
        return rules.satisfaction_rate(list(self.ratings))

    @property
    def contract_rate(self) -> float | None:
        """Share of the placements counted whose labour contract was registered."""
        return rules.rate(self.contracts_registered, self.placements)


def _between(column, year: int):
    return column.between(date(year, 1, 1), date(year, 12, 31))


def figures(year: int) -> tuple[list[FigureRow], FigureRow]:
    """Per track and in total, the year's placement figures (6 queries, like the annual report).

    Certified = certificates issued in the year and not revoked. Placed = distinct trainees
    certified in the year with a placement starting on or after that certificate's issue date.
    Contracts registered = placements starting in the year whose labour contract was registered.
    Ratings = feedback given in the year. A placement (and its feedback) belongs to a track when
    the worker holds a standing certificate of that track issued on or before the start date.
    """
    certificates = db.session.execute(
        select(Certificate.trainee_id, Certificate.track_id, Certificate.issued_on)
        .where(Certificate.revoked_at.is_(None), _between(Certificate.issued_on, year))
    ).all()
    cohort = {trainee_id for trainee_id, _, _ in certificates}
    cohort_jobs: dict[int, list[date]] = {}
    if cohort:
        for trainee_id, starts_on in db.session.execute(
            select(Placement.trainee_id, Placement.starts_on).where(Placement.trainee_id.in_(
                select(Certificate.trainee_id).where(Certificate.revoked_at.is_(None),
                                                     _between(Certificate.issued_on, year))))
        ):
            cohort_jobs.setdefault(trainee_id, []).append(starts_on)
    started = db.session.execute(
        select(Placement.trainee_id, Placement.starts_on, Placement.contract_registered)
        .where(_between(Placement.starts_on, year))
    ).all()
    rated = db.session.execute(
        select(Placement.trainee_id, Placement.starts_on, Feedback.rating)
        .join(Placement, Placement.id == Feedback.placement_id)
        .where(_between(Feedback.given_on, year))
    ).all()
    workers = {row[0] for row in started} | {row[0] for row in rated}
    standing: dict[int, list[tuple[int, date]]] = {}
    if workers:
        for trainee_id, track_id, issued_on in db.session.execute(
            select(Certificate.trainee_id, Certificate.track_id, Certificate.issued_on).where(
                Certificate.revoked_at.is_(None), Certificate.trainee_id.in_(
                    select(Placement.trainee_id).where(_between(Placement.starts_on, year)).union(
                        select(Placement.trainee_id)
                        .join(Feedback, Feedback.placement_id == Placement.id)
                        .where(_between(Feedback.given_on, year)))))
        ):
            standing.setdefault(trainee_id, []).append((track_id, issued_on))

    def tracks_of(trainee_id: int, starts_on: date) -> set[int]:
        return {track for track, issued_on in standing.get(trainee_id, ()) if issued_on <= starts_on}

    def build(track, track_id: int | None) -> FigureRow:
        mine = [c for c in certificates if track_id is None or c[1] == track_id]
        placed = {trainee_id for trainee_id, _, issued_on in mine
                  if any(day >= issued_on for day in cohort_jobs.get(trainee_id, ()))}
        jobs = [row for row in started if track_id is None or track_id in tracks_of(row[0], row[1])]
        ratings = tuple(row[2] for row in rated
                        if track_id is None or track_id in tracks_of(row[0], row[1]))
        return FigureRow(track, len(mine), len(placed), len(jobs),
                         sum(1 for row in jobs if row[2]), ratings)

    used = {c[1] for c in certificates} | {t for ids in standing.values() for t, _ in ids}
    rows = [build(track, track.id) for track in catalog.all_tracks() if track.id in used]
    return rows, build(None, None)


def figure_years(today: date | None = None) -> list[int]:
    """Years that have certificates, newest first, always including the current year."""
    today = today or date.today()
    first = db.session.scalar(select(func.min(Certificate.issued_on)))
    start = first.year if first else today.year
    return list(range(max(today.year, start), start - 1, -1))
