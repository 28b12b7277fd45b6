"""Photos users upload: checked by Pillow, cleaned, and kept outside the web root.

Every area that takes a picture from a user goes through ``open_image``: the type is read from the
content (never from the file name or the browser's word), the size on the wire and the decoded
size are limited (a decompression bomb — a small file that unpacks into gigabytes — is refused
before it is decoded), and a damaged file is refused. Each refusal is an ``ImageRefused`` (a
``DomainError`` whose ``code`` names the reason) whose message tells the person what to do. Then:

``passport_photo(data)``
    The trainee's photo for her certificate and work card: upright by the camera's EXIF
    orientation, every piece of metadata stripped (EXIF with its GPS position, XMP, ICC,
    comments) by drawing the pixels onto a fresh image, cropped to 3:4, stored as JPEG.
``clean_photo(data, limits)``
    A photo of self-study work: upright, scaled down to ``limits.max_side``, re-encoded as JPEG
    without metadata.
``store_photo(kind, jpeg)`` / ``photo_path(kind, name)`` / ``delete_photo(kind, name)``
    Keep the cleaned bytes under ``settings.upload_folder()/<kind>/`` with a random name (the name
    is what the database stores); only views that check who is asking serve them.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import warnings
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from . import rules, settings
from .errors import DomainError

# Types told apart by their first bytes, to say plainly what a refused file is.
SIGNATURES = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP"),
    (b"BM", "BMP"),
)
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif")
NAME = re.compile(r"[A-Za-z0-9_-]{16,60}\.jpg")
KIND = re.compile(r"[a-z_]{1,32}")


class ImageRefused(DomainError):
    """An uploaded picture that cannot be used; the message says why and what to do; ``code``
    names the reason: empty, too_large, not_a_photo, too_many_pixels, broken or too_small."""

    def __init__(self, message, code: str, field: str | None = "photo"):
        super().__init__(message, field=field)
        self.code = code


def sniff(data: bytes) -> str | None:
    """The file type its first bytes show: JPEG, PNG, WEBP, GIF, HEIF, PDF, ZIP, BMP or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return "HEIF"
    for signature, kind in SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def _formats_text(formats: tuple[str, ...]) -> str:
    return "、".join(dict.fromkeys("JPG" if name in ("JPEG", "MPO") else name for name in formats))


def _refuse_type(kind: str | None, formats: tuple[str, ...], field: str | None) -> ImageRefused:
    allowed = _formats_text(formats)
    if kind == "PDF":
        message = _l("This is a PDF document, not a photo. Please choose a photo "
                     "(%(formats)s).", formats=allowed)
    elif kind == "HEIF":
        message = _l("HEIC/HEIF photos cannot be read here. On the phone, choose \"Most "
                     "compatible\" (JPG) in the camera settings, or take the photo from this page.")
    elif kind is not None:
        message = _l("A %(kind)s file cannot be used. Please choose a photo (%(formats)s).",
                     kind=kind, formats=allowed)
    else:
        message = _l("This file is not a photo. Please choose a photo (%(formats)s).",
                     formats=allowed)
    return ImageRefused(message, "not_a_photo", field)


def open_image(data: bytes, *, max_bytes: int, max_pixels: int,
               formats: tuple[str, ...] = rules.PHOTO_FORMATS,
               draft_size: tuple[int, int] | None = None, field: str | None = "photo") -> Image.Image:
    """The decoded picture in ``data``, or ``ImageRefused``.

    Refused: an empty file, more than ``max_bytes``, a type other than ``formats`` (read from the
    content), more than ``max_pixels`` once decoded (a decompression bomb), a damaged file. A
    JPEG is decoded directly at a reduced scale no smaller than ``draft_size`` when given.
    """
    if not data:
        raise ImageRefused(_l("The file is empty. Please choose the photo again."), "empty", field)
    if len(data) > max_bytes:
        size = "%.1f" % (len(data) / rules.MB)
        raise ImageRefused(_l("The photo is %(size)s MB; at most %(mb)s MB is allowed. Take it "
                              "again at a lower resolution, or send a smaller copy.",
                              size=size, mb=max_bytes // rules.MB), "too_large", field)
    kind = sniff(data)
    if kind not in formats:
        raise _refuse_type(kind, formats, field)
    bomb = ImageRefused(_l("The picture would be far too large once unpacked (a \"decompression "
                           "bomb\") and was refused. Please send an ordinary photo."),
                        "too_many_pixels", field)
    damaged = ImageRefused(_l("The photo file is damaged or incomplete. Please take or choose it "
                              "again."), "broken", field)
    with warnings.catch_warnings():
        # Pillow warns, then refuses, beyond its own limit: both are a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[kind])  # the type its bytes showed
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                raise bomb
            if draft_size and image.format == "JPEG":
                image.draft("RGB", draft_size)
            image.load()
        except ImageRefused:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise bomb from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            raise damaged from error
    return image


def _upright(image: Image.Image) -> Image.Image:
    """The picture turned the way the camera's EXIF orientation says (as it is when unreadable)."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 — a malformed EXIF block must not lose the photo
        return image


def _flat_rgb(image: Image.Image) -> Image.Image:
    """The picture as plain RGB pixels on white, with none of the source's metadata."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    clean = Image.new("RGB", image.size, "white")
    clean.paste(image.convert("RGB"))
    return clean


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    # No exif=, no icc_profile=: Pillow writes neither unless asked.
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def passport_photo(data: bytes) -> bytes:
    """A checked, upright, 3:4, metadata-free JPEG of at most ``rules.PHOTO_SIZE`` from an upload.

    Raises ``ImageRefused`` (see ``open_image``), also when the cropped photo is too small to print.
    """
    target_w, target_h = rules.PHOTO_SIZE
    image = open_image(data, max_bytes=rules.PORTRAIT_MAX_MB * rules.MB,
                       max_pixels=rules.PHOTO_MAX_PIXELS, formats=rules.PHOTO_FORMATS,
                       draft_size=(target_h, target_h))
    image = _flat_rgb(_upright(image))
    image = image.crop(rules.photo_crop_box(*image.size))
    if rules.photo_size_error(*image.size):
        min_w, min_h = rules.PHOTO_MIN_SIZE
        raise ImageRefused(_l("The photo is too small (%(width)s × %(height)s pixels after cutting "
                              "to 3:4; at least %(min_w)s × %(min_h)s). Please take it again "
                              "closer up.", width=image.width, height=image.height, min_w=min_w,
                              min_h=min_h), "too_small")
    if image.width > target_w:
        image = image.resize((target_w, target_h), Image.Resampling.LANCZOS)
    return _jpeg(image, rules.PHOTO_JPEG_QUALITY)


def clean_photo(data: bytes, limits: rules.ImageLimits | None = None,
                field: str | None = "photo") -> bytes:
    """A photo of work upright, scaled down to ``limits.max_side`` and re-encoded as JPEG without
    metadata; raises ``ImageRefused``."""
    limits = limits or settings.photo_limits()
    image = open_image(data, max_bytes=limits.max_bytes, max_pixels=limits.max_pixels,
                       formats=limits.formats, field=field)
    try:
        image = _flat_rgb(_upright(image))
        image.thumbnail((limits.max_side, limits.max_side), Image.Resampling.LANCZOS)
        return _jpeg(image, limits.quality)
    except (OSError, ValueError) as error:
        raise ImageRefused(_l("The photo file is damaged or incomplete. Please take or choose it "
                              "again."), "broken", field) from error


def _folder(kind: str) -> Path:
    if not KIND.fullmatch(kind):
        raise ValueError(f"bad photo kind {kind!r}")
    return settings.upload_folder() / kind


def store_photo(kind: str, jpeg: bytes) -> str:
    """Write cleaned JPEG bytes under the upload folder; return the file's new random name."""
    folder = _folder(kind)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_urlsafe(18)}.jpg"
    partial = folder / f"{name}.part"
    partial.write_bytes(jpeg)
    os.replace(partial, folder / name)  # never a half-written photo under the real name
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
