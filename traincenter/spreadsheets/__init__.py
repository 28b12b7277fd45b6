"""Reading uploaded .xlsx/.csv files safely, and writing .xlsx/.csv downloads.

Shared by every import (trainee rosters, exam scores). Reading and writing have no translated
strings: failures carry a ``code`` that ``messages`` turns into a message in the user's language
(each import may word a code its own way). Import the names below from the package itself; they
live in ``reading`` (uploads), ``writing`` (workbooks and CSV files), ``responses`` (Flask
downloads) and ``messages``.

Reading
-------
``read_table(upload, filename=None, *, max_bytes=None, max_rows=None, max_uncompressed=None)``
    ``upload`` is ``bytes`` or a file-like object (a werkzeug ``FileStorage`` works; its
    ``filename`` is used when ``filename`` is not given). Returns a ``Table``. Limits default to
    the app config (``MAX_CONTENT_LENGTH``, ``MAX_IMPORT_ROWS``, ``MAX_XLSX_UNCOMPRESSED_MB``)
    inside an app context, else to the constants below. Raises ``SpreadsheetError`` whose
    ``code`` is one of:

    ``oversized``       the file is larger than ``max_bytes`` (``error.limit`` holds the bytes)
    ``too_large_inside`` an .xlsx that unpacks to more than ``max_uncompressed`` (zip bomb)
    ``too_many_rows``   more data rows than ``max_rows`` (``error.limit`` holds the rows)
    ``empty``           no file, or no header row, or a header but no data row
    ``data_on_later_sheet`` the first sheet has no data but a later one has a table
                        (``error.sheet`` is its title): only the first sheet is read
    ``old_excel``       an .xls (Excel 97–2003) or WPS .et file: save it as .xlsx
    ``ods``             an OpenDocument spreadsheet (.ods, LibreOffice/WPS): save it as .xlsx
    ``wrong_type``      neither .xlsx nor .csv
    ``unreadable``      damaged .xlsx, a binary file, UTF-16 text, or a CSV in neither UTF-8
                        (± BOM) nor GBK/GB18030

    .xlsx is recognised by its magic bytes ``PK\\x03\\x04`` (not by the name), opened with
    openpyxl in read-only mode (``defusedxml`` installed, so XML entity tricks are refused) after
    the sum of the uncompressed sizes in the zip directory was checked. Only the first sheet is
    read (the first rows of later sheets are glanced at, to tell a user where the data is). CSV is decoded as UTF-8 (with or without BOM) and then GB18030 (a superset of GBK);
    UTF-16 ("Unicode text") and binary files are refused. The delimiter (comma, semicolon or
    tab) is detected. Control characters are dropped from every text cell.

``Table``
    ``headers``   list of header texts (first non-blank row), stripped
    ``rows``      list of ``Row`` (blank rows dropped); ``kind`` is ``"xlsx"`` or ``"csv"``
    ``column(*names)`` index of the first header matching one of ``names`` (ignores spaces,
                  ``*`` markers, case and text in brackets, so "身份证号（18位）" matches
                  "身份证号"), or ``None``
    ``find_header(columns)`` when the header row lacks columns: a ``HeaderPlace`` (row, sheet)
                  where a row naming them sits instead — a later row (a title above the header)
                  or a later sheet — or ``None``

``Row``
    ``number``    the row number as the user sees it in Excel (header = its own row number)
    ``values``    one value per header column: ``str`` (stripped, never empty), ``int``/``float``,
                  ``datetime``/``date``, ``bool`` or ``None`` for an empty cell
    ``types``     the openpyxl ``data_type`` per cell: ``"s"`` text, ``"n"`` number, ``"d"``
                  date, ``"b"`` boolean, ``"e"`` error, ``"f"`` formula; CSV cells are ``"s"``;
                  empty cells are ``None``
    ``value(i)``  value of column ``i`` (``None`` when the row is shorter or ``i`` is None)
    ``text(i)``   the value as text ('' for empty; 13800000000.0 → '13800000000')
    ``is_number(i)`` the cell holds a number (e.g. an ID number Excel already rounded:
                  reject it and ask to set the column as text)

Writing
-------
``SheetSpec(title, headers, rows, text_columns=(), blank_rows=0, widths=None)``
``write_xlsx(*sheets) -> bytes``
    Bold, frozen header row. Every column is as wide as its longest text (CJK characters count
    double; an 18-digit ID number or an 11-digit phone is never clipped), at most
    ``MAX_COLUMN_WIDTH`` with longer text wrapped; ``widths`` are minimums. Columns named in ``text_columns`` (header texts or 0-based
    indexes) get ``number_format = "@"`` on the column, every written cell and ``blank_rows``
    empty rows below, so what a user types there stays text. Text that looks like a formula
    (starts with ``=``, ``+``, ``-``, ``@``, tab or CR) is stored as a plain string, never a
    formula.
``write_csv(headers, rows) -> bytes``
    UTF-8 with BOM (so Excel shows Chinese), formula-looking text prefixed with ``'``.
    (``write_xlsx`` also drops control characters, which openpyxl cannot write.)
``send_xlsx(data, filename)`` / ``send_csv(data, filename)``
    Flask responses serving the bytes as a download (UTF-8 filename).

Messages
--------
``file_message(error, overrides=None)``  the user's message for a ``SpreadsheetError``
``header_place_message(place)``  "the header must be in the first row" (a later row) or "only
    the first sheet is read" (a later sheet), for a ``HeaderPlace``
``BLANK_CELL``  "not filled in", for a required cell left empty
``stash_message(error)``  why a previewed upload cannot be confirmed (``StashError``)

Keeping an upload until it is confirmed (``stash``)
---------------------------------------------------
``keep_upload(key, data, **context) -> PendingUpload`` keeps the file last checked for ``key``
(in the instance folder, named in the session) with its identity (SHA-256) and context;
``confirmed_upload(key, digest, **context) -> (bytes, PendingUpload)`` gives it back only when
the confirm form names that very file (else ``StashError`` ``replaced`` or ``gone``);
``pending_upload(key)``, ``forget_upload(key)``.
"""

from .messages import BLANK_CELL, file_message, header_place_message, stash_message
from .reading import (
    CONTROL_CHARACTERS,
    MAX_ZIP_ENTRIES,
    OLE_MAGIC,
    XLSX_MAGIC,
    HeaderPlace,
    Row,
    SpreadsheetError,
    Table,
    normalise_header,
    read_table,
)
from .responses import XLSX_MIMETYPE, send_csv, send_xlsx
from .stash import (
    PendingUpload,
    StashError,
    confirmed_upload,
    file_digest,
    forget_upload,
    keep_upload,
    pending_upload,
)
from .writing import (
    FORMULA_PREFIXES,
    MAX_COLUMN_WIDTH,
    SheetSpec,
    display_width,
    looks_like_formula,
    write_csv,
    write_xlsx,
)

__all__ = [
    "BLANK_CELL", "CONTROL_CHARACTERS", "FORMULA_PREFIXES", "MAX_COLUMN_WIDTH", "MAX_ZIP_ENTRIES",
    "OLE_MAGIC", "XLSX_MAGIC", "XLSX_MIMETYPE", "HeaderPlace", "PendingUpload", "Row",
    "SheetSpec", "SpreadsheetError", "StashError", "Table", "confirmed_upload", "display_width",
    "file_digest", "file_message", "forget_upload", "header_place_message", "keep_upload",
    "looks_like_formula", "normalise_header", "pending_upload", "read_table", "send_csv",
    "send_xlsx", "stash_message", "write_csv", "write_xlsx",
]
