"""Job matching: the certified workers who fit an opening, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import contains_eager

from .. import rules
from ..extensions import db
from ..models import Certificate, JobOpening, Placement, Recommendation, Trainee
from ..services.fitness import duty_statuses

DAYS_PER_MONTH = 30.44


@dataclass(frozen=True)
class Candidate:
    """A worker who matches an opening, with what staff weigh: scores, experience, status."""

    trainee: Trainee
    certificate: Certificate
    status: rules.DutyStatus
    jobs: int
    months: float

    @property
    def score_total(self) -> float:
        """Theory plus practical score of the certificate (for ordering)."""
        return float(self.certificate.theory_score or 0) + float(self.certificate.practical_score or 0)


@dataclass
class Matches:
    """The candidates for an opening and how many certified workers were left out as red."""

    candidates: list[Candidate] = field(default_factory=list)
    not_fit: int = 0
    total: int = 0  # candidates before the list was cut to the page's limit


def currently_placed(today: date):
    """SQL condition: the trainee has a placement that has not ended (or starts later)."""
    return exists().where(
        Placement.trainee_id == Trainee.id,
        or_(Placement.ends_on.is_(None), Placement.ends_on >= today),
    )


def experience(trainee_ids: list[int], today: date) -> dict[int, tuple[int, float]]:
    """{trainee_id: (finished jobs, months worked in them)} in one query."""
    found: dict[int, tuple[int, float]] = {}
    if not trainee_ids:
        return found
    for trainee_id, starts_on, ends_on in db.session.execute(
        select(Placement.trainee_id, Placement.starts_on, Placement.ends_on).where(
            Placement.trainee_id.in_(trainee_ids), Placement.ends_on < today)
    ):
        jobs, months = found.get(trainee_id, (0, 0.0))
        found[trainee_id] = (jobs + 1, months + ((ends_on - starts_on).days + 1) / DAYS_PER_MONTH)
    return found


def candidates(opening: JobOpening, today: date | None = None, limit: int | None = None) -> Matches:
    """Certified workers of the wanted track, fit for duty, not placed, not yet recommended.

    Four queries whatever the number of workers: certificates joined with their trainees, the
    two of ``duty_statuses``, past placements. ``limit`` keeps the best ones only.
    """
    today = today or date.today()
    already = select(Recommendation.trainee_id).where(Recommendation.opening_id == opening.id)
    query = (
        select(Certificate)
        .join(Trainee, Trainee.id == Certificate.trainee_id)
        .where(~currently_placed(today), Trainee.id.not_in(already))
        .options(contains_eager(Certificate.trainee))
        .order_by(Certificate.revoked_at.is_not(None), Certificate.issued_on.desc(),
                  Certificate.id.desc())
    )
    if opening.track_id is not None:
        query = query.where(Certificate.track_id == opening.track_id)
    latest: dict[int, Certificate] = {}
    for certificate in db.session.scalars(query):
        # The newest standing certificate counts; a worker whose certificates are all revoked
        # is red ("revoked") and counted among those left out.
        latest.setdefault(certificate.trainee_id, certificate)
    statuses = duty_statuses(latest, today)
    history = experience(list(latest), today)
    matches = Matches()
    for trainee_id, certificate in latest.items():
        status = statuses[trainee_id]
        if not status.is_fit:
            matches.not_fit += 1
            continue
        jobs, months = history.get(trainee_id, (0, 0.0))
        matches.candidates.append(Candidate(certificate.trainee, certificate, status, jobs,
                                            round(months, 1)))
    matches.candidates.sort(key=lambda c: (c.status.colour != rules.GREEN, -c.score_total,
                                           -c.months, c.trainee.sort_key))
    matches.total = len(matches.candidates)
    if limit is not None:
        del matches.candidates[limit:]
    return matches
