"""Shared helpers of the exams tests (not a test module of its own)."""

from __future__ import annotations

from traincenter.extensions import db
from traincenter.models import ExamResult


def draft_exam(make, count: int = 3, instructor=None, **exam_kw):
    """A class taught by ``instructor`` with an exam whose ``count`` candidates have draft results."""
    instructor = instructor or make.user("instructor")
    training_class = make.training_class(instructors=[instructor])
    exam = make.exam(training_class, **exam_kw)
    results = []
    for _ in range(count):
        enrolment = make.enrolment(training_class=training_class)
        results.append(make.result(exam, enrolment, status="draft"))
    return exam, results, instructor


def fresh(result) -> ExamResult:
    """The result as stored now."""
    db.session.expire_all()
    return db.session.get(ExamResult, result.id)


def grid_form(results, values: dict, versions: dict | None = None) -> dict:
    """POST data of the grid: ``values`` maps result → (theory, practical[, t_absent, p_absent])."""
    data = {}
    for result in results:
        theory, practical, *absent = values.get(result, ("", ""))
        data[f"t-{result.id}"] = theory
        data[f"p-{result.id}"] = practical
        if absent and absent[0]:
            data[f"ta-{result.id}"] = "1"
        if len(absent) > 1 and absent[1]:
            data[f"pa-{result.id}"] = "1"
        data[f"v-{result.id}"] = str((versions or {}).get(result, result.version))
    return data
