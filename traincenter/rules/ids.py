"""Chinese resident ID numbers (GB 11643-1999): the check digit, birth date and gender."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_DIGITS = "10X98765432"


class IdNumberError(ValueError):
    """An ID number that fails GB 11643; ``code`` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IdNumber:
    """A valid ID number with what follows from it."""

    number: str
    birth_on: date
    gender: str  # "M" or "F"


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_DIGITS[total % 11]


def parse_id_number(text: str, today: date | None = None) -> IdNumber:
    """Validate an 18-character ID number; return it normalised with birth date and gender.

    Raises ``IdNumberError`` with code ``empty``, ``length``, ``characters``, ``birth_date`` or
    ``checksum``. A lower-case ``x`` is accepted and normalised to ``X``.
    """
    number = (text or "").strip().replace(" ", "").upper()
    if not number:
        raise IdNumberError("empty")
    if len(number) != 18:
        raise IdNumberError("length")
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise IdNumberError("characters")
    try:
        birth_on = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError("birth_date") from exc
    if birth_on.year < 1900 or birth_on > (today or date.today()):
        raise IdNumberError("birth_date")
    if id_check_digit(number[:17]) != number[17]:
        raise IdNumberError("checksum")
    return IdNumber(number, birth_on, "M" if int(number[16]) % 2 else "F")


def make_id_number(region: str, birth_on: date, sequence: int, gender: str) -> str:
    """Build a valid ID number (demo data and tests): 6-digit region, birth date, 3-digit order."""
    order = sequence % 1000
    if (order % 2 == 1) != (gender == "M"):
        order = (order + 1) % 1000
    first17 = f"{region}{birth_on:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


