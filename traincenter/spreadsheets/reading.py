"""Reading an uploaded .xlsx or .csv file safely into a ``Table`` (see the package docstring)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from .. import settings

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003)
MAX_ZIP_ENTRIES = 2000
# Control characters (C0 except tab/newline, and DEL): dropped from every cell read or written,
# because they are invisible, never meant, and openpyxl refuses to write them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
GLANCE_ROWS = 20  # non-blank rows looked at when searching for a header out of place
GLANCE_SHEETS = 10  # later sheets looked at


class SpreadsheetError(ValueError):
    """An upload that cannot be read; ``code`` names the reason, ``limit`` the limit broken,
    ``sheet`` the later sheet that holds the data (code ``data_on_later_sheet``)."""

    def __init__(self, code: str, limit: int | None = None, sheet: str | None = None):
        super().__init__(code)
        self.code = code
        self.limit = limit
        self.sheet = sheet


@dataclass(frozen=True)
class HeaderPlace:
    """Where a header was found other than the first row of the first sheet: a later row
    (``sheet`` None) or a later sheet (its title)."""

    row: int
    sheet: str | None = None


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
    """The first sheet of an upload: header texts and the non-blank data rows.

    ``head`` keeps the first non-blank rows of the first sheet at full width and
    ``later_sheets`` the first non-blank rows of each later sheet (title, rows), so a caller that
    misses its columns can tell where the header really is (``find_header``).
    """

    headers: list[str]
    rows: list[Row]
    kind: str
    encoding: str | None = None
    head: list[Row] = field(default_factory=list)
    later_sheets: list[tuple[str, list[Row]]] = field(default_factory=list)

    def find_header(self, columns: Sequence[Sequence[str]]) -> HeaderPlace | None:
        """Where a row naming the wanted ``columns`` (each a tuple of accepted names) sits, when
        it is not the header row: a later row of the first sheet, else a row of a later sheet.

        A row counts when it names every wanted column, or at least two of them (so a header
        that also misses a column is still found out of place).
        """
        for row in self.head[1:]:
            if _names_columns(row, columns):
                return HeaderPlace(row.number)
        for title, rows in self.later_sheets:
            for row in rows:
                if _names_columns(row, columns):
                    return HeaderPlace(row.number, title)
        return None

    def column(self, *names: str) -> int | None:
        """Index of the first header matching one of ``names`` (loosely), or None."""
        wanted = {normalise_header(name) for name in names}
        for index, header in enumerate(self.headers):
            if normalise_header(header) in wanted:
                return index
        return None


def _names_columns(row: Row, columns: Sequence[Sequence[str]]) -> bool:
    cells = {normalise_header(value) for value in row.values if isinstance(value, str)}
    named = sum(1 for names in columns if cells & {normalise_header(name) for name in names})
    return named == len(columns) or named >= 2


def normalise_header(text: object) -> str:
    """Header text without spaces, '*' markers, bracketed notes or case."""
    text = str(text or "").strip().lower()
    for opening, closing in (("(", ")"), ("（", "）"), ("[", "]"), ("【", "】")):
        while opening in text and closing in text.split(opening, 1)[1]:
            head, rest = text.split(opening, 1)
            text = head + rest.split(closing, 1)[1]
    return "".join(ch for ch in text if ch not in " \t*＊:：\u3000")


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
    later_sheets: list = []
    if data.startswith(XLSX_MAGIC):
        raw_rows, later_sheets = _xlsx_rows(data, max_uncompressed, max_rows)
        table_kind, encoding = "xlsx", None
    elif data.startswith(OLE_MAGIC) or filename.endswith((".xls", ".et")):
        raise SpreadsheetError("old_excel")
    elif filename.endswith((".ods", ".fods")):
        raise SpreadsheetError("ods")
    elif filename.endswith(".xlsx"):
        raise SpreadsheetError("unreadable")
    elif filename.endswith((".csv", ".txt")) or not filename:
        text, encoding = _decode(data)
        raw_rows = _csv_rows(text, max_rows)
        table_kind = "csv"
    else:
        raise SpreadsheetError("wrong_type")
    return _table(raw_rows, table_kind, encoding, max_rows, later_sheets)


def _xlsx_rows(data: bytes, max_uncompressed: int, max_rows: int):
    """The raw rows of the first sheet, and a glance at the later sheets (title, rows)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {info.filename for info in entries}
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError("unreadable") from exc
    if len(entries) > MAX_ZIP_ENTRIES or sum(info.file_size for info in entries) > max_uncompressed:
        raise SpreadsheetError("too_large_inside", max_uncompressed)
    if mimetype.startswith(ODS_MIMETYPE):
        raise SpreadsheetError("ods")  # LibreOffice / WPS "OpenDocument" spreadsheet
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
                values, types = [], []  # _cells, inlined: this loop runs once per row
                for cell in cells:
                    value = getattr(cell, "value", None)
                    if isinstance(value, str):
                        value = CONTROL_CHARACTERS.sub("", value).strip() or None
                    values.append(value)
                    types.append(getattr(cell, "data_type", None) if value is not None else None)
                rows.add(number, values, types)
            later = [(other.title, _glance(other)) for other in
                     workbook.worksheets[1:1 + GLANCE_SHEETS]]
        except SpreadsheetError:
            raise
        except Exception as exc:
            raise SpreadsheetError("unreadable") from exc
        return rows.rows, [(title, glance) for title, glance in later if glance]
    finally:
        workbook.close()


def _cells(cells) -> tuple[list, list]:
    values, types = [], []
    for cell in cells:
        value = getattr(cell, "value", None)
        if isinstance(value, str):
            value = CONTROL_CHARACTERS.sub("", value).strip() or None
        values.append(value)
        types.append(getattr(cell, "data_type", None) if value is not None else None)
    return values, types


def _glance(sheet) -> list[Row]:
    """The first non-blank rows of a later sheet (a few hundred rows looked at, at most)."""
    glance = []
    for number, cells in enumerate(sheet.iter_rows(max_row=10 * GLANCE_ROWS), start=1):
        values, types = _cells(cells)
        if any(value is not None for value in values):
            glance.append(Row(number, values, types))
            if len(glance) >= GLANCE_ROWS:
                break
    return glance


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


def _table(raw_rows, kind: str, encoding: str | None, max_rows: int,
           later_sheets: list | None = None) -> Table:
    filled = [(n, v, t) for n, v, t in raw_rows if any(value is not None for value in v)]
    later_sheets = later_sheets or []
    if not filled:
        _refuse_empty(later_sheets)
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
        _refuse_empty(later_sheets)
    if len(rows) > max_rows:
        raise SpreadsheetError("too_many_rows", max_rows)
    head = [Row(n, list(v), list(t)) for n, v, t in filled[:GLANCE_ROWS]]
    return Table(headers, rows, kind, encoding, head, later_sheets)


def _refuse_empty(later_sheets: list) -> None:
    """No data on the first sheet: say so, naming a later sheet that has a table (header + rows)."""
    for title, rows in later_sheets:
        if len(rows) >= 2:
            raise SpreadsheetError("data_on_later_sheet", sheet=title)
    raise SpreadsheetError("empty")
