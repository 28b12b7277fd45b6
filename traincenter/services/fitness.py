"""Fit-for-duty status (green / yellow / red) for many trainees in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from .. import rules, settings
from ..extensions import db
from ..models import Certificate, HealthCertificate


def duty_statuses(trainee_ids: Iterable[int], today: date | None = None) -> dict[int, rules.DutyStatus]:
    """The status of each trainee: a standing certificate plus a valid health certificate."""
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
        )
    return statuses


def duty_status(trainee_id: int, today: date | None = None) -> rules.DutyStatus:
    """The status of one trainee."""
    return duty_statuses([trainee_id], today)[trainee_id]
