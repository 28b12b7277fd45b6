"""Password helpers: hashing, checking, one-time passwords for printed slips, weak passwords."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from .. import settings

MIN_PASSWORD_LENGTH = 8
# Letters and digits that cannot be confused when read off a printed slip (no 0/O, 1/l/I).
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_password(password: str) -> str:
    """Hash with scrypt (parameters configurable for the test suite)."""
    method = settings.password_hash_method()
    return generate_password_hash(password, method=method)


def password_matches(password_hash: str, password: str | None) -> bool:
    """Whether ``password`` is the one ``password_hash`` was made from."""
    return check_password_hash(password_hash, password or "")


def initial_password() -> str:
    """A one-time password that is easy to type from a printed slip (10 characters)."""
    return "".join(secrets.choice(SLIP_ALPHABET) for _ in range(10))


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return str(_l("The password needs at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if password.isdigit() and len(set(password)) <= 2:
        return str(_l("The password is too easy to guess."))
    return None
