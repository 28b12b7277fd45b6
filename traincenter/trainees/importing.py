"""Roster import from .xlsx/.csv: check every row first, then import all rows or none.

The web page and ``flask import trainees`` call the same two functions: ``check_roster`` (reads
the file, validates every row, returns the good rows and every bad row with its reason) and
``import_roster`` (creates trainees, logins and enrolments in one transaction).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import rules
from ..errors import DomainError
from ..extensions import db
from ..models import Trainee, TrainingClass, User
from ..spreadsheets import SheetSpec, SpreadsheetError, Table, read_table, write_csv, write_xlsx
from . import services

# Column headers of the template (Chinese, as the center's staff fill them in).
COLUMNS = {
    "name": ("姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "id number", "id_number"),
    "phone": ("手机号", "手机号码", "手机", "联系电话", "电话", "phone"),
    "education": ("学历", "文化程度", "education"),
    "origin": ("来源", "人员类别", "origin"),
    "consent": ("是否同意公示", "同意公示", "公示", "consent"),
    "class_code": ("班级编号", "班级", "培训班", "class", "class code"),
}
TEMPLATE_HEADERS = ["姓名", "身份证号", "手机号", "学历", "来源", "是否同意公示", "班级编号"]
REQUIRED = ("name", "id_number", "education", "origin")

EDUCATION_WORDS = {
    "文盲": "illiterate", "不识字": "illiterate", "小学": "primary", "初中": "junior",
    "高职": "vocational", "中专": "vocational", "职高": "vocational", "中职": "vocational",
    "技校": "vocational", "高中": "senior", "大专及以上": "college", "大专以上": "college",
    "大专": "college", "本科": "college", "本科及以上": "college", "研究生": "college",
}
ORIGIN_WORDS = {
    "农村": "rural", "农村妇女": "rural", "城镇下岗/失业": "laid_off", "城镇下岗失业": "laid_off",
    "下岗": "laid_off", "失业": "laid_off", "下岗/失业": "laid_off", "城镇下岗": "laid_off",
    "城镇失业": "laid_off", "其他": "other", "其它": "other",
}
YES_WORDS = {"是", "同意", "y", "yes", "1", "true", "√"}
NO_WORDS = {"否", "不同意", "n", "no", "0", "false", ""}

REASONS = {
    "name_missing": _l("The name is missing"),
    "id_numeric": _l("The ID number is stored as a number, so Excel has already lost its last "
                     "digits. Please set the ID column as text (文本) and type the numbers again"),
    "id_duplicate_in_file": _l("This ID number appears twice in the file (also in row %(row)s)"),
    "id_registered": _l("This ID number is already registered (%(name)s)"),
    "phone": _l("Wrong phone number: a mobile number has 11 digits and starts with 13–19"),
    "education": _l("Unknown education \"%(value)s\": use 文盲, 小学, 初中, 高职, 高中 or 大专及以上"),
    "origin": _l("Unknown origin \"%(value)s\": use 农村, 城镇下岗/失业 or 其他"),
    "consent": _l("Consent to public listing must be 是 or 否"),
    "class_unknown": _l("There is no class with code %(value)s"),
    "class_retraining": _l("Class %(value)s is a retraining class; enrol there from the retraining "
                           "list"),
    "class_full": _l("Class %(value)s would have more trainees than its capacity (%(capacity)s)"),
    "name_long": _l("The name is too long"),
}
FILE_ERRORS = {
    "oversized": _l("The file is too large (at most %(mb)s MB). Split it into smaller files."),
    "too_large_inside": _l("The file unpacks to too much data; it cannot be a normal roster."),
    "too_many_rows": _l("The file has more than %(rows)s rows. Split it into smaller files."),
    "empty": _l("The file has no rows to import. Fill in the template below the header row."),
    "old_excel": _l("This is an old Excel file (.xls). In Excel choose \"Save as\" → \"Excel "
                    "workbook (.xlsx)\" and upload that file."),
    "wrong_type": _l("Only .xlsx and .csv files can be imported."),
    "unreadable": _l("The file could not be read. Save it again as .xlsx (or CSV in UTF-8) and "
                     "upload it again."),
    "missing_columns": _l("The file lacks the column(s) %(columns)s. Start from the template."),
}


@dataclass
class RowError:
    """A bad row: its number in the file, the column, and why."""

    number: int
    column: str
    reason: str


@dataclass
class RosterRow:
    """A checked row, ready to import."""

    number: int
    values: dict
    class_code: str | None = None
    gender: str | None = None  # follows from the ID number (shown in the preview)


@dataclass
class RosterCheck:
    """The outcome of checking a file: good rows, bad rows, the table read."""

    table: Table | None
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    file_error: str | None = None

    @property
    def ok(self) -> bool:
        """True when every row is good and there is at least one."""
        return not self.errors and not self.file_error and bool(self.rows)

    def errors_by_row(self) -> dict[int, list[RowError]]:
        """Errors grouped by row number."""
        grouped: dict[int, list[RowError]] = {}
        for error in self.errors:
            grouped.setdefault(error.number, []).append(error)
        return grouped


def file_error_message(error: SpreadsheetError) -> str:
    """The user's message for a file that cannot be read."""
    limit = error.limit or 0
    return str(FILE_ERRORS.get(error.code, FILE_ERRORS["unreadable"])) % {
        "mb": limit // (1024 * 1024) or 1, "rows": limit}


def check_roster(upload, filename: str | None = None, default_class_code: str | None = None,
                 today: date | None = None) -> RosterCheck:
    """Read and check every row of a roster file; nothing is written."""
    try:
        table = read_table(upload, filename)
    except SpreadsheetError as error:
        return RosterCheck(None, file_error=file_error_message(error))
    columns = {key: table.column(*names) for key, names in COLUMNS.items()}
    missing = [COLUMNS[key][0] for key in REQUIRED if columns[key] is None]
    if missing:
        return RosterCheck(table, file_error=str(FILE_ERRORS["missing_columns"]) % {
            "columns": "、".join(missing)})
    check = RosterCheck(table)
    seen: dict[str, int] = {}
    for row in table.rows:
        problems: list[tuple[str, str]] = []
        values: dict = {}
        name = row.text(columns["name"])
        if not name:
            problems.append(("姓名", str(REASONS["name_missing"])))
        elif len(name) > 64:
            problems.append(("姓名", str(REASONS["name_long"])))
        values["name"] = name
        id_number = gender = None
        if row.is_number(columns["id_number"]):
            problems.append(("身份证号", str(REASONS["id_numeric"])))
        else:
            try:
                parsed = rules.parse_id_number(row.text(columns["id_number"]), today)
            except rules.IdNumberError as error:
                problems.append(("身份证号", str(services.id_error_message(error.code))))
            else:
                id_number, gender = parsed.number, parsed.gender
        if id_number:
            if id_number in seen:
                problems.append(("身份证号", str(REASONS["id_duplicate_in_file"])
                                 % {"row": seen[id_number]}))
            else:
                seen[id_number] = row.number
        values["id_number"] = id_number
        phone = row.text(columns["phone"]).replace(" ", "").replace("-", "")
        if phone.startswith("+86"):
            phone = phone[3:]
        if phone and not rules.is_valid_phone(phone):
            problems.append(("手机号", str(REASONS["phone"])))
        values["phone"] = phone
        education = row.text(columns["education"])
        values["education"] = _lookup(education, EDUCATION_WORDS, rules.EDUCATION_LEVELS, "education")
        if values["education"] is None:
            problems.append(("学历", str(REASONS["education"]) % {"value": education}))
        origin = row.text(columns["origin"])
        values["origin"] = _lookup(origin, ORIGIN_WORDS, rules.ORIGINS, "origin")
        if values["origin"] is None:
            problems.append(("来源", str(REASONS["origin"]) % {"value": origin}))
        consent = row.text(columns["consent"]).lower()
        if consent in YES_WORDS:
            values["consents_to_listing"] = True
        elif consent in NO_WORDS:
            values["consents_to_listing"] = False
        else:
            problems.append(("是否同意公示", str(REASONS["consent"])))
        class_code = row.text(columns["class_code"]) or (default_class_code or "").strip() or None
        for column, reason in problems:
            check.errors.append(RowError(row.number, column, reason))
        check.rows.append(RosterRow(row.number, values, class_code, gender))
    _check_against_database(check)
    if check.errors:
        check.errors.sort(key=lambda e: e.number)
    return check


def _lookup(text: str, words: dict, codes: tuple, kind: str) -> str | None:
    from ..i18n import LABELS

    cleaned = (text or "").strip().replace(" ", "").replace("／", "/")
    if cleaned in words:
        return words[cleaned]
    if cleaned.lower() in codes:
        return cleaned.lower()
    for code, label in LABELS[kind].items():
        if cleaned.lower() == str(label).lower():
            return code
    return None


def _check_against_database(check: RosterCheck) -> None:
    """ID numbers already registered, unknown or full classes: a few queries for the whole file."""
    numbers = [row.values["id_number"] for row in check.rows if row.values["id_number"]]
    registered = {}
    for chunk_start in range(0, len(numbers), 500):
        chunk = numbers[chunk_start:chunk_start + 500]
        registered.update(db.session.execute(
            select(Trainee.id_number, Trainee.name).where(Trainee.id_number.in_(chunk))
        ).all())
        registered.update({username: None for username in db.session.scalars(
            select(User.username).where(User.username.in_(chunk))) if username not in registered})
    from ..training.services import enrolled_counts

    classes = _classes_of(check)
    enrolled = enrolled_counts([c.id for c in classes.values()])
    wanted: dict[str, int] = {}
    for row in check.rows:
        number = row.values["id_number"]
        if number and number in registered:
            name = registered[number] or number
            check.errors.append(RowError(row.number, "身份证号",
                                         str(REASONS["id_registered"]) % {"name": name}))
        if not row.class_code:
            continue
        training_class = classes.get(row.class_code)
        if training_class is None:
            check.errors.append(RowError(row.number, "班级编号",
                                         str(REASONS["class_unknown"]) % {"value": row.class_code}))
            continue
        if training_class.kind != "regular":
            check.errors.append(RowError(row.number, "班级编号", str(REASONS["class_retraining"])
                                         % {"value": row.class_code}))
            continue
        wanted[row.class_code] = wanted.get(row.class_code, 0) + 1
        if enrolled.get(training_class.id, 0) + wanted[row.class_code] > training_class.capacity:
            check.errors.append(RowError(row.number, "班级编号", str(REASONS["class_full"]) % {
                "value": row.class_code, "capacity": training_class.capacity}))


def _classes_of(check: RosterCheck) -> dict[str, TrainingClass]:
    """The classes named in the checked rows, by code (one query)."""
    codes = {row.class_code for row in check.rows if row.class_code}
    if not codes:
        return {}
    return {c.code: c for c in db.session.scalars(
        select(TrainingClass).where(TrainingClass.code.in_(codes)))}


def import_roster(check: RosterCheck, actor: User, on_row: Callable[[RosterRow], None] | None = None,
                  today: date | None = None) -> list[tuple[Trainee, str]]:
    """Create every checked trainee (login, enrolment) in one transaction, or nothing.

    Returns (trainee, initial password) pairs. Raises ``DomainError`` when the check found any
    problem or when a row fails while writing (then nothing is kept).
    """
    if actor is None or not actor.is_staff:
        raise DomainError(_l("Only staff may change the trainee registry."))
    if not check.ok:
        raise DomainError(_l("The file has errors; nothing was imported."))
    from ..training.services import build_enrolment

    today = today or date.today()
    classes = _classes_of(check)
    created = []
    try:
        # Every ID number was checked against the registry in bulk; no per-row queries here, and
        # no autoflush: the rows go to the database together at the commit.
        with db.session.no_autoflush:
            for row in check.rows:
                trainee, password = services.build_trainee(row.values, today,
                                                           registered_checked=True)
                if row.class_code:
                    build_enrolment(classes[row.class_code], trainee, today=today,
                                    new_trainee=True)
                created.append((trainee, password))
                if on_row is not None:
                    on_row(row)
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise DomainError(_l("Row %(row)s: %(reason)s. Nothing was imported.", row=row.number,
                             reason=str(error))) from error
    except Exception:
        db.session.rollback()
        raise
    return _with_classes(created)


def _with_classes(created: list[tuple[Trainee, str]]) -> list[tuple[Trainee, str]]:
    """Reload the new trainees with their enrolments and classes in two queries (for the slips)."""
    from sqlalchemy.orm import selectinload

    from ..models import Enrolment

    ids = [trainee.id for trainee, _ in created]
    loaded = {t.id: t for t in db.session.scalars(
        select(Trainee).where(Trainee.id.in_(ids or [0])).options(
            selectinload(Trainee.enrolments).selectinload(Enrolment.training_class)))}
    return [(loaded[trainee_id], password)
            for trainee_id, (_, password) in zip(ids, created, strict=True)]


# ---------------------------------------------------------------------------------------------
# Files to download
# ---------------------------------------------------------------------------------------------

EXAMPLE_ROWS = [
    ["王秀英", "110105197503120027", "13900000001", "初中", "农村", "是", ""],
]


def template_file(kind: str = "xlsx") -> bytes:
    """The empty roster template (with one example row to overwrite) and a sheet of instructions."""
    if kind == "csv":
        return write_csv(TEMPLATE_HEADERS, [])
    instructions = [
        ["姓名", "必填"],
        ["身份证号", "必填，18位；本列已设为文本，请勿改为数字"],
        ["手机号", "11位手机号，可不填"],
        ["学历", "文盲、小学、初中、高职、高中、大专及以上"],
        ["来源", "农村、城镇下岗/失业、其他"],
        ["是否同意公示", "是 或 否（不填视为否）"],
        ["班级编号", "可不填；填写则报名进入该班"],
        ["示例", "第2行是示例，请改成真实学员或删除"],
    ]
    return write_xlsx(
        SheetSpec("学员名单", TEMPLATE_HEADERS, EXAMPLE_ROWS, text_columns=("身份证号", "手机号"),
                  blank_rows=500, widths={1: 24, 2: 16, 4: 16, 5: 14}),
        SheetSpec("填写说明", ["列", "说明"], instructions, widths={0: 16, 1: 60}),
    )


def error_file(check: RosterCheck, kind: str = "xlsx") -> bytes:
    """The uploaded rows with an error column, bad rows first (to fix and upload again)."""
    table = check.table
    headers = ["行号", *table.headers, "错误"]
    grouped = check.errors_by_row()
    id_column = table.column(*COLUMNS["id_number"])
    rows = []
    for row in sorted(table.rows, key=lambda r: (r.number not in grouped, r.number)):
        reasons = "；".join(f"{e.column}：{e.reason}" for e in grouped.get(row.number, []))
        rows.append([row.number, *[row.text(i) for i in range(len(table.headers))], reasons])
    if kind == "csv":
        return write_csv(headers, rows)
    text_columns = [id_column + 1] if id_column is not None else []
    return write_xlsx(SheetSpec("错误清单", headers, rows, text_columns=text_columns,
                                widths={len(headers) - 1: 60}))


# ---------------------------------------------------------------------------------------------
# Keeping an upload between the preview and the confirmation
# ---------------------------------------------------------------------------------------------

STASH_MAX_AGE_SECONDS = 24 * 3600


def _stash_dir():
    from pathlib import Path

    from flask import current_app

    path = Path(current_app.instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stash_upload(data: bytes) -> str:
    """Keep an uploaded file until it is confirmed; returns a token naming it."""
    import secrets
    import time

    directory = _stash_dir()
    cutoff = time.time() - STASH_MAX_AGE_SECONDS
    for old in directory.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(16)
    suffix = ".xlsx" if data.startswith(b"PK\x03\x04") else ".csv"
    (directory / f"{token}{suffix}").write_bytes(data)
    return token + suffix


def load_stash(token: str) -> tuple[bytes, str] | None:
    """The stashed file for a token, or None when unknown or malformed."""
    import re

    if not token or not re.fullmatch(r"[A-Za-z0-9_-]{16,64}\.(xlsx|csv)", token):
        return None
    path = _stash_dir() / token
    if not path.is_file():
        return None
    return path.read_bytes(), token


def drop_stash(token: str) -> None:
    """Forget a stashed file."""
    if load_stash(token) is not None:
        (_stash_dir() / token).unlink(missing_ok=True)
