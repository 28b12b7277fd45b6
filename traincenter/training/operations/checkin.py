"""Writes of QR check-in: a trainee's scan becomes an attendance record; the instructor closes
check-in, marking everyone who did not come absent.

A scan carries the code the phone read and the moment it was read. The code and the window are
judged at that moment (``check_scan``, before any login); the record is written when the logged-in
trainee confirms (``check_in``), at most ``rules.CHECKIN_TICKET_MINUTES`` later. Each refusal is a
``CheckInRefused`` whose ``code`` names it and whose message says what to do, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import format_time
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from ... import rules, settings
from ...errors import DomainError
from ...extensions import db
from ...i18n import label
from ...models import Attendance, TrainingSession, User
from ...models.base import utcnow
from ..codes import classify, session_window
from ..queries import active_enrolment_in, attendance_of, attendance_record, register
from .classes import require_teaching


class CheckInRefused(DomainError):
    """A scan that records nothing; ``code`` names the reason, ``record`` is an earlier record."""

    def __init__(self, code: str, message, record: Attendance | None = None):
        super().__init__(message)
        self.code = code
        self.record = record


@dataclass(frozen=True)
class Scan:
    """What the phone brought: the code it read and when (Unix seconds)."""

    code: str
    scanned_at: float


def _clock(moment: datetime) -> str:
    return format_time(moment, "HH:mm", rebase=False)


def check_scan(session: TrainingSession, scan: Scan) -> None:
    """Refuse a scan whose code is old or wrong, or which falls outside the session's window."""
    verdict = classify(session, scan.code, scan.scanned_at)
    if verdict == rules.CODE_OLD:
        raise CheckInRefused("old_code", _l(
            "This code is old: the code on the screen changes every %(n)s seconds. Please scan "
            "the code on the screen again.", n=rules.CHECKIN_STEP_SECONDS))
    if verdict != rules.CODE_FRESH:
        raise CheckInRefused("wrong_code", _l(
            "This is not the check-in code of this session. Please scan the code on the screen "
            "again, or type the six digits shown under it."))
    window = session_window(session)
    state = window.state(settings.local_time(scan.scanned_at))
    if state == "before":
        raise CheckInRefused("too_early", _l(
            "Check-in for this session opens at %(time)s. Please scan again then.",
            time=_clock(window.opens)))
    if state == "after":
        raise CheckInRefused("too_late", _l(
            "Check-in for this session closed at %(time)s. If you were there, tell your teacher; "
            "the teacher can correct the attendance.", time=_clock(window.closes)))


def check_in(session: TrainingSession, actor: User, scan: Scan, now: float) -> Attendance:
    """Record the actor's arrival from her scan: present, or late after the set minutes.

    ``now`` is when she confirms (Unix seconds). Refuses (``CheckInRefused``) an old or wrong
    code, a scan outside the window or confirmed too long after it, someone not in the class,
    and a second check-in (``record`` is then the first one).
    """
    if actor is None or actor.role != "trainee" or actor.trainee_id is None:
        raise CheckInRefused("not_trainee", _l("Only trainees check in. Log in with your own "
                                               "account."))
    check_scan(session, scan)
    if not rules.ticket_valid(scan.scanned_at, now):
        raise CheckInRefused("expired", _l(
            "You scanned more than %(n)s minutes ago. Please scan the code on the screen again.",
            n=rules.CHECKIN_TICKET_MINUTES))
    enrolment = active_enrolment_in(session.class_id, actor.trainee_id)
    if enrolment is None:
        raise CheckInRefused("not_in_class", _l(
            "You are not on the list of this class (%(name)s), so you cannot check in here. If "
            "this is your class, please tell your teacher.",
            name=session.training_class.name))
    existing = attendance_record(session.id, enrolment.id)
    if existing is not None:
        raise _already(existing)
    moment = settings.local_time(scan.scanned_at)
    scanned_utc = datetime.fromtimestamp(scan.scanned_at, UTC).replace(tzinfo=None)
    record = Attendance(session_id=session.id, enrolment_id=enrolment.id,
                        status=session_window(session).arrival(moment), method="qr",
                        recorded_by_id=actor.id, recorded_at=scanned_utc, scanned_at=scanned_utc)
    db.session.add(record)
    try:
        db.session.commit()
    except IntegrityError:  # the same phone sent twice at once: the first one counts
        db.session.rollback()
        existing = attendance_record(session.id, enrolment.id)
        if existing is None:
            raise
        raise _already(existing) from None
    return record


def _already(record: Attendance) -> CheckInRefused:
    if rules.attendance_credits(record.status):
        if record.method == "qr" and record.scanned_at is not None:
            return CheckInRefused("already", _l(
                "You have already checked in for this session (%(status)s). No need to scan "
                "again.", status=label("attendance", record.status)), record)
        return CheckInRefused("already", _l(
            "Your teacher has already marked you for this session (%(status)s). No need to scan "
            "again.", status=label("attendance", record.status)), record)
    return CheckInRefused("already", _l(
        "Your teacher has already recorded this session for you as %(status)s. If that is wrong, "
        "please tell your teacher.", status=label("attendance", record.status)), record)


def close_checkin(session: TrainingSession, actor: User) -> int:
    """Mark everyone in the class without a record absent (by the register); returns how many."""
    require_teaching(actor, session.training_class)
    recorded = attendance_of(session)
    count = 0
    for line in register(session):
        enrolment = line["enrolment"]
        if enrolment.id in recorded or enrolment.status != "active":
            continue
        db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment.id,
                                  status="absent", method="register", recorded_by_id=actor.id))
        count += 1
    session.attendance_taken_at = utcnow()
    db.session.commit()
    return count
