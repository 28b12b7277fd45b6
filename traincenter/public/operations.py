"""Writes of the public area: every certificate lookup (QR, search, API) is logged."""

from __future__ import annotations

from sqlalchemy import insert

from .. import rules
from ..extensions import db
from ..models import Certificate, VerificationLookup
from ..models.base import utcnow
from .queries import (
    CODE_MAX,
    PublicCertificate,
    certificate_by_code,
    certificate_by_number_and_name,
    normalised_search,
    public_view,
)


def _log(code: str, certificate: Certificate | None, channel: str, address: str | None) -> None:
    outcome = "not_found" if certificate is None else rules.certificate_status(
        revoked=certificate.is_revoked, needs_review=certificate.needs_review)
    # One INSERT, not a unit of work: every scan writes this row.
    db.session.execute(insert(VerificationLookup).values(
        code=(code or "")[:CODE_MAX], certificate_id=certificate.id if certificate else None,
        outcome=outcome, channel=channel, address=(address or "")[:64] or None,
        looked_up_at=utcnow()))
    db.session.commit()


def verify_code(code: str, channel: str, address: str | None) -> PublicCertificate | None:
    """Look a verification code up (QR or API) and log the lookup."""
    certificate = certificate_by_code(code)
    view = public_view(certificate) if certificate else None
    _log(code, certificate, channel, address)
    return view


def verify_search(number: str, name: str,
                  address: str | None) -> tuple[PublicCertificate | None, str | None]:
    """Look a certificate up by its number and the holder's full name; logged like a scan.

    Returns (certificate view, verification code) or (None, None).
    """
    number, name = normalised_search(number, name)
    certificate = certificate_by_number_and_name(number, name)
    view = public_view(certificate) if certificate else None
    _log(number, certificate, "search", address)
    return view, (certificate.verification_code if certificate else None)
