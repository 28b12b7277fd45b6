"""The trainee's photo: what an upload may be, and how it is cut to the passport ratio (3:4)."""

from __future__ import annotations

PHOTO_MAX_MB = 5
# Pixels an upload may decode to. A 48-megapixel phone camera fits; a file claiming more is treated
# as a decompression bomb (a few kilobytes that would unpack into gigabytes of memory).
PHOTO_MAX_PIXELS = 50_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
PHOTO_RATIO = (3, 4)  # width : height, the passport-photo ratio printed on cards
PHOTO_SIZE = (600, 800)  # the stored photo at most, in pixels (about 500 dpi on the certificate)
PHOTO_MIN_SIZE = (240, 320)  # smaller than this prints blurred on the work card
PHOTO_JPEG_QUALITY = 88


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
