"""Scores and the pass rule: parsing a score cell, one part's verdict, an exam's verdict.

The pass marks are recorded on each exam when it is scheduled (``PassMarks``); every verdict takes
that exam's marks, so changing the setting later changes future exams only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

PASS_MARK = 60
SCORE_MIN = 0
SCORE_MAX = 100
SCORE_DECIMALS = 1

PARTS = ("theory", "practical")
ABSENT = "absent"
ABSENT_WORDS = frozenset({"缺考", "缺", "absent", "abs", "a"})


@dataclass(frozen=True)
class PassMarks:
    """The pass mark of each part of one exam (recorded when the exam is scheduled)."""

    theory: float = PASS_MARK
    practical: float = PASS_MARK

    def of(self, part: str) -> float:
        """The pass mark of ``part`` (theory or practical)."""
        return {"theory": self.theory, "practical": self.practical}[part]


DEFAULT_PASS_MARKS = PassMarks()


class ScoreError(ValueError):
    """A score cell that cannot be accepted; ``code`` names the reason for the UI to translate."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


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
        return _parse_text(text)
    if isinstance(text, (int, float, Decimal)):
        try:
            value = Decimal(str(text))
        except InvalidOperation as exc:
            raise ScoreError("not_a_number") from exc
        if not value.is_finite():
            raise ScoreError("not_a_number")
    else:
        raise ScoreError("not_a_number")
    return _in_range(value)


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Decimal | str:
    """A typed (non-empty) cell. Kept per text: a grid or a sheet repeats the same few hundred
    scores, and a saved grid posts every row again (errors are raised again, never kept)."""
    # Full-width digits and points typed with a Chinese input method count as ordinary ones.
    cleaned = unicodedata.normalize("NFKC", text).strip().replace("，", ".").replace("。", ".")
    if cleaned.lower() in ABSENT_WORDS:
        return ABSENT
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", cleaned):
        raise ScoreError("not_a_number")
    return _in_range(Decimal(cleaned))


def _in_range(value: Decimal) -> Decimal:
    if value < SCORE_MIN or value > SCORE_MAX:
        raise ScoreError("out_of_range")
    if value != value.quantize(Decimal(1).scaleb(-SCORE_DECIMALS), rounding=ROUND_HALF_UP):
        raise ScoreError("too_many_decimals")
    return value.quantize(Decimal("0.1")) if value % 1 else value.quantize(Decimal(1))


def pass_mark_error(mark: object) -> str | None:
    """An error code for a pass mark outside 0–100, or None when it is acceptable."""
    try:
        value = float(mark)
    except (TypeError, ValueError):
        return "not_a_number"
    return None if SCORE_MIN <= value <= SCORE_MAX else "out_of_range"


def part_passed(score: float | Decimal | None, absent: bool = False,
                pass_mark: float = PASS_MARK) -> bool:
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
    marks: PassMarks = DEFAULT_PASS_MARKS,
) -> bool:
    """Pass = theory ≥ its pass mark AND practical ≥ its pass mark; an absent part never passes."""
    return part_passed(theory, theory_absent, marks.theory) and part_passed(
        practical, practical_absent, marks.practical
    )


def scores_open(held_on: date, today: date) -> bool:
    """Scores of an exam may be recorded from the exam's day on, never for an exam still ahead."""
    return held_on <= today


def part_is_complete(score: object, absent: bool) -> bool:
    """A part is recorded when it has a score or is marked absent."""
    return absent or score is not None


def combine_result(
    theory: float | Decimal | None,
    practical: float | Decimal | None,
    *,
    theory_absent: bool = False,
    practical_absent: bool = False,
    carried_theory: float | Decimal | None = None,
    carried_practical: float | Decimal | None = None,
    marks: PassMarks = DEFAULT_PASS_MARKS,
    carried_marks: PassMarks | None = None,
) -> bool | None:
    """The final result of an attempt: new parts combined with carried-over ones.

    A carried part stands in for a part not sat and is judged by the marks of the exam where it
    was passed (``carried_marks``, by default this exam's). Returns ``None`` while a part to be
    sat has neither a score nor an absence recorded.
    """
    carried_marks = carried_marks or marks
    parts = {
        "theory": (theory, theory_absent, carried_theory),
        "practical": (practical, practical_absent, carried_practical),
    }
    verdicts = []
    for part, (score, absent, carried) in parts.items():
        if carried is not None:
            verdicts.append(part_passed(carried, False, carried_marks.of(part)))
        elif not part_is_complete(score, absent):
            return None
        else:
            verdicts.append(part_passed(score, absent, marks.of(part)))
    return all(verdicts)
