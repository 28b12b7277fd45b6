"""What every figure of the annual report counts, in words: written once, printed beside each figure.

The web page, the Word and PDF documents and the workbook all print these texts; the counting
itself is ``traincenter.rules.report`` (the rules) applied by ``reports.aggregates`` (the SQL).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from .. import rules


@dataclass(frozen=True)
class Figure:
    """A figure's label, its definition and the kind of number (count, hours, rate, rating)."""

    label: object
    definition: object
    kind: str = "count"


FIGURES: dict[str, Figure] = {
    "trained": Figure(_l("Trainees trained"), _l(
        "Different trainees enrolled in a class (regular or retraining) that ran in the year and had "
        "started by the as-of date, each counted once: completed + in training + stopped or withdrawn.")),
    "completed": Figure(_l("Completed (hours done)"), _l(
        "Trainees whose enrolment met every hour requirement of its class (classroom and verified "
        "self-study hours) by the as-of date.")),
    "in_training": Figure(_l("Still in training"), _l(
        "Trainees short of the hours whose class was still running on the as-of date.")),
    "stopped": Figure(_l("Stopped or withdrawn"), _l(
        "Trainees who withdrew, or whose class ended before they reached the hours. A trainee in "
        "several classes counts once, with her best status.")),
    "hours_taught": Figure(_l("Hours taught"), _l(
        "Hours of the classroom sessions held in the year up to the as-of date; each session counts "
        "once, however many trainees attended."), "hours"),
    "trainee_hours": Figure(_l("Trainee classroom hours"), _l(
        "Each session's hours × the trainees credited for it (present or late), summed over the "
        "sessions held in the year."), "hours"),
    "hours_self_study": Figure(_l("Verified self-study hours"), _l(
        "Self-study hours studied in the year and verified by an instructor."), "hours"),
    "exam_takers": Figure(_l("Exam takers"), _l(
        "Trainees whose first sitting falls in the year. A first sitting is the first exam of the "
        "course at which the trainee sat at least one part: a trainee absent from her first exam "
        "who sits the re-exam is a taker in the year of that re-exam.")),
    "first_attempt_passed": Figure(_l("Passed at the first sitting"), _l(
        "Exam takers who passed at their first sitting (theory and practical both at or above that "
        "exam's pass marks).")),
    "first_attempt_pass_rate": Figure(_l("First-sitting pass rate"), _l(
        "Passed at the first sitting ÷ exam takers."), "rate"),
    "final_passed": Figure(_l("Passed by the as-of date"), _l(
        "Exam takers of the year who had passed, re-exams included, at an exam held by the as-of "
        "date.")),
    "final_pass_rate": Figure(_l("Final pass rate"), _l(
        "Passed by the as-of date ÷ exam takers. A cohort figure: it belongs to the year's exam "
        "takers and still rises when their re-exams are passed after the as-of date."), "rate"),
    "retrained": Figure(_l("Retrained"), _l(
        "Different trainees enrolled in a retraining class that ran in the year.")),
    "reexam_takers": Figure(_l("Re-exam takers"), _l(
        "Different trainees who sat at least one part at a re-exam held in the year. A part carried "
        "over from an earlier exam is not a sitting: a candidate absent from every part she had to "
        "sit is not counted.")),
    "reexam_passed": Figure(_l("Passed the re-exam"), _l("Re-exam takers who passed that re-exam.")),
    "reexam_pass_rate": Figure(_l("Re-exam pass rate"), _l(
        "Passed the re-exam ÷ re-exam takers."), "rate"),
    "passed_in_year": Figure(_l("Passes in the year"), _l(
        "Courses passed at an exam held in the year (a course passes once).")),
    "certified": Figure(_l("Certificates issued"), _l(
        "Training certificates issued in the year up to the as-of date and not revoked. Where the "
        "number differs from the passes in the year, the report lists why.")),
    "health_certificates": Figure(_l("Health certificates recorded"), _l(
        "Health certificates with an issue date in the year.")),
    "placed": Figure(_l("Placed in work"), _l(
        "Workers certified in the year whose job started on or after the certificate's issue date "
        "and on or before the as-of date.")),
    "placement_rate": Figure(_l("Placement rate"), _l("Placed in work ÷ certificates issued."), "rate"),
    "contracts_registered": Figure(_l("Labour contracts registered"), _l(
        "Jobs starting in the year whose labour contract was registered with the labour department.")),
    "feedback_count": Figure(_l("Customer feedback"), _l("Customer feedback given in the year.")),
    "average_rating": Figure(_l("Average rating"), _l(
        "Mean of the ratings (1–5) given in the year."), "rating"),
    "satisfaction_rate": Figure(_l("Satisfaction rate"), _l(
        "Share of the year's customer feedback rated 4 or 5."), "rate"),
}

# Why the certificates issued differ from the passes in the year (rules.reconcile_certificates).
RECONCILIATION: dict[str, object] = {
    rules.PASS_CERTIFIED_LATER: _l("passed in the year, certificate issued the following year"),
    rules.PASS_REVOKED: _l("passed in the year, certificate revoked"),
    rules.PASS_NOT_CERTIFIED: _l("passed in the year, no certificate issued yet"),
    rules.PASS_CERTIFIED_EARLIER: _l("certificate dated before the pass (check the data)"),
    rules.CERT_PASSED_EARLIER: _l("passed in an earlier year, certificate issued in this year"),
    rules.CERT_NOT_A_PASS: _l("certificate whose result is no longer a pass (flagged for review)"),
    "other": _l("other differences (check the data)"),
}

AS_OF_NOTE = _l("Counted as of %(date)s: nothing dated after it counts.")
PREVIOUS_NOTE = _l("The previous year is counted with the same definitions at the same as-of date.")
COHORT_NOTE = _l(
    "Pass rates are cohort figures: they belong to the trainees whose first sitting fell in the "
    "year, and the final pass rate can still rise when their re-exams are passed after the as-of "
    "date. The figures of a finalised report do not change.")
BREAKDOWN_NOTE = _l(
    "Breakdowns count different trainees trained in the year; a trainee in two classes of "
    "different tracks, levels or providers is counted once in each.")
MONTH_NOTE = _l("Trainees per month counts classes that started in the year, by their start month.")
AGE_NOTE = _l("Ages are counted on %(date)s.")
SCORE_NOTE = _l(
    "Score distributions count every part sat at a published exam held in the year (carried-over "
    "and absent parts are left out).")


AGE_BANDS: dict[str, object] = {"<35": _l("Under 35"), "35-49": _l("35–49"), "50-59": _l("50–59"),
                                "60+": _l("60 and over")}


def age_band_label(key: str) -> str:
    """An age band as the report prints it (35岁以下, 35–49岁, 50–59岁, 60岁及以上)."""
    return str(AGE_BANDS.get(key, key))


def figure(key: str) -> Figure:
    """The figure ``key`` (a KeyError for an unknown one)."""
    return FIGURES[key]


def label(key: str) -> str:
    """A figure's label in the current language."""
    return str(FIGURES[key].label)


def definition(key: str) -> str:
    """A figure's definition in the current language."""
    return str(FIGURES[key].definition)
