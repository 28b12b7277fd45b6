"""The trainee's passport photo on disk: in the upload folder's ``portraits/``, outside the web root.

Each photo gets a new random name, so a replaced photo never shows from a cache and a name cannot
be guessed from the trainee. Only the views that check who is asking (staff, the trainee herself,
the public verify page with consent) read a photo.
"""

from __future__ import annotations

from flask import Response, flash, redirect, request
from flask_babel import gettext as _

from .. import images, rules

KIND = "portraits"


def save_photo(data: bytes) -> str:
    """Write a (checked, normalised) JPEG under a new name; returns the name."""
    return images.store_photo(KIND, data)


def read_photo(name: str | None) -> bytes | None:
    """The photo's bytes, or None when there is none (or the file went missing)."""
    path = images.photo_path(KIND, name)
    return None if path is None else path.read_bytes()


def delete_photo(name: str | None) -> None:
    """Remove a photo file (no error when it is already gone)."""
    images.delete_photo(KIND, name)


def photo_response(data: bytes) -> Response:
    """A photo as an image response (never cached in a shared browser: pages set no-store)."""
    return Response(data, mimetype="image/jpeg",
                    headers={"Content-Disposition": 'inline; filename="photo.jpg"'})


def too_large_redirect():
    """The answer to a photo upload beyond the request limit (the server's 413): back to the
    form, saying how large a photo may be, instead of the generic error page."""
    flash(_("The photo is too large: at most %(mb)s MB. Take it again at a lower resolution, or "
            "send a smaller copy.", mb=rules.PORTRAIT_MAX_MB), "error")
    return redirect(request.path)
