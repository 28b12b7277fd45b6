"""The trainee's results page (served by the portal at /me/results): published results only."""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from .. import rules, settings
from ..services import attempts
from ..web import format_score
from .queries import trainee_results

TITLE = _l("My results")
NEXT_STEP_MODULE = "traincenter.services.next_step"


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


def _part(result, part: str, marks: dict[str, float]) -> dict:
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
            "passed": rules.part_passed(score, False, marks[f"pass_mark_{part}"])}


def results_page(trainee_id: int) -> ResultsPage:
    """The page of ``trainee_id``: only their own published results."""
    results = trainee_results(trainee_id, published_only=True)
    marks = settings.pass_marks()
    shown = [Attempt(r, {part: _part(r, part, marks) for part in rules.PARTS})
             for r in reversed(results)]
    failed = any(r.is_passed is False for r in results)
    return ResultsPage(shown, next_steps(trainee_id, results) if failed else [])


def next_steps(trainee_id: int, results) -> list[str]:
    """Plain sentences about what comes next: the retraining area's when it is installed."""
    if importlib.util.find_spec(NEXT_STEP_MODULE) is not None:
        module = importlib.import_module(NEXT_STEP_MODULE)
        sentences = module.describe_next_step(trainee_id)
        if sentences:
            return list(sentences)
    return generic_next_steps(results)


def generic_next_steps(results) -> list[str]:
    """Sentences built from the attempt plan of each course whose latest result is a fail."""
    latest: dict[int, object] = {}
    for result in results:
        latest[result.enrolment.course_enrolment_id] = result
    sentences: list[str] = []
    failing = [course for course, r in latest.items() if r.is_passed is False]
    courses = attempts.course_results(failing)
    names = {"theory": gettext("theory exam"), "practical": gettext("practical exam")}
    for course in failing:
        # The next exam is after the latest one (a result may be dated later than today).
        plan = attempts.plan_for(courses[course], max(date.today(), latest[course].exam.held_on))
        if plan.status == "limit_reached":
            sentences.append(gettext(
                "You have used every exam chance of this course. To get the certificate, sign up "
                "for a new training class; you will sit both exams again."))
            continue
        if plan.status != "retake":
            continue
        parts = "、".join(names[p] for p in plan.parts_to_sit)
        sentences.append(gettext(
            "You did not pass yet. You may take a re-exam (补考) %(left)s more time(s); "
            "you need to sit: %(parts)s. The training center will tell you the date.",
            left=plan.attempts_left, parts=parts))
        for item in plan.carried:
            sentences.append(gettext(
                "Your %(part)s score of %(score)s is kept until %(until)s: you do not sit it again "
                "before then.", part=names[item.part], score=format_score(item.score),
                until=format_date(item.valid_until)))
        for item in plan.expired:
            sentences.append(gettext(
                "Your %(part)s pass is older than the keeping period: you must sit it again.",
                part=names[item.part]))
    return sentences
