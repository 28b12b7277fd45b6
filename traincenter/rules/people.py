"""The trainee record: education, origin, age bands, phone numbers (the survey's categories, 篇4)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

# The survey's six levels in its order; its "高职" sits below 高中: the secondary vocational school.
EDUCATION_LEVELS = ("illiterate", "primary", "junior", "vocational", "senior", "college")
ORIGINS = ("rural", "laid_off", "other")
GENDERS = ("F", "M")
AGE_BANDS = ("<35", "35-49", "50-59", "60+")


def clean_name(text: str | None) -> str:
    """A typed name as it is kept: invisible format characters (zero-width spaces, joiners, a
    byte-order mark pasted from a document) removed and the ends trimmed; '' when nothing
    visible is left, so a name of only invisible characters counts as missing."""
    text = "".join(ch for ch in (text or "") if unicodedata.category(ch) != "Cf")
    return text.strip()


def age_on(birth_on: date, on: date) -> int:
    """Age in whole years on a given day."""
    return on.year - birth_on.year - ((on.month, on.day) < (birth_on.month, birth_on.day))


def age_band(birth_on: date, on: date) -> str:
    """The report's age band: <35, 35–49, 50–59 or 60+."""
    age = age_on(birth_on, on)
    if age < 35:
        return "<35"
    if age < 50:
        return "35-49"
    if age < 60:
        return "50-59"
    return "60+"


PHONE_PATTERN = re.compile(r"1[3-9][0-9]{9}")


def is_valid_phone(phone: str) -> bool:
    """A mainland mobile number: 11 digits starting 13–19."""
    return bool(PHONE_PATTERN.fullmatch((phone or "").strip()))


