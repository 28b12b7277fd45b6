"""The application form's checks against bots, without any outside service.

- A stamp: the moment the form was shown, signed with a key derived from SECRET_KEY, sent back in
  a hidden field. A form sent back sooner than ``settings.apply_min_fill_seconds()`` after it was
  shown, or with a stamp that is missing, forged or older than a day, is not taken (a person sees
  her form again with everything she typed and can simply send it again).
- A honeypot: a text field hidden from people (off-screen, skipped by screen readers, never
  autofilled); only a program fills it.
- The sender's network address, kept only as a keyed hash (``address_key``) to count the
  applications it sent in the last 24 hours.
"""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeSerializer

from .. import settings

STAMP_PURPOSE = "application-form-stamp"
ADDRESS_PURPOSE = "application-address"
HONEYPOT_FIELD = "website"  # a name bots fill and browsers do not autofill into this form


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key(STAMP_PURPOSE), salt="apply")


def new_stamp(now: float) -> str:
    """A signed stamp of the moment the form is shown (Unix seconds)."""
    return _serializer().dumps(round(now, 3))


def read_stamp(stamp: str | None) -> float | None:
    """The moment a stamp was made, or None when it is missing or forged."""
    if not stamp or len(stamp) > 200:
        return None
    try:
        value = _serializer().loads(stamp)
    except BadSignature:
        return None
    return float(value) if isinstance(value, int | float) else None


def address_key(address: str | None) -> str:
    """A keyed hash of a network address: enough to count, useless to find the person."""
    key = settings.secret_key(ADDRESS_PURPOSE)
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]
