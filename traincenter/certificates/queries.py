"""Reads of the certificates area: lookups and the lists staff read (health lists: watchlist)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import rules
from ..errors import DomainError
from ..extensions import db
from ..models import (
    BackgroundCheck,
    Certificate,
    Enrolment,
    ExamResult,
    HealthCertificate,
    InsurancePolicy,
    Trainee,
    TrainingClass,
    VerificationLookup,
)
from ..paging import Page, count, paginate
from ..services import attempts, fitness

PER_PAGE = 50
LOOKUPS_SHOWN = 20


# --- One row by id --------------------------------------------------------------------------------


def get_certificate(certificate_id: int) -> Certificate | None:
    """One certificate with its trainee and track loaded."""
    return db.session.scalar(
        select(Certificate)
        .where(Certificate.id == certificate_id)
        .options(joinedload(Certificate.trainee), joinedload(Certificate.track),
                 joinedload(Certificate.enrolment).joinedload(Enrolment.training_class))
    )


def certificate_or_404(certificate_id: int) -> Certificate:
    """One certificate (trainee, track and class loaded), or the 404 page."""
    certificate = get_certificate(certificate_id)
    if certificate is None:
        abort(404)
    return certificate


def class_or_404(class_id: int) -> TrainingClass:
    """The class with this id, or the 404 page."""
    return db.get_or_404(TrainingClass, class_id)


def trainee_or_404(trainee_id: int) -> Trainee:
    """The trainee with this id, or the 404 page."""
    return db.get_or_404(Trainee, trainee_id)


def trainee_or_none(trainee_id: int | None) -> Trainee | None:
    """The trainee with this id, or None (a form filled in from a link)."""
    return db.session.get(Trainee, trainee_id) if trainee_id else None


def health_certificate_or_404(health_id: int) -> HealthCertificate:
    """The health certificate with this id, or the 404 page."""
    return db.get_or_404(HealthCertificate, health_id)


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


# --- Certificates ---------------------------------------------------------------------------------


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
        for e in sorted(enrolments, key=lambda e: e.trainee.sort_key)
    ]


CERTIFICATE_STATUSES = ("valid", "revoked", "review")


def certificate_query(search: str = "", track_id: int | None = None, status: str = "",
                      year: int | None = None):
    """The certificates list, newest first, filtered by name/number, track, status and the
    year of issue."""
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
    if year:
        query = query.where(Certificate.issued_on.between(date(year, 1, 1), date(year, 12, 31)))
    return query


def certificate_page(search: str = "", track_id: int | None = None, status: str = "",
                     page_number: int = 1, year: int | None = None):
    """One page of the certificates list and each holder's status."""
    page = paginate(certificate_query(search, track_id, status, year), page_number, PER_PAGE)
    return page, fitness.duty_statuses(c.trainee_id for c in page.items)


def count_certificates(status: str = "", year: int | None = None) -> int:
    """How many certificates the list shows for a status and year (the dashboard's tiles)."""
    return count(certificate_query(status=status, year=year))


def certificate_years() -> list[int]:
    """Years in which certificates were issued, newest first (the year filter)."""
    years = db.session.scalars(select(func.distinct(extract("year", Certificate.issued_on)))).all()
    return sorted((int(year) for year in years if year is not None), reverse=True)


def review_queue() -> list[Certificate]:
    """Standing certificates flagged because their result was corrected to a fail."""
    return list(db.session.scalars(
        certificate_query(status="review").options(
            joinedload(Certificate.result).joinedload(ExamResult.exam))
    ).unique())


def count_flagged() -> int:
    """How many standing certificates wait for review."""
    return db.session.scalar(
        select(func.count(Certificate.id)).where(Certificate.needs_review.is_(True),
                                                 Certificate.revoked_at.is_(None))) or 0


def certificate_classes(search: str = "", page: int = 1) -> Page:
    """A page of the classes that have published exam results, latest end first (where
    certificates come from), narrowed by class code or name."""
    with_results = (
        select(Enrolment.class_id)
        .join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
        .where(ExamResult.status == "published")
    )
    query = (select(TrainingClass).where(TrainingClass.id.in_(with_results))
             .options(joinedload(TrainingClass.track))
             .order_by(TrainingClass.ends_on.desc(), TrainingClass.id.desc()))
    if search:
        query = query.where(or_(TrainingClass.code.like(f"%{search}%"),
                                TrainingClass.name.like(f"%{search}%")))
    return paginate(query, page, PER_PAGE)


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


def trainee_certificates(trainee_id: int) -> list[Certificate]:
    """A trainee's certificates, newest first."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.trainee_id == trainee_id)
        .options(joinedload(Certificate.track), selectinload(Certificate.trainee))
        .order_by(Certificate.issued_on.desc(), Certificate.id.desc())))


def recent_lookups(certificate_id: int, limit: int = LOOKUPS_SHOWN) -> list[VerificationLookup]:
    """The latest public lookups of a certificate (staff see who checked it and when)."""
    return list(db.session.scalars(
        select(VerificationLookup).where(VerificationLookup.certificate_id == certificate_id)
        .order_by(VerificationLookup.looked_up_at.desc()).limit(limit)))


# --- Health certificates: a trainee's and a class's (the watch lists are in watchlist.py) ---------


def trainee_health(trainee_id: int) -> list[HealthCertificate]:
    """A trainee's health certificates, latest expiry first."""
    return list(db.session.scalars(
        select(HealthCertificate).where(HealthCertificate.trainee_id == trainee_id)
        .order_by(HealthCertificate.expires_on.desc())))


def latest_health(trainee_ids: list[int]) -> dict[int, HealthCertificate]:
    """The health certificate that runs longest for each trainee (one query)."""
    if not trainee_ids:
        return {}
    rows = db.session.scalars(
        select(HealthCertificate).where(HealthCertificate.trainee_id.in_(set(trainee_ids)))
        .order_by(HealthCertificate.expires_on)
    ).all()
    return {row.trainee_id: row for row in rows}


def class_health_rows(training_class: TrainingClass, today: date | None = None) -> list[dict]:
    """The class's trainees with their latest health certificate and duty status."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == training_class.id,
                                Enrolment.status != "withdrawn")
        .options(joinedload(Enrolment.trainee))
    ).all()
    ids = [e.trainee_id for e in enrolments]
    latest = latest_health(ids)
    duty = fitness.duty_statuses(ids, today)
    return [
        {"trainee": e.trainee, "health": latest.get(e.trainee_id), "duty": duty[e.trainee_id]}
        for e in sorted(enrolments, key=lambda e: e.trainee.sort_key)
    ]


# --- Background checks and liability insurance --------------------------------------------------


def trainee_background(trainee_id: int) -> list[BackgroundCheck]:
    """A trainee's background checks, latest first (the first one counts)."""
    return list(db.session.scalars(
        select(BackgroundCheck).where(BackgroundCheck.trainee_id == trainee_id)
        .order_by(BackgroundCheck.checked_on.desc(), BackgroundCheck.id.desc())))


def trainee_insurance(trainee_id: int) -> list[InsurancePolicy]:
    """A trainee's insurance policies, latest end first."""
    return list(db.session.scalars(
        select(InsurancePolicy).where(InsurancePolicy.trainee_id == trainee_id)
        .order_by(InsurancePolicy.expires_on.desc())))


def background_or_404(check_id: int) -> BackgroundCheck:
    """The background check with this id, or the 404 page."""
    return db.get_or_404(BackgroundCheck, check_id)


def insurance_or_404(policy_id: int) -> InsurancePolicy:
    """The insurance policy with this id, or the 404 page."""
    return db.get_or_404(InsurancePolicy, policy_id)


def latest_insurance(trainee_ids: list[int], today: date) -> dict[int, InsurancePolicy]:
    """The started policy that runs longest for each trainee (one query)."""
    if not trainee_ids:
        return {}
    rows = db.session.scalars(
        select(InsurancePolicy).where(InsurancePolicy.trainee_id.in_(set(trainee_ids)),
                                      InsurancePolicy.starts_on <= today)
        .order_by(InsurancePolicy.expires_on)
    ).all()
    return {row.trainee_id: row for row in rows}
