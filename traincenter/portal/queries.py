"""Reads for the trainee's pages, each in a fixed number of statements."""

from __future__ import annotations

from datetime import date, datetime

from flask import abort
from sqlalchemy import Date, bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from .. import rules, settings
from ..certificates import queries as certificates
from ..extensions import db
from ..models import (
    Attendance,
    Certificate,
    Enrolment,
    SelfStudyLog,
    Trainee,
    TrainingClass,
    TrainingSession,
)
from ..retraining.next_step import describe_next_step
from ..services import attempts, fitness, progress, standing
from ..training.codes import session_window
from ..training.queries import active_enrolment_in, attendance_record


def overview(trainee_id: int, today: date) -> dict:
    """What the trainee's home page shows: current hours, latest result, next step, status."""
    trainee = db.session.scalars(
        select(Trainee).where(Trainee.id == trainee_id).options(
            joinedload(Trainee.enrolments).joinedload(Enrolment.training_class))).unique().one()
    enrolments = sorted(trainee.enrolments, key=lambda e: e.training_class.starts_on, reverse=True)
    current = [e for e in enrolments if e.status == "active"]
    eligibility = progress.eligibility_for(current)
    standings = standing.exam_standings(current, today, members=enrolments)
    results = attempts.course_results({e.course_enrolment_id for e in enrolments})
    latest = max((r for rs in results.values() for r in rs),
                 key=lambda r: (r.exam.held_on, r.id), default=None)
    status = fitness.duty_status(trainee_id, today)
    return {
        "trainee": trainee,
        "current": [(e, eligibility[e.id], standings.get(e.id)) for e in current],
        "latest": latest,
        "next_steps": describe_next_step(trainee_id, today, enrolments=enrolments),
        "status": status,
        "has_certificate": status.has_standing_certificate,
    }


def certificate_page(trainee_id: int, today: date) -> dict:
    """The trainee's certificates, her status colour and her latest health certificate."""
    health = certificates.trainee_health(trainee_id)
    return {"certificates": certificates.trainee_certificates(trainee_id),
            "duty": fitness.duty_status(trainee_id, today),
            "health": health[0] if health else None, "today": today,
            "photo": db.session.scalar(select(Trainee.photo_file).where(Trainee.id == trainee_id))}


def own_certificate_or_404(certificate_id: int, trainee_id: int | None) -> Certificate:
    """The certificate if it is this trainee's own; 404 for anyone else's (never 403: an id
    number must not tell whether someone else's certificate exists)."""
    certificate = certificates.get_certificate(certificate_id)
    if certificate is None or trainee_id is None or certificate.trainee_id != trainee_id:
        abort(404)
    return certificate


def own_log_or_404(log_id: int, trainee_id: int | None) -> SelfStudyLog:
    """One of the trainee's own self-study entries; 404 for anyone else's."""
    log = db.session.scalar(
        select(SelfStudyLog).join(Enrolment, SelfStudyLog.enrolment_id == Enrolment.id)
        .where(SelfStudyLog.id == log_id, Enrolment.trainee_id == (trainee_id or 0)))
    if log is None:
        abort(404)
    return log


def checkin_page(session: TrainingSession, trainee_id: int) -> dict:
    """Her check-in page of a session: her enrolment in its class, her record, the window now."""
    enrolment = active_enrolment_in(session.class_id, trainee_id)
    window = session_window(session)
    return {"enrolment": enrolment, "window": window,
            "state": window.state(settings.local_now()),
            "record": attendance_record(session.id, enrolment.id) if enrolment else None}


# Built once: the home page asks on every visit, and composing it cost as much as running it.
_TODAYS_SESSIONS = (
    select(TrainingSession).join(Enrolment, Enrolment.class_id == TrainingSession.class_id)
    .where(Enrolment.trainee_id == bindparam("trainee_id"), Enrolment.status == "active",
           TrainingSession.held_on == bindparam("day", type_=Date))
    .options(selectinload(TrainingSession.training_class).load_only(TrainingClass.name),
             selectinload(TrainingSession.module))
    .order_by(TrainingSession.starts_at)
)


def open_checkins(trainee_id: int, now: datetime) -> list[tuple[TrainingSession, Attendance | None]]:
    """Today's sessions of her classes whose check-in is open now, with her record (two
    queries)."""
    sessions = db.session.scalars(_TODAYS_SESSIONS,
                                  {"trainee_id": trainee_id, "day": now.date()}).all()
    current = [s for s in sessions if session_window(s).state(now) == "open"]
    if not current:
        return []
    records = {a.session_id: a for a in db.session.scalars(
        select(Attendance).join(Enrolment, Attendance.enrolment_id == Enrolment.id)
        .where(Enrolment.trainee_id == trainee_id,
               Attendance.session_id.in_([s.id for s in current])))}
    return [(s, records.get(s.id)) for s in current]


def photo_page(trainee_id: int) -> dict:
    """The trainee's photo page: her record and whether she may still change the photo herself."""
    trainee = db.session.get(Trainee, trainee_id)
    certified = db.session.scalar(select(Certificate.id).where(
        Certificate.trainee_id == trainee_id, Certificate.revoked_at.is_(None)).limit(1))
    return {"trainee": trainee, "may_change": rules.trainee_may_replace_photo(
        bool(trainee.photo_file), certified is not None)}
