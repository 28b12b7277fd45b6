"""Reads of the applications area: the review queue, one application, the applicant's status,
the figures by month and track, and what the poster prints. Each in a fixed number of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import abort
from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import selectinload

from .. import rules
from ..extensions import db
from ..i18n import show_date
from ..models import Application, Track, TrainingClass
from ..params import parse_int
from ..services import catalog
from ..services.people import find_by_id_number
from ..training.queries import enrolled_counts

PER_PAGE = 30
STATUS_FILTERS = ("open", *rules.APPLICATION_STATUSES, "all")


# -- the public side ------------------------------------------------------------------------------


def active_track(raw_id) -> Track | None:
    """The active track chosen on the form (None for anything else)."""
    track_id = parse_int(str(raw_id or ""), minimum=1)
    if track_id is None:
        return None
    track = db.session.get(Track, track_id)
    return track if track is not None and track.is_active else None


def sent_from(address_key: str, since: datetime) -> int:
    """Applications sent from one (hashed) address since a moment."""
    return db.session.scalar(select(func.count(Application.id)).where(
        Application.address_key == address_key, Application.submitted_at >= since)) or 0


def blocking_application(id_number: str) -> bool:
    """Whether the ID number has an application still open or accepted."""
    return db.session.scalar(select(Application.id).where(
        Application.id_number == id_number,
        Application.status.in_([s for s in rules.APPLICATION_STATUSES
                                if rules.blocks_new_application(s)])).limit(1)) is not None


def application_status(id_number: str, phone: str) -> Application | None:
    """The latest application with this ID number and phone (both must match), else None."""
    try:
        number = rules.parse_id_number(rules.typed_number(id_number)).number
    except rules.IdNumberError:
        return None
    phone = rules.typed_number(phone)
    if not phone:
        return None
    return db.session.scalar(
        select(Application).where(Application.id_number == number, Application.phone == phone)
        .options(selectinload(Application.track), selectinload(Application.training_class))
        .order_by(Application.submitted_at.desc(), Application.id.desc()).limit(1))


def thanks(application_id: int | None) -> Application | None:
    """The application just sent (for the thank-you page)."""
    if not application_id:
        return None
    return db.session.scalar(select(Application).where(Application.id == application_id)
                             .options(selectinload(Application.track)))


# -- the staff's queue ----------------------------------------------------------------------------


def _filtered(status: str, search: str):
    query = select(Application)
    if status == "open":
        query = query.where(Application.status.in_(rules.OPEN_APPLICATION_STATUSES))
    elif status in rules.APPLICATION_STATUSES:
        query = query.where(Application.status == status)
    search = (search or "").strip()
    if search:
        query = query.where(or_(Application.name.like(f"%{search}%"),
                                Application.id_number.like(f"%{search.upper()}%"),
                                Application.phone.like(f"%{search}%")))
    return query


def queue_page(status: str, search: str, page: int) -> dict:
    """A page of applications (oldest waiting first) and the count in each status: three
    statements whatever the number of rows."""
    status = status if status in STATUS_FILTERS else "open"
    query = _filtered(status, search).options(selectinload(Application.track))
    if status == "open":
        query = query.order_by(Application.status, Application.submitted_at, Application.id)
    else:
        query = query.order_by(Application.submitted_at.desc(), Application.id.desc())
    result = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False, count=True)
    counts = dict(db.session.execute(select(Application.status, func.count(Application.id))
                                     .group_by(Application.status)).all())
    counts["open"] = sum(counts.get(s, 0) for s in rules.OPEN_APPLICATION_STATUSES)
    counts["all"] = sum(counts.get(s, 0) for s in rules.APPLICATION_STATUSES)
    return {"page": result, "status": status, "search": search, "counts": counts,
            "filters": STATUS_FILTERS}


def application_or_404(application_id: int) -> Application:
    """One application with its track, class, trainee and decider; 404 when unknown."""
    application = db.session.scalar(
        select(Application).where(Application.id == application_id).options(
            selectinload(Application.track), selectinload(Application.training_class),
            selectinload(Application.trainee), selectinload(Application.decided_by)))
    if application is None:
        abort(404)
    return application


def class_choices(application: Application, today: date) -> list[tuple[str, str]]:
    """Regular classes that have not ended, the wanted track first, each with places taken."""
    classes = db.session.scalars(
        select(TrainingClass).where(TrainingClass.kind == "regular",
                                    TrainingClass.ends_on >= today)
        .options(selectinload(TrainingClass.track))
        .order_by(TrainingClass.starts_on, TrainingClass.id)).all()
    counts = enrolled_counts([c.id for c in classes])
    classes = sorted(classes, key=lambda c: c.track_id != application.track_id)
    return [(str(c.id), f"{c.name}（{c.track.name}，{show_date(c.starts_on)}，"
                        f"{counts.get(c.id, 0)}/{c.capacity}）") for c in classes]


def class_for_accept(raw_id) -> TrainingClass | None:
    """The class chosen on the accept form (with its track and instructors)."""
    class_id = parse_int(str(raw_id or ""), minimum=1)
    if class_id is None:
        return None
    return db.session.get(TrainingClass, class_id)


def detail_page(application: Application, today: date) -> dict:
    """One application for staff: the classes to accept into, and whether the ID number is
    already a trainee (registered since she applied)."""
    return {"application": application, "classes": class_choices(application, today),
            "registered": None if application.trainee_id
            else find_by_id_number(application.id_number)}


# -- figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Applications received (by the day they were sent) and accepted (by the day of the
    decision), by month and track, for one year."""

    year: int
    tracks: list[Track]
    received: dict[tuple[int, int], int]  # (month, track id) → count
    accepted: dict[tuple[int, int], int]

    def cell(self, kind: str, month: int, track_id: int) -> int:
        """One figure of the table."""
        return getattr(self, kind).get((month, track_id), 0)

    def month_total(self, kind: str, month: int) -> int:
        """All tracks in one month."""
        return sum(v for (m, _), v in getattr(self, kind).items() if m == month)

    def track_total(self, kind: str, track_id: int) -> int:
        """The whole year of one track."""
        return sum(v for (_, t), v in getattr(self, kind).items() if t == track_id)

    def total(self, kind: str) -> int:
        """The whole year."""
        return sum(getattr(self, kind).values())


def _by_month_and_track(day_column, year: int, *conditions) -> dict[tuple[int, int], int]:
    month = extract("month", day_column)
    rows = db.session.execute(
        select(month, Application.track_id, func.count(Application.id))
        .where(day_column >= date(year, 1, 1), day_column <= date(year, 12, 31), *conditions)
        .group_by(month, Application.track_id)).all()
    return {(int(m), int(t)): int(n) for m, t, n in rows}


def figures(year: int) -> Figures:
    """The figures page of a year: three statements."""
    received = _by_month_and_track(Application.submitted_on, year)
    accepted = _by_month_and_track(Application.decided_on, year,
                                   Application.status == "accepted")
    used = {t for _, t in received} | {t for _, t in accepted}
    tracks = [t for t in catalog.all_tracks() if t.is_active or t.id in used]
    return Figures(year, tracks, received, accepted)


def figure_years(today: date) -> list[int]:
    """Years to choose on the figures page: from the first application's year to this one."""
    first = db.session.scalar(select(func.min(Application.submitted_on)))
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))


# -- the poster -----------------------------------------------------------------------------------


def poster_facts(today: date, limit: int = 4) -> dict:
    """What the poster prints besides the QR code: the tracks offered and the next classes."""
    upcoming = db.session.scalars(
        select(TrainingClass).where(TrainingClass.kind == "regular",
                                    TrainingClass.starts_on >= today)
        .options(selectinload(TrainingClass.track))
        .order_by(TrainingClass.starts_on, TrainingClass.id).limit(limit)).all()
    return {"tracks": catalog.active_tracks(), "classes": list(upcoming)}
