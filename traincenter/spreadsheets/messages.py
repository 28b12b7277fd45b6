"""What an import tells the user about a file it cannot use: one message per problem, shared by
every import (each may word a code its own way through ``overrides``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import rules
from .reading import HeaderPlace, SpreadsheetError
from .stash import StashError

BLANK_CELL = _l("Not filled in")

FILE_MESSAGES = {
    "oversized": _l("The file is too large (at most %(mb)s MB). Split it into smaller files."),
    "too_large_inside": _l("The file unpacks to too much data; it cannot be a normal table."),
    "too_many_rows": _l("The file has more than %(rows)s rows. Split it into smaller files."),
    "empty": _l("The file is empty or has no data rows under the header."),
    "data_on_later_sheet": _l("Only the first sheet of a workbook is read, and it has no data; "
                              "the data is on the sheet \"%(sheet)s\". Move that sheet to the "
                              "front (or copy the data onto the first sheet) and upload again."),
    "old_excel": _l("This is an old Excel file (.xls), which cannot be read. Please save it as "
                    ".xlsx: in Excel or WPS choose \"Save as\" → \"Excel workbook (*.xlsx)\", "
                    "then upload the new file."),
    "ods": _l("This is an OpenDocument spreadsheet (.ods, saved by LibreOffice or WPS), which "
              "cannot be read. Please save it as .xlsx: choose \"Save as\" and the type \"Excel "
              "2007-365 (.xlsx)\", then upload the new file."),
    "wrong_type": _l("Only .xlsx and .csv files can be read."),
    "unreadable": _l("The file cannot be read: it is damaged or not a spreadsheet. Save it again "
                     "as .xlsx (or as CSV in UTF-8) and upload it again."),
}


def file_message(error: SpreadsheetError, overrides: dict | None = None) -> str:
    """The user's message for a file that cannot be read (``overrides``: code → message)."""
    message = ((overrides or {}).get(error.code) or FILE_MESSAGES.get(error.code)
               or FILE_MESSAGES["unreadable"])
    limit = error.limit or 0
    return str(message) % {"mb": limit // rules.MB or 1, "rows": limit, "sheet": error.sheet or ""}


def header_place_message(place: HeaderPlace) -> str:
    """Why the header was not found where it must be: on a later row, or on a later sheet."""
    if place.sheet is not None:
        return str(_l("Only the first sheet of a workbook is read: the table is on the sheet "
                      "\"%(sheet)s\". Move that sheet to the front (or copy the table onto the "
                      "first sheet) and upload again.", sheet=place.sheet))
    return str(_l("The header must be in the first row: here it is in row %(row)s. Delete the "
                  "rows above it (a title or notes) and upload again.", row=place.row))


STASH_MESSAGES = {
    "replaced": _l("Nothing was imported: the file previewed on that page is no longer the last "
                   "file checked (another file was checked since, perhaps in another tab). "
                   "Upload the file you want to import again."),
    "gone": _l("The uploaded file is no longer available. Please upload it again."),
}


def stash_message(error: StashError) -> str:
    """Why a previewed upload cannot be confirmed."""
    return str(STASH_MESSAGES.get(error.code, STASH_MESSAGES["gone"]))
