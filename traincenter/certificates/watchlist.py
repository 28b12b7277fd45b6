"""The watch lists: certified workers whose health certificate expires soon, has expired or is
missing, and those whose liability insurance expires soon or has expired; the reminders due (30
and 7 days before expiry), on screen and as CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, or_, select

from .. import rules, settings, spreadsheets
from ..extensions import db
from ..models import Certificate, HealthCertificate, InsurancePolicy, Trainee
from ..paging import Page, count, paginate
from ..services import fitness
from .queries import latest_health, latest_insurance


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


HEALTH_STATES = ("reminders", "expiring", "expired", "missing")


def _watch_base(today: date, search: str = ""):
    """Certified workers (standing certificate) with the end of their longest-running health
    certificate (``until``, None when none is recorded), and each state's condition and order.

    ``expiring`` = it ends within the warning days; ``reminders`` = those of them whose
    reminder is due (``rules.reminder_due``: within the longest reminder stage); ``expired`` =
    it has ended; ``missing`` = none recorded.
    """
    latest = (
        select(HealthCertificate.trainee_id, func.max(HealthCertificate.expires_on).label("until"))
        .group_by(HealthCertificate.trainee_id).subquery()
    )
    certified = select(Certificate.trainee_id).where(Certificate.revoked_at.is_(None))
    query = (select(Trainee).where(Trainee.id.in_(certified))
             .outerjoin(latest, latest.c.trainee_id == Trainee.id))
    if search:
        query = query.where(or_(Trainee.name.like(f"%{search}%"), Trainee.phone.like(f"%{search}%")))
    until = latest.c.until
    warning_until = today + timedelta(days=settings.health_warning_days())
    reminder_until = min(warning_until, today + timedelta(days=max(rules.HEALTH_REMINDER_DAYS)))
    states = {
        "reminders": (until.between(today, reminder_until), (until, Trainee.id)),
        "expiring": (until.between(today, warning_until), (until, Trainee.id)),
        "expired": (until < today, (until.desc(), Trainee.id)),
        "missing": (until.is_(None), (Trainee.name_sort, Trainee.name, Trainee.id)),
    }
    return query, states


def _state_query(state: str, today: date, search: str = ""):
    """Certified workers in one health state, in the list's order."""
    query, states = _watch_base(today, search)
    condition, order = states[state]
    return query.where(condition).order_by(*order)


def _rows(trainees: list[Trainee], today: date) -> list[WatchRow]:
    """Watch rows of these trainees: their latest health certificate and duty status."""
    ids = [t.id for t in trainees]
    latest = latest_health(ids)
    duty = fitness.duty_statuses(ids, today)
    rows = []
    for trainee in trainees:
        health = latest.get(trainee.id)
        days_left = None if health is None else (health.expires_on - today).days
        rows.append(WatchRow(trainee, health, days_left, reminder_due(days_left), duty[trainee.id]))
    return rows


def watch_page(state: str, page: int, today: date | None = None, search: str = "") -> Page:
    """One page of one watch list (a fixed number of statements)."""
    today = today or date.today()
    result = paginate(_state_query(state, today, search), page)
    result.items = _rows(result.items, today)
    return result


def watch_counts(today: date | None = None, search: str = "") -> dict[str, int]:
    """How many workers each watch list holds (one statement for the four lists)."""
    query, states = _watch_base(today or date.today(), search)
    sums = [func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(state)
            for state, (condition, _order) in states.items()]
    row = db.session.execute(query.with_only_columns(*sums)).one()
    return {state: int(row._mapping[state]) for state in states}


def count_state(state: str, today: date | None = None) -> int:
    """How many workers one watch list holds (the dashboard's tile)."""
    return count(_state_query(state, today or date.today()))


def watchlist(today: date | None = None) -> dict[str, list[WatchRow]]:
    """Every certified worker needing attention, by health state: expiring, expired, missing."""
    today = today or date.today()
    return {state: _rows(list(db.session.scalars(_state_query(state, today))), today)
            for state in ("expiring", "expired", "missing")}


def reminders(today: date | None = None) -> list[WatchRow]:
    """Workers to remind now (30-day and 7-day reminders), soonest expiry first."""
    today = today or date.today()
    return _rows(list(db.session.scalars(_state_query("reminders", today))), today)


def reminders_csv(rows: list[WatchRow]) -> bytes:
    """The reminder list as CSV for Excel (UTF-8 with BOM, formula-looking text neutralised)."""
    return spreadsheets.write_csv(
        [_l("Name"), _l("Phone"), _l("Health certificate number"), _l("Valid until"),
         _l("Days left"), _l("Reminder")],
        ([row.trainee.name, row.trainee.phone or "", row.health.number,
          row.health.expires_on.isoformat(), row.days_left,
          str(_l("%(days)s-day reminder", days=row.reminder))] for row in rows))


# --- Liability insurance (从业责任保险) ---------------------------------------------------------------


@dataclass
class InsuranceRow:
    """A certified worker whose liability insurance needs attention."""

    trainee: Trainee
    policy: InsurancePolicy
    days_left: int
    reminder: int | None  # 30 or 7: the reminder that is due
    duty: rules.DutyStatus


def insurance_watchlist(today: date | None = None) -> dict[str, list[InsuranceRow]]:
    """Certified workers (standing certificate) with insurance on file, by its state: expiring
    (ends within the warning days) or expired. Workers with no policy on file are not listed:
    insurance counts once recorded. A fixed number of queries."""
    today = today or date.today()
    warning_days = settings.health_warning_days()
    certified = select(Certificate.trainee_id).where(Certificate.revoked_at.is_(None))
    insured = select(InsurancePolicy.trainee_id)
    trainees = db.session.scalars(
        select(Trainee).where(Trainee.id.in_(certified), Trainee.id.in_(insured))
        .order_by(Trainee.name_sort, Trainee.name, Trainee.id)).all()
    ids = [t.id for t in trainees]
    latest = latest_insurance(ids, today)
    duty = fitness.duty_statuses(ids, today)
    lists: dict[str, list[InsuranceRow]] = {"expiring": [], "expired": []}
    for trainee in trainees:
        policy = latest.get(trainee.id)
        if policy is None:
            continue  # only a policy that has not started yet: nothing to watch
        days_left = (policy.expires_on - today).days
        row = InsuranceRow(trainee, policy, days_left,
                           rules.reminder_due(days_left, rules.INSURANCE_REMINDER_DAYS),
                           duty[trainee.id])
        if days_left < 0:
            lists["expired"].append(row)
        elif days_left <= warning_days:
            lists["expiring"].append(row)
    lists["expiring"].sort(key=lambda row: row.days_left)
    lists["expired"].sort(key=lambda row: row.days_left, reverse=True)
    return lists


def insurance_reminders(today: date | None = None) -> list[InsuranceRow]:
    """Workers to remind now (30 and 7 days before the insurance ends), soonest first."""
    return [row for row in insurance_watchlist(today)["expiring"] if row.reminder is not None]


def insurance_reminders_csv(rows: list[InsuranceRow]) -> bytes:
    """The insurance reminder list as CSV for Excel."""
    return spreadsheets.write_csv(
        [_l("Name"), _l("Phone"), _l("Insurance company"), _l("Policy number"), _l("Valid until"),
         _l("Days left"), _l("Reminder")],
        ([row.trainee.name, row.trainee.phone or "", row.policy.insurer, row.policy.policy_number,
          row.policy.expires_on.isoformat(), row.days_left,
          str(_l("%(days)s-day reminder", days=row.reminder))] for row in rows))
