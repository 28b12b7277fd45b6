"""The trainee record's field checks, shared by the registry's forms and the roster import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import rules
from ..i18n import LABELS


def id_error_message(code: str):
    """The user's message for an ID number error code of ``rules.parse_id_number``."""
    return LABELS["id_error"].get(code, LABELS["id_error"]["checksum"])


def check_fields(values: dict) -> list[tuple[str, object]]:
    """Shape errors of trainee fields as (field, message); an empty list means acceptable."""
    problems = []
    name = rules.clean_name(values.get("name"))
    if not name:
        problems.append(("name", _l("The name is missing.")))
    elif len(name) > 64:
        problems.append(("name", _l("The name is too long.")))
    phone = (values.get("phone") or "").strip()
    if phone and not rules.is_valid_phone(phone):
        problems.append(("phone", _l("A mobile number has 11 digits and starts with 13–19.")))
    if values.get("education") not in rules.EDUCATION_LEVELS:
        problems.append(("education", _l("Choose an education level from the list.")))
    if values.get("origin") not in rules.ORIGINS:
        problems.append(("origin", _l("Choose an origin from the list.")))
    return problems
