"""The roster file (.xlsx/.csv): read it and check every row, writing nothing.

The web page and ``flask import trainees`` call ``check_roster`` (reads the file, validates every
row against the rules and the database, returns the good rows and every bad row with its reason),
then ``operations.import_roster`` (creates trainees, logins and enrolments in one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import rules
from ..extensions import db
from ..i18n import LABELS
from ..models import Trainee, TrainingClass, User
from ..spreadsheets import (
    BLANK_CELL,
    SpreadsheetError,
    Table,
    file_message,
    header_place_message,
    read_table,
)
from ..training.queries import enrolled_counts
from .checks import id_error_message

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
    # The survey's "高职" is the secondary vocational school, shown as 职高/中专.
    "职高/中专": "vocational", "高职": "vocational", "中专": "vocational", "职高": "vocational", "中职": "vocational",
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
    "id_numeric": _l("The ID number is stored as a number, so Excel has already lost its last "
                     "digits. Please set the ID column as text (文本) and type the numbers again"),
    "id_duplicate_in_file": _l("This ID number appears twice in the file (also in row %(row)s)"),
    "id_registered": _l("This ID number is already registered (%(name)s)"),
    "phone": _l("Wrong phone number: a mobile number has 11 digits and starts with 13–19"),
    "education": _l("Unknown education \"%(value)s\": use 文盲, 小学, 初中, 职高/中专, 高中 or 大专及以上"),
    "origin": _l("Unknown origin \"%(value)s\": use 农村, 城镇下岗/失业 or 其他"),
    "consent": _l("Consent to public listing must be 是 or 否"),
    "class_unknown": _l("There is no class with code %(value)s"),
    "class_retraining": _l("Class %(value)s is a retraining class; enrol there from the retraining "
                           "list"),
    "class_full": _l("Class %(value)s would have more trainees than its capacity (%(capacity)s)"),
    "name_long": _l("The name is too long"),
}
# How the roster import words some file problems (the others: spreadsheets.FILE_MESSAGES).
FILE_ERRORS = {
    "empty": _l("The file has no rows to import. Fill in the template below the header row."),
    "unreadable": _l("The file could not be read. Save it again as .xlsx (or CSV in UTF-8) and "
                     "upload it again."),
}
MISSING_COLUMNS = _l("The file lacks the column(s) %(columns)s. Start from the template.")


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
    return file_message(error, FILE_ERRORS)


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
        place = table.find_header([COLUMNS[key] for key in REQUIRED])
        if place is not None:
            return RosterCheck(table, file_error=header_place_message(place))
        return RosterCheck(table, file_error=str(MISSING_COLUMNS) % {"columns": "、".join(missing)})
    check = RosterCheck(table)
    seen: dict[str, int] = {}
    for row in table.rows:
        problems: list[tuple[str, str]] = []
        values: dict = {}
        name = rules.clean_name(row.text(columns["name"]))  # invisible characters are not a name
        blank = {key for key in REQUIRED if not row.text(columns[key])} | ({"name"} if not name else set())
        problems += [(COLUMNS[key][0], str(BLANK_CELL)) for key in REQUIRED if key in blank]
        if len(name) > 64:
            problems.append(("姓名", str(REASONS["name_long"])))
        values["name"] = name
        id_number = gender = None
        if row.is_number(columns["id_number"]):
            problems.append(("身份证号", str(REASONS["id_numeric"])))
        elif "id_number" not in blank:
            try:
                parsed = rules.parse_id_number(row.text(columns["id_number"]), today)
            except rules.IdNumberError as error:
                problems.append(("身份证号", str(id_error_message(error.code))))
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
        if values["education"] is None and "education" not in blank:
            problems.append(("学历", str(REASONS["education"]) % {"value": education}))
        origin = row.text(columns["origin"])
        values["origin"] = _lookup(origin, ORIGIN_WORDS, rules.ORIGINS, "origin")
        if values["origin"] is None and "origin" not in blank:
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
    classes = classes_of(check)
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


def classes_of(check: RosterCheck) -> dict[str, TrainingClass]:
    """The classes named in the checked rows, by code (one query)."""
    codes = {row.class_code for row in check.rows if row.class_code}
    if not codes:
        return {}
    return {c.code: c for c in db.session.scalars(
        select(TrainingClass).where(TrainingClass.code.in_(codes)))}
