"""The annual report's files: one writer module per format, all reading from ``document`` and
``formatting``.

Every writer is a pure function of a ``Content`` (the figures, live or from a snapshot, and the
staff's text), so a finalised report is reproduced exactly. Text goes through gettext in the
current locale; the charts are rendered once and shared by the Word and PDF writers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .formatting import filename, roster_filename

FORMATS = ("docx", "pdf", "xlsx", "json")
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass
class Content:
    """What a report file is made of: figures, the staff's text, whether final, the center's name,
    and the charts as {name: (caption, PNG)} (rendered on demand when not given)."""

    figures: dict
    narrative: dict = field(default_factory=dict)
    finalised: bool = False
    center: str = ""
    pngs: dict[str, tuple[str, bytes]] | None = None

    def charts(self) -> dict[str, tuple[str, bytes]]:
        """Every chart as (caption, PNG), rendered once."""
        if self.pngs is None:
            from .. import charts

            self.pngs = charts.render_all(self.figures)
        return self.pngs


def export(fmt: str, content: Content) -> bytes:
    """The report in ``fmt`` (one of ``FORMATS``)."""
    from .json_data import to_json
    from .pdf import to_pdf
    from .word import to_docx
    from .workbook import to_xlsx

    return {"json": to_json, "xlsx": to_xlsx, "docx": to_docx, "pdf": to_pdf}[fmt](content)


__all__ = ["FORMATS", "MIME", "Content", "export", "filename", "roster_filename"]
