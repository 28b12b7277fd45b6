"""Certificates: the readable number and the strength of the verification code."""

from __future__ import annotations

VERIFICATION_CODE_BYTES = 10  # 80 bits of randomness, well above the 50 required


def certificate_number(year: int, track_code: str, sequence: int) -> str:
    """Readable certificate number: year, track code, sequence within year and track."""
    return f"{year}{track_code.upper()}{sequence:05d}"
