"""Where trainees' photos are kept: files in the photo folder, outside the web root.

The folder is ``settings.photo_dir()`` (instance/photos unless PHOTO_DIR says otherwise); nothing
serves it directly. Each photo gets a new random name, so a replaced photo never shows from a
cache and a name cannot be guessed from the trainee. Only the views that check who is asking
(staff, the trainee herself, the public verify page with consent) read a photo.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from flask import Response, flash, redirect, request
from flask_babel import gettext as _

from .. import rules, settings

NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,40}\.jpg")


def _path(name: str | None) -> Path | None:
    if not name or not NAME_PATTERN.fullmatch(name):
        return None
    return settings.photo_dir() / name


def save_photo(data: bytes) -> str:
    """Write a (checked, normalised) JPEG under a new name; returns the name."""
    name = f"{secrets.token_urlsafe(18)}.jpg"
    path = _path(name)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, path)  # never a half-written photo under the real name
    return name


def read_photo(name: str | None) -> bytes | None:
    """The photo's bytes, or None when there is none (or the file went missing)."""
    path = _path(name)
    if path is None or not path.is_file():
        return None
    return path.read_bytes()


def delete_photo(name: str | None) -> None:
    """Remove a photo file (no error when it is already gone)."""
    path = _path(name)
    if path is not None:
        path.unlink(missing_ok=True)


def photo_response(data: bytes) -> Response:
    """A photo as an image response (never cached in a shared browser: pages set no-store)."""
    return Response(data, mimetype="image/jpeg",
                    headers={"Content-Disposition": 'inline; filename="photo.jpg"'})


def too_large_redirect():
    """The answer to a photo upload beyond the request limit (the server's 413): back to the
    form, saying how large a photo may be, instead of the generic error page."""
    flash(_("The photo is too large: at most %(mb)s MB. Take it again at a lower resolution, or "
            "send a smaller copy.", mb=rules.PHOTO_MAX_MB), "error")
    return redirect(request.path)
