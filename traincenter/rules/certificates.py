"""Certificates: the readable number, the strength of the verification code, the public status,
the ID number printed on the certificate."""

from __future__ import annotations

VERIFICATION_CODE_BYTES = 10  # 80 bits of randomness, well above the 50 required
# The certificate is the holder's own document: it shows her full ID number unless the center
# chooses to mask it (public pages always mask, and never show the ID number at all).
CERTIFICATE_MASKS_ID_NUMBER = False


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
