"""The domain rules of the training center, in one pure module.

Nothing here imports Flask or SQLAlchemy: every function takes plain values (numbers, dates,
strings) and returns plain values, so the rules can be tested directly and called from views,
services, the CLI and the report alike. Settings (pass marks, carry-over window, attempt limit)
are parameters whose defaults are the named constants below.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ---------------------------------------------------------------------------------------------
# Named constants (defaults of the settings)
# ---------------------------------------------------------------------------------------------

PASS_MARK = 60
SCORE_MIN = 0
SCORE_MAX = 100
SCORE_DECIMALS = 1

REQUIRED_TOTAL_HOURS = 150
REQUIRED_CLASSROOM_HOURS = 80
REQUIRED_SELF_STUDY_HOURS = 70
LEVEL_STANDARD_HOURS = {5: 150, 4: 240, 3: 360}  # national standard for 家政服务员 (2006)
SELF_STUDY_MAX_HOURS_PER_DAY = 8

CARRY_OVER_MONTHS = 12
CARRY_OVER_WARNING_DAYS = 30  # the retraining list highlights a kept part lapsing this soon
ATTEMPT_LIMIT = 2  # first exam + one re-exam
HEALTH_WARNING_DAYS = 30
HEALTH_VALIDITY_MONTHS = 12
HEALTH_REMINDER_DAYS = (30, 7)
DEFAULT_FEE = 1300

PARTS = ("theory", "practical")
ATTENDANCE_STATUSES = ("present", "late", "absent", "excused")
CREDITED_ATTENDANCE = frozenset({"present", "late"})  # late still earns the session's hours

EDUCATION_LEVELS = ("illiterate", "primary", "junior", "vocational", "senior", "college")
ORIGINS = ("rural", "laid_off", "other")
FEE_PAYERS = ("self", "subsidy", "employer")
EMPLOYER_TYPES = ("household", "company", "elderly_care", "hospital", "other")
AGE_BANDS = ("<35", "35-49", "50-59", "60+")

GREEN, YELLOW, RED = "green", "yellow", "red"


# ---------------------------------------------------------------------------------------------
# Scores and the pass rule
# ---------------------------------------------------------------------------------------------


class ScoreError(ValueError):
    """A score cell that cannot be accepted; ``code`` names the reason for the UI to translate."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


ABSENT = "absent"
ABSENT_WORDS = frozenset({"缺考", "缺", "absent", "abs", "a"})


def parse_score(text: object, *, allow_empty: bool = False) -> Decimal | str | None:
    """Parse one score cell: a number 0–100 with at most one decimal, or 缺考 (absent).

    Returns a ``Decimal``, ``ABSENT``, or ``None`` for an empty cell when ``allow_empty``.
    Raises ``ScoreError`` with code ``empty``, ``not_a_number``, ``out_of_range`` or
    ``too_many_decimals``.
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        if allow_empty:
            return None
        raise ScoreError("empty")
    if isinstance(text, bool):
        raise ScoreError("not_a_number")
    if isinstance(text, str):
        # Full-width digits and points typed with a Chinese input method count as ordinary ones.
        cleaned = unicodedata.normalize("NFKC", text).strip().replace("，", ".").replace("。", ".")
        if cleaned.lower() in ABSENT_WORDS:
            return ABSENT
        if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", cleaned):
            raise ScoreError("not_a_number")
        value = Decimal(cleaned)
    elif isinstance(text, (int, float, Decimal)):
        try:
            value = Decimal(str(text))
        except InvalidOperation as exc:
            raise ScoreError("not_a_number") from exc
        if not value.is_finite():
            raise ScoreError("not_a_number")
    else:
        raise ScoreError("not_a_number")
    if value < SCORE_MIN or value > SCORE_MAX:
        raise ScoreError("out_of_range")
    if value != value.quantize(Decimal(1).scaleb(-SCORE_DECIMALS), rounding=ROUND_HALF_UP):
        raise ScoreError("too_many_decimals")
    return value.quantize(Decimal("0.1")) if value % 1 else value.quantize(Decimal(1))


def part_passed(score: float | Decimal | None, absent: bool = False, pass_mark: float = PASS_MARK) -> bool:
    """One part passes when it was sat (not absent) and scored at least the pass mark."""
    if absent or score is None:
        return False
    return Decimal(str(score)) >= Decimal(str(pass_mark))


def exam_passed(
    theory: float | Decimal | None,
    practical: float | Decimal | None,
    *,
    theory_absent: bool = False,
    practical_absent: bool = False,
    pass_mark_theory: float = PASS_MARK,
    pass_mark_practical: float = PASS_MARK,
) -> bool:
    """Pass = theory ≥ pass mark AND practical ≥ pass mark; an absent part never passes."""
    return part_passed(theory, theory_absent, pass_mark_theory) and part_passed(
        practical, practical_absent, pass_mark_practical
    )


def part_is_complete(score: object, absent: bool) -> bool:
    """A part is recorded when it has a score or is marked absent."""
    return absent or score is not None


# ---------------------------------------------------------------------------------------------
# Hours and exam eligibility
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    """One unmet hour requirement: ``kind`` is classroom, self_study or total."""

    kind: str
    required: float
    done: float

    @property
    def missing(self) -> float:
        """Hours still to do."""
        return round(self.required - self.done, 1)


@dataclass(frozen=True)
class Eligibility:
    """Exam eligibility of one enrolment and what is missing when not eligible."""

    classroom: float
    self_study: float
    required_classroom: float
    required_self_study: float
    required_total: float
    shortfalls: tuple[Shortfall, ...] = field(default_factory=tuple)

    @property
    def total(self) -> float:
        """Classroom plus verified self-study hours."""
        return round(self.classroom + self.self_study, 1)

    @property
    def is_eligible(self) -> bool:
        """True when every hour requirement is met."""
        return not self.shortfalls


def eligibility(
    classroom: float,
    self_study: float,
    required_classroom: float = REQUIRED_CLASSROOM_HOURS,
    required_self_study: float = REQUIRED_SELF_STUDY_HOURS,
    required_total: float = REQUIRED_TOTAL_HOURS,
) -> Eligibility:
    """Compare credited hours with the class's requirements; list every shortfall."""
    classroom = round(float(classroom or 0), 1)
    self_study = round(float(self_study or 0), 1)
    shortfalls = []
    if classroom < required_classroom:
        shortfalls.append(Shortfall("classroom", float(required_classroom), classroom))
    if self_study < required_self_study:
        shortfalls.append(Shortfall("self_study", float(required_self_study), self_study))
    if round(classroom + self_study, 1) < required_total:
        shortfalls.append(Shortfall("total", float(required_total), round(classroom + self_study, 1)))
    return Eligibility(
        classroom,
        self_study,
        float(required_classroom),
        float(required_self_study),
        float(required_total),
        tuple(shortfalls),
    )


def attendance_credits(status: str) -> bool:
    """Whether an attendance status earns the session's classroom hours (present, late)."""
    return status in CREDITED_ATTENDANCE


def self_study_error(hours: float, already_logged_that_day: float = 0,
                     max_per_day: float = SELF_STUDY_MAX_HOURS_PER_DAY) -> str | None:
    """Return an error code for an implausible self-study entry, or None when it is acceptable."""
    if hours is None or hours <= 0:
        return "not_positive"
    if round(hours * 10) != hours * 10:
        return "too_many_decimals"
    if hours + already_logged_that_day > max_per_day:
        return "too_many_per_day"
    return None


# ---------------------------------------------------------------------------------------------
# Attempts, carry-over and what the next exam covers
# ---------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def carry_over_valid_until(passed_on: date, months: int = CARRY_OVER_MONTHS) -> date:
    """Last day on which a part passed on ``passed_on`` is still carried over."""
    return add_months(passed_on, months) - timedelta(days=1)


def carry_over_valid(passed_on: date, exam_on: date, months: int = CARRY_OVER_MONTHS) -> bool:
    """Whether a part passed on ``passed_on`` is still carried over to an exam on ``exam_on``."""
    return passed_on <= exam_on <= carry_over_valid_until(passed_on, months)


def may_retake(attempts_used: int, limit: int = ATTEMPT_LIMIT) -> bool:
    """Whether another attempt within the same course is allowed."""
    return attempts_used < limit


def attempts_left(attempts_used: int, limit: int = ATTEMPT_LIMIT) -> int:
    """How many attempts remain within the course (never negative)."""
    return max(0, limit - attempts_used)


@dataclass(frozen=True)
class PartRecord:
    """A part as recorded at one attempt: its score, absence, and the date of that exam."""

    score: float | Decimal | None
    absent: bool
    exam_on: date


@dataclass(frozen=True)
class CarriedPart:
    """A part passed earlier and carried over to the next attempt."""

    part: str
    score: float | Decimal
    passed_on: date
    valid_until: date


@dataclass(frozen=True)
class AttemptPlan:
    """What the next attempt of a course covers.

    ``status`` is one of: ``retake`` (may sit ``parts_to_sit``), ``limit_reached`` (the attempt
    limit is used up: start again in a new regular class) or ``passed`` (nothing to retake).
    ``expired`` lists parts that had been passed but whose carry-over lapsed before the exam.
    """

    status: str
    parts_to_sit: tuple[str, ...]
    carried: tuple[CarriedPart, ...]
    expired: tuple[CarriedPart, ...]
    attempts_used: int
    attempts_left: int


def plan_next_attempt(
    history: list[dict[str, PartRecord | None]],
    next_exam_on: date | None = None,
    *,
    limit: int = ATTEMPT_LIMIT,
    months: int = CARRY_OVER_MONTHS,
    pass_mark_theory: float = PASS_MARK,
    pass_mark_practical: float = PASS_MARK,
) -> AttemptPlan:
    """Decide what the next attempt covers from the attempts so far (oldest first).

    Each attempt maps ``theory`` and ``practical`` to the ``PartRecord`` sat at that attempt, or
    ``None`` for a part that was carried over rather than sat. A part passed at any attempt is
    carried while valid on ``next_exam_on`` (today's date stands in when it is not yet known).
    """
    marks = {"theory": pass_mark_theory, "practical": pass_mark_practical}
    best: dict[str, PartRecord] = {}
    for attempt in history:
        for part in PARTS:
            record = attempt.get(part)
            if record is not None and part_passed(record.score, record.absent, marks[part]):
                best[part] = record  # the latest pass of the part
    used = len(history)
    if all(part in best for part in PARTS) and _combined_pass(history, marks):
        return AttemptPlan("passed", (), (), (), used, attempts_left(used, limit))
    reference = next_exam_on or date.today()
    carried, expired = [], []
    for part, record in best.items():
        item = CarriedPart(part, record.score, record.exam_on,
                           carry_over_valid_until(record.exam_on, months))
        (carried if carry_over_valid(record.exam_on, reference, months) else expired).append(item)
    if not may_retake(used, limit):
        return AttemptPlan("limit_reached", PARTS, (), tuple(expired + carried), used, 0)
    carried_parts = {item.part for item in carried}
    to_sit = tuple(part for part in PARTS if part not in carried_parts)
    return AttemptPlan("retake", to_sit, tuple(carried), tuple(expired), used,
                       attempts_left(used, limit))


def _combined_pass(history: list[dict[str, PartRecord | None]], marks: dict[str, float]) -> bool:
    """Whether the latest attempt passed, counting parts carried into it."""
    if not history:
        return False
    latest = history[-1]
    for part in PARTS:
        record = latest.get(part)
        if record is None:
            continue  # carried over: it passed earlier
        if not part_passed(record.score, record.absent, marks[part]):
            return False
    return True


def combine_result(
    theory: float | Decimal | None,
    practical: float | Decimal | None,
    *,
    theory_absent: bool = False,
    practical_absent: bool = False,
    carried_theory: float | Decimal | None = None,
    carried_practical: float | Decimal | None = None,
    pass_mark_theory: float = PASS_MARK,
    pass_mark_practical: float = PASS_MARK,
) -> bool | None:
    """The final result of an attempt: new parts combined with carried-over ones.

    A carried part stands in for a part not sat. Returns ``None`` while a part to be sat has
    neither a score nor an absence recorded.
    """
    if carried_theory is not None:
        theory, theory_absent = carried_theory, False
    if carried_practical is not None:
        practical, practical_absent = carried_practical, False
    if not (part_is_complete(theory, theory_absent) and part_is_complete(practical, practical_absent)):
        return None
    return exam_passed(theory, practical, theory_absent=theory_absent,
                       practical_absent=practical_absent, pass_mark_theory=pass_mark_theory,
                       pass_mark_practical=pass_mark_practical)


# ---------------------------------------------------------------------------------------------
# Chinese resident ID numbers (GB 11643-1999)
# ---------------------------------------------------------------------------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_DIGITS = "10X98765432"


class IdNumberError(ValueError):
    """An ID number that fails GB 11643; ``code`` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IdNumber:
    """A valid ID number with what follows from it."""

    number: str
    birth_on: date
    gender: str  # "M" or "F"


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_DIGITS[total % 11]


def parse_id_number(text: str, today: date | None = None) -> IdNumber:
    """Validate an 18-character ID number; return it normalised with birth date and gender.

    Raises ``IdNumberError`` with code ``empty``, ``length``, ``characters``, ``birth_date`` or
    ``checksum``. A lower-case ``x`` is accepted and normalised to ``X``.
    """
    number = (text or "").strip().replace(" ", "").upper()
    if not number:
        raise IdNumberError("empty")
    if len(number) != 18:
        raise IdNumberError("length")
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        raise IdNumberError("characters")
    try:
        birth_on = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdNumberError("birth_date") from exc
    if birth_on.year < 1900 or birth_on > (today or date.today()):
        raise IdNumberError("birth_date")
    if id_check_digit(number[:17]) != number[17]:
        raise IdNumberError("checksum")
    return IdNumber(number, birth_on, "M" if int(number[16]) % 2 else "F")


def make_id_number(region: str, birth_on: date, sequence: int, gender: str) -> str:
    """Build a valid ID number (demo data and tests): 6-digit region, birth date, 3-digit order."""
    order = sequence % 1000
    if (order % 2 == 1) != (gender == "M"):
        order = (order + 1) % 1000
    first17 = f"{region}{birth_on:%Y%m%d}{order:03d}"
    return first17 + id_check_digit(first17)


# ---------------------------------------------------------------------------------------------
# Masking of personal data
# ---------------------------------------------------------------------------------------------

COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 独孤 南宫 西门 "
    "闻人 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 轩辕 钟离 呼延 万俟 百里 东郭 南门 羊舌 微生 "
    "梁丘 左丘 拓跋 第五".split()
)


def mask_name(name: str) -> str:
    """Mask a name for public display: 张*华, 李*, 欧阳**; the surname stays readable."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    surname_length = 2 if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else 1
    rest = len(name) - surname_length
    if surname_length == 1 and rest >= 2:
        return name[0] + "*" * (rest - 1) + name[-1]
    return name[:surname_length] + "*" * rest


def mask_id_number(number: str) -> str:
    """Keep the first 4 and last 4 characters of an ID number: 1101**********0021."""
    number = number or ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a phone number: 138****1234."""
    phone = phone or ""
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


PHONE_PATTERN = re.compile(r"1[3-9][0-9]{9}")


def is_valid_phone(phone: str) -> bool:
    """A mainland mobile number: 11 digits starting 13–19."""
    return bool(PHONE_PATTERN.fullmatch((phone or "").strip()))


# ---------------------------------------------------------------------------------------------
# Ages, health certificates and fitness for duty
# ---------------------------------------------------------------------------------------------


def age_on(birth_on: date, on: date) -> int:
    """Age in whole years on a given day."""
    return on.year - birth_on.year - ((on.month, on.day) < (birth_on.month, birth_on.day))


def age_band(birth_on: date, on: date) -> str:
    """The report's age band: <35, 35–49, 50–59 or 60+."""
    age = age_on(birth_on, on)
    if age < 35:
        return "<35"
    if age < 50:
        return "35-49"
    if age < 60:
        return "50-59"
    return "60+"


def health_expiry_default(issued_on: date) -> date:
    """A health certificate is normally valid for one year."""
    return add_months(issued_on, HEALTH_VALIDITY_MONTHS)


@dataclass(frozen=True)
class DutyStatus:
    """Fit-for-duty colour and the reason code behind it."""

    colour: str
    reason: str
    health_valid_until: date | None = None

    @property
    def is_fit(self) -> bool:
        """Green and yellow are fit for duty; red is not."""
        return self.colour in (GREEN, YELLOW)


def duty_status(
    *,
    has_certificate: bool,
    certificate_revoked: bool,
    health_issued_on: date | None,
    health_expires_on: date | None,
    today: date,
    warning_days: int = HEALTH_WARNING_DAYS,
) -> DutyStatus:
    """Green = fit; yellow = fit but the health certificate expires within ``warning_days``;
    red = not fit (no certificate, certificate revoked, or no valid health certificate).

    Reason codes: ok, expiring, no_certificate, revoked, no_health, health_expired,
    health_not_yet_valid.
    """
    if not has_certificate:
        return DutyStatus(RED, "no_certificate", health_expires_on)
    if certificate_revoked:
        return DutyStatus(RED, "revoked", health_expires_on)
    if health_expires_on is None:
        return DutyStatus(RED, "no_health")
    if health_issued_on is not None and health_issued_on > today:
        return DutyStatus(RED, "health_not_yet_valid", health_expires_on)
    if health_expires_on < today:
        return DutyStatus(RED, "health_expired", health_expires_on)
    if (health_expires_on - today).days <= warning_days:
        return DutyStatus(YELLOW, "expiring", health_expires_on)
    return DutyStatus(GREEN, "ok", health_expires_on)


# ---------------------------------------------------------------------------------------------
# Certificates
# ---------------------------------------------------------------------------------------------

VERIFICATION_CODE_BYTES = 10  # 80 bits of randomness, well above the 50 required


def certificate_number(year: int, track_code: str, sequence: int) -> str:
    """Readable certificate number: year, track code, sequence within year and track."""
    return f"{year}{track_code.upper()}{sequence:05d}"


# ---------------------------------------------------------------------------------------------
# The report's rates
# ---------------------------------------------------------------------------------------------


def rate(numerator: float, denominator: float) -> float | None:
    """A fraction between 0 and 1, or None when there is nothing to divide by."""
    if not denominator:
        return None
    return numerator / denominator


def pass_rate(passed: int, takers: int) -> float | None:
    """Passed ÷ exam takers."""
    return rate(passed, takers)


def placement_rate(placed: int, certified: int) -> float | None:
    """Placed ÷ certified in the year."""
    return rate(placed, certified)


def is_satisfied(rating: int) -> bool:
    """A rating of 4 or 5 counts as satisfied."""
    return rating >= 4


def satisfaction_rate(ratings: list[int]) -> float | None:
    """Share of feedback rated 4 or 5."""
    return rate(sum(1 for r in ratings if is_satisfied(r)), len(ratings))


def average(values: list[float]) -> float | None:
    """Arithmetic mean, or None for no values."""
    return rate(sum(values), len(values))


def change(current: float | None, previous: float | None) -> float | None:
    """Year-over-year difference (current − previous), None when either is unknown."""
    if current is None or previous is None:
        return None
    return current - previous
