"""An upload kept between its preview and its confirmation (in the instance folder).

The session remembers, per purpose (``key``), the one file last checked: a token naming the kept
file, the SHA-256 of its bytes (its identity) and whatever else the preview depended on (a class
code …). The preview page's confirm form carries that identity back, so confirming a page whose
file is no longer the one last checked — another file was checked in a second tab since — is
refused instead of importing the other file.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app, session

STASH_MAX_AGE_SECONDS = 24 * 3600
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}\.(xlsx|csv)")
DIGEST_PATTERN = re.compile(r"[0-9a-f]{64}")


class StashError(LookupError):
    """A confirmation that cannot go ahead; ``code`` is ``gone`` (nothing kept, or the file
    expired) or ``replaced`` (another file was checked since this one was previewed)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PendingUpload:
    """The file last checked for one purpose: where it is kept, its identity, its context."""

    token: str
    digest: str
    context: dict = field(default_factory=dict)


def file_digest(data: bytes) -> str:
    """The identity of an uploaded file: the SHA-256 of its bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def _stash_dir() -> Path:
    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash_upload(data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns a token naming it."""
    directory = _stash_dir()
    cutoff = time.time() - STASH_MAX_AGE_SECONDS
    for old in directory.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    suffix = ".xlsx" if data.startswith(b"PK\x03\x04") else ".csv"
    (directory / f"{token}{suffix}").write_bytes(data)
    return token + suffix


def load_stash(token: str) -> tuple[bytes, str] | None:
    """The stashed file for a token, or None when unknown or malformed."""
    if not token or not TOKEN_PATTERN.fullmatch(token):
        return None
    path = _stash_dir() / token
    if not path.is_file():
        return None
    return path.read_bytes(), token


def drop_stash(token: str) -> None:
    """Forget a stashed file."""
    if load_stash(token) is not None:
        (_stash_dir() / token).unlink(missing_ok=True)


def keep_upload(key: str, data: bytes, **context) -> PendingUpload:
    """Keep ``data`` as the file last checked for ``key`` (the one kept before is dropped)."""
    forget_upload(key)
    pending = PendingUpload(stash_upload(data), file_digest(data), context)
    session[key] = {"token": pending.token, "digest": pending.digest, "context": context}
    return pending


def pending_upload(key: str) -> PendingUpload | None:
    """The file last checked for ``key``, if any is remembered."""
    kept = session.get(key)
    if not isinstance(kept, dict) or not kept.get("token"):
        return None
    return PendingUpload(kept["token"], kept.get("digest", ""), dict(kept.get("context") or {}))


def confirmed_upload(key: str, digest: str | None, **context) -> tuple[bytes, PendingUpload]:
    """The kept file a confirm form names by its identity (``digest``) and context.

    Raises ``StashError("replaced")`` when the file last checked is another one (or was checked
    with another context), ``StashError("gone")`` when nothing is kept any more.
    """
    pending = pending_upload(key)
    if pending is None:
        raise StashError("gone")
    if (not digest or not DIGEST_PATTERN.fullmatch(digest)
            or not hmac.compare_digest(digest, pending.digest)
            or any(pending.context.get(name) != value for name, value in context.items())):
        raise StashError("replaced")
    loaded = load_stash(pending.token)
    if loaded is None:
        raise StashError("gone")
    data, _token = loaded
    if file_digest(data) != pending.digest:
        raise StashError("replaced")
    return data, pending


def forget_upload(key: str) -> None:
    """Drop the file kept for ``key`` and forget it."""
    kept = pending_upload(key)
    session.pop(key, None)
    if kept is not None:
        drop_stash(kept.token)
