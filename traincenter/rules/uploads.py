"""Limits on what users may upload: file size, rows of a sheet, unpacked size of an .xlsx."""

from __future__ import annotations

from dataclasses import dataclass

from .photos import MB

MAX_UPLOAD_MB = 10
MAX_IMPORT_ROWS = 20000
MAX_XLSX_UNCOMPRESSED_MB = 100


@dataclass(frozen=True)
class UploadLimits:
    """How big an upload may be: bytes on the wire, data rows, bytes once an .xlsx is unpacked."""

    max_bytes: int = MAX_UPLOAD_MB * MB
    max_rows: int = MAX_IMPORT_ROWS
    max_uncompressed: int = MAX_XLSX_UNCOMPRESSED_MB * MB
