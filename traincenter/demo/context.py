"""What the demo generator remembers while it plans: classes, courses and exam attempts."""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from .plan import Plan, Ref


@dataclass
class ClassInfo:
    """A planned class with its schedule and exam."""

    ref: Ref
    code: str
    track: str
    kind: str  # regular | retraining
    starts_on: date
    ends_on: date
    instructors: list[int]
    exam_state: str  # future | draft | submitted | published
    requirements: tuple[float, float, float]  # classroom, self-study, total
    sessions: list[tuple[Ref, date, float, str]] = field(default_factory=list)
    exam_ref: Ref | None = None
    published_at: datetime | None = None
    courses: list[Course] = field(default_factory=list)

    @property
    def exam_on(self) -> date:
        """Exams are held on the last day of the class."""
        return self.ends_on


@dataclass
class Attempt:
    """One result of a course: scores (a number, rules.ABSENT or None) and carried parts."""

    cls: ClassInfo
    ref: Ref
    row: dict
    number: int
    carried: dict[str, Attempt] = field(default_factory=dict)

    @property
    def held_on(self) -> date:
        """The exam date."""
        return self.cls.exam_on

    @property
    def published(self) -> bool:
        """Only published results count for carry-over, statuses and certificates."""
        return self.row["status"] == "published"


@dataclass
class Course:
    """A trainee's regular enrolment and everything that follows from it."""

    trainee: int  # index into the planned trainees
    profile: dict  # the trainee row
    cls: ClassInfo
    enrolment: Ref
    row: dict
    attendance: str = ""  # one letter per session of the class: P L A E, or - for no row
    self_study: list[tuple[date, float, str]] = field(default_factory=list)
    classroom_hours: float = 0.0
    self_study_hours: float = 0.0
    eligible: bool = False
    withdrawn: bool = False
    ability: float = 0.0
    attempts: list[Attempt] = field(default_factory=list)
    retraining: ClassInfo | None = None
    reenrolment: Ref | None = None
    retraining_logs: list[tuple[date, float, str]] = field(default_factory=list)
    retraining_hours: float = 0.0
    postpone: int = 0  # how many retraining rounds the trainee skips
    situation: str | None = None
    certificate: dict | None = None
    health: list[tuple[date, date]] = field(default_factory=list)  # (issued, expires)


@dataclass
class Demo:
    """The shared state of one seeding run."""

    rng: random.Random
    today: date
    plan: Plan
    tracks: dict[str, int]
    modules: dict[str, int]
    accounts: dict[str, object]
    instructors: list[int]
    settings: dict
    classes: list[ClassInfo] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    used_ids: set[str] = field(default_factory=set)
    used_phones: set[str] = field(default_factory=set)
    situations: dict[str, Course] = field(default_factory=dict)

    @property
    def window_start(self) -> date:
        """1 January of the year before last: the demo covers three calendar years."""
        return date(self.today.year - 2, 1, 1)

    def token(self, nbytes: int) -> str:
        """An unguessable-looking, url-safe token drawn from the seeded generator."""
        return base64.urlsafe_b64encode(self.rng.randbytes(nbytes)).rstrip(b"=").decode()

    def at(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        """A timestamp on ``day`` (never in the future)."""
        moment = datetime.combine(day, time(hour, minute))
        now = datetime.combine(self.today, time(0, 0))
        return min(moment, now) if day >= self.today else moment

    def days_after(self, day: date, low: int, high: int) -> date:
        """A random day between ``low`` and ``high`` days after ``day``."""
        return day + timedelta(days=self.rng.randint(low, high))
