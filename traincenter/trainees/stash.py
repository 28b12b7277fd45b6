"""Keeping an uploaded roster between its preview and the confirmation (in the instance folder)."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app

STASH_MAX_AGE_SECONDS = 24 * 3600
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}\.(xlsx|csv)")


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
