"""Photos users upload: what an upload may be, and how a passport photo is cut to 3:4.

Two kinds of photo: the trainee's passport photo (printed on the certificate and the work card;
at most ``PORTRAIT_MAX_MB``) and a photo of her self-study work (kept larger, up to
``WORK_PHOTO_MAX_SIDE`` pixels; at most ``WORK_PHOTO_MAX_MB``, a setting). Both are read from
their content by Pillow, never by their name, and kept re-encoded as JPEG without EXIF.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024
# MPO is the JPEG of phones with several cameras (Pillow reads it as its own format).
PHOTO_FORMATS = ("JPEG", "MPO", "PNG", "WEBP")
# Pixels an upload may decode to. A 48-megapixel phone camera fits; a file claiming more is treated
# as a decompression bomb (a few kilobytes that would unpack into gigabytes of memory).
PHOTO_MAX_PIXELS = 50_000_000
PHOTO_JPEG_QUALITY = 88

PORTRAIT_MAX_MB = 5
PHOTO_RATIO = (3, 4)  # width : height, the passport-photo ratio printed on cards
PHOTO_SIZE = (600, 800)  # the stored photo at most, in pixels (about 500 dpi on the certificate)
PHOTO_MIN_SIZE = (240, 320)  # smaller than this prints blurred on the work card

WORK_PHOTO_MAX_MB = 8  # below MAX_UPLOAD_MB, so the form around the photo still fits
WORK_PHOTO_MAX_SIDE = 1600


@dataclass(frozen=True)
class ImageLimits:
    """What an uploaded photo of work may be: bytes sent, pixels, formats; how big it is kept."""

    max_bytes: int = WORK_PHOTO_MAX_MB * MB
    max_pixels: int = PHOTO_MAX_PIXELS
    formats: tuple[str, ...] = PHOTO_FORMATS
    max_side: int = WORK_PHOTO_MAX_SIDE
    quality: int = PHOTO_JPEG_QUALITY


def photo_crop_box(width: int, height: int,
                   ratio: tuple[int, int] = PHOTO_RATIO) -> tuple[int, int, int, int]:
    """The largest ``ratio`` box inside a ``width`` × ``height`` picture, as (left, top, right,
    bottom). Too wide: equal strips come off both sides. Too tall: a third of the excess comes off
    the top and two thirds off the bottom, so a face in the upper half stays whole."""
    if width <= 0 or height <= 0:
        raise ValueError("a picture has a positive width and height")
    ratio_w, ratio_h = ratio
    if width * ratio_h > height * ratio_w:  # too wide
        new_width = height * ratio_w // ratio_h
        left = (width - new_width) // 2
        return left, 0, left + new_width, height
    new_height = width * ratio_h // ratio_w
    top = (height - new_height) // 3
    return 0, top, width, top + new_height


def photo_size_error(width: int, height: int,
                     minimum: tuple[int, int] = PHOTO_MIN_SIZE) -> str | None:
    """'too_small' when a cropped photo is smaller than ``minimum``; None when it will do."""
    if width < minimum[0] or height < minimum[1]:
        return "too_small"
    return None


def trainee_may_replace_photo(has_photo: bool, holds_certificate: bool) -> bool:
    """A trainee takes her own photo until it is printed on a standing certificate; after that
    only staff change it (the printed card and the file must show the same face)."""
    return not (has_photo and holds_certificate)
