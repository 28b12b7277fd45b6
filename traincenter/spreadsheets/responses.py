"""Flask responses serving a written .xlsx or .csv file as a download."""

from __future__ import annotations

import io

from flask import send_file

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def send_xlsx(data: bytes, filename: str):
    """A Flask download response for an .xlsx file."""
    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=filename)


def send_csv(data: bytes, filename: str):
    """A Flask download response for a CSV file."""
    return send_file(io.BytesIO(data), mimetype="text/csv; charset=utf-8", as_attachment=True,
                     download_name=filename)
