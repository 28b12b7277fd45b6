"""Reads of the main area: the figures of the staff and instructor dashboards."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from .. import settings
from ..extensions import db
from ..models import (
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    HealthCertificate,
    SelfStudyLog,
    Trainee,
    TrainingClass,
    class_instructor,
)


def staff_dashboard(today: date) -> dict[str, int]:
    """Counts staff act on: work waiting, flags, expiries."""
    latest_health = (
        select(HealthCertificate.trainee_id, func.max(HealthCertificate.expires_on).label("until"))
        .group_by(HealthCertificate.trainee_id)
        .subquery()
    )
    certified = select(Certificate.trainee_id).where(Certificate.revoked_at.is_(None))
    return {
        "trainees": db.session.scalar(select(func.count(Trainee.id))) or 0,
        "running_classes": db.session.scalar(
            select(func.count(TrainingClass.id)).where(
                TrainingClass.starts_on <= today, TrainingClass.ends_on >= today
            )
        ) or 0,
        "in_training": db.session.scalar(
            select(func.count(Enrolment.id)).where(Enrolment.status == "active")
        ) or 0,
        "pending_self_study": db.session.scalar(
            select(func.count(SelfStudyLog.id)).where(SelfStudyLog.status == "pending")
        ) or 0,
        "results_to_publish": db.session.scalar(
            select(func.count(func.distinct(ExamResult.exam_id))).where(ExamResult.status == "submitted")
        ) or 0,
        "certificates_to_review": db.session.scalar(
            select(func.count(Certificate.id)).where(
                Certificate.needs_review.is_(True), Certificate.revoked_at.is_(None)
            )
        ) or 0,
        "health_expiring": db.session.scalar(
            select(func.count()).select_from(latest_health).where(
                latest_health.c.until >= today,
                latest_health.c.until <= today + timedelta(days=settings.health_warning_days()),
                latest_health.c.trainee_id.in_(certified),
            )
        ) or 0,
    }


def instructor_dashboard(user_id: int, today: date) -> dict[str, object]:
    """An instructor's classes and the work waiting in them."""
    class_ids = select(class_instructor.c.class_id).where(class_instructor.c.user_id == user_id)
    classes = db.session.scalars(
        select(TrainingClass).where(TrainingClass.id.in_(class_ids)).order_by(TrainingClass.starts_on.desc())
    ).all()
    pending = db.session.scalar(
        select(func.count(SelfStudyLog.id))
        .join(Enrolment, SelfStudyLog.enrolment_id == Enrolment.id)
        .where(SelfStudyLog.status == "pending", Enrolment.class_id.in_(class_ids))
    ) or 0
    drafts = db.session.scalar(
        select(func.count(ExamResult.id))
        .join(Exam, ExamResult.exam_id == Exam.id)
        .where(ExamResult.status == "draft", Exam.class_id.in_(class_ids))
    ) or 0
    return {"classes": classes, "pending_self_study": pending, "draft_results": drafts, "today": today}
