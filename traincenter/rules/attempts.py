"""Attempts, carry-over and what the next exam covers.

The national appraisal rules keep a passed part for one year and allow one re-exam in that time:
a part passed at an earlier attempt is carried over while valid, and at most ``ATTEMPT_LIMIT``
attempts are allowed per course. Each recorded part carries the pass mark of its own exam.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .dates import add_months
from .scores import PARTS, PASS_MARK, part_passed

CARRY_OVER_MONTHS = 12
CARRY_OVER_WARNING_DAYS = 30  # the retraining list highlights a kept part lapsing this soon
ATTEMPT_LIMIT = 2  # first exam + one re-exam


def carry_over_valid_until(passed_on: date, months: int = CARRY_OVER_MONTHS) -> date:
    """Last day on which a part passed on ``passed_on`` is still carried over."""
    return add_months(passed_on, months) - timedelta(days=1)


def carry_over_valid(passed_on: date, exam_on: date, months: int = CARRY_OVER_MONTHS) -> bool:
    """Whether a part passed on ``passed_on`` is still carried over to an exam on ``exam_on``."""
    return passed_on <= exam_on <= carry_over_valid_until(passed_on, months)


def carry_over_lapses_soon(valid_until: date, today: date,
                           warning_days: int = CARRY_OVER_WARNING_DAYS) -> bool:
    """Whether a kept part lapses within ``warning_days`` (the retraining list highlights it)."""
    return today <= valid_until <= today + timedelta(days=warning_days)


def may_retake(attempts_used: int, limit: int = ATTEMPT_LIMIT) -> bool:
    """Whether another attempt within the same course is allowed."""
    return attempts_used < limit


def attempts_left(attempts_used: int, limit: int = ATTEMPT_LIMIT) -> int:
    """How many attempts remain within the course (never negative)."""
    return max(0, limit - attempts_used)


@dataclass(frozen=True)
class PartRecord:
    """A part as recorded at one attempt: its score, absence, the exam's date and pass mark."""

    score: float | Decimal | None
    absent: bool
    exam_on: date
    pass_mark: float = PASS_MARK

    @property
    def passed(self) -> bool:
        """Whether the part passed, judged by its own exam's pass mark."""
        return part_passed(self.score, self.absent, self.pass_mark)


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
) -> AttemptPlan:
    """Decide what the next attempt covers from the attempts so far (oldest first).

    Each attempt maps ``theory`` and ``practical`` to the ``PartRecord`` sat at that attempt, or
    ``None`` for a part that was carried over rather than sat. A part passed at any attempt (by
    that attempt's own pass mark) is carried while valid on ``next_exam_on`` (today's date
    stands in when it is not yet known).
    """
    best: dict[str, PartRecord] = {}
    for attempt in history:
        for part in PARTS:
            record = attempt.get(part)
            if record is not None and record.passed:
                best[part] = record  # the latest pass of the part
    used = len(history)
    if all(part in best for part in PARTS) and _latest_passed(history):
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


def _latest_passed(history: list[dict[str, PartRecord | None]]) -> bool:
    """Whether the latest attempt passed, counting parts carried into it."""
    if not history:
        return False
    latest = history[-1]
    # A part carried into the attempt (None) passed earlier; a sat part passes on its own mark.
    return all(record is None or record.passed for record in (latest.get(p) for p in PARTS))


# Where a course stands about its exam (the hours pages say it instead of "may sit the exam").
STANDINGS = ("passed", "limit_reached", "exam_scheduled", "reexam_scheduled", "results_pending",
             "retake_pending")


def exam_standing(plan_status: str | None, next_exam_on: date | None, today: date) -> str | None:
    """The course's standing from its published attempts and its next unpublished exam.

    ``plan_status`` is the ``AttemptPlan`` status after the published results (None before any
    is published); ``next_exam_on`` the day of the earliest unpublished exam the trainee is
    headed for (None when none). Returns one of ``STANDINGS``, or None when no exam has
    touched the course yet (the hours decide).
    """
    if plan_status in ("passed", "limit_reached"):
        return plan_status
    if next_exam_on is not None:
        if next_exam_on < today:
            return "results_pending"
        return "exam_scheduled" if plan_status is None else "reexam_scheduled"
    return None if plan_status is None else "retake_pending"
