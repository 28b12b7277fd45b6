"""Reading uploaded .xlsx/.csv files safely, and writing .xlsx/.csv downloads.

Shared by every import (trainee rosters, exam scores). The module has no translated strings:
failures carry a ``code`` the caller turns into a message in the user's language.

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
    ``old_excel``       an .xls (Excel 97–2003) file: save it as .xlsx
    ``wrong_type``      neither .xlsx nor .csv
    ``unreadable``      damaged .xlsx, a binary file, UTF-16 text, or a CSV in neither UTF-8
                        (± BOM) nor GBK/GB18030

    .xlsx is recognised by its magic bytes ``PK\\x03\\x04`` (not by the name), opened with
    openpyxl in read-only mode (``defusedxml`` installed, so XML entity tricks are refused) after
    the sum of the uncompressed sizes in the zip directory was checked. Only the first sheet is
    read. CSV is decoded as UTF-8 (with or without BOM) and then GB18030 (a superset of GBK);
    UTF-16 ("Unicode text") and binary files are refused. The delimiter (comma, semicolon or
    tab) is detected. Control characters are dropped from every text cell.

``Table``
    ``headers``   list of header texts (first non-blank row), stripped
    ``rows``      list of ``Row`` (blank rows dropped); ``kind`` is ``"xlsx"`` or ``"csv"``
    ``column(*names)`` index of the first header matching one of ``names`` (ignores spaces,
                  ``*`` markers, case and text in brackets, so "身份证号（18位）" matches
                  "身份证号"), or ``None``

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
    Bold, frozen header row. Columns named in ``text_columns`` (header texts or 0-based
    indexes) get ``number_format = "@"`` on the column, every written cell and ``blank_rows``
    empty rows below, so what a user types there stays text. Text that looks like a formula
    (starts with ``=``, ``+``, ``-``, ``@``, tab or CR) is stored as a plain string, never a
    formula.
``write_csv(headers, rows) -> bytes``
    UTF-8 with BOM (so Excel shows Chinese), formula-looking text prefixed with ``'``.
    (``write_xlsx`` also drops control characters, which openpyxl cannot write.)
``send_xlsx(data, filename)`` / ``send_csv(data, filename)``
    Flask responses serving the bytes as a download (UTF-8 filename).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from . import settings

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003)
MAX_ZIP_ENTRIES = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters (C0 except tab/newline, and DEL): dropped from every cell read or written,
# because they are invisible, never meant, and openpyxl refuses to write them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetError(ValueError):
    """An upload that cannot be read; ``code`` names the reason, ``limit`` the limit broken."""

    def __init__(self, code: str, limit: int | None = None):
        super().__init__(code)
        self.code = code
        self.limit = limit


@dataclass(frozen=True)
class Row:
    """One data row: values and openpyxl data types per column, with its row number in the file."""

    number: int
    values: list
    types: list

    def value(self, index: int | None):
        """The value of column ``index``; None when missing."""
        if index is None or index >= len(self.values):
            return None
        return self.values[index]

    def text(self, index: int | None) -> str:
        """The value as text: '' for empty, whole floats without '.0', dates as ISO."""
        value = self.value(index)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, datetime):
            return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return str(value).strip()

    def is_number(self, index: int | None) -> bool:
        """Whether the cell holds a number (not text that looks like one)."""
        if index is None or index >= len(self.types):
            return False
        return self.types[index] == "n" and self.values[index] is not None


@dataclass
class Table:
    """The first sheet of an upload: header texts and the non-blank data rows."""

    headers: list[str]
    rows: list[Row]
    kind: str
    encoding: str | None = None

    def column(self, *names: str) -> int | None:
        """Index of the first header matching one of ``names`` (loosely), or None."""
        wanted = {normalise_header(name) for name in names}
        for index, header in enumerate(self.headers):
            if normalise_header(header) in wanted:
                return index
        return None


def normalise_header(text: object) -> str:
    """Header text without spaces, '*' markers, bracketed notes or case."""
    text = str(text or "").strip().lower()
    for opening, closing in (("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")):
        while opening in text and closing in text.split(opening, 1)[1]:
            head, rest = text.split(opening, 1)
            text = head + rest.split(closing, 1)[1]
    return "".join(ch for ch in text if ch not in " \t*＊:：\u3000")


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def _limits(max_bytes, max_rows, max_uncompressed) -> tuple[int, int, int]:
    """The limits given, else the settings in force (the rules' defaults outside an app)."""
    limits = settings.upload_limits()
    return (max_bytes or limits.max_bytes, max_rows or limits.max_rows,
            max_uncompressed or limits.max_uncompressed)


def _read_bytes(upload, max_bytes: int) -> bytes:
    if upload is None:
        raise SpreadsheetError("empty")
    if isinstance(upload, (bytes, bytearray)):
        data = bytes(upload)
    else:
        stream = getattr(upload, "stream", upload)
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise SpreadsheetError("oversized", max_bytes)
    if not data.strip():
        raise SpreadsheetError("empty")
    return data


def read_table(upload, filename: str | None = None, *, max_bytes: int | None = None,
               max_rows: int | None = None, max_uncompressed: int | None = None) -> Table:
    """Read the first sheet of an .xlsx or .csv upload (see the module docstring)."""
    max_bytes, max_rows, max_uncompressed = _limits(max_bytes, max_rows, max_uncompressed)
    filename = (filename or getattr(upload, "filename", None) or "").lower()
    data = _read_bytes(upload, max_bytes)
    if data.startswith(XLSX_MAGIC):
        raw_rows = _xlsx_rows(data, max_uncompressed, max_rows)
        table_kind, encoding = "xlsx", None
    elif data.startswith(OLE_MAGIC) or filename.endswith(".xls"):
        raise SpreadsheetError("old_excel")
    elif filename.endswith(".xlsx"):
        raise SpreadsheetError("unreadable")
    elif filename.endswith((".csv", ".txt")) or not filename:
        text, encoding = _decode(data)
        raw_rows = _csv_rows(text, max_rows)
        table_kind = "csv"
    else:
        raise SpreadsheetError("wrong_type")
    return _table(raw_rows, table_kind, encoding, max_rows)


def _xlsx_rows(data: bytes, max_uncompressed: int, max_rows: int):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {info.filename for info in entries}
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError("unreadable") from exc
    if len(entries) > MAX_ZIP_ENTRIES or sum(info.file_size for info in entries) > max_uncompressed:
        raise SpreadsheetError("too_large_inside", max_uncompressed)
    if "xl/workbook.xml" not in names:
        raise SpreadsheetError("unreadable")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise SpreadsheetError("unreadable") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise SpreadsheetError("empty")
        rows = _RowCollector(max_rows)
        try:
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                values, types = [], []
                for cell in cells:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str):
                        value = CONTROL_CHARACTERS.sub("", value).strip() or None
                    values.append(value)
                    types.append(getattr(cell, "data_type", None) if value is not None else None)
                rows.add(number, values, types)
        except SpreadsheetError:
            raise
        except Exception as exc:
            raise SpreadsheetError("unreadable") from exc
        return rows.rows
    finally:
        workbook.close()


class _RowCollector:
    """Raw rows read so far; stops a file with more than ``max_rows`` data rows early.

    The data rows are counted as they come (not recounted per row), so a sheet with many blank
    formatted rows stays linear.
    """

    def __init__(self, max_rows: int):
        self.max_rows = max_rows
        self.rows: list = []
        self.filled = 0  # non-blank rows, the header included

    def add(self, number: int, values: list, types: list) -> None:
        self.rows.append((number, values, types))
        if any(v is not None for v in values):
            self.filled += 1
        if len(self.rows) > self.max_rows + 50 and self.filled - 1 > self.max_rows:
            raise SpreadsheetError("too_many_rows", self.max_rows)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError("unreadable")  # UTF-16 ("Unicode text"): not a CSV we accept
    if data.count(b"\x00") * 10 > len(data):
        raise SpreadsheetError("unreadable")  # UTF-16 without a BOM, or a binary file
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("unreadable")


def _csv_rows(text: str, max_rows: int):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = _RowCollector(max_rows)
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            values = [(CONTROL_CHARACTERS.sub("", cell).strip() or None) for cell in cells]
            rows.add(number, values, ["s" if v is not None else None for v in values])
    except csv.Error as exc:
        raise SpreadsheetError("unreadable") from exc
    return rows.rows


def _table(raw_rows, kind: str, encoding: str | None, max_rows: int) -> Table:
    filled = [(n, v, t) for n, v, t in raw_rows if any(value is not None for value in v)]
    if not filled:
        raise SpreadsheetError("empty")
    _, header_values, _ = filled[0]
    width = len(header_values)
    while width and header_values[width - 1] is None:
        width -= 1
    headers = [Row(0, header_values, []).text(i) for i in range(width)]
    rows = []
    for number, values, types in filled[1:]:
        values = (list(values) + [None] * width)[:width]
        types = (list(types) + [None] * width)[:width]
        if any(value is not None for value in values):
            rows.append(Row(number, values, types))
    if not rows:
        raise SpreadsheetError("empty")
    if len(rows) > max_rows:
        raise SpreadsheetError("too_many_rows", max_rows)
    return Table(headers, rows, kind, encoding)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


@dataclass
class SheetSpec:
    """One sheet to write: title, header texts, rows, the columns kept as text."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    text_columns: Sequence[str | int] = ()
    blank_rows: int = 0
    widths: dict[int, float] | None = field(default=None)


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet program could run as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def write_xlsx(*sheets: SheetSpec) -> bytes:
    """An .xlsx workbook with one worksheet per ``SheetSpec``."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        headers = list(spec.headers)
        text_indexes = {
            column if isinstance(column, int) else headers.index(column)
            for column in spec.text_columns
        }
        sheet.append([CONTROL_CHARACTERS.sub("", str(h)) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = TYPE_STRING
        row_count = 1
        for values in spec.rows:
            row_count += 1
            for index, value in enumerate(values, start=1):
                cell = sheet.cell(row=row_count, column=index)
                if index - 1 in text_indexes and value is not None and not isinstance(value, str):
                    value = str(value)
                if isinstance(value, str):
                    value = CONTROL_CHARACTERS.sub("", value)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
        for index in text_indexes:
            letter = get_column_letter(index + 1)
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, row_count + spec.blank_rows + 1):
                sheet.cell(row=row, column=index + 1).number_format = "@"
        for index, header in enumerate(headers):
            width = (spec.widths or {}).get(index) or max(10, min(40, len(str(header)) * 2 + 4))
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """CSV as UTF-8 with BOM; formula-looking text is prefixed with an apostrophe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(h) for h in headers])
    for values in rows:
        writer.writerow(["'" + v if looks_like_formula(v) else ("" if v is None else v)
                         for v in values])
    return buffer.getvalue().encode("utf-8-sig")


def send_xlsx(data: bytes, filename: str):
    """A Flask download response for an .xlsx file."""
    from flask import send_file

    return send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                     download_name=filename)


def send_csv(data: bytes, filename: str):
    """A Flask download response for a CSV file."""
    from flask import send_file

    return send_file(io.BytesIO(data), mimetype="text/csv; charset=utf-8", as_attachment=True,
                     download_name=filename)
