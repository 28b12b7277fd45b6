"""Password helpers: hashing, checking, one-time passwords for printed slips, weak passwords.

A login attempt does the same hashing work whether or not the account exists (``verify_login``):
otherwise the time a wrong password takes tells whether an ID number is registered.
"""

from __future__ import annotations

import secrets
from functools import cache

from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from .. import settings

MIN_PASSWORD_LENGTH = 8
# Bulk imports hash the one-time passwords with a lighter scrypt work factor (n=2^12 instead of
# 2^15): each password is 10 random characters from 31 (~49 bits) and must be changed at the first
# login, where the trainee's own password gets the full-strength hash. With the full factor, a
# 60-row roster took 20 s on the shared 2-core server (see benchmarks/trainee_import.py).
INITIAL_PASSWORD_HASH_METHOD = "scrypt:4096:8:1"
# Letters and digits that cannot be confused when read off a printed slip (no 0/O, 1/l/I).
SLIP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def hash_password(password: str) -> str:
    """Hash with scrypt (parameters configurable for the test suite)."""
    method = settings.password_hash_method()
    return generate_password_hash(password, method=method)


def _initial_method() -> str:
    """How bulk imports hash one-time passwords (a cheaper configured method wins)."""
    configured = settings.password_hash_method()
    # A deliberately chosen method other than the default (the tests' cheap one) is used as is.
    return configured if configured != "scrypt" else INITIAL_PASSWORD_HASH_METHOD


def hash_initial_password(password: str) -> str:
    """Hash a one-time password for a bulk import."""
    return generate_password_hash(password, method=_initial_method())


def hash_method(password_hash: str) -> str:
    """The method part of a stored hash ("scrypt:32768:8:1")."""
    return password_hash.split("$", 1)[0]


@cache
def _dummy_hash(method: str) -> str:
    """A hash of a random password made with ``method``: what an unknown login is checked against."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def methods_in_use() -> tuple[str, ...]:
    """The full methods stored hashes are made with: the configured one, and the bulk-import one."""
    methods = []
    for method in (settings.password_hash_method(), _initial_method()):
        full = hash_method(_dummy_hash(method))  # "scrypt" → "scrypt:32768:8:1"
        if full not in methods:
            methods.append(full)
    return tuple(methods)


def verify_login(password_hash: str | None, password: str | None) -> bool:
    """Check a login's password with the same work whether or not there is an account.

    One check per method in use (``methods_in_use``): against the account's own hash for its
    method, against a dummy hash of that method for the others, and for every method when there is
    no account (``password_hash`` None). An unknown login, a deactivated account, an imported
    trainee's one-time password and a staff password all cost the same hashing. A hash of a method
    no longer in use (an old account) is checked in addition and upgraded at its next login.
    """
    own = hash_method(password_hash) if password_hash else None
    matched = False
    checked = False
    for method in methods_in_use():
        if own == method:
            matched = check_password_hash(password_hash, password or "")
            checked = True
        else:
            check_password_hash(_dummy_hash(method), password or "")
    if password_hash and not checked:
        matched = check_password_hash(password_hash, password or "")
    return matched


def needs_rehash(password_hash: str) -> bool:
    """Whether a stored hash uses a method no longer in use (rehash it at a successful login)."""
    return hash_method(password_hash) not in methods_in_use()


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
