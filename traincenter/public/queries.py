"""Reads of the public area: what the public may see of a certificate, and the registry.

Only masked, non-identifying fields ever leave here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import rules
from ..extensions import db
from ..models import Certificate, Track, Trainee
from ..services import fitness

CODE_MAX = 64


@dataclass(frozen=True)
class PublicCertificate:
    """What the public may see of a certificate (never ID number, birth date, phone, address)."""

    number: str
    masked_name: str
    track: str
    level: int
    issued_on: date
    status: str  # valid / under_review / revoked (rules.certificate_status)
    health_valid_until: date | None
    duty: rules.DutyStatus

    def as_json(self) -> dict:
        """The JSON body of the verify API (documented in the OpenAPI document)."""
        return {
            "found": True,
            "number": self.number,
            "name": self.masked_name,
            "track": self.track,
            "level": self.level,
            "issued_on": self.issued_on.isoformat(),
            "status": self.status,
            "health_certificate_valid_until": (
                self.health_valid_until.isoformat() if self.health_valid_until else None),
            "duty_colour": self.duty.colour,
            "duty_reason": self.duty.reason,
            "fit_for_duty": self.duty.is_fit,
        }


def public_view(certificate: Certificate, today: date | None = None) -> PublicCertificate:
    """The public view of a certificate, its status coloured by the holder's fitness for duty."""
    status = rules.certificate_status(revoked=certificate.is_revoked,
                                      needs_review=certificate.needs_review)
    duty = rules.certificate_duty(fitness.duty_status(certificate.trainee_id, today),
                                  certificate.is_revoked, status == "under_review")
    return PublicCertificate(
        number=certificate.number, masked_name=rules.mask_name(certificate.trainee.name),
        track=certificate.track.name, level=certificate.level, issued_on=certificate.issued_on,
        status=status, health_valid_until=duty.health_valid_until, duty=duty)


def _with_people(query):
    return query.options(joinedload(Certificate.trainee), joinedload(Certificate.track))


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a verification code (QR or API) names, with its holder and track."""
    if not code or len(code) > CODE_MAX:
        return None
    return db.session.scalar(
        _with_people(select(Certificate).where(Certificate.verification_code == code)))


def normalised_search(number: str, name: str) -> tuple[str, str]:
    """A searched certificate number and full name as stored (no spaces, number upper case)."""
    return (number or "").strip().replace(" ", "").upper(), (name or "").strip().replace(" ", "")


def certificate_by_number_and_name(number: str, name: str) -> Certificate | None:
    """The certificate with this number whose holder has exactly this name (both normalised).

    Both must match, so the search cannot be used to list names.
    """
    if not number or not name or len(number) > CODE_MAX:
        return None
    return db.session.scalar(
        _with_people(select(Certificate).join(Trainee, Certificate.trainee_id == Trainee.id)
                     .where(Certificate.number == number, Trainee.name == name)))


@dataclass(frozen=True)
class RegistryRow:
    """One line of the public registry."""

    masked_name: str
    track: str
    level: int
    issued_year: int
    duty: rules.DutyStatus


def registry(track_id: int | None, page: int, per_page: int = 30):
    """Certified workers who consented to be listed (standing certificates), masked, by track.

    Returns (pagination, rows); a fixed number of queries whatever the page size.
    """
    query = (
        select(Certificate)
        .join(Trainee, Certificate.trainee_id == Trainee.id)
        .join(Track, Certificate.track_id == Track.id)
        .where(Certificate.revoked_at.is_(None), Trainee.consents_to_listing.is_(True))
        .options(joinedload(Certificate.trainee), joinedload(Certificate.track))
        .order_by(Track.sort_order, Track.name, Certificate.issued_on.desc(), Certificate.id.desc())
    )
    if track_id:
        query = query.where(Certificate.track_id == track_id)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    duty = fitness.duty_statuses(c.trainee_id for c in pagination.items)
    rows = [RegistryRow(rules.mask_name(c.trainee.name), c.track.name, c.level, c.issued_on.year,
                        duty[c.trainee_id]) for c in pagination.items]
    return pagination, rows
