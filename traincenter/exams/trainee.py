"""The trainee's results page (served by the portal at /me/results): published results only."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from .. import rules
from ..retraining.next_step import describe_next_step
from ..services import verdicts
from .queries import trainee_results

TITLE = _l("My results")


@dataclass
class Attempt:
    """One published result as the trainee sees it."""

    result: object
    parts: dict[str, dict] = field(default_factory=dict)


@dataclass
class ResultsPage:
    """Every published attempt (newest first) and, after a fail, what happens next."""

    attempts: list[Attempt]
    next_steps: list[str]


def _part(result, part: str) -> dict:
    """One part as the trainee sees it: kept from an earlier exam, absent, or a score and
    whether it reached the pass mark."""
    source = getattr(result, f"{part}_carried_from")
    if source is not None:
        return {"kind": "kept", "score": getattr(source, f"{part}_score"),
                "passed_on": source.exam.held_on}
    if getattr(result, f"{part}_absent"):
        return {"kind": "absent"}
    score = getattr(result, f"{part}_score")
    return {"kind": "score", "score": score,
            "passed": verdicts.part_passed(result, part)}


def results_page(trainee_id: int) -> ResultsPage:
    """The page of ``trainee_id``: only their own published results."""
    results = trainee_results(trainee_id, published_only=True)
    shown = [Attempt(r, {part: _part(r, part) for part in rules.PARTS})
             for r in reversed(results)]
    failed = any(r.is_passed is False for r in results)
    return ResultsPage(shown, describe_next_step(trainee_id) if failed else [])
