"""Fit-for-duty status (green / yellow / red) for many trainees in a fixed number of queries.

It reads the certificates, the health certificates, the latest background check and the liability
insurance policy that runs longest (once started), and lets ``rules.duty_status`` decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from .. import rules, settings
from ..extensions import db
from ..models import BackgroundCheck, Certificate, HealthCertificate, InsurancePolicy


def _latest_background(ids: list[int]) -> dict[int, rules.BackgroundOnFile]:
    """The latest background check of each trainee that has one (one query)."""
    latest: dict[int, rules.BackgroundOnFile] = {}
    for trainee_id, status, valid_until in db.session.execute(
        select(BackgroundCheck.trainee_id, BackgroundCheck.status, BackgroundCheck.valid_until)
        .where(BackgroundCheck.trainee_id.in_(ids))
        .order_by(BackgroundCheck.checked_on, BackgroundCheck.id)
    ):
        latest[trainee_id] = rules.BackgroundOnFile(status, valid_until)  # the last one wins
    return latest


def _longest_insurance(ids: list[int], today: date) -> dict[int, rules.InsuranceOnFile]:
    """The started policy that runs longest for each trainee that has one (one query)."""
    longest: dict[int, rules.InsuranceOnFile] = {}
    for trainee_id, starts_on, expires_on in db.session.execute(
        select(InsurancePolicy.trainee_id, InsurancePolicy.starts_on, InsurancePolicy.expires_on)
        .where(InsurancePolicy.trainee_id.in_(ids), InsurancePolicy.starts_on <= today)
        .order_by(InsurancePolicy.expires_on)
    ):
        longest[trainee_id] = rules.InsuranceOnFile(starts_on, expires_on)
    return longest


def duty_statuses(trainee_ids: Iterable[int], today: date | None = None) -> dict[int, rules.DutyStatus]:
    """The status of each trainee: a standing certificate plus a valid health certificate, and —
    once on file — a cleared background check and insurance in force."""
    ids = list(set(trainee_ids))
    today = today or date.today()
    if not ids:
        return {}
    certificates: dict[int, list[bool]] = {}
    for trainee_id, revoked_at in db.session.execute(
        select(Certificate.trainee_id, Certificate.revoked_at).where(Certificate.trainee_id.in_(ids))
    ):
        certificates.setdefault(trainee_id, []).append(revoked_at is not None)
    health: dict[int, tuple[date, date]] = {}
    for trainee_id, issued_on, expires_on in db.session.execute(
        select(HealthCertificate.trainee_id, HealthCertificate.issued_on, HealthCertificate.expires_on)
        .where(HealthCertificate.trainee_id.in_(ids), HealthCertificate.issued_on <= today)
        .order_by(HealthCertificate.expires_on)
    ):
        health[trainee_id] = (issued_on, expires_on)  # the one that runs longest wins
    background = _latest_background(ids)
    insurance = _longest_insurance(ids, today)
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
            warning_days=settings.health_warning_days(),
            background=background.get(trainee_id),
            insurance=insurance.get(trainee_id),
        )
    return statuses


def duty_status(trainee_id: int, today: date | None = None) -> rules.DutyStatus:
    """The status of one trainee."""
    return duty_statuses([trainee_id], today)[trainee_id]
