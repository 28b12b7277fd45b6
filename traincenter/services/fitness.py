"""Fit-for-duty status (green / yellow / red) for many trainees in a fixed number of statements.

It reads the certificates, the health certificates, the latest background check and the liability
insurance policy that runs longest (once started), and lets ``rules.duty_status`` decide. The
four are read in one statement (``UNION ALL``) for up to ``CHUNK`` trainees at a time: the public
verification page asks this for one trainee on every scan.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import (
    Date,
    String,
    bindparam,
    case,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)

from .. import rules, settings
from ..extensions import db
from ..models import BackgroundCheck, Certificate, HealthCertificate, InsurancePolicy

# Each id is bound four times (once per part of the statement): 4 × 5,000 stays well inside
# SQLite's limit of 32,766 bound values.
CHUNK = 5000


def _kind(letter: str):
    return literal_column(f"'{letter}'", String).label("kind")


def _none(kind):
    return type_coerce(null(), kind)


_IDS = bindparam("ids", expanding=True)
_TODAY = bindparam("today", type_=Date)
# One row per record: kind, trainee, two days, a word, and the order in which the last one wins.
# The first part names and types the columns (its NULLs are typed so the dates come back as dates).
ON_FILE = union_all(
    select(_kind("c"), Certificate.trainee_id, _none(Date).label("first"),
           _none(Date).label("second"),
           case((Certificate.revoked_at.is_(None), "standing"), else_="revoked").label("word"),
           _none(Date).label("sort_day"), Certificate.id.label("sort_id"))
    .where(Certificate.trainee_id.in_(_IDS)),
    select(_kind("h"), HealthCertificate.trainee_id, HealthCertificate.issued_on,
           HealthCertificate.expires_on, _none(String), HealthCertificate.expires_on,
           HealthCertificate.id)
    .where(HealthCertificate.trainee_id.in_(_IDS), HealthCertificate.issued_on <= _TODAY),
    select(_kind("b"), BackgroundCheck.trainee_id, BackgroundCheck.valid_until, _none(Date),
           BackgroundCheck.status, BackgroundCheck.checked_on, BackgroundCheck.id)
    .where(BackgroundCheck.trainee_id.in_(_IDS)),
    select(_kind("i"), InsurancePolicy.trainee_id, InsurancePolicy.starts_on,
           InsurancePolicy.expires_on, _none(String), InsurancePolicy.expires_on,
           InsurancePolicy.id)
    .where(InsurancePolicy.trainee_id.in_(_IDS), InsurancePolicy.starts_on <= _TODAY),
)


def _on_file(ids: list[int], today: date) -> list[tuple]:
    """Every record that counts, in the order in which the last of a kind wins: the health
    certificate and the policy that run longest, the latest background check."""
    rows = []
    for start in range(0, len(ids), CHUNK):
        rows += db.session.execute(ON_FILE, {"ids": ids[start:start + CHUNK],
                                             "today": today}).all()
    return sorted(rows, key=lambda row: (row.sort_day or date.min, row.sort_id))


def duty_statuses(trainee_ids: Iterable[int], today: date | None = None) -> dict[int, rules.DutyStatus]:
    """The status of each trainee: a standing certificate plus a valid health certificate, and —
    once on file — a cleared background check and insurance in force."""
    ids = list(set(trainee_ids))
    today = today or date.today()
    if not ids:
        return {}
    certificates: dict[int, list[bool]] = {}
    health: dict[int, tuple[date, date]] = {}
    background: dict[int, rules.BackgroundOnFile] = {}
    insurance: dict[int, rules.InsuranceOnFile] = {}
    for kind, trainee_id, first, second, word, _day, _id in _on_file(ids, today):
        if kind == "c":
            certificates.setdefault(trainee_id, []).append(word == "revoked")
        elif kind == "h":
            health[trainee_id] = (first, second)
        elif kind == "b":
            background[trainee_id] = rules.BackgroundOnFile(word, first)
        else:
            insurance[trainee_id] = rules.InsuranceOnFile(first, second)
    warning_days = settings.health_warning_days()
    statuses = {}
    for trainee_id in ids:
        revoked_flags = certificates.get(trainee_id, [])
        issued_on, expires_on = health.get(trainee_id, (None, None))
        statuses[trainee_id] = rules.duty_status(
            has_certificate=bool(revoked_flags),
            certificate_revoked=bool(revoked_flags) and all(revoked_flags),
            health_issued_on=issued_on,
            health_expires_on=expires_on,
            today=today,
            warning_days=warning_days,
            background=background.get(trainee_id),
            insurance=insurance.get(trainee_id),
        )
    return statuses


def duty_status(trainee_id: int, today: date | None = None) -> rules.DutyStatus:
    """The status of one trainee."""
    return duty_statuses([trainee_id], today)[trainee_id]
