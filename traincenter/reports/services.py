"""Annual report services: live or finalised figures, finalising, differences, subsidy roster."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import DomainError
from ..extensions import db
from ..models import Certificate, Enrolment, ReportSnapshot, Track, Trainee, TrainingClass, User
from . import data

FIRST_YEAR = 2000
MAX_NOTE = 2000

# Each headline figure: its label and what exactly is counted (printed on every output).
DEFINITIONS: dict[str, tuple[object, object]] = {
    "trained": (_l("Trainees trained"), _l(
        "Different trainees enrolled in a class whose dates overlap the year (regular and retraining classes).")),
    "hours_classroom": (_l("Classroom hours delivered"), _l(
        "Sum over sessions held in the year of the session's hours × trainees present or late.")),
    "hours_self_study": (_l("Self-study hours"), _l(
        "Sum of self-study hours studied in the year and verified by an instructor.")),
    "exam_takers": (_l("Exam takers"), _l(
        "Different trainees with a published first-attempt result at an exam held in the year who sat at least one part.")),
    "first_attempt_passed": (_l("Passed at the first attempt"), _l(
        "Exam takers whose first attempt passed (theory and practical both at or above the pass mark).")),
    "first_attempt_pass_rate": (_l("First-attempt pass rate"), _l(
        "Passed at the first attempt ÷ exam takers.")),
    "final_passed": (_l("Passed in the end"), _l(
        "Exam takers whose course has a published pass (re-exams included) at an exam held by the report date.")),
    "final_pass_rate": (_l("Final pass rate"), _l("Passed in the end ÷ exam takers.")),
    "retrained": (_l("Retrained"), _l(
        "Different trainees enrolled in a retraining class whose dates overlap the year.")),
    "reexam_takers": (_l("Re-exam takers"), _l(
        "Different trainees with a published re-exam result at a re-exam held in the year who sat at least one part.")),
    "reexam_passed": (_l("Passed the re-exam"), _l("Re-exam takers whose re-exam result passed.")),
    "reexam_pass_rate": (_l("Re-exam pass rate"), _l("Passed the re-exam ÷ re-exam takers.")),
    "certified": (_l("Certificates issued"), _l(
        "Training certificates issued in the year and not revoked.")),
    "health_certificates": (_l("Health certificates recorded"), _l(
        "Health certificates with an issue date in the year.")),
    "placed": (_l("Placed in work"), _l(
        "Different trainees certified in the year with a placement starting on or after the certificate's issue date.")),
    "placement_rate": (_l("Placement rate"), _l("Placed in work ÷ certificates issued.")),
    "contracts_registered": (_l("Labour contracts registered"), _l(
        "Placements starting in the year whose labour contract was registered with the labour department.")),
    "feedback_count": (_l("Customer feedback"), _l("Feedback given in the year.")),
    "average_rating": (_l("Average rating"), _l("Mean of the ratings (1–5) given in the year.")),
    "satisfaction_rate": (_l("Satisfaction rate"), _l(
        "Share of feedback given in the year rated 4 or 5.")),
}
HEADLINE_DEFINITIONS = {key: DEFINITIONS[key] for key in data.HEADLINE_KEYS}
BREAKDOWN_NOTE = _l(
    "Breakdowns count different trainees trained in the year; a trainee in two classes of "
    "different tracks, levels or providers is counted once in each.")
MONTH_NOTE = _l("Trainees per month counts classes that started in the year, by their start month.")
AGE_NOTE = _l("Ages are counted on %(date)s.")
SCORE_NOTE = _l(
    "Score distributions count every part sat at a published exam held in the year (carried-over "
    "and absent parts are left out).")


@dataclass
class Report:
    """The figures to show for a year and where they come from."""

    year: int
    figures: dict
    snapshot: ReportSnapshot | None
    live: dict | None = None

    @property
    def is_final(self) -> bool:
        return self.snapshot is not None

    def differences(self) -> list[dict]:
        """Headline figures whose live value now differs from the submitted one."""
        if self.snapshot is None or self.live is None:
            return []
        return differences(self.figures, self.live)


def check_year(year: int, today: date | None = None) -> int:
    """A year a report can be made for: 2000 … this year."""
    today = today or date.today()
    if not isinstance(year, int) or year < FIRST_YEAR or year > today.year:
        raise DomainError(_l("There is no report for this year: choose a year from %(first)s to %(last)s.",
                             first=FIRST_YEAR, last=today.year), field="year")
    return year


def live_figures(year: int, as_of: date | None = None) -> dict:
    """The figures computed from today's data."""
    check_year(year)
    return data.annual_figures(db.session, year, as_of or date.today())


def snapshot_for(year: int) -> ReportSnapshot | None:
    return db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.year == year))


def report_for(year: int, *, compare: bool = True) -> Report:
    """The finalised figures when the year is finalised (with the live ones to compare), else live."""
    check_year(year)
    snapshot = snapshot_for(year)
    if snapshot is None:
        return Report(year, live_figures(year), None)
    return Report(year, snapshot.figures, snapshot, _live_at(snapshot) if compare else None)


def _live_at(snapshot: ReportSnapshot) -> dict:
    """The figures counted from today's data at the snapshot's report date."""
    return data.annual_figures(db.session, snapshot.year, date.fromisoformat(snapshot.figures["as_of"]))


def differences(submitted: dict, now: dict) -> list[dict]:
    """Headline figures (this year's and the previous year's) that changed since finalising.

    The live figures are computed with the submitted report date so that only data changes show,
    not the passing of time. Breakdown tables are compared track by track.
    """
    changed = []
    for scope, old, new in (("year", submitted, now),
                            ("previous_year", submitted.get("previous_year", {}), now.get("previous_year", {}))):
        for key in data.HEADLINE_KEYS:
            if old.get(key) != new.get(key):
                changed.append({"scope": scope, "year": old.get("year"), "key": key,
                                "label": DEFINITIONS[key][0], "submitted": old.get(key),
                                "now": new.get(key)})
    old_tracks = {row["track"]: row for row in submitted.get("by_track", [])}
    new_tracks = {row["track"]: row for row in now.get("by_track", [])}
    for name in sorted(set(old_tracks) | set(new_tracks)):
        for key in ("trained", "exam_takers", "certified", "placed"):
            before = old_tracks.get(name, {}).get(key, 0)
            after = new_tracks.get(name, {}).get(key, 0)
            if before != after:
                changed.append({"scope": "track", "year": submitted.get("year"), "key": key,
                                "label": f"{name} · {DEFINITIONS[key][0]}", "submitted": before,
                                "now": after})
    return changed


def compare_with_live(snapshot: ReportSnapshot) -> list[dict]:
    """Differences between a snapshot and the data now, at the snapshot's report date."""
    return differences(snapshot.figures, _live_at(snapshot))


def finalise_year(year: int, actor: User, note: str | None = None) -> ReportSnapshot:
    """Freeze ``year``'s figures as submitted to the federation (once per year)."""
    if actor is None or not actor.is_staff:
        raise DomainError(_l("Only staff can finalise a report."))
    check_year(year)
    today = date.today()
    if year >= today.year:
        raise DomainError(_l("A year can be finalised only after it has ended."), field="year")
    if snapshot_for(year) is not None:
        raise DomainError(_l("The report for %(year)s is already finalised.", year=year), field="year")
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE:
        raise DomainError(_l("The note is too long (at most %(n)s characters).", n=MAX_NOTE), field="note")
    snapshot = ReportSnapshot(year=year, figures=data.annual_figures(db.session, year, today),
                              note=note, finalised_by_id=actor.id)
    db.session.add(snapshot)
    db.session.commit()
    return snapshot


def finalised_years() -> dict[int, ReportSnapshot]:
    return {snap.year: snap for snap in db.session.scalars(select(ReportSnapshot))}


def report_years(today: date | None = None) -> list[int]:
    """Years with any class, newest first, plus this year and any finalised year."""
    today = today or date.today()
    first, last = db.session.execute(
        select(func.min(TrainingClass.starts_on), func.max(TrainingClass.ends_on))).one()
    years = {today.year} | set(finalised_years())
    if first is not None:
        years |= set(range(max(first.year, FIRST_YEAR), min(last.year, today.year) + 1))
    return sorted(years, reverse=True)


def subsidy_roster(year: int) -> list[dict]:
    """Trainees certified in ``year`` (certificate not revoked), with the course's fee payer and fee."""
    check_year(year)
    start, end = data.year_bounds(year)
    rows = db.session.execute(
        select(Certificate.number, Certificate.issued_on, Trainee.name, Trainee.id_number,
               Trainee.phone, Track.name.label("track"), Certificate.level, Enrolment.fee_payer,
               Enrolment.fee_amount)
        .join(Trainee, Certificate.trainee_id == Trainee.id)
        .join(Track, Certificate.track_id == Track.id)
        .join(Enrolment, Certificate.enrolment_id == Enrolment.id)
        .where(Certificate.issued_on.between(start, end), Certificate.revoked_at.is_(None))
        .order_by(Certificate.issued_on, Certificate.number)
    ).all()
    return [dict(row._mapping) for row in rows]
