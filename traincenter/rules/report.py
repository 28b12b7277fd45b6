"""The annual report's counting rules: who counts as trained, as an exam taker, as placed.

The SQL of ``reports.aggregates`` applies these rules to many rows at once; the tests check that
both agree on a hand-built data set. What each figure means, in words, is printed from
``reports.definitions``, which describes exactly these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# --- 培训人数: 结业 / 在训 / 中止·退学 ----------------------------------------------------------

COMPLETED, IN_TRAINING, STOPPED = "completed", "in_training", "stopped"
TRAINING_STATUSES = (COMPLETED, IN_TRAINING, STOPPED)  # the best first


def training_status(*, withdrawn: bool, hours_complete: bool, class_ended: bool) -> str:
    """One enrolment's status on the report's as-of date.

    Withdrawn (退学) counts as stopped whatever the hours; otherwise the hours decide: complete
    (every hour requirement of the class met by the as-of date) is 结业; short of the hours while
    the class still runs is 在训; short of the hours after the class ended is 中止.
    """
    if withdrawn:
        return STOPPED
    if hours_complete:
        return COMPLETED
    return STOPPED if class_ended else IN_TRAINING


def best_training_status(statuses: Iterable[str]) -> str | None:
    """A trainee with several enrolments in the year counts once, with her best status."""
    ranked = [TRAINING_STATUSES.index(status) for status in statuses]
    return TRAINING_STATUSES[min(ranked)] if ranked else None


def hours_complete(classroom: float, self_study: float, required_classroom: float,
                   required_self_study: float, required_total: float) -> bool:
    """Every hour requirement met (the same test as exam eligibility, rounded to 0.1 h)."""
    classroom, self_study = round(classroom or 0, 1), round(self_study or 0, 1)
    return (classroom >= required_classroom and self_study >= required_self_study
            and round(classroom + self_study, 1) >= required_total)


# --- 参考人数, 一次合格, 最终合格, 补考人数 --------------------------------------------------------


def part_was_sat(score: float | None, absent: bool, carried: bool) -> bool:
    """A part counts as sat when it has a score of its own: absent and carried-over parts do not."""
    return score is not None and not absent and not carried


@dataclass(frozen=True)
class Sitting:
    """One published result of a course: when, which attempt, whether a part was sat, the verdict."""

    held_on: date
    attempt_no: int
    sat: bool
    passed: bool | None
    kind: str = "first"  # first or reexam


def first_sitting(sittings: Iterable[Sitting]) -> Sitting | None:
    """The first exam of a course at which the trainee sat at least one part.

    An exam at which she was absent from every part is not a sitting: a trainee absent from the
    first exam who sits the re-exam has her first sitting at the re-exam (and counts as an exam
    taker in the year of that re-exam).
    """
    sat = [sitting for sitting in sittings if sitting.sat]
    return min(sat, key=lambda sitting: (sitting.held_on, sitting.attempt_no)) if sat else None


def passed_by(sittings: Iterable[Sitting], as_of: date) -> bool:
    """Whether the course has a passing published result at an exam held on or before ``as_of``."""
    return any(sitting.passed and sitting.held_on <= as_of for sitting in sittings)


def is_reexam_taker(sitting: Sitting) -> bool:
    """A re-exam candidate counts as a re-exam taker only when she sat a part at that re-exam."""
    return sitting.kind == "reexam" and sitting.sat


# --- 上岗 ---------------------------------------------------------------------------------------


def counts_as_placed(certificate_issued_on: date, placement_starts_on: date, as_of: date) -> bool:
    """A certified worker counts as placed by a job that started on or after the certificate's issue
    date and on or before the report's as-of date."""
    return certificate_issued_on <= placement_starts_on <= as_of


NO_CERTIFICATE, BEFORE_CERTIFICATE = "no_certificate", "before_certificate"


def placement_start_error(starts_on: date, standing_issued_on: Iterable[date]) -> str | None:
    """Why a placement may not start on ``starts_on`` (None when it may).

    ``standing_issued_on`` are the issue dates of the worker's standing (not revoked)
    certificates. A placement cannot start before a standing certificate exists.
    """
    dates = list(standing_issued_on)
    if not dates:
        return NO_CERTIFICATE
    if starts_on < min(dates):
        return BEFORE_CERTIFICATE
    return None


# --- 发证数 and the year's passes -------------------------------------------------------------

# Passes of the year (courses passed at an exam held in the year), by what became of the certificate.
PASS_CERTIFIED_SAME_YEAR = "certified_same_year"
PASS_CERTIFIED_LATER = "certified_later"       # passed this year, certificate issued next year
PASS_REVOKED = "revoked"                       # the certificate was revoked
PASS_NOT_CERTIFIED = "not_certified"           # no certificate yet
PASS_CERTIFIED_EARLIER = "certified_earlier"   # certificate dated before the pass (a data error)
PASS_OUTCOMES = (PASS_CERTIFIED_SAME_YEAR, PASS_CERTIFIED_LATER, PASS_REVOKED, PASS_NOT_CERTIFIED,
                 PASS_CERTIFIED_EARLIER)
# Certificates issued in the year (not revoked), by the exam their pass comes from.
CERT_PASSED_SAME_YEAR = "passed_same_year"
CERT_PASSED_EARLIER = "passed_earlier"          # passed last year (or before), certified this year
CERT_NOT_A_PASS = "not_a_pass"                  # its result is no longer a published pass
CERT_ORIGINS = (CERT_PASSED_SAME_YEAR, CERT_PASSED_EARLIER, CERT_NOT_A_PASS)


def pass_outcome(certificate_issued_on: date | None, has_revoked: bool, year: int) -> str:
    """What became of the certificate of a course passed in ``year``."""
    if certificate_issued_on is None:
        return PASS_REVOKED if has_revoked else PASS_NOT_CERTIFIED
    if certificate_issued_on.year == year:
        return PASS_CERTIFIED_SAME_YEAR
    return PASS_CERTIFIED_LATER if certificate_issued_on.year > year else PASS_CERTIFIED_EARLIER


def certificate_origin(passed: bool, exam_held_on: date | None, year: int) -> str:
    """Where a certificate issued in ``year`` comes from: a pass of the year, of an earlier year, or
    a result that is no longer a published pass."""
    if not passed or exam_held_on is None or exam_held_on.year > year:
        return CERT_NOT_A_PASS
    return CERT_PASSED_SAME_YEAR if exam_held_on.year == year else CERT_PASSED_EARLIER


@dataclass(frozen=True)
class ReconciliationLine:
    """One reason why 发证数 differs from the year's passes: +count adds certificates, −count removes."""

    key: str
    count: int
    sign: int


def reconcile_certificates(passes: dict[str, int], certificates: dict[str, int]) -> list[ReconciliationLine]:
    """The lines leading from the year's passes to the certificates issued in the year.

    passes − passed but certified later, revoked or not certified (or dated earlier)
    + certificates for earlier passes + certificates whose result is no longer a pass
    = certificates issued. Lines of zero are left out. If the same-year counts of both sides
    disagree (a certificate pointing at another result than the course's pass), an ``other``
    line closes the sum, so the explanation always adds up.
    """
    lines = [ReconciliationLine(key, passes.get(key, 0), -1)
             for key in (PASS_CERTIFIED_LATER, PASS_REVOKED, PASS_NOT_CERTIFIED, PASS_CERTIFIED_EARLIER)]
    lines += [ReconciliationLine(key, certificates.get(key, 0), +1)
              for key in (CERT_PASSED_EARLIER, CERT_NOT_A_PASS)]
    total_passes = sum(passes.get(key, 0) for key in PASS_OUTCOMES)
    total_certificates = sum(certificates.get(key, 0) for key in CERT_ORIGINS)
    explained = total_passes + sum(line.sign * line.count for line in lines)
    if explained != total_certificates:
        gap = total_certificates - explained
        lines.append(ReconciliationLine("other", abs(gap), 1 if gap > 0 else -1))
    return [line for line in lines if line.count]


# --- changes ------------------------------------------------------------------------------------


def percentage_points(now: float | None, before: float | None) -> float | None:
    """The change of a rate in percentage points (0.625 → 0.65 is +2.5), None when either is unknown."""
    if now is None or before is None:
        return None
    return round((now - before) * 100, 4)


# --- the staff's prose --------------------------------------------------------------------------

# The sections of the report staff write themselves, in the order of the document (篇2's shape):
# an opening, a paragraph for each of 一、二、三, and 四's two parts.
NARRATIVE_SECTIONS = ("intro", "training", "exams", "placement", "shortcomings", "plans")
NARRATIVE_EXPECTED = ("shortcomings", "plans")  # 四、不足和下一步计划 has no figures: staff write it
NARRATIVE_MAX_CHARS = 5000


def clean_narrative(texts: dict[str, str | None]) -> dict[str, str]:
    """The staff's texts: known sections only, line ends normalised, outer blanks removed."""
    cleaned = {}
    for key in NARRATIVE_SECTIONS:
        text = (texts.get(key) or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        cleaned[key] = "\n".join(line.rstrip() for line in text.split("\n"))
    return cleaned


def narrative_too_long(texts: dict[str, str]) -> list[str]:
    """The sections longer than ``NARRATIVE_MAX_CHARS``."""
    return [key for key in NARRATIVE_SECTIONS if len(texts.get(key) or "") > NARRATIVE_MAX_CHARS]


def narrative_paragraphs(text: str | None) -> list[str]:
    """A staff text as paragraphs: one per non-empty line."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]
