"""The health watch lists: certified workers whose health certificate expires soon, has expired or
is missing, and the reminders due (30 and 7 days before expiry), on screen and as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import rules, settings, spreadsheets
from ..extensions import db
from ..models import Certificate, HealthCertificate, Trainee
from ..services import fitness
from .queries import latest_health


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
    return rules.reminder_due(days_left)


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
    latest = latest_health(ids)
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
