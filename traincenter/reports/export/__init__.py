"""The annual report's files: one writer module per format, all reading from ``formatting``.

Every writer is a pure function of the figures dict (live or from a snapshot), so a finalised
report is reproduced exactly. Text goes through gettext in the current locale; the charts are
rendered once and shared by the Word and PDF writers.
"""

from __future__ import annotations

from .json_data import to_json
from .pdf import to_pdf
from .word import to_docx
from .workbook import to_xlsx

FORMATS = ("docx", "pdf", "xlsx", "json")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def export(fmt: str, figures: dict, finalised: bool = False, pngs: dict | None = None) -> bytes:
    """The report in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "json":
        return to_json(figures)
    if fmt == "xlsx":
        return to_xlsx(figures, finalised)
    return {"docx": to_docx, "pdf": to_pdf}[fmt](figures, finalised, pngs)


def filename(year: int, fmt: str) -> str:
    """The file name of the report for ``year`` in ``fmt``."""
    return f"annual-report-{year}.{fmt}"
