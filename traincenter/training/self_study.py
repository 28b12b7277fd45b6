"""Self-study logs: logged by the trainee or the instructor, verified or rejected in a queue."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from .. import rules, settings
from ..access import teaches
from ..errors import DomainError
from ..extensions import db
from ..models import Enrolment, SelfStudyLog, TrainingClass, User, class_instructor
from ..models.base import utcnow
from ..web import format_hours

SELF_STUDY_ERRORS = {
    "not_positive": _l("Enter the hours studied (more than 0)."),
    "too_many_decimals": _l("Hours may have at most one decimal, like 1.5."),
}


def max_hours_per_day() -> float:
    """The plausible maximum of self-study per day (setting)."""
    return settings.self_study_max_hours_per_day()


def log_self_study(enrolment: Enrolment, studied_on: date, hours: float, content: str,
                   actor: User, today: date | None = None) -> SelfStudyLog:
    """Log self-study for an enrolment: by its trainee, or by staff/an instructor of the class.

    An instructor's or staff member's entry is verified at once (they are the verifiers).
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
                             day=enrolment.training_class.starts_on.isoformat()),
                          field="studied_on")
    already = db.session.scalar(
        select(func.coalesce(func.sum(SelfStudyLog.hours), 0)).where(
            SelfStudyLog.enrolment_id == enrolment.id, SelfStudyLog.studied_on == studied_on,
            SelfStudyLog.status != "rejected")) or 0
    maximum = max_hours_per_day()
    code = rules.self_study_error(hours, float(already), maximum)
    if code:
        if code != "too_many_per_day":
            message = SELF_STUDY_ERRORS[code]
        else:
            message = _l("No more than %(max)s hours a day: %(already)s hours are already "
                         "logged for that day.", max=format_hours(maximum),
                         already=format_hours(already))
        raise DomainError(message, field="hours")
    log = SelfStudyLog(enrolment=enrolment, studied_on=studied_on, hours=hours, content=content[:2000],
                       logged_by_id=actor.id, status="pending")
    if not is_own:
        log.status, log.verified_by_id, log.verified_at = "verified", actor.id, utcnow()
    db.session.add(log)
    db.session.commit()
    return log


def review_self_study(log: SelfStudyLog, verify: bool, actor: User, reason: str | None = None) -> None:
    """Verify or reject a pending log (staff, or an instructor of its class)."""
    if not teaches(actor, log.enrolment.training_class):
        raise DomainError(_l("You do not teach this class."))
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
    logs = list(db.session.scalars(
        select(SelfStudyLog).where(SelfStudyLog.id.in_(log_ids or [0]))
        .options(selectinload(SelfStudyLog.enrolment).selectinload(Enrolment.training_class)
                 .selectinload(TrainingClass.instructors))))
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


def queue(actor: User, class_id: int | None = None) -> list[SelfStudyLog]:
    """Pending logs the actor may check (instructors: their classes), oldest first."""
    query = (select(SelfStudyLog).join(Enrolment, SelfStudyLog.enrolment_id == Enrolment.id)
             .where(SelfStudyLog.status == "pending")
             .options(selectinload(SelfStudyLog.enrolment).selectinload(Enrolment.trainee),
                      selectinload(SelfStudyLog.enrolment).selectinload(Enrolment.training_class),
                      selectinload(SelfStudyLog.logged_by))
             .order_by(SelfStudyLog.logged_at, SelfStudyLog.id))
    if not actor.is_staff:
        query = query.join(class_instructor, class_instructor.c.class_id == Enrolment.class_id) \
            .where(class_instructor.c.user_id == actor.id)
    if class_id:
        query = query.where(Enrolment.class_id == class_id)
    return list(db.session.scalars(query.limit(500)))


def logs_of(enrolment_ids: list[int]) -> dict[int, list[SelfStudyLog]]:
    """Every log of the enrolments, newest first, grouped by enrolment (one query)."""
    grouped: dict[int, list[SelfStudyLog]] = {i: [] for i in enrolment_ids}
    if not enrolment_ids:
        return grouped
    for log in db.session.scalars(
        select(SelfStudyLog).where(SelfStudyLog.enrolment_id.in_(enrolment_ids))
        .order_by(SelfStudyLog.studied_on.desc(), SelfStudyLog.id.desc())):
        grouped[log.enrolment_id].append(log)
    return grouped


# Texts of the trainee's hours page (portal.hours); kept here so they live in this area's catalogue.
PORTAL_TEXTS = {
    "nav": _l("My hours"),
    "title": _l("My hours"),
    "saved": _l("Saved. Your teacher will check it; the hours count once verified."),
}


def get_log(log_id: int) -> SelfStudyLog | None:
    """A self-study log with its enrolment's class and instructors."""
    return db.session.scalar(
        select(SelfStudyLog).where(SelfStudyLog.id == log_id).options(
            selectinload(SelfStudyLog.enrolment).selectinload(Enrolment.training_class)
            .selectinload(TrainingClass.instructors)))
