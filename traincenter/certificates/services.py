"""Certificates: issue (one or a whole class), revoke, review flags, and the lists staff read."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from .. import rules
from ..errors import DomainError
from ..extensions import db
from ..models import (
    Certificate,
    Enrolment,
    ExamResult,
    Track,
    Trainee,
    TrainingClass,
    VerificationLookup,
)
from ..models.base import utcnow
from ..services import attempts, fitness, progress

NUMBER_RETRIES = 5
REASON_MAX = 500


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def get_certificate(certificate_id: int) -> Certificate | None:
    """One certificate with its trainee and track loaded."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.id == certificate_id)
        .options(joinedload(Certificate.trainee), joinedload(Certificate.track),
                 joinedload(Certificate.enrolment).joinedload(Enrolment.training_class))
    )


def standing_certificates(course_ids: list[int]) -> dict[int, Certificate]:
    """The standing (not revoked) certificate of each course that has one."""
    if not course_ids:
        return {}
    rows = db.session.scalars(
        select(Certificate).where(Certificate.enrolment_id.in_(set(course_ids)),
                                  Certificate.revoked_at.is_(None))
    ).all()
    return {row.enrolment_id: row for row in rows}


def passing_results(course_ids: list[int]) -> dict[int, ExamResult]:
    """The latest published, passed result of each course that passed (carried parts included)."""
    passed = {}
    for course_id, results in attempts.course_results(course_ids).items():
        for result in reversed(results):
            if result.is_passed:
                passed[course_id] = result
                break
    return passed


@dataclass
class ClassRow:
    """One trainee of a class as the certificates screen shows them."""

    enrolment: Enrolment
    passed: ExamResult | None
    certificate: Certificate | None
    duty: rules.DutyStatus

    @property
    def can_issue(self) -> bool:
        """Passed and holds no standing certificate for the course."""
        return self.passed is not None and self.certificate is None


def class_rows(training_class: TrainingClass, today: date | None = None) -> list[ClassRow]:
    """Every enrolled trainee of a class with pass, certificate and duty status (fixed queries)."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.class_id == training_class.id, Enrolment.status != "withdrawn")
        .options(joinedload(Enrolment.trainee))
        .order_by(Enrolment.id)
    ).all()
    course_ids = [e.course_enrolment_id for e in enrolments]
    passed = passing_results(course_ids)
    standing = standing_certificates(course_ids)
    duty = fitness.duty_statuses([e.trainee_id for e in enrolments], today)
    return [
        ClassRow(e, passed.get(e.course_enrolment_id), standing.get(e.course_enrolment_id),
                 duty[e.trainee_id])
        for e in sorted(enrolments, key=lambda e: e.trainee.name)
    ]


def certificate_query(search: str = "", track_id: int | None = None, status: str = ""):
    """The certificates list, newest first, filtered by name/number, track and status."""
    query = (
        select(Certificate)
        .join(Trainee, Certificate.trainee_id == Trainee.id)
        .options(joinedload(Certificate.trainee), joinedload(Certificate.track))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())
    )
    search = (search or "").strip()
    if search:
        like = f"%{search}%"
        query = query.where(or_(Trainee.name.like(like), Certificate.number.like(like.upper()),
                                Trainee.id_number == search.upper()))
    if track_id:
        query = query.where(Certificate.track_id == track_id)
    if status == "valid":
        query = query.where(Certificate.revoked_at.is_(None))
    elif status == "revoked":
        query = query.where(Certificate.revoked_at.is_not(None))
    elif status == "review":
        query = query.where(Certificate.needs_review.is_(True), Certificate.revoked_at.is_(None))
    return query


def review_queue() -> list[Certificate]:
    """Standing certificates flagged because their result was corrected to a fail."""
    return list(db.session.scalars(
        certificate_query(status="review").options(
            joinedload(Certificate.result).joinedload(ExamResult.exam))
    ).unique())


def tracks() -> list[Track]:
    """All tracks in display order (for filters)."""
    return list(db.session.scalars(select(Track).order_by(Track.sort_order, Track.name)))


def certificate_classes() -> list[TrainingClass]:
    """Classes that have published exam results, newest first (where certificates come from)."""
    with_results = (
        select(Enrolment.class_id)
        .join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
        .where(ExamResult.status == "published")
    )
    return list(db.session.scalars(
        select(TrainingClass).where(TrainingClass.id.in_(with_results))
        .options(joinedload(TrainingClass.track))
        .order_by(TrainingClass.ends_on.desc())
    ))


def certificates_for_class(training_class: TrainingClass) -> list[Certificate]:
    """Standing certificates of a class's trainees, by name (for the combined PDF)."""
    rows = class_rows(training_class)
    ids = [row.certificate.id for row in rows if row.certificate is not None]
    if not ids:
        return []
    loaded = {c.id: c for c in db.session.scalars(
        select(Certificate).where(Certificate.id.in_(ids))
        .options(joinedload(Certificate.trainee), joinedload(Certificate.track)))}
    return [loaded[i] for i in ids]


# ---------------------------------------------------------------------------------------------
# Issuing
# ---------------------------------------------------------------------------------------------


def _course_hours(course_ids: list[int]) -> dict[int, float]:
    """Credited hours of each course: its regular enrolment plus the retraining that continues it."""
    enrolments = db.session.execute(
        select(Enrolment.id, Enrolment.continues_id)
        .where(or_(Enrolment.id.in_(course_ids), Enrolment.continues_id.in_(course_ids)))
    ).all()
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
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise DomainError(_l("There is no such enrolment."))
    _check_issuable(enrolment)
    return _issue([enrolment], actor, today or date.today())[0]


def issue_for_class(class_id: int, actor, today: date | None = None) -> list[Certificate]:
    """Issue certificates to every passed trainee of a class who has none yet."""
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None:
        raise DomainError(_l("There is no such class."))
    todo = [row.enrolment for row in class_rows(training_class, today) if row.can_issue]
    if not todo:
        raise DomainError(_l("No trainee of this class is waiting for a certificate: either "
                             "nobody has passed yet, or everyone who passed already has one."))
    return _issue(todo, actor, today or date.today())


# ---------------------------------------------------------------------------------------------
# Revoking and the review flag
# ---------------------------------------------------------------------------------------------


def _clean_reason(text: str | None, message) -> str:
    reason = (text or "").strip()
    if not reason:
        raise DomainError(message, field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_l("At most %(count)s characters.", count=REASON_MAX), field="reason")
    return reason


def revoke_certificate(certificate_id: int, reason: str, actor) -> Certificate:
    """Revoke a certificate with a reason; it shows as revoked everywhere at once."""
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
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        raise DomainError(_l("There is no such certificate."))
    if not certificate.needs_review:
        raise DomainError(_l("This certificate is not flagged for review."))
    note = _clean_reason(note, _l("Please write a note saying why the certificate stands."))
    kept = f"{certificate.review_reason or ''} → {actor.display_name}: {note}".strip(" →")
    certificate.review_reason = kept[:REASON_MAX]
    certificate.needs_review = False
    db.session.commit()
    return certificate


def count_flagged() -> int:
    """How many standing certificates wait for review."""
    return db.session.scalar(
        select(func.count(Certificate.id)).where(Certificate.needs_review.is_(True),
                                                 Certificate.revoked_at.is_(None))) or 0


def trainee_certificates(trainee_id: int) -> list[Certificate]:
    """A trainee's certificates, newest first."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.trainee_id == trainee_id)
        .options(joinedload(Certificate.track), selectinload(Certificate.trainee))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def find_trainee(text: str) -> Trainee:
    """The one trainee with this ID number, phone number or full name; DomainError otherwise."""
    value = (text or "").strip().replace(" ", "")
    if not value:
        raise DomainError(_l("Enter the trainee's ID number, phone number or full name."),
                          field="trainee")
    for column, wanted in ((Trainee.id_number, value.upper()), (Trainee.phone, value),
                           (Trainee.name, value)):
        found = db.session.scalars(select(Trainee).where(column == wanted).limit(2)).all()
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise DomainError(_l("Several trainees match; please enter the ID number."),
                              field="trainee")
    raise DomainError(_l("No trainee has this ID number, phone number or name."), field="trainee")


def recent_lookups(certificate_id: int, limit: int = 20) -> list[VerificationLookup]:
    """The latest public lookups of a certificate (staff see who checked it and when)."""
    return list(db.session.scalars(
        select(VerificationLookup).where(VerificationLookup.certificate_id == certificate_id)
        .order_by(VerificationLookup.looked_up_at.desc()).limit(limit)))
