"""Certificates: the readable number, the strength of the verification code, the public status."""

from __future__ import annotations

VERIFICATION_CODE_BYTES = 10  # 80 bits of randomness, well above the 50 required


def certificate_number(year: int, track_code: str, sequence: int) -> str:
    """Readable certificate number: year, track code, sequence within year and track."""
    return f"{year}{track_code.upper()}{sequence:05d}"


VALID, UNDER_REVIEW, REVOKED = "valid", "under_review", "revoked"
CERTIFICATE_STATUSES = (VALID, UNDER_REVIEW, REVOKED)


def certificate_status(*, revoked: bool, needs_review: bool) -> str:
    """What a certificate's verification says: revoked; under review (a corrected score means
    its holder may no longer pass, until staff confirm or revoke it); otherwise valid."""
    if revoked:
        return REVOKED
    return UNDER_REVIEW if needs_review else VALID
