"""Photos users upload: checked by Pillow and kept outside the web root.

Shared by every area that takes a photo (a self-study photo of the trainee's work; a trainee's
portrait). Two steps:

``clean_photo(data, limits)``
    Reads the bytes with Pillow and refuses anything that is not a photo within ``limits``
    (``rules.ImageLimits``, the settings' ``photo_limits()``): the type is taken from the content
    (never from the file name or the browser's word), the size in bytes and in pixels is limited
    (a decompression bomb is refused before it is decoded). The photo is turned upright from its
    EXIF orientation, scaled down to ``max_side`` and re-encoded as JPEG *without* EXIF, so GPS
    position, phone model and time never leave the phone's owner. Returns the JPEG bytes; raises
    ``PhotoRefused`` (a ``DomainError`` whose ``code`` names the reason) otherwise.

``store_photo(kind, jpeg)`` / ``photo_path(kind, name)`` / ``delete_photo(kind, name)``
    Keep the cleaned bytes under ``settings.upload_folder()/<kind>/`` with a random name (the name
    is what the database stores); serve them only through a view that checks who is asking.
"""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from . import rules, settings
from .errors import DomainError

MESSAGES = {
    "empty": _l("The photo is empty. Please choose it again."),
    "too_large": _l("The photo is larger than %(mb)s MB. Please choose a smaller one."),
    "not_a_photo": _l("This file is not a photo we can read. Please take a photo with the phone "
                      "camera (JPG) or a screenshot (PNG)."),
    "too_many_pixels": _l("The photo has too many pixels. Please choose a smaller one."),
    "broken": _l("The photo is damaged or incomplete. Please choose it again."),
}
NAME = re.compile(r"[A-Za-z0-9_-]{16,60}\.jpg")


class PhotoRefused(DomainError):
    """An upload that is not an acceptable photo; ``code`` names the reason."""

    def __init__(self, code: str, limits: rules.ImageLimits, field: str | None = None):
        message = MESSAGES[code]
        if code == "too_large":
            message = _l("The photo is larger than %(mb)s MB. Please choose a smaller one.",
                         mb=limits.max_bytes // rules.MB)
        super().__init__(message, field=field)
        self.code = code


def clean_photo(data: bytes, limits: rules.ImageLimits | None = None,
                field: str | None = None) -> bytes:
    """The photo in ``data`` upright, scaled down and re-encoded as JPEG without EXIF."""
    limits = limits or settings.photo_limits()
    if not data:
        raise PhotoRefused("empty", limits, field)
    if len(data) > limits.max_bytes:
        raise PhotoRefused("too_large", limits, field)
    try:
        image = Image.open(io.BytesIO(data))  # reads the header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRefused("too_many_pixels", limits, field) from error
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise PhotoRefused("not_a_photo", limits, field) from error
    if image.format not in limits.formats:
        raise PhotoRefused("not_a_photo", limits, field)
    width, height = image.size
    if width < 1 or height < 1 or width * height > limits.max_pixels:
        raise PhotoRefused("too_many_pixels", limits, field)
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "L"):
            background = Image.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        # No exif=, no icc_profile=: Pillow writes neither unless asked.
        image.save(out, format="JPEG", quality=limits.quality, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise PhotoRefused("broken", limits, field) from error
    return out.getvalue()


def _folder(kind: str) -> Path:
    if not re.fullmatch(r"[a-z_]{1,32}", kind):
        raise ValueError(f"bad photo kind {kind!r}")
    return settings.upload_folder() / kind


def store_photo(kind: str, jpeg: bytes) -> str:
    """Write cleaned JPEG bytes under the upload folder; return the file's new random name."""
    folder = _folder(kind)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.jpg"
    (folder / name).write_bytes(jpeg)
    return name


def photo_path(kind: str, name: str | None) -> Path | None:
    """The stored file of a photo name, or None when the name is malformed or the file is gone."""
    if not name or not NAME.fullmatch(name):
        return None
    path = _folder(kind) / name
    return path if path.is_file() else None


def delete_photo(kind: str, name: str | None) -> None:
    """Remove a stored photo (after the row that named it was not saved, or was deleted)."""
    path = photo_path(kind, name)
    if path is not None:
        path.unlink(missing_ok=True)
