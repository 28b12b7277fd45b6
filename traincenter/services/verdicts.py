"""Verdicts of recorded results, each taken with its own exam's pass marks.

This is the one source of truth for "did this part / this result pass": the grid, the statistics,
the trainee's pages, the next step, the retraining list, certificates and the report all ask here
(or read ``ExamResult.is_passed``, which is computed with the same marks on every save).
"""

from __future__ import annotations

from .. import rules
from ..models import ExamResult


def carried_source(result: ExamResult, part: str) -> ExamResult | None:
    """The earlier result a part was carried over from (None when the part was sat here)."""
    return getattr(result, f"{part}_carried_from")


def part_record(result: ExamResult, part: str) -> rules.PartRecord | None:
    """The part as sat at ``result`` with its exam's date and pass mark; None when carried."""
    if getattr(result, f"{part}_carried_from_id") is not None:
        return None
    exam = result.exam
    return rules.PartRecord(getattr(result, f"{part}_score"), bool(getattr(result, f"{part}_absent")),
                            exam.held_on, exam.pass_marks.of(part))


def part_passed(result: ExamResult, part: str) -> bool:
    """Whether ``part`` of ``result`` passed: sat here by this exam's mark, or carried over from
    an earlier result that passed it by that exam's mark."""
    record = part_record(result, part)
    if record is not None:
        return record.passed
    source = carried_source(result, part)
    return source is not None and part_passed(source, part)


def parts_not_passed(result: ExamResult) -> list[str]:
    """Parts sat at ``result`` (not carried over) that did not pass, absent ones included."""
    return [part for part in rules.PARTS
            if (record := part_record(result, part)) is not None and not record.passed]
