"""Writes of the certificates area: issue (one or a whole class), revoke, clear a review flag,
and record or remove health certificates (健康证).

Each takes the acting user, validates, writes, commits once and raises ``DomainError`` when a rule
says no.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from .. import rules
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..i18n import punct
from ..models import Certificate, Enrolment, ExamResult, HealthCertificate, Trainee, TrainingClass
from ..models.base import utcnow
from ..services import attempts, audit, progress
from .queries import class_rows, passing_results, standing_certificates

NUMBER_RETRIES = 5
REASON_MAX = 500
NUMBER_MAX = 64
ISSUER_MAX = 100


# --- Issuing --------------------------------------------------------------------------------------


def _course_hours(course_ids: list[int]) -> dict[int, float]:
    """Credited hours of each course: its regular enrolment plus the retraining that continues it."""
    enrolments = db.session.execute(select(Enrolment.id, Enrolment.continues_id)
                                    .where(attempts.IN_COURSES), {"courses": course_ids}).all()
    hours = progress.credited_hours(row.id for row in enrolments)
    totals = dict.fromkeys(course_ids, 0.0)
    for row in enrolments:
        classroom, self_study = hours[row.id]
        totals[row.continues_id or row.id] += classroom + self_study
    return {course_id: round(total, 1) for course_id, total in totals.items()}


def _part_score(result: ExamResult, part: str) -> float | None:
    """The score that counts for a part: the one sat, or the one carried over."""
    source = getattr(result, f"{part}_carried_from")
    return getattr(source if source is not None else result, f"{part}_score")


def _next_sequences(year: int, track_code: str) -> int:
    """The next free sequence number for certificates of ``year`` and ``track_code``."""
    prefix = rules.certificate_number(year, track_code, 0)[: -5]
    numbers = db.session.scalars(
        select(Certificate.number).where(Certificate.number.like(f"{prefix}%"))
    ).all()
    used = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
    return max(used, default=0) + 1


def _issue(enrolments: list[Enrolment], actor, today: date) -> list[Certificate]:
    """Create certificates for courses already checked as passed; commit once, retry on a clash."""
    course_ids = [e.course_enrolment_id for e in enrolments]
    regular = {e.id: e for e in db.session.scalars(
        select(Enrolment).where(Enrolment.id.in_(course_ids))
        .options(joinedload(Enrolment.training_class).joinedload(TrainingClass.track)))}
    passed = passing_results(course_ids)
    hours = _course_hours(course_ids)
    for attempt in range(NUMBER_RETRIES):
        if attempt:
            for enrolment in enrolments:
                _check_issuable(enrolment)  # the clash may be someone issuing the same course
        sequences: dict[str, int] = {}
        created = []
        for course_id in course_ids:
            course = regular[course_id]
            track = course.training_class.track
            if track.code not in sequences:
                sequences[track.code] = _next_sequences(today.year, track.code)
            result = passed[course_id]
            certificate = Certificate(
                number=rules.certificate_number(today.year, track.code, sequences[track.code]),
                verification_code=secrets.token_urlsafe(rules.VERIFICATION_CODE_BYTES),
                trainee_id=course.trainee_id, enrolment_id=course_id, result_id=result.id,
                track_id=track.id, level=course.training_class.level,
                hours_completed=hours[course_id],
                theory_score=_part_score(result, "theory"),
                practical_score=_part_score(result, "practical"),
                issued_on=today, issued_by_id=actor.id,
            )
            sequences[track.code] += 1
            db.session.add(certificate)
            created.append(certificate)
        try:
            db.session.commit()
            return created
        except IntegrityError as error:
            # Someone else took a number at the same moment: start again with fresh numbers.
            db.session.rollback()
            if attempt == NUMBER_RETRIES - 1:
                raise DomainError(
                    _l("Could not give out a certificate number. Please try again.")) from error
    return []


def _check_issuable(enrolment: Enrolment) -> None:
    """Refuse a trainee who has not passed or already holds a standing certificate."""
    course_id = enrolment.course_enrolment_id
    if course_id not in passing_results([course_id]):
        raise DomainError(_l("%(name)s has not passed the exam of this course, so no certificate "
                             "can be issued.", name=enrolment.trainee.name))
    if standing_certificates([course_id]):
        raise DomainError(_l("%(name)s already holds a certificate for this course.",
                             name=enrolment.trainee.name))


def issue_certificate(enrolment_id: int, actor, today: date | None = None) -> Certificate:
    """Issue a certificate to one trainee whose course passed."""
    require_staff(actor)
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise DomainError(_l("There is no such enrolment."))
    _check_issuable(enrolment)
    return _issue([enrolment], actor, today or date.today())[0]


def issue_for_class(class_id: int, actor, today: date | None = None) -> list[Certificate]:
    """Issue certificates to every passed trainee of a class who has none yet."""
    require_staff(actor)
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise DomainError(_l("There is no such class."))
    todo = [row.enrolment for row in class_rows(training_class, today) if row.can_issue]
    if not todo:
        raise DomainError(_l("No trainee of this class is waiting for a certificate: either "
                             "nobody has passed yet, or everyone who passed already has one."))
    return _issue(todo, actor, today or date.today())


# --- Revoking and the review flag -----------------------------------------------------------------


def _clean_reason(text: str | None, message) -> str:
    reason = (text or "").strip()
    if not reason:
        raise DomainError(message, field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("At most %(count)s characters.", count=REASON_MAX), field="reason")
    return reason


def revoke_certificate(certificate_id: int, reason: str, actor) -> Certificate:
    """Revoke a certificate with a reason; it shows as revoked everywhere at once."""
    require_staff(actor)
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise DomainError(_l("There is no such certificate."))
    if certificate.is_revoked:
        raise DomainError(_l("This certificate is already revoked."))
    certificate.revocation_reason = _clean_reason(reason, _l("Please give the reason for revoking."))
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = actor.id
    certificate.needs_review = False
    db.session.commit()
    return certificate


def clear_review(certificate_id: int, note: str, actor) -> Certificate:
    """Keep a flagged certificate: clear the flag, keeping the original reason and the note."""
    require_staff(actor)
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise DomainError(_l("There is no such certificate."))
    if not certificate.needs_review:
        raise DomainError(_l("This certificate is not flagged for review."))
    note = _clean_reason(note, _l("Please write a note saying why the certificate stands."))
    kept = f"{certificate.review_reason or ''} → {actor.display_name}{punct(':')}{note}".strip(" →")
    certificate.review_reason = kept[:REASON_MAX]
    certificate.needs_review = False
    db.session.commit()
    return certificate


# --- Health certificates --------------------------------------------------------------------------


@dataclass
class HealthEntry:
    """One health certificate as typed on a form (before it is checked)."""

    trainee_id: int
    number: str
    issuer: str
    issued_on: date | None
    expires_on: date | None = None


def _checked(entry: HealthEntry, today: date) -> HealthCertificate:
    """Validate one entry and build the row (not added); raise DomainError with the field."""
    number = (entry.number or "").strip()
    issuer = (entry.issuer or "").strip()
    if not number:
        raise DomainError(_l("Enter the health certificate number."), field="number")
    if len(number) > NUMBER_MAX:
        raise DomainError(_l("At most %(count)s characters.", count=NUMBER_MAX), field="number")
    if not issuer:
        raise DomainError(_l("Enter who issued the health certificate."), field="issuer")
    if len(issuer) > ISSUER_MAX:
        raise DomainError(_l("At most %(count)s characters.", count=ISSUER_MAX), field="issuer")
    if entry.issued_on is None:
        raise DomainError(_l("Enter the issue date."), field="issued_on")
    if entry.issued_on > today:
        raise DomainError(_l("The issue date cannot be in the future."), field="issued_on")
    expires_on = entry.expires_on or rules.health_expiry_default(entry.issued_on)
    if expires_on <= entry.issued_on:
        raise DomainError(_l("The expiry date must be after the issue date."), field="expires_on")
    return HealthCertificate(trainee_id=entry.trainee_id, number=number, issuer=issuer,
                             issued_on=entry.issued_on, expires_on=expires_on)


def record_health(entry: HealthEntry, actor, today: date | None = None) -> HealthCertificate:
    """Record one health certificate (expiry defaults to one year after issue)."""
    require_staff(actor)
    today = today or date.today()
    if db.session.get(Trainee, entry.trainee_id) is None:
        raise DomainError(_l("There is no such trainee."), field="trainee")
    row = _checked(entry, today)
    _refuse_duplicate([row])
    row.recorded_by_id = actor.id
    db.session.add(row)
    db.session.commit()
    return row


def _refuse_duplicate(rows: list[HealthCertificate]) -> None:
    """The same certificate number for the same trainee is recorded once."""
    pairs = {(row.trainee_id, row.number) for row in rows}
    if len(pairs) != len(rows):
        raise DomainError(_l("The same health certificate number appears twice."), field="number")
    existing = db.session.execute(
        select(HealthCertificate.trainee_id, HealthCertificate.number)
        .where(HealthCertificate.trainee_id.in_({row.trainee_id for row in rows}))
    ).all()
    if pairs & {tuple(pair) for pair in existing}:
        raise DomainError(_l("This health certificate has already been recorded."), field="number")


def record_health_for_class(class_id: int, entries: list[HealthEntry], actor,
                            today: date | None = None) -> list[HealthCertificate]:
    """Record the health certificates of a class in one go: all rows or none.

    Rows without a number are skipped (that trainee has none yet). A bad row raises a DomainError
    whose ``details`` list (trainee id, message) for every bad row.
    """
    require_staff(actor)
    today = today or date.today()
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise DomainError(_l("There is no such class."))
    enrolled = set(db.session.scalars(
        select(Enrolment.trainee_id).where(Enrolment.class_id == class_id)))
    rows, problems = [], []
    for entry in entries:
        if not (entry.number or "").strip():
            continue
        if entry.trainee_id not in enrolled:
            problems.append((entry.trainee_id, str(_l("This trainee is not in the class."))))
            continue
        try:
            rows.append(_checked(entry, today))
        except DomainError as error:
            problems.append((entry.trainee_id, str(error.message)))
    if not problems and rows:
        try:
            _refuse_duplicate(rows)
        except DomainError as error:
            problems.append((None, str(error.message)))
    if problems:
        raise DomainError(_l("Nothing was saved. Please correct the marked rows."), details=problems)
    if not rows:
        raise DomainError(_l("Nothing to save: enter at least one health certificate number."))
    for row in rows:
        row.recorded_by_id = actor.id
    db.session.add_all(rows)
    db.session.commit()
    return rows


def delete_health(health_id: int, actor) -> int:
    """Remove a health certificate recorded by mistake; return its trainee's id."""
    return remove_mistake(HealthCertificate, health_id, actor,
                          _l("There is no such health certificate."))


# What the audit trail keeps of a record removed by mistake, per kind.
REMOVED_FIELDS = {
    "health_certificate": ("number", "issuer", "issued_on", "expires_on"),
    "background_check": ("status", "checked_on", "valid_until", "reference", "issuer", "note"),
    "insurance_policy": ("insurer", "policy_number", "starts_on", "expires_on"),
}


def remove_mistake(model, record_id: int, actor, missing) -> int:
    """Delete one of a trainee's records entered by mistake (staff only), keeping its values in
    the audit trail; returns the trainee's id. ``missing`` is the message for an unknown id."""
    require_staff(actor)
    row = db.session.get(model, record_id)
    if row is None:
        raise DomainError(missing)
    kind = model.__tablename__
    audit.record(actor, f"{kind}.deleted", kind, row.id, trainee_id=row.trainee_id,
                 details={field: getattr(row, field) for field in REMOVED_FIELDS[kind]})
    trainee_id = row.trainee_id
    db.session.delete(row)
    db.session.commit()
    return trainee_id
