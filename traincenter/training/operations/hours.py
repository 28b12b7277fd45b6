"""Writes about the hours trainees earn: the attendance register and self-study logs."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from ... import images, rules, settings
from ...access import teaches
from ...errors import DomainError
from ...extensions import db
from ...i18n import show_date
from ...models import Attendance, Enrolment, SelfStudyLog, TrainingSession, User
from ...models.base import utcnow
from ...web import format_hours
from ..queries import attendance_of, logs_with_classes, register, self_study_logged_on
from .classes import require_teaching

PHOTO_KIND = "self_study"  # the folder of self-study photos in the upload folder

SELF_STUDY_ERRORS = {
    "not_positive": _l("Enter the hours studied (more than 0)."),
    "too_many_decimals": _l("Hours may have at most one decimal, like 1.5."),
}


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
    existing = attendance_of(session)
    for enrolment_id, status in statuses.items():
        note = (notes.get(enrolment_id) or "").strip()[:200] or None
        record = existing.get(enrolment_id)
        if record is None:
            db.session.add(Attendance(session_id=session.id, enrolment_id=enrolment_id,
                                      status=status, note=note, recorded_by_id=actor.id))
        elif record.status != status or record.note != note:
            if record.status != status:  # a corrected scan is the register's now (scanned_at stays)
                record.method = "register"
            record.status, record.note, record.recorded_by_id = status, note, actor.id
    session.attendance_taken_at = utcnow()
    db.session.commit()
    return len(statuses)


def log_self_study(enrolment: Enrolment, studied_on: date, hours: float, content: str,
                   actor: User, today: date | None = None,
                   photo: bytes | None = None) -> SelfStudyLog:
    """Log self-study for an enrolment: by its trainee, or by staff/an instructor of the class.

    An instructor's or staff member's entry is verified at once (they are the verifiers).
    ``photo`` is an uploaded photo of the work (its bytes as sent): checked and cleaned by
    ``images.clean_photo`` and kept outside the web root; an unacceptable photo saves nothing.
    """
    today = today or date.today()
    is_own = actor.role == "trainee" and actor.trainee_id == enrolment.trainee_id
    if not is_own and not teaches(actor, enrolment.training_class):
        raise DomainError(_l("You may not log hours for this trainee."))
    if enrolment.status != "active":
        raise DomainError(_l("This course is closed; no more hours can be logged."))
    content = (content or "").strip()
    if not content:
        raise DomainError(_l("Write what was studied."), field="content")
    if studied_on is None:
        raise DomainError(_l("Enter the date."), field="studied_on")
    if studied_on > today:
        raise DomainError(_l("The date cannot be in the future."), field="studied_on")
    if studied_on < enrolment.training_class.starts_on:
        raise DomainError(_l("The date is before the class started (%(day)s).",
                             day=show_date(enrolment.training_class.starts_on)),
                          field="studied_on")
    already = self_study_logged_on(enrolment, studied_on)
    maximum = settings.self_study_max_hours_per_day()
    code = rules.self_study_error(hours, already, maximum)
    if code:
        if code != "too_many_per_day":
            message = SELF_STUDY_ERRORS[code]
        else:
            message = _l("No more than %(max)s hours a day: %(already)s hours are already "
                         "logged for that day.", max=format_hours(maximum),
                         already=format_hours(already))
        raise DomainError(message, field="hours")
    cleaned = images.clean_photo(photo, field="photo") if photo is not None else None
    log = SelfStudyLog(enrolment=enrolment, studied_on=studied_on, hours=hours, content=content[:2000],
                       logged_by_id=actor.id, status="pending")
    if not is_own:
        log.status, log.verified_by_id, log.verified_at = "verified", actor.id, utcnow()
    if cleaned is not None:
        log.photo = images.store_photo(PHOTO_KIND, cleaned)
    db.session.add(log)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        images.delete_photo(PHOTO_KIND, log.photo)
        raise
    return log


def review_self_study(log: SelfStudyLog, verify: bool, actor: User, reason: str | None = None) -> None:
    """Verify or reject a pending log (staff, or an instructor of its class)."""
    require_teaching(actor, log.enrolment.training_class)
    if log.status != "pending":
        raise DomainError(_l("This entry was already checked."))
    reason = (reason or "").strip()
    if not verify and not reason:
        raise DomainError(_l("Say why the entry is rejected, so the trainee can correct it."),
                          field="reason")
    log.status = "verified" if verify else "rejected"
    log.rejection_reason = None if verify else reason[:200]
    log.verified_by_id, log.verified_at = actor.id, utcnow()
    db.session.commit()


def review_many(log_ids: list[int], actor: User) -> int:
    """Verify several pending logs at once; entries the actor may not check are refused."""
    logs = logs_with_classes(log_ids)
    if any(not teaches(actor, log.enrolment.training_class) for log in logs):
        raise DomainError(_l("You do not teach this class."))
    now = utcnow()
    count = 0
    for log in logs:
        if log.status == "pending":
            log.status, log.verified_by_id, log.verified_at = "verified", actor.id, now
            count += 1
    db.session.commit()
    return count
