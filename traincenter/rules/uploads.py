"""Limits on what users may upload: file size, rows of a sheet, unpacked size of an .xlsx."""

from __future__ import annotations

from dataclasses import dataclass

MAX_UPLOAD_MB = 10
MAX_IMPORT_ROWS = 20000
MAX_XLSX_UNCOMPRESSED_MB = 100
MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimits:
    """How big an upload may be: bytes on the wire, data rows, bytes once an .xlsx is unpacked."""

    max_bytes: int = MAX_UPLOAD_MB * MB
    max_rows: int = MAX_IMPORT_ROWS
    max_uncompressed: int = MAX_XLSX_UNCOMPRESSED_MB * MB


# Photos (a self-study photo; a trainee's portrait): read by Pillow from their content, never by
# their name; kept re-encoded as JPEG, no larger than PHOTO_MAX_SIDE, without EXIF (GPS, phone).
PHOTO_MAX_MB = 8  # below MAX_UPLOAD_MB, so the form around the photo still fits
PHOTO_MAX_PIXELS = 50_000_000  # a 50-megapixel phone photo; more is a decompression bomb
PHOTO_MAX_SIDE = 1600
PHOTO_FORMATS = ("JPEG", "MPO", "PNG", "WEBP")  # MPO: the JPEG of phones with several cameras
PHOTO_JPEG_QUALITY = 85


@dataclass(frozen=True)
class ImageLimits:
    """What an uploaded photo may be: bytes sent, pixels, formats; how big it is kept."""

    max_bytes: int = PHOTO_MAX_MB * MB
    max_pixels: int = PHOTO_MAX_PIXELS
    formats: tuple[str, ...] = PHOTO_FORMATS
    max_side: int = PHOTO_MAX_SIDE
    quality: int = PHOTO_JPEG_QUALITY
