"""Reads behind the placement pages, each in a fixed number of queries (yearly figures: figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from ..errors import DomainError
from ..extensions import db
from ..models import (
    Certificate,
    Enrolment,
    Feedback,
    FeedbackLink,
    JobOpening,
    Placement,
    Recommendation,
    Trainee,
    TrainingClass,
    class_instructor,
)
from ..paging import PER_PAGE, Page, count, paginate
from ..services import audit, catalog
from ..services.fitness import duty_statuses


def opening_list(filters: dict, page: int):
    """Openings, newest first, each with counts of recommended and hired workers (3–4 queries),
    filtered by status, track and text (employer, job or place).

    ``page.items`` holds ``(opening, recommended, hired)`` tuples.
    """
    query = (
        select(JobOpening).options(selectinload(JobOpening.track))
        .order_by(JobOpening.created_at.desc(), JobOpening.id.desc())
    )
    if filters.get("status"):
        query = query.where(JobOpening.status == filters["status"])
    if filters.get("track_id"):
        query = query.where(JobOpening.track_id == filters["track_id"])
    if filters.get("q"):
        text = f"%{filters['q']}%"
        query = query.where(or_(JobOpening.employer_name.like(text), JobOpening.job_type.like(text),
                                JobOpening.place.like(text)))
    result = paginate(query, page, PER_PAGE)
    counts = {}
    if result.items:
        counts = {row[0]: row[1:] for row in db.session.execute(
            select(Recommendation.opening_id, func.count(Recommendation.id),
                   func.sum(case((Recommendation.outcome == "hired", 1), else_=0)))
            .where(Recommendation.opening_id.in_([o.id for o in result.items]))
            .group_by(Recommendation.opening_id))}
    result.items = [(o, *(counts.get(o.id) or (0, 0))) for o in result.items]
    return result


def recommendations(opening: JobOpening, today: date | None = None):
    """The opening's recommendations with each worker's status today (4 queries)."""
    rows = db.session.scalars(
        select(Recommendation).where(Recommendation.opening_id == opening.id)
        .options(selectinload(Recommendation.trainee))
        .order_by(Recommendation.recommended_at, Recommendation.id)
    ).all()
    statuses = duty_statuses([r.trainee_id for r in rows], today)
    placements = {
        p.recommendation_id: p for p in db.session.scalars(
            select(Placement).where(Placement.recommendation_id.in_([r.id for r in rows]))
        )
    } if rows else {}
    return [(r, statuses[r.trainee_id], placements.get(r.id)) for r in rows]


def _placement_query(filters: dict):
    """Placements, latest start first, narrowed by year of start, employer, contract, text."""
    query = (
        select(Placement)
        .join(Trainee, Trainee.id == Placement.trainee_id)
        .options(selectinload(Placement.trainee))
        .order_by(Placement.starts_on.desc(), Placement.id.desc())
    )
    if filters.get("year"):
        year = filters["year"]
        query = query.where(Placement.starts_on >= date(year, 1, 1),
                            Placement.starts_on <= date(year, 12, 31))
    if filters.get("employer_type"):
        query = query.where(Placement.employer_type == filters["employer_type"])
    if filters.get("contract") == "yes":
        query = query.where(Placement.contract_registered.is_(True))
    elif filters.get("contract") == "no":
        query = query.where(Placement.contract_registered.is_(False))
    if filters.get("q"):
        text = f"%{filters['q'].strip()}%"
        query = query.where(or_(Trainee.name.like(text), Trainee.id_number.like(text),
                                Placement.employer_name.like(text)))
    return query


def count_placements(year: int) -> int:
    """Placements that started in ``year`` (the dashboard's tile; the list's year filter)."""
    return count(_placement_query({"year": year}))


def placement_list(filters: dict, page: int):
    """Placements, latest start first, with feedback count and mean rating (3–4 queries).

    ``page.items`` holds ``(placement, feedback count, mean rating or None)`` tuples.
    """
    query = _placement_query(filters)
    result = paginate(query, page, PER_PAGE)
    ratings = rating_summary([p.id for p in result.items])
    result.items = [(p, *ratings.get(p.id, (0, None))) for p in result.items]
    return result


def rating_summary(placement_ids: list[int]) -> dict[int, tuple[int, float]]:
    """{placement_id: (feedback count, mean rating)} in one query."""
    if not placement_ids:
        return {}
    return {row[0]: (row[1], float(row[2])) for row in db.session.execute(
        select(Feedback.placement_id, func.count(Feedback.id), func.avg(Feedback.rating))
        .where(Feedback.placement_id.in_(placement_ids)).group_by(Feedback.placement_id))}


def placement_detail(placement: Placement):
    """Feedback (newest first), feedback links and audit events (deleted feedback) of one
    placement (three statements)."""
    feedback = db.session.scalars(
        select(Feedback).where(Feedback.placement_id == placement.id)
        .order_by(Feedback.given_on.desc(), Feedback.id.desc())
    ).all()
    links = db.session.scalars(
        select(FeedbackLink).where(FeedbackLink.placement_id == placement.id)
        .order_by(FeedbackLink.created_at.desc(), FeedbackLink.id.desc())
    ).all()
    return feedback, links, audit.events_for("placement", [placement.id])


@dataclass(frozen=True)
class TraineeOutcome:
    """A trainee of an instructor's class and where they are now."""

    trainee: Trainee
    training_class: TrainingClass
    certified: bool
    placements: list


def instructor_outcomes(instructor_id: int, search: str = "", class_id: int | None = None,
                        page: int = 1) -> Page:
    """A page of the trainees of the classes ``instructor_id`` teaches (each listed once, with
    the latest of those classes), with their placements (six statements)."""
    taught = select(class_instructor.c.class_id).where(class_instructor.c.user_id == instructor_id)
    latest = (
        select(Enrolment.trainee_id, func.max(Enrolment.class_id).label("class_id"))
        .where(Enrolment.class_id.in_(taught))
        .group_by(Enrolment.trainee_id)
    )
    if class_id:
        latest = latest.where(Enrolment.class_id == class_id)
    latest = latest.subquery()
    query = (
        select(Trainee, TrainingClass)
        .join(latest, latest.c.trainee_id == Trainee.id)
        .join(TrainingClass, TrainingClass.id == latest.c.class_id)
        .order_by(latest.c.class_id.desc(), Trainee.id)
    )
    if search:
        query = query.where(Trainee.name.like(f"%{search}%"))
    result = paginate(query, page, PER_PAGE, scalars=False)
    ids = [trainee.id for trainee, _class in result.items]
    certified = set(db.session.scalars(
        select(Certificate.trainee_id).where(Certificate.trainee_id.in_(ids),
                                             Certificate.revoked_at.is_(None))
    )) if ids else set()
    by_trainee: dict[int, list] = {}
    placements = db.session.scalars(
        select(Placement).where(Placement.trainee_id.in_(ids)).order_by(Placement.starts_on.desc())
    ).all() if ids else []
    ratings = rating_summary([p.id for p in placements])
    for placement in placements:
        by_trainee.setdefault(placement.trainee_id, []).append(
            (placement, *ratings.get(placement.id, (0, None))))
    result.items = [TraineeOutcome(trainee, training_class, trainee.id in certified,
                                   by_trainee.get(trainee.id, []))
                    for trainee, training_class in result.items]
    return result


def taught_classes(instructor_id: int) -> list[TrainingClass]:
    """The classes an instructor teaches, newest first (the filter of their trainees' jobs)."""
    return list(db.session.scalars(
        select(TrainingClass).join(class_instructor)
        .where(class_instructor.c.user_id == instructor_id)
        .order_by(TrainingClass.starts_on.desc(), TrainingClass.id.desc())))


def trainee_placements(trainee_id: int):
    """One trainee's placements, latest first, with their ratings (2 queries)."""
    placements = db.session.scalars(
        select(Placement).where(Placement.trainee_id == trainee_id)
        .options(selectinload(Placement.feedback))
        .order_by(Placement.starts_on.desc(), Placement.id.desc())
    ).all()
    return placements


def track_choices() -> list[SelectChoice]:
    """The active tracks as choices of the opening form."""
    return [SelectChoice(track.id, track.name) for track in catalog.active_tracks()]


def opening_or_404(opening_id: int) -> JobOpening:
    """The opening with this id, or the 404 page."""
    return db.get_or_404(JobOpening, opening_id)


def recommendation_or_404(recommendation_id: int) -> Recommendation:
    """The recommendation with this id, or the 404 page."""
    return db.get_or_404(Recommendation, recommendation_id)


def feedback_or_404(feedback_id: int) -> Feedback:
    """The feedback, or 404."""
    return db.get_or_404(Feedback, feedback_id)


def placement_or_404(placement_id: int) -> Placement:
    """The placement with this id, or the 404 page."""
    return db.get_or_404(Placement, placement_id)


def link_or_404(token: str) -> FeedbackLink:
    """The feedback link with this token (staff pages), or the 404 page."""
    link = None
    if token and len(token) <= 64:
        link = db.session.scalar(select(FeedbackLink).where(FeedbackLink.token == token))
    if link is None:
        abort(404)
    return link


def find_worker(text: str) -> Trainee:
    """The trainee with this ID number or certificate number."""
    key = (text or "").strip().upper()
    if not key:
        raise DomainError(_l("Enter the worker's ID number or certificate number."), field="worker")
    trainee = db.session.scalar(select(Trainee).where(Trainee.id_number == key))
    if trainee is None:
        trainee = db.session.scalar(
            select(Trainee).join(Certificate, Certificate.trainee_id == Trainee.id)
            .where(func.upper(Certificate.number) == key)
        )
    if trainee is None:
        raise DomainError(_l("No trainee has this ID number or certificate number."), field="worker")
    return trainee


def standing_certificate_dates(trainee_id: int) -> list[date]:
    """The issue dates of the worker's standing (not revoked) certificates."""
    return list(db.session.scalars(
        select(Certificate.issued_on).where(Certificate.trainee_id == trainee_id,
                                            Certificate.revoked_at.is_(None))))


def placements_before_certificate(page: int):
    """Placements that started before the worker held a standing certificate (2–3 queries).

    ``page.items`` holds ``(placement, first standing certificate's issue date or None)`` tuples,
    latest start first; the reason is ``rules.placement_start_error`` of the two dates.
    """
    first_issued = (
        select(func.min(Certificate.issued_on))
        .where(Certificate.trainee_id == Placement.trainee_id, Certificate.revoked_at.is_(None))
        .correlate(Placement).scalar_subquery()
    )
    held_by_then = (
        select(Certificate.id)
        .where(Certificate.trainee_id == Placement.trainee_id, Certificate.revoked_at.is_(None),
               Certificate.issued_on <= Placement.starts_on)
        .correlate(Placement).exists()
    )
    query = (
        select(Placement).where(~held_by_then)
        .options(selectinload(Placement.trainee))
        .order_by(Placement.starts_on.desc(), Placement.id.desc())
    )
    result = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    firsts = {}
    if result.items:
        firsts = dict(db.session.execute(
            select(Placement.id, first_issued).where(Placement.id.in_([p.id for p in result.items]))).all())
    result.items = [(placement, firsts.get(placement.id)) for placement in result.items]
    return result


def overlapping_jobs(placement: Placement) -> int:
    """How many other placements of the same worker overlap this one's period."""
    far_future = date(9999, 12, 31)
    ends_on = placement.ends_on or far_future
    return db.session.scalar(
        select(func.count(Placement.id)).where(
            Placement.trainee_id == placement.trainee_id, Placement.id != placement.id,
            Placement.starts_on <= ends_on,
            or_(Placement.ends_on.is_(None), Placement.ends_on >= placement.starts_on))
    ) or 0
