"""The score sheet: the Excel template with the candidates filled in, and importing it back.

Reading goes through ``traincenter.spreadsheets`` (size, zip bomb, magic bytes, UTF-8/GBK);
saving goes through ``scores.record_scores`` with source ``import`` (all rows or none).
"""

from __future__ import annotations

import gc
import hashlib
import io
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .. import rules, settings
from ..errors import DomainError
from ..i18n import show_date
from ..models import Exam
from ..services import verdicts
from ..spreadsheets import (
    SheetSpec,
    SpreadsheetError,
    file_message,
    header_place_message,
    read_table,
    write_xlsx,
)
from .queries import result_rows
from .scores import (
    ScoreErrors,
    plan_scores,
    record_scores,
    require_scores_open,
)
from .values import RowProblem, ScoreRow, format_number, is_carried

HEADERS = ("身份证号", "姓名", "理论成绩", "实操成绩")
ALIASES = {
    "id": ("身份证号", "身份证号码", "ID number"),
    "name": ("姓名", "Name"),
    "theory": ("理论成绩", "理论", "Theory"),
    "practical": ("实操成绩", "实操", "Practical"),
}
CARRIED_PREFIX = "保留"
PREVIEW_ROWS = 200  # changes listed on the preview page (a whole sheet may change thousands)

# How the score sheet words some file problems (the others: spreadsheets.FILE_MESSAGES).
SPREADSHEET_MESSAGES = {
    "oversized": _l("The file is too large."),
    "too_large_inside": _l("The file unpacks to too much data; it is probably not a score sheet."),
    "too_many_rows": _l("The file has too many rows."),
    "wrong_type": _l("Upload an .xlsx or .csv file."),
}


@dataclass
class CheckedSheet:
    """A score sheet read and checked against the exam; nothing written yet.

    ``rows`` go to ``record_scores`` as they are (a blank cell carries the value recorded, so it
    changes nothing); ``changes`` are the results that would change, as (result, old, new);
    ``blank_kept`` counts the blank cells left as recorded.
    """

    rows: list[ScoreRow]
    results: list
    changes: list = field(default_factory=list)
    blank_kept: int = 0

    @property
    def unchanged(self) -> int:
        """Rows of the sheet that change nothing."""
        return len(self.rows) - len(self.changes)


def results_state(results) -> str:
    """A fingerprint of every result's version: a preview is confirmed only while it holds."""
    versions = ",".join(f"{r.id}:{r.version}" for r in sorted(results, key=lambda r: r.id))
    return hashlib.sha256(versions.encode()).hexdigest()


def _cell(result, part: str):
    """What the template shows for one part: the stored value, or the carried score (read-only)."""
    if is_carried(result, part):
        source = getattr(result, f"{part}_carried_from")
        score = getattr(source, f"{part}_score")
        return f"{CARRIED_PREFIX} {format_number(score)}（{show_date(source.exam.held_on)}）"
    if getattr(result, f"{part}_absent"):
        return "缺考"
    score = getattr(result, f"{part}_score")
    return None if score is None else float(score)


def template_xlsx(exam: Exam) -> bytes:
    """The candidates pre-filled (身份证号 as text), carried parts locked, with instructions."""
    results = result_rows(exam)
    rows = [(r.enrolment.trainee.id_number, r.enrolment.trainee.name, _cell(r, "theory"),
             _cell(r, "practical")) for r in results]
    notes = [
        ("分数 0–100，最多一位小数；缺考的填“缺考”。",),
        ("“保留”的格子是以前考试已合格、仍在保留期内的成绩，不用再考，导入时不会改动。",),
        ("请不要修改身份证号和姓名；身份证号列必须是文本格式。",),
        ("任何一行有错，整个文件都不会导入，页面会列出每一行的问题。",),
    ]
    data = write_xlsx(
        SheetSpec("成绩", HEADERS, rows, text_columns=("身份证号",), widths={0: 22, 1: 12}),
        SheetSpec("说明", ("填写说明",), notes, widths={0: 90}),
    )
    return _lock_carried(data, results)


def _lock_carried(data: bytes, results) -> bytes:
    """Protect the sheet, leaving only the score cells of parts to sit editable."""
    from openpyxl import load_workbook
    from openpyxl.styles import Protection

    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["成绩"]
    open_cell = Protection(locked=False)
    for row_number, result in enumerate(results, start=2):
        for column, part in ((3, "theory"), (4, "practical")):
            if not is_carried(result, part):
                sheet.cell(row=row_number, column=column).protection = open_cell
    sheet.protection.sheet = True
    sheet.protection.formatCells = False
    sheet.protection.formatColumns = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def import_scores(exam: Exam, upload, actor, filename: str | None = None,
                  reason: str | None = None) -> tuple[int, int]:
    """Import a score sheet (all rows or none). Returns (rows read, results changed).

    Raises ``DomainError`` for an unreadable file and ``ScoreErrors`` listing every bad row.
    """
    with _no_cycle_collection():
        checked = check_scores(exam, upload, actor, filename, reason, plan=False)
        changed = record_scores(exam, checked.rows, actor, "import", reason=reason,
                                results=checked.results)
    return len(checked.rows), len(changed)


@contextmanager
def _no_cycle_collection():
    """Tens of thousands of short-lived, acyclic objects: the cycle collector would otherwise
    rescan them over and over (a third of the import's time on a 10,000-row sheet)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def import_previewed(exam: Exam, upload, actor, filename: str | None, reason: str | None,
                     state: str | None) -> tuple[int, int]:
    """Import a sheet whose preview was confirmed, if no score of the exam was saved since the
    preview (``state``, see ``results_state``). Returns (rows read, results changed)."""
    with _no_cycle_collection():
        checked = check_scores(exam, upload, actor, filename, reason, plan=False)
        if results_state(checked.results) != state:
            raise DomainError(_l("Scores of this exam were saved since the preview, so it no "
                                 "longer shows what the file would change. Nothing was imported: "
                                 "upload the file again to check it."))
        changed = record_scores(exam, checked.rows, actor, "import", reason=reason,
                                results=checked.results)
    return len(checked.rows), len(changed)


def check_scores(exam: Exam, upload, actor, filename: str | None = None,
                 reason: str | None = None, *, plan: bool = True) -> CheckedSheet:
    """Read a score sheet and check every row against the exam, writing nothing.

    Raises ``DomainError`` for an unreadable file and ``ScoreErrors`` listing every bad row.
    With ``plan=False`` the changes are not worked out (``record_scores`` does it when saving).
    """
    with _no_cycle_collection():
        return _check_scores(exam, upload, actor, filename, reason, plan)


def _check_scores(exam: Exam, upload, actor, filename: str | None, reason: str | None,
                  plan: bool) -> CheckedSheet:
    require_scores_open(exam)
    try:
        table = read_table(upload, filename)
    except SpreadsheetError as error:
        raise DomainError(file_message(error, SPREADSHEET_MESSAGES)) from error
    columns = {key: table.column(*names) for key, names in ALIASES.items()}
    missing = [HEADERS[i] for i, key in enumerate(ALIASES) if columns[key] is None]
    if missing:
        place = table.find_header([ALIASES["id"], ALIASES["theory"], ALIASES["practical"]])
        if place is not None:
            raise DomainError(header_place_message(place))
        raise DomainError(_l("Columns missing from the header row: %(columns)s",
                             columns="、".join(missing)))
    results = result_rows(exam)
    by_number = {r.enrolment.trainee.id_number: r for r in results}
    rows, problems, seen = [], [], {}
    blank_kept = 0
    for row in table.rows:
        number = row.text(columns["id"]).upper()
        name = row.text(columns["name"])
        problem = RowProblem(None, row.number, name)
        result = by_number.get(number)
        if row.is_number(columns["id"]):
            problem.add("row", _l("The ID number is stored as a number and has lost digits: "
                                  "set the ID column to text"))
        elif not number:
            problem.add("row", _l("The ID number is missing"))
        elif result is None:
            problem.add("row", _l("Not a candidate of this exam"))
        elif number in seen:
            problem.add("row", _l("This candidate appears twice (also line %(line)s)",
                                  line=seen[number]))
        elif name and name != result.enrolment.trainee.name:
            problem.add("row", _l("The name does not match the ID number (expected %(name)s)",
                                  name=result.enrolment.trainee.name))
        if problem.messages:
            problems.append(problem)
            continue
        seen[number] = row.number
        score_row = ScoreRow(result.id, _value(row, columns["theory"]),
                             _value(row, columns["practical"]), line=row.number)
        if score_row.theory is None or score_row.practical is None:
            blank_kept += _keep_recorded(score_row, result)
        rows.append(score_row)
    changes = []
    if plan or problems:
        changes, row_problems = plan_scores(exam, rows, actor, "import", reason, results)
        problems += row_problems
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise ScoreErrors(_l("Nothing was imported: %(count)s rows need correcting.",
                             count=len(problems)), details=problems)
    return CheckedSheet(rows, results, changes, blank_kept)


def _keep_recorded(score_row: ScoreRow, result) -> int:
    """Blank cells of a sat part take the value recorded (so they change nothing); returns how
    many blank cells kept a recorded score or absence."""
    kept = 0
    for part in rules.PARTS:
        if getattr(score_row, part) is not None or is_carried(result, part):
            continue
        if getattr(result, f"{part}_absent"):
            setattr(score_row, f"{part}_absent", True)
            kept += 1
        elif getattr(result, f"{part}_score") is not None:
            setattr(score_row, part, getattr(result, f"{part}_score"))
            kept += 1
    return kept


def _value(row, index):
    value = row.value(index)
    if isinstance(value, str) and value.startswith(CARRIED_PREFIX):
        return None  # a carried part: ignored by record_scores anyway
    return value


def describe_carried(result, part: str, written: dict | None = None) -> dict | None:
    """Score, pass date, keeping period and the sentence saying both, of a carried part (for
    the grid). ``written`` keeps what was already written out: a grid's carried parts share a
    few exam dates."""
    if not is_carried(result, part):
        return None
    written = {} if written is None else written
    source = getattr(result, f"{part}_carried_from")
    passed_on = source.exam.held_on
    if passed_on not in written:
        on = show_date(passed_on)
        until = show_date(rules.carry_over_valid_until(passed_on, settings.carry_over_months()))
        written[passed_on] = (on, until, gettext("Passed on %(on)s, kept until %(until)s",
                                                 on=on, until=until))
    on, until, note = written[passed_on]
    return {"score": getattr(source, f"{part}_score"), "passed_on": on, "until": until,
            "note": note, "passed": verdicts.part_passed(result, part)}
