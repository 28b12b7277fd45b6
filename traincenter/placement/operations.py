"""Writes of the placement area: openings, recommendations and placements (customer feedback:
feedback.py).

Every write takes the acting user (staff), validates, writes, commits once and raises
``DomainError`` when a rule says no. The fit-for-duty rule comes from ``services.fitness`` (which
calls ``rules.duty_status``).
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from .. import rules
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..forms import required_text
from ..i18n import label, show_date
from ..models import Feedback, FeedbackLink, JobOpening, Placement, Recommendation, Track
from ..models.base import utcnow
from ..models.placement import OPENING_STATUSES
from ..services import audit
from ..services.fitness import duty_status
from . import matching, queries

MAX_WAGE = 100000  # yuan per month; anything above is a typing slip
DECLINED = ("declined_by_worker", "declined_by_employer")
OPENING_FIELDS = ("employer_name", "employer_type", "contact_name", "contact_phone", "job_type",
                  "track_id", "place", "monthly_wage", "positions", "starts_on", "ends_on", "notes")
PLACEMENT_FIELDS = ("employer_name", "employer_type", "job_type", "place", "starts_on", "ends_on",
                    "monthly_wage", "contract_registered", "contract_registered_on")


# --- openings -------------------------------------------------------------------------------------


def _check_opening(data: dict) -> None:
    """Cross-field checks of an opening (the form checked the shape)."""
    if data.get("employer_type") not in rules.EMPLOYER_TYPES:
        raise DomainError(_l("Choose the kind of employer."), field="employer_type")
    if data.get("track_id") is not None and db.session.get(Track, data["track_id"]) is None:
        raise DomainError(_l("There is no such track."), field="track_id")
    _check_dates(data.get("starts_on"), data.get("ends_on"))
    _check_wage(data.get("monthly_wage"))
    if data.get("status", "open") not in OPENING_STATUSES:
        raise DomainError(_l("Unknown status."), field="status")


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise DomainError(_l("The end date is before the start date."), field="ends_on")


def _check_wage(wage) -> None:
    if wage is not None and not 0 <= wage <= MAX_WAGE:
        raise DomainError(_l("The monthly wage must be between 0 and %(max)s yuan.", max=MAX_WAGE),
                          field="monthly_wage")


def create_opening(data: dict, actor) -> JobOpening:
    """Record a job opening from an employer."""
    require_staff(actor)
    _check_opening(data)
    opening = JobOpening(**{key: data.get(key) for key in OPENING_FIELDS}, created_by_id=actor.id)
    opening.positions = data.get("positions") or 1
    db.session.add(opening)
    db.session.commit()
    return opening


def update_opening(opening: JobOpening, data: dict, actor) -> JobOpening:
    """Change an opening, including its status (open, filled, closed)."""
    require_staff(actor)
    _check_opening(data)
    for key in OPENING_FIELDS:
        setattr(opening, key, data.get(key))
    opening.positions = data.get("positions") or 1
    opening.status = data.get("status") or opening.status
    db.session.commit()
    return opening


# --- recommendations ------------------------------------------------------------------------------


def recommend_workers(opening: JobOpening, trainee_ids: list[int], actor,
                      today: date | None = None) -> list[Recommendation]:
    """Recommend one or several matching workers for an opening."""
    require_staff(actor)
    today = today or date.today()
    if opening.status != "open":
        raise DomainError(_l("This opening is no longer open."))
    wanted = sorted(set(trainee_ids))
    if not wanted:
        raise DomainError(_l("Tick at least one worker to recommend."))
    candidates = {c.trainee.id: c for c in matching.candidates(opening, today).candidates}
    refused = [tid for tid in wanted if tid not in candidates]
    if refused:
        raise DomainError(_l("Some of the chosen workers no longer match this opening "
                             "(placed meanwhile, not fit for duty, or already recommended). "
                             "Reload the page and choose again."))
    created = []
    for trainee_id in wanted:
        recommendation = Recommendation(opening=opening, trainee_id=trainee_id,
                                        recommended_by_id=actor.id, outcome="pending")
        db.session.add(recommendation)
        created.append(recommendation)
    db.session.commit()
    return created


def record_outcome(recommendation: Recommendation, outcome: str, note: str | None,
                   actor) -> Recommendation:
    """Record that the worker or the employer declined, or put a decision back to pending.

    "Hired" is recorded by creating the placement from the recommendation, so that every hire
    has its placement record.
    """
    require_staff(actor)
    if outcome not in DECLINED + ("pending",):
        raise DomainError(_l("To record a hire, fill in the placement form."), field="outcome")
    if recommendation.outcome == "hired":
        raise DomainError(_l("This worker was hired; change the placement record instead."))
    recommendation.outcome = outcome
    recommendation.outcome_note = (note or "").strip() or None
    recommendation.decided_at = None if outcome == "pending" else utcnow()
    db.session.commit()
    return recommendation


# --- placements -----------------------------------------------------------------------------------


def check_fit_for_duty(trainee_id: int, on: date) -> rules.DutyStatus:
    """The worker's status on the start date; red is refused with its reason."""
    status = duty_status(trainee_id, on)
    if not status.is_fit:
        raise DomainError(
            _l("Not fit for duty on the start date: %(reason)s. The placement was not saved.",
               reason=label("duty_reason", status.reason)),
            field="worker",
        )
    return status


def check_certificate_before_start(trainee_id: int, starts_on: date) -> None:
    """A placement cannot start before a standing certificate exists (``rules.placement_start_error``).

    Checked after ``check_fit_for_duty``, which already names the reason when there is no standing
    certificate at all (none issued, or revoked).
    """
    issued = queries.standing_certificate_dates(trainee_id)
    error = rules.placement_start_error(starts_on, issued)
    if error == rules.BEFORE_CERTIFICATE:
        raise DomainError(
            _l("The worker's training certificate was issued on %(day)s: a placement cannot start "
               "before it. Correct the start date; the placement was not saved.",
               day=show_date(min(issued))),
            field="starts_on")
    if error == rules.NO_CERTIFICATE:
        raise DomainError(
            _l("The worker holds no valid training certificate: a placement needs one, issued on or "
               "before the start date. The placement was not saved."),
            field="worker")


def _check_placement(data: dict, today: date) -> None:
    if data.get("employer_type") not in rules.EMPLOYER_TYPES:
        raise DomainError(_l("Choose the kind of employer."), field="employer_type")
    if data.get("starts_on") is None:
        raise DomainError(_l("Enter the start date."), field="starts_on")
    _check_dates(data["starts_on"], data.get("ends_on"))
    _check_wage(data.get("monthly_wage"))
    registered_on = data.get("contract_registered_on")
    if registered_on is not None:
        data["contract_registered"] = True  # a registration date says it was registered
        if registered_on > today:
            raise DomainError(_l("The registration date cannot be in the future."),
                              field="contract_registered_on")
    elif data.get("contract_registered"):
        raise DomainError(_l("Enter the date the labour contract was registered."),
                          field="contract_registered_on")


def create_placement(data: dict, actor, recommendation: Recommendation | None = None,
                     today: date | None = None) -> tuple[Placement, rules.DutyStatus]:
    """Place a worker (directly or from a recommendation); refused when not fit for duty.

    ``data['trainee']`` is the worker. Returns the placement and the worker's status, so the
    view can warn when it is yellow.
    """
    require_staff(actor)
    today = today or date.today()
    trainee = data["trainee"]
    _check_placement(data, today)
    if recommendation is not None:
        if recommendation.trainee_id != trainee.id:
            raise DomainError(_l("This recommendation is for another worker."), field="worker")
        if recommendation.outcome != "pending":
            raise DomainError(_l("This recommendation has already been decided."))
    status = check_fit_for_duty(trainee.id, data["starts_on"])
    check_certificate_before_start(trainee.id, data["starts_on"])
    placement = Placement(trainee=trainee, created_by_id=actor.id,
                          **{key: data.get(key) for key in PLACEMENT_FIELDS})
    placement.contract_registered = bool(data.get("contract_registered"))
    db.session.add(placement)
    if recommendation is not None:
        placement.recommendation_id = recommendation.id
        placement.opening_id = recommendation.opening_id
        recommendation.outcome = "hired"
        recommendation.decided_at = utcnow()
        opening = recommendation.opening
        hired = sum(1 for r in opening.recommendations if r.outcome == "hired")
        if hired >= opening.positions:
            opening.status = "filled"
    db.session.commit()
    return placement, status


def update_placement(placement: Placement, data: dict, actor,
                     today: date | None = None) -> Placement:
    """Change a placement: end date, wage, labour-contract registration and the like.

    The worker stays the same; moving the start date re-checks fitness for duty.
    """
    require_staff(actor)
    today = today or date.today()
    _check_placement(data, today)
    if data["starts_on"] != placement.starts_on:
        check_fit_for_duty(placement.trainee_id, data["starts_on"])
        check_certificate_before_start(placement.trainee_id, data["starts_on"])
    for key in PLACEMENT_FIELDS:
        setattr(placement, key, data.get(key))
    placement.contract_registered = bool(data.get("contract_registered"))
    db.session.commit()
    return placement


def delete_placement(placement: Placement, reason: str | None, actor) -> None:
    """Delete a placement entered by mistake, with its feedback and feedback links (staff, with
    a reason). The placement figures follow at once; the audit event keeps every value.

    A hire recorded from a recommendation goes back to "waiting for an answer", and an opening
    that this hire had filled opens again.
    """
    require_staff(actor)
    reason = required_text(reason, audit.REASON_MAX,
                           _l("Give the reason for deleting this placement."))
    feedback = db.session.scalars(select(Feedback).where(Feedback.placement_id == placement.id)
                                  .order_by(Feedback.given_on, Feedback.id)).all()
    details = {key: getattr(placement, key) for key in PLACEMENT_FIELDS}
    details = {"trainee": placement.trainee.name, **details,
               "feedback": [{"rating": f.rating, "given_on": f.given_on, "comment": f.comment,
                             "given_by": f.given_by, "channel": f.channel} for f in feedback]}
    recommendation = (db.session.get(Recommendation, placement.recommendation_id)
                      if placement.recommendation_id else None)
    if recommendation is not None and recommendation.outcome == "hired":
        recommendation.outcome, recommendation.decided_at = "pending", None
        opening = recommendation.opening
        hired = sum(1 for r in opening.recommendations if r.outcome == "hired")
        if opening.status == "filled" and hired < opening.positions:
            opening.status = "open"
    audit.record(actor, "placement.deleted", "placement", placement.id, reason=reason,
                 trainee_id=placement.trainee_id, details=details)
    db.session.execute(delete(FeedbackLink).where(FeedbackLink.placement_id == placement.id))
    db.session.execute(delete(Feedback).where(Feedback.placement_id == placement.id))
    db.session.execute(delete(Placement).where(Placement.id == placement.id))
    db.session.commit()
    db.session.expire_all()
