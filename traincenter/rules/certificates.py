"""Certificates: the readable number, the strength of the verification code, the ID number."""

from __future__ import annotations

VERIFICATION_CODE_BYTES = 10  # 80 bits of randomness, well above the 50 required
# The certificate is the holder's own document: it shows her full ID number unless the center
# chooses to mask it (public pages always mask, and never show the ID number at all).
CERTIFICATE_MASKS_ID_NUMBER = False


def certificate_number(year: int, track_code: str, sequence: int) -> str:
    """Readable certificate number: year, track code, sequence within year and track."""
    return f"{year}{track_code.upper()}{sequence:05d}"
