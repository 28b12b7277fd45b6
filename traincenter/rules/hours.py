"""Hours: the course's hour requirements, exam eligibility, attendance and self-study limits."""

from __future__ import annotations

from dataclasses import dataclass, field

REQUIRED_TOTAL_HOURS = 150
REQUIRED_CLASSROOM_HOURS = 80
REQUIRED_SELF_STUDY_HOURS = 70
LEVEL_STANDARD_HOURS = {5: 150, 4: 240, 3: 360}  # national standard for 家政服务员 (2006)
LEVELS = tuple(sorted(LEVEL_STANDARD_HOURS))  # 3 (advanced), 4, 5 (basic)
DEFAULT_LEVEL = 5
SELF_STUDY_MAX_HOURS_PER_DAY = 8
SESSION_MAX_HOURS = 12  # one classroom session lasts more than 0 and at most this many hours

ATTENDANCE_STATUSES = ("present", "late", "absent", "excused")
CREDITED_ATTENDANCE = frozenset({"present", "late"})  # late still earns the session's hours


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




def session_hours_error(hours: float | None) -> str | None:
    """An error code for a session length outside (0, SESSION_MAX_HOURS] or finer than 0.1 h."""
    if hours is None or not 0 < hours <= SESSION_MAX_HOURS:
        return "out_of_range"
    if round(hours * 10) != hours * 10:
        return "too_many_decimals"
    return None


def standard_hours(level: int) -> int:
    """The national standard's course hours for a level (150 / 240 / 360)."""
    return LEVEL_STANDARD_HOURS[level]
