"""Public verification and the registry: only masked, non-identifying fields ever leave here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import rules
from ..extensions import db
from ..models import Certificate, Track, Trainee, VerificationLookup
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
    status: str  # valid / revoked
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


def _public(certificate: Certificate, today: date | None = None) -> PublicCertificate:
    duty = fitness.duty_status(certificate.trainee_id, today)
    # The colour is the worker's; a revoked certificate is red whatever else the worker holds.
    if certificate.is_revoked and duty.reason != "revoked":
        duty = rules.DutyStatus(rules.RED, "revoked", duty.health_valid_until)
    return PublicCertificate(
        number=certificate.number, masked_name=rules.mask_name(certificate.trainee.name),
        track=certificate.track.name, level=certificate.level, issued_on=certificate.issued_on,
        status="revoked" if certificate.is_revoked else "valid",
        health_valid_until=duty.health_valid_until, duty=duty)


def _log(code: str, certificate: Certificate | None, channel: str, address: str | None) -> None:
    outcome = "not_found" if certificate is None else ("revoked" if certificate.is_revoked else "valid")
    db.session.add(VerificationLookup(
        code=(code or "")[:CODE_MAX], certificate_id=certificate.id if certificate else None,
        outcome=outcome, channel=channel, address=(address or "")[:64] or None))
    db.session.commit()


def _with_people(query):
    return query.options(joinedload(Certificate.trainee), joinedload(Certificate.track))


def verify_code(code: str, channel: str, address: str | None) -> PublicCertificate | None:
    """Look a verification code up (QR or API); every lookup is logged."""
    certificate = None
    if code and len(code) <= CODE_MAX:
        certificate = db.session.scalar(
            _with_people(select(Certificate).where(Certificate.verification_code == code)))
    view = _public(certificate) if certificate else None
    _log(code, certificate, channel, address)
    return view


def verify_search(number: str, name: str, address: str | None) -> tuple[PublicCertificate | None, str | None]:
    """Look a certificate up by its number and the holder's full name; logged like a scan.

    Both must match, so the search cannot be used to list names. Returns (certificate view,
    verification code) or (None, None).
    """
    number = (number or "").strip().replace(" ", "").upper()
    name = (name or "").strip().replace(" ", "")
    certificate = None
    if number and name and len(number) <= CODE_MAX:
        certificate = db.session.scalar(
            _with_people(select(Certificate).join(Trainee, Certificate.trainee_id == Trainee.id)
                         .where(Certificate.number == number, Trainee.name == name)))
    view = _public(certificate) if certificate else None
    _log(number, certificate, "search", address)
    return view, (certificate.verification_code if certificate else None)


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


def listed_tracks() -> list[Track]:
    """Active tracks, for the registry filter."""
    return list(db.session.scalars(
        select(Track).where(Track.is_active.is_(True)).order_by(Track.sort_order, Track.name)))
