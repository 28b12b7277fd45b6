"""Reads of the trainees area: the registry search, a trainee's timeline, lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import abort
from sqlalchemy import exists, extract, func, or_, select
from sqlalchemy.orm import selectinload

from .. import rules, settings
from ..auth.queries import lock_states
from ..extensions import db
from ..fees.queries import outstanding_by_enrolment
from ..models import (
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    Placement,
    Track,
    Trainee,
    TrainingClass,
)
from ..paging import PER_PAGE, Page, count, paginate
from ..services import fitness, progress, standing


@dataclass
class TraineeFilters:
    """What the registry list is narrowed to."""

    q: str = ""
    track_id: int | None = None
    year: int | None = None
    status: str = ""  # an enrolment status, or "none" for never enrolled
    education: str = ""
    origin: str = ""
    sort: str = "newest"  # or "name": by pinyin (rules.names)


TRAINEE_SORTS = ("newest", "name")


def _trainee_query(filters: TraineeFilters):
    """Trainees matching the filters (partial name, ID number or phone), newest first or by name
    in pinyin order; the year
    keeps those in a class that ran in the year (its dates overlap it)."""
    query = select(Trainee)
    text = (filters.q or "").strip()
    if text:
        pattern = f"%{text.upper() if text[-1:] in 'xX' else text}%"
        query = query.where(or_(Trainee.name.like(f"%{text}%"), Trainee.id_number.like(pattern),
                                Trainee.phone.like(f"%{text}%")))
    if filters.education in rules.EDUCATION_LEVELS:
        query = query.where(Trainee.education == filters.education)
    if filters.origin in rules.ORIGINS:
        query = query.where(Trainee.origin == filters.origin)
    enrolment_conditions = []
    if filters.track_id:
        enrolment_conditions.append(TrainingClass.track_id == filters.track_id)
    if filters.year:
        enrolment_conditions.append(TrainingClass.starts_on <= date(filters.year, 12, 31))
        enrolment_conditions.append(TrainingClass.ends_on >= date(filters.year, 1, 1))
    if filters.status and filters.status != "none":
        enrolment_conditions.append(Enrolment.status == filters.status)
    if enrolment_conditions:
        query = query.where(exists(
            select(Enrolment.id).join(TrainingClass, Enrolment.class_id == TrainingClass.id)
            .where(Enrolment.trainee_id == Trainee.id, *enrolment_conditions)
        ))
    if filters.status == "none":
        query = query.where(~exists(select(Enrolment.id).where(Enrolment.trainee_id == Trainee.id)))
    return query.order_by(*((Trainee.name_sort, Trainee.name, Trainee.id) if filters.sort == "name"
                            else (Trainee.created_at.desc(), Trainee.id.desc())))


@dataclass
class RegistryRow:
    """A row of the registry: the trainee's columns it shows and her enrolments (class code and
    status), read as plain values — building ORM objects was most of a page's time."""

    id: int
    name: str
    gender: str
    id_number: str
    phone: str | None
    education: str | None
    enrolments: list = field(default_factory=list)


@dataclass
class RegistryEnrolment:
    """One of her enrolments as the registry shows it: its status and its class's code."""

    status: str
    class_code: str


ROW_COLUMNS = (Trainee.id, Trainee.name, Trainee.gender, Trainee.id_number, Trainee.phone,
               Trainee.education)


def search_trainees(filters: TraineeFilters, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of trainees matching the filters (three statements: the count, the page, their
    enrolments with their classes)."""
    found = paginate(_trainee_query(filters).with_only_columns(*ROW_COLUMNS), page, per_page,
                     scalars=False)
    rows = [RegistryRow(*values) for values in found.items]
    by_id = {row.id: row for row in rows}
    if by_id:
        for trainee_id, status, code in db.session.execute(
            select(Enrolment.trainee_id, Enrolment.status, TrainingClass.code)
            .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
            .where(Enrolment.trainee_id.in_(list(by_id)))
            .order_by(Enrolment.trainee_id, Enrolment.id)
        ):
            by_id[trainee_id].enrolments.append(RegistryEnrolment(status, code))
    found.items = rows
    return found


def count_trainees(filters: TraineeFilters) -> int:
    """How many trainees the registry shows for ``filters`` (the dashboard's tiles)."""
    return count(_trainee_query(filters))


def class_years() -> list[int]:
    """Years in which classes started, newest first (for the year filter)."""
    rows = db.session.execute(
        select(func.distinct(extract("year", TrainingClass.starts_on)))
    ).scalars().all()
    return sorted((int(year) for year in rows if year is not None), reverse=True)


def tracks() -> list[Track]:
    """Tracks for the registry filter."""
    return list(db.session.scalars(select(Track).order_by(Track.sort_order, Track.name)))


def registry_page(filters: TraineeFilters, page: int) -> dict:
    """The registry page: a page of matching trainees and the choices of its filters."""
    return {"page": search_trainees(filters, page=page), "tracks": tracks(),
            "years": class_years()}


def trainee_timeline(trainee_id: int, today: date | None = None) -> dict | None:
    """Everything about one trainee, read in a fixed number of queries; None when unknown."""
    today = today or date.today()
    trainee = db.session.scalar(
        select(Trainee).where(Trainee.id == trainee_id).options(
            selectinload(Trainee.user),
            selectinload(Trainee.enrolments).selectinload(Enrolment.training_class)
            .selectinload(TrainingClass.track),
            selectinload(Trainee.health_certificates),
            selectinload(Trainee.certificates).selectinload(Certificate.track),
            selectinload(Trainee.placements).selectinload(Placement.feedback),
        )
    )
    if trainee is None:
        return None
    enrolments = sorted(trainee.enrolments, key=lambda e: (e.training_class.starts_on, e.id))
    eligibility = progress.eligibility_for(enrolments)
    results = db.session.scalars(
        select(ExamResult).join(Exam, ExamResult.exam_id == Exam.id)
        .where(ExamResult.enrolment_id.in_([e.id for e in enrolments] or [0]))
        .options(selectinload(ExamResult.exam))
        .order_by(Exam.held_on, ExamResult.id)
    ).all()
    results_by_enrolment: dict[int, list[ExamResult]] = {}
    for result in results:
        results_by_enrolment.setdefault(result.enrolment_id, []).append(result)
    # Each health certificate's own colour, by the same rule as fitness for duty.
    health_colours = {
        health.id: rules.duty_status(
            has_certificate=True, certificate_revoked=False, health_issued_on=health.issued_on,
            health_expires_on=health.expires_on, today=today,
            warning_days=settings.health_warning_days()).colour
        for health in trainee.health_certificates
    }
    return {
        "trainee": trainee,
        "health_colours": health_colours,
        "enrolments": enrolments,
        "eligibility": eligibility,
        "standings": standing.exam_standings(enrolments, today),
        "results": results_by_enrolment,
        "duty": fitness.duty_status(trainee.id, today),
        "outstanding": {enrolment_id: float(owed) for enrolment_id, owed in
                        outstanding_by_enrolment(e.id for e in enrolments).items()},
        "age": rules.age_on(trainee.birth_on, today),
        "today": today,
    }


def timeline_or_404(trainee_id: int) -> dict:
    """The trainee's timeline (see ``trainee_timeline``); 404 when there is no such trainee."""
    timeline = trainee_timeline(trainee_id)
    if timeline is None:
        abort(404)
    user = timeline["trainee"].user
    timeline["locks"] = lock_states([user]) if user is not None else {}
    return timeline


def trainee_or_404(trainee_id: int) -> Trainee:
    """A trainee by id (with the login); 404 when unknown."""
    trainee = db.session.scalar(select(Trainee).where(Trainee.id == trainee_id)
                                .options(selectinload(Trainee.user)))
    if trainee is None:
        abort(404)
    return trainee


def with_enrolments(trainee_ids: list[int]) -> dict[int, Trainee]:
    """Trainees by id with their enrolments and classes, in two queries (for enrolment slips)."""
    return {t.id: t for t in db.session.scalars(
        select(Trainee).where(Trainee.id.in_(trainee_ids or [0])).options(
            selectinload(Trainee.enrolments).selectinload(Enrolment.training_class)))}
