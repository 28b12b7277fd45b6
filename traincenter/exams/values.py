"""Score values as the exams area passes them around: parsing cells, comparing and recording them.

No Flask request state here; the messages are lazy strings translated where they are shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from .. import rules
from ..i18n import label

ABSENT_CODE = "absent"  # how an absence is written in the history (old/new value)


@dataclass
class ScoreRow:
    """One candidate's typed values: raw text per part plus the absent boxes.

    ``version`` is the result's version when the page was opened (None for imports, which take
    the version current when the file is read). ``line`` is the spreadsheet line, if any.
    """

    result_id: int
    theory: object = None
    practical: object = None
    theory_absent: bool = False
    practical_absent: bool = False
    version: int | None = None
    line: int | None = None


@dataclass
class PartValue:
    """A parsed part: a score, or absent, or nothing yet."""

    score: Decimal | None = None
    absent: bool = False

    @property
    def code(self) -> str | None:
        """The value as written in the history: '72.5', 'absent' or None."""
        if self.absent:
            return ABSENT_CODE
        return None if self.score is None else format_number(self.score)


@dataclass
class RowProblem:
    """What is wrong with one row: messages per part (or ``row`` for the whole row)."""

    result_id: int | None
    line: int | None = None
    name: str = ""
    messages: dict[str, list[str]] = field(default_factory=dict)

    def add(self, where: str, message) -> None:
        """Record ``message`` against ``where`` (theory, practical or row)."""
        self.messages.setdefault(where, []).append(str(message))

    def flat(self) -> list[str]:
        """Every message, prefixed by its part."""
        out = []
        for where, messages in self.messages.items():
            prefix = "" if where == "row" else f"{label('part', where)}: "
            out += [prefix + message for message in messages]
        return out


SCORE_AND_ABSENT = _l("Enter a score or tick absent, not both")


def format_number(value) -> str:
    """72 → '72', 72.5 → '72.5' (the history and the sheets write scores this way)."""
    value = Decimal(str(value))
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.1f}"


def parse_part(text: object, absent_box: bool, *, allow_empty: bool) -> PartValue:
    """Parse one part's cell and absent box; raises ``rules.ScoreError`` or ValueError(both)."""
    parsed = rules.parse_score(text, allow_empty=True)
    if parsed == rules.ABSENT:
        return PartValue(absent=True)
    if absent_box:
        if parsed is not None:
            raise ValueError("both")
        return PartValue(absent=True)
    if parsed is None:
        if allow_empty:
            return PartValue()
        raise rules.ScoreError("empty")
    return PartValue(score=parsed)


def part_message(error: Exception):
    """The user's message for a parse error of a score cell."""
    if isinstance(error, rules.ScoreError):
        return rules_label(error.code)
    return SCORE_AND_ABSENT


def rules_label(code: str) -> str:
    """Translated label of a ``rules.ScoreError`` code."""
    return label("score_error", code)


def current_part(result, part: str) -> PartValue:
    """The part as stored on ``result``."""
    score = getattr(result, f"{part}_score")
    return PartValue(None if score is None else Decimal(str(score)), bool(getattr(result, f"{part}_absent")))


def carried_score(result, part: str):
    """The score carried into ``result`` for ``part`` (None when the part is sat)."""
    source = getattr(result, f"{part}_carried_from")
    return None if source is None else getattr(source, f"{part}_score")


def carried_marks(result, marks: rules.PassMarks) -> rules.PassMarks:
    """Pass marks for the carried parts of ``result``: each its own source exam's mark."""
    def mark(part: str) -> float:
        source = getattr(result, f"{part}_carried_from")
        return marks.of(part) if source is None else source.exam.pass_marks.of(part)

    return rules.PassMarks(theory=mark("theory"), practical=mark("practical"))


def combined(result, theory: PartValue, practical: PartValue,
             marks: rules.PassMarks) -> bool | None:
    """The final result of ``result`` with these parts, carried parts included; ``marks`` are
    the result's exam's own pass marks."""
    return rules.combine_result(
        theory.score, practical.score,
        theory_absent=theory.absent, practical_absent=practical.absent,
        carried_theory=carried_score(result, "theory"),
        carried_practical=carried_score(result, "practical"),
        marks=marks, carried_marks=carried_marks(result, marks),
    )


def is_carried(result, part: str) -> bool:
    """Whether ``part`` of ``result`` is carried over (read-only)."""
    return getattr(result, f"{part}_carried_from_id") is not None
