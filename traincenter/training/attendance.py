"""The attendance register of a session: read the whole class, save it in one submit."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import rules
from ..errors import DomainError
from ..extensions import db
from ..models import Attendance, Enrolment, Trainee, TrainingClass, TrainingSession, User
from ..models.base import utcnow
from .services import require_teaching


def load_session(session_id: int) -> TrainingSession | None:
    """A session with its class, the class's instructors and its module."""
    return db.session.scalar(
        select(TrainingSession).where(TrainingSession.id == session_id).options(
            selectinload(TrainingSession.training_class).selectinload(TrainingClass.instructors),
            selectinload(TrainingSession.module)))


def register(session: TrainingSession) -> list[dict]:
    """Every enrolment of the class that can attend, with its recorded status (two queries)."""
    enrolments = db.session.scalars(
        select(Enrolment).join(Trainee, Enrolment.trainee_id == Trainee.id)
        .where(Enrolment.class_id == session.class_id)
        .options(selectinload(Enrolment.trainee))
        .order_by(Trainee.name, Trainee.id)).all()
    recorded = {a.enrolment_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}
    lines = []
    for enrolment in enrolments:
        record = recorded.get(enrolment.id)
        if enrolment.status == "withdrawn" and record is None:
            continue
        lines.append({"enrolment": enrolment, "trainee": enrolment.trainee,
                      "status": record.status if record else None,
                      "note": record.note if record else ""})
    return lines


def save_register(session: TrainingSession, statuses: dict[int, str], notes: dict[int, str],
                  actor: User) -> int:
    """Record every trainee's status in one transaction; every listed trainee needs a status.

    ``statuses`` maps enrolment id → present/late/absent/excused. Returns how many were saved.
    """
    require_teaching(actor, session.training_class)
    lines = register(session)
    allowed = {line["enrolment"].id for line in lines}
    unknown = set(statuses) - allowed
    if unknown:
        raise DomainError(_l("The register lists someone who is not in this class."))
    missing = [line["trainee"].name for line in lines if line["enrolment"].id not in statuses]
    if missing:
        raise DomainError(_l("Mark every trainee. Not marked: %(names)s", names="、".join(missing)))
    bad = [value for value in statuses.values() if value not in rules.ATTENDANCE_STATUSES]
    if bad:
        raise DomainError(_l("Unknown attendance status."))
    existing = {a.enrolment_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}
    for enrolment_id, status in statuses.items():
        note = (notes.get(enrolment_id) or "").strip()[:200] or None
        record = existing.get(enrolment_id)
        if record is None:
            db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment_id,
                                      status=status, note=note, recorded_by_id=actor.id))
        elif record.status != status or record.note != note:
            record.status, record.note, record.recorded_by_id = status, note, actor.id
    session.attendance_taken_at = utcnow()
    db.session.commit()
    return len(statuses)
