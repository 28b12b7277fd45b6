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
from ..trainees.photos import read_photo

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
    # The background check and the insurance: a status and a valid-until date, never the documents.
    background: str | None = None  # cleared / pending / not_cleared, None when none is on file
    background_valid_until: date | None = None
    insurance: str | None = None  # valid / expired, None when none is on file
    insurance_valid_until: date | None = None
    # The verification code when the holder's photo may be shown (she consented to public listing
    # and the certificate stands), else None.
    photo_code: str | None = None

    @property
    def public_reason(self) -> str:
        """The reason behind the colour, as the public may read it."""
        return rules.public_reason(self.duty.reason)

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
            "duty_reason": self.public_reason,
            "fit_for_duty": self.duty.is_fit,
            "background_check": self.background,
            "background_check_valid_until": _iso(self.background_valid_until),
            "liability_insurance": self.insurance,
            "liability_insurance_valid_until": _iso(self.insurance_valid_until),
            "has_photo": self.photo_code is not None,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def may_show_photo(certificate: Certificate) -> bool:
    """The holder's photo is public only when she consented to public listing, the certificate
    stands, and there is a photo."""
    trainee = certificate.trainee
    return bool(trainee.consents_to_listing and trainee.photo_file and not certificate.is_revoked)


def public_view(certificate: Certificate, today: date | None = None) -> PublicCertificate:
    """The public view of a certificate, its status coloured by the holder's fitness for duty."""
    today = today or date.today()
    status = rules.certificate_status(revoked=certificate.is_revoked,
                                      needs_review=certificate.needs_review)
    duty = rules.certificate_duty(fitness.duty_status(certificate.trainee_id, today),
                                  certificate.is_revoked, status == "under_review")
    background = duty.background
    return PublicCertificate(
        number=certificate.number, masked_name=rules.mask_name(certificate.trainee.name),
        track=certificate.track.name, level=certificate.level, issued_on=certificate.issued_on,
        status=status, health_valid_until=duty.health_valid_until, duty=duty,
        background=rules.background_public_state(background, today),
        background_valid_until=background.valid_until if background else None,
        insurance=rules.insurance_public_state(duty.insurance_valid_until, today),
        insurance_valid_until=duty.insurance_valid_until,
        photo_code=certificate.verification_code if may_show_photo(certificate) else None)


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


def public_photo(code: str) -> bytes | None:
    """The photo a verification code may show (see ``may_show_photo``), or None."""
    certificate = certificate_by_code(code)
    if certificate is None or not may_show_photo(certificate):
        return None
    return read_photo(certificate.trainee.photo_file)


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
