"""Checking uploaded pictures with Pillow, and making a trainee's passport photo of one.

Every area that takes a picture from a user goes through ``open_image``: the type is read from the
content (never from the file name), the size on the wire and the decoded size are limited (a
decompression bomb — a small file that unpacks into gigabytes — is refused before it is decoded),
and a damaged file is refused. Each refusal is an ``ImageRefused`` (a ``DomainError``) whose message
tells the person what to do. ``passport_photo`` then applies the camera's EXIF orientation, strips
every piece of metadata (EXIF with its GPS position, XMP, ICC, comments) by drawing the pixels onto
a fresh image, crops to 3:4 and stores a JPEG.
"""

from __future__ import annotations

import io
import warnings

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from . import rules
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


class ImageRefused(DomainError):
    """An uploaded picture that cannot be used; the message says why and what to do."""


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


def _refuse_type(kind: str | None, formats: tuple[str, ...]) -> ImageRefused:
    allowed = "、".join("JPG" if name == "JPEG" else name for name in formats)
    if kind == "PDF":
        return ImageRefused(_l("This is a PDF document, not a photo. Please choose a photo "
                               "(%(formats)s).", formats=allowed), field="photo")
    if kind == "HEIF":
        return ImageRefused(_l("HEIC/HEIF photos cannot be read here. On the phone, choose "
                               "\"Most compatible\" (JPG) in the camera settings, or take the photo "
                               "from this page."), field="photo")
    if kind is not None:
        return ImageRefused(_l("A %(kind)s file cannot be used. Please choose a photo "
                               "(%(formats)s).", kind=kind, formats=allowed), field="photo")
    return ImageRefused(_l("This file is not a photo. Please choose a photo (%(formats)s)."
                           , formats=allowed), field="photo")


def open_image(data: bytes, *, max_bytes: int, max_pixels: int,
               formats: tuple[str, ...] = rules.PHOTO_FORMATS,
               draft_size: tuple[int, int] | None = None) -> Image.Image:
    """The decoded picture in ``data``, or ``ImageRefused``.

    Refused: an empty file, more than ``max_bytes``, a type other than ``formats`` (read from the
    content), more than ``max_pixels`` once decoded (a decompression bomb), a damaged file. A
    JPEG is decoded directly at a reduced scale no smaller than ``draft_size`` when given.
    """
    if not data:
        raise ImageRefused(_l("The file is empty. Please choose the photo again."), field="photo")
    if len(data) > max_bytes:
        size = "%.1f" % (len(data) / rules.MB)
        raise ImageRefused(_l("The photo is %(size)s MB; at most %(mb)s MB is allowed. Take it "
                              "again at a lower resolution, or send a smaller copy.",
                              size=size, mb=max_bytes // rules.MB), field="photo")
    kind = sniff(data)
    if kind not in formats:
        raise _refuse_type(kind, formats)
    bomb = ImageRefused(_l("The picture would be far too large once unpacked (a \"decompression "
                           "bomb\") and was refused. Please send an ordinary photo."), field="photo")
    damaged = ImageRefused(_l("The photo file is damaged or incomplete. Please take or choose it "
                              "again."), field="photo")
    with warnings.catch_warnings():
        # Pillow warns, then refuses, beyond its own limit: both are a refusal here.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(formats))
            width, height = image.size
            if width * height > max_pixels:
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


def passport_photo(data: bytes) -> bytes:
    """A checked, upright, 3:4, metadata-free JPEG of at most ``rules.PHOTO_SIZE`` from an upload.

    Raises ``ImageRefused`` (see ``open_image``), also when the cropped photo is too small to print.
    """
    target_w, target_h = rules.PHOTO_SIZE
    image = open_image(data, max_bytes=rules.PHOTO_MAX_MB * rules.MB,
                       max_pixels=rules.PHOTO_MAX_PIXELS, formats=rules.PHOTO_FORMATS,
                       draft_size=(target_h, target_h))
    image = _flat_rgb(_upright(image))
    image = image.crop(rules.photo_crop_box(*image.size))
    if rules.photo_size_error(*image.size):
        min_w, min_h = rules.PHOTO_MIN_SIZE
        raise ImageRefused(_l("The photo is too small (%(width)s × %(height)s pixels after cutting "
                              "to 3:4; at least %(min_w)s × %(min_h)s). Please take it again "
                              "closer up.", width=image.width, height=image.height, min_w=min_w,
                              min_h=min_h), field="photo")
    if image.width > target_w:
        image = image.resize((target_w, target_h), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=rules.PHOTO_JPEG_QUALITY, optimize=True)
    return out.getvalue()
