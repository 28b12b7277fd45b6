"""Health certificates (健康证): record one or a whole class; expiry lists and reminders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import rules, settings, spreadsheets
from ..errors import DomainError
from ..extensions import db
from ..models import Certificate, Enrolment, HealthCertificate, Trainee, TrainingClass
from ..services import fitness

NUMBER_MAX = 64
ISSUER_MAX = 100


@dataclass
class HealthEntry:
    """One health certificate as typed on a form (before it is checked)."""

    trainee_id: int
    number: str
    issuer: str
    issued_on: date | None
    expires_on: date | None = None


def _checked(entry: HealthEntry, today: date) -> HealthCertificate:
    """Validate one entry and build the row (not added); raise DomainError with the field."""
    number = (entry.number or "").strip()
    issuer = (entry.issuer or "").strip()
    if not number:
        raise DomainError(_l("Enter the health certificate number."), field="number")
    if len(number) > NUMBER_MAX:
        raise DomainError(_l("At most %(count)s characters.", count=NUMBER_MAX), field="number")
    if not issuer:
        raise DomainError(_l("Enter who issued the health certificate."), field="issuer")
    if len(issuer) > ISSUER_MAX:
        raise DomainError(_l("At most %(count)s characters.", count=ISSUER_MAX), field="issuer")
    if entry.issued_on is None:
        raise DomainError(_l("Enter the issue date."), field="issued_on")
    if entry.issued_on > today:
        raise DomainError(_l("The issue date cannot be in the future."), field="issued_on")
    expires_on = entry.expires_on or rules.health_expiry_default(entry.issued_on)
    if expires_on <= entry.issued_on:
        raise DomainError(_l("The expiry date must be after the issue date."), field="expires_on")
    return HealthCertificate(trainee_id=entry.trainee_id, number=number, issuer=issuer,
                             issued_on=entry.issued_on, expires_on=expires_on)


def record_health(entry: HealthEntry, actor, today: date | None = None) -> HealthCertificate:
    """Record one health certificate (expiry defaults to one year after issue)."""
    today = today or date.today()
    if db.session.get(Trainee, entry.trainee_id) is None:
        raise DomainError(_l("There is no such trainee."), field="trainee")
    row = _checked(entry, today)
    _refuse_duplicate([row])
    row.recorded_by_id = actor.id
    db.session.add(row)
    db.session.commit()
    return row


def _refuse_duplicate(rows: list[HealthCertificate]) -> None:
    """The same certificate number for the same trainee is recorded once."""
    pairs = {(row.trainee_id, row.number) for row in rows}
    if len(pairs) != len(rows):
        raise DomainError(_l("The same health certificate number appears twice."), field="number")
    existing = db.session.execute(
        select(HealthCertificate.trainee_id, HealthCertificate.number)
        .where(HealthCertificate.trainee_id.in_({row.trainee_id for row in rows}))
    ).all()
    if pairs & {tuple(pair) for pair in existing}:
        raise DomainError(_l("This health certificate has already been recorded."), field="number")


def record_health_for_class(class_id: int, entries: list[HealthEntry], actor,
                            today: date | None = None) -> list[HealthCertificate]:
    """Record the health certificates of a class in one go: all rows or none.

    Rows without a number are skipped (that trainee has none yet). A bad row raises a DomainError
    whose ``details`` list (trainee id, message) for every bad row.
    """
    today = today or date.today()
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise DomainError(_l("There is no such class."))
    enrolled = set(db.session.scalars(
        select(Enrolment.trainee_id).where(Enrolment.class_id == class_id)))
    rows, problems = [], []
    for entry in entries:
        if not (entry.number or "").strip():
            continue
        if entry.trainee_id not in enrolled:
            problems.append((entry.trainee_id, str(_l("This trainee is not in the class."))))
            continue
        try:
            rows.append(_checked(entry, today))
        except DomainError as error:
            problems.append((entry.trainee_id, str(error.message)))
    if not problems and rows:
        try:
            _refuse_duplicate(rows)
        except DomainError as error:
            problems.append((None, str(error.message)))
    if problems:
        raise DomainError(_l("Nothing was saved. Please correct the marked rows."), details=problems)
    if not rows:
        raise DomainError(_l("Nothing to save: enter at least one health certificate number."))
    for row in rows:
        row.recorded_by_id = actor.id
    db.session.add_all(rows)
    db.session.commit()
    return rows


def class_health_rows(training_class: TrainingClass, today: date | None = None) -> list[dict]:
    """The class's trainees with their latest health certificate and duty status."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == training_class.id,
                                Enrolment.status != "withdrawn")
        .options(joinedload(Enrolment.trainee))
    ).all()
    ids = [e.trainee_id for e in enrolments]
    latest = _latest_health(ids)
    duty = fitness.duty_statuses(ids, today)
    return [
        {"trainee": e.trainee, "health": latest.get(e.trainee_id), "duty": duty[e.trainee_id]}
        for e in sorted(enrolments, key=lambda e: e.trainee.name)
    ]


def _latest_health(trainee_ids: list[int]) -> dict[int, HealthCertificate]:
    """The health certificate that runs longest for each trainee (one query)."""
    if not trainee_ids:
        return {}
    rows = db.session.scalars(
        select(HealthCertificate).where(HealthCertificate.trainee_id.in_(set(trainee_ids)))
        .order_by(HealthCertificate.expires_on)
    ).all()
    return {row.trainee_id: row for row in rows}


def trainee_health(trainee_id: int) -> list[HealthCertificate]:
    """A trainee's health certificates, latest expiry first."""
    return list(db.session.scalars(
        select(HealthCertificate).where(HealthCertificate.trainee_id == trainee_id)
        .order_by(HealthCertificate.expires_on.desc())))


# ---------------------------------------------------------------------------------------------
# Watch lists: expiring, expired, missing, reminders
# ---------------------------------------------------------------------------------------------


@dataclass
class WatchRow:
    """A certified worker whose health certificate needs attention."""

    trainee: Trainee
    health: HealthCertificate | None
    days_left: int | None
    reminder: int | None  # 30 or 7: the reminder that is due; None when none is
    duty: rules.DutyStatus


def reminder_due(days_left: int | None) -> int | None:
    """The reminder stage for a health certificate ``days_left`` days from expiry (30, 7, None)."""
    if days_left is None or days_left < 0:
        return None
    due = [stage for stage in rules.HEALTH_REMINDER_DAYS if days_left <= stage]
    return min(due) if due else None


def watchlist(today: date | None = None) -> dict[str, list[WatchRow]]:
    """Certified workers (standing certificate) by health state: expiring, expired, missing.

    ``expiring`` = the longest-running health certificate ends within the warning days;
    ``expired`` = it has ended; ``missing`` = none recorded. A fixed number of queries.
    """
    today = today or date.today()
    warning_days = settings.health_warning_days()
    certified = select(Certificate.trainee_id).where(Certificate.revoked_at.is_(None))
    trainees = db.session.scalars(
        select(Trainee).where(Trainee.id.in_(certified)).order_by(Trainee.name)).all()
    ids = [t.id for t in trainees]
    latest = _latest_health(ids)
    duty = fitness.duty_statuses(ids, today)
    lists: dict[str, list[WatchRow]] = {"expiring": [], "expired": [], "missing": []}
    for trainee in trainees:
        health = latest.get(trainee.id)
        if health is None:
            lists["missing"].append(WatchRow(trainee, None, None, None, duty[trainee.id]))
            continue
        days_left = (health.expires_on - today).days
        row = WatchRow(trainee, health, days_left, reminder_due(days_left), duty[trainee.id])
        if days_left < 0:
            lists["expired"].append(row)
        elif days_left <= warning_days:
            lists["expiring"].append(row)
    lists["expiring"].sort(key=lambda row: row.days_left)
    lists["expired"].sort(key=lambda row: row.days_left, reverse=True)
    return lists


def reminders(today: date | None = None) -> list[WatchRow]:
    """Workers to remind now (30-day and 7-day reminders), soonest expiry first."""
    rows = [row for row in watchlist(today)["expiring"] if row.reminder is not None]
    return sorted(rows, key=lambda row: row.days_left)


def reminders_csv(rows: list[WatchRow]) -> bytes:
    """The reminder list as CSV for Excel (UTF-8 with BOM, formula-looking text neutralised)."""
    return spreadsheets.write_csv(
        [_l("Name"), _l("Phone"), _l("Health certificate number"), _l("Valid until"),
         _l("Days left"), _l("Reminder")],
        ([row.trainee.name, row.trainee.phone or "", row.health.number,
          row.health.expires_on.isoformat(), row.days_left,
          str(_l("%(days)s-day reminder", days=row.reminder))] for row in rows))


def delete_health(health_id: int, actor) -> int:  # noqa: ARG001 - staff only, checked by the view
    """Remove a health certificate recorded by mistake; return its trainee's id."""
    row = db.session.get(HealthCertificate, health_id)
    if row is None:
        raise DomainError(_l("There is no such health certificate."))
    trainee_id = row.trainee_id
    db.session.delete(row)
    db.session.commit()
    return trainee_id
