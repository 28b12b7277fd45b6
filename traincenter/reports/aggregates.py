"""The annual report's aggregate SQL: one statement per figure group, built by section.

``statements(year, as_of)`` builds every aggregate the report needs (GROUP BY in the database,
never per-row loops in Python); ``reports.data`` runs them and shapes the rows with pandas. The
number of statements is fixed, whatever the size of the data.

Definitions (printed on the report, see ``DEFINITIONS`` in ``reports.export.formatting``):
- trained: distinct trainees with an enrolment in a class whose dates overlap the year;
- hours: classroom = Σ session hours × credited attendance (present/late) for sessions held in the
  year; self-study = Σ verified self-study hours studied in the year;
- exam takers: distinct trainees with a published first-attempt result (``attempt_no == 1``) at an
  exam held in the year who sat at least one part; first-attempt pass rate = those whose first
  attempt passed ÷ takers; final pass rate = takers whose course (``course_enrolment_id``) has any
  published passing result at an exam held on or before the report date ÷ takers;
- retrained: distinct trainees enrolled in a retraining class that ran in the year; re-exam pass
  rate: distinct trainees with a passing published re-exam result held in the year ÷ distinct
  re-exam takers (sat at least one part);
- certified: certificates issued in the year and not revoked; health certificates recorded: issued
  in the year; placed: distinct trainees certified in the year with a placement starting on or
  after the certificate's issue date; contracts: placements starting in the year with the labour
  contract registered; rating and satisfaction over feedback given in the year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, distinct, extract, func, not_, select

from .. import rules
from ..models import (
    Attendance,
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    HealthCertificate,
    Placement,
    SelfStudyLog,
    Trainee,
    TrainingClass,
    TrainingSession,
)


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of ``year``."""
    return date(year, 1, 1), date(year, 12, 31)


def _classes_in(start: date, end: date):
    return and_(TrainingClass.starts_on <= end, TrainingClass.ends_on >= start)


def _sat_some_part():
    return not_(and_(ExamResult.theory_absent, ExamResult.practical_absent))


def _course_id():
    return func.coalesce(Enrolment.continues_id, Enrolment.id)


def _trained_base(start: date, end: date):
    """Enrolments in classes whose dates overlap the year: where every "trained" count starts."""
    return (
        select()
        .select_from(Enrolment)
        .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .where(_classes_in(start, end))
    )


def _training_statements(start: date, end: date) -> dict[str, Any]:
    """Trainees trained (in all, per track, in retraining classes) and the hours delivered."""
    trainee = Enrolment.trainee_id
    trained_base = _trained_base(start, end)
    return {
        "trained": trained_base.add_columns(func.count(distinct(trainee)).label("n")),
        "by_track": trained_base.add_columns(
            TrainingClass.track_id.label("track_id"), func.count(distinct(trainee)).label("trained")
        ).group_by(TrainingClass.track_id),
        "retrained": trained_base.where(TrainingClass.kind == "retraining")
        .add_columns(func.count(distinct(trainee)).label("n")),
        "hours_classroom": select(func.sum(TrainingSession.hours).label("hours"))
        .select_from(Attendance)
        .join(TrainingSession, Attendance.session_id == TrainingSession.id)
        .where(TrainingSession.held_on.between(start, end),
               Attendance.status.in_(sorted(rules.CREDITED_ATTENDANCE))),
        "hours_self_study": select(func.sum(SelfStudyLog.hours).label("hours"))
        .where(SelfStudyLog.status == "verified", SelfStudyLog.studied_on.between(start, end)),
    }


def _exam_statements(start: date, end: date, as_of: date) -> dict[str, Any]:
    """First-attempt takers and passes, passes in the end (re-exams included), re-exams."""
    trainee = Enrolment.trainee_id
    first_takers = (
        select(trainee.label("trainee_id"), _course_id().label("course_id"),
               TrainingClass.track_id.label("track_id"), ExamResult.is_passed.label("passed"))
        .select_from(ExamResult)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .join(TrainingClass, Exam.class_id == TrainingClass.id)
        .where(ExamResult.status == "published", ExamResult.attempt_no == 1,
               Exam.held_on.between(start, end), _sat_some_part())
    ).subquery("first_takers")
    later = Enrolment.__table__.alias("later")
    later_result = ExamResult.__table__.alias("later_result")
    later_exam = Exam.__table__.alias("later_exam")
    course_passed = (
        select(func.coalesce(later.c.continues_id, later.c.id).label("course_id"))
        .select_from(later_result)
        .join(later, later_result.c.enrolment_id == later.c.id)
        .join(later_exam, later_result.c.exam_id == later_exam.c.id)
        .where(later_result.c.status == "published", later_result.c.is_passed.is_(True),
               later_exam.c.held_on <= as_of)
        .distinct()
    ).subquery("course_passed")
    reexam = (
        select()
        .select_from(ExamResult)
        .join(Exam, ExamResult.exam_id == Exam.id)
        .join(Enrolment, ExamResult.enrolment_id == Enrolment.id)
        .where(ExamResult.status == "published", Exam.kind == "reexam",
               Exam.held_on.between(start, end), _sat_some_part())
    )
    takers = distinct(first_takers.c.trainee_id)
    passed_in_the_end = first_takers.c.course_id.in_(select(course_passed.c.course_id))
    return {
        "first_takers_by_track": select(
            first_takers.c.track_id.label("track_id"), func.count(takers).label("exam_takers"),
        ).group_by(first_takers.c.track_id),
        "first_takers": select(func.count(takers).label("n")),
        "first_passed_by_track": select(
            first_takers.c.track_id.label("track_id"),
            func.count(takers).label("first_attempt_passed"),
        ).where(first_takers.c.passed.is_(True)).group_by(first_takers.c.track_id),
        "first_passed": select(func.count(takers).label("n")).where(first_takers.c.passed.is_(True)),
        "final_passed_by_track": select(
            first_takers.c.track_id.label("track_id"), func.count(takers).label("final_passed"),
        ).where(passed_in_the_end).group_by(first_takers.c.track_id),
        "final_passed": select(func.count(takers).label("n")).where(passed_in_the_end),
        "reexam_takers": reexam.add_columns(func.count(distinct(trainee)).label("n")),
        "reexam_passed": reexam.where(ExamResult.is_passed.is_(True))
        .add_columns(func.count(distinct(trainee)).label("n")),
    }


def _outcome_statements(start: date, end: date) -> dict[str, Any]:
    """Certificates, health certificates, placements, labour contracts and customer ratings."""
    certified = (
        select()
        .select_from(Certificate)
        .where(Certificate.issued_on.between(start, end), Certificate.revoked_at.is_(None))
    )
    placed = (
        select(Certificate.trainee_id.label("trainee_id"), Certificate.track_id.label("track_id"))
        .select_from(Certificate)
        .join(Placement, and_(Placement.trainee_id == Certificate.trainee_id,
                              Placement.starts_on >= Certificate.issued_on))
        .where(Certificate.issued_on.between(start, end), Certificate.revoked_at.is_(None))
        .distinct()
    ).subquery("placed")
    return {
        "certified": certified.add_columns(func.count().label("n")),
        "certified_by_track": certified.add_columns(
            Certificate.track_id.label("track_id"), func.count().label("certified")
        ).group_by(Certificate.track_id),
        "health_certificates": select(func.count().label("n")).select_from(HealthCertificate)
        .where(HealthCertificate.issued_on.between(start, end)),
        "placed": select(func.count(distinct(placed.c.trainee_id)).label("n")),
        "placed_by_track": select(
            placed.c.track_id.label("track_id"),
            func.count(distinct(placed.c.trainee_id)).label("placed"),
        ).group_by(placed.c.track_id),
        "contracts_registered": select(func.count().label("n")).select_from(Placement)
        .where(Placement.starts_on.between(start, end), Placement.contract_registered.is_(True)),
        "ratings": select(Feedback.rating.label("rating"), func.count().label("n"))
        .where(Feedback.given_on.between(start, end)).group_by(Feedback.rating),
    }


def _breakdown_statements(start: date, end: date) -> dict[str, Any]:
    """Trainees by level, provider, gender, birth date, education, origin, start month; scores."""
    trainee = Enrolment.trainee_id
    trained_base = _trained_base(start, end)
    with_trainee = trained_base.join(Trainee, Trainee.id == Enrolment.trainee_id)
    named = {
        "by_level": trained_base.add_columns(
            TrainingClass.level.label("key"), func.count(distinct(trainee)).label("trained")
        ).group_by(TrainingClass.level),
        "by_provider": trained_base.add_columns(
            TrainingClass.provider_kind.label("provider_kind"),
            TrainingClass.provider_name.label("provider_name"),
            func.count(distinct(trainee)).label("trained"),
        ).group_by(TrainingClass.provider_kind, TrainingClass.provider_name),
        "by_month": trained_base.where(TrainingClass.starts_on >= start).add_columns(
            extract("month", TrainingClass.starts_on).label("month"),
            func.count(distinct(trainee)).label("trainees"),
        ).group_by(extract("month", TrainingClass.starts_on)),
    }
    for name, column in (("by_gender", Trainee.gender), ("by_education", Trainee.education),
                         ("by_origin", Trainee.origin)):
        named[name] = with_trainee.add_columns(
            column.label("key"), func.count(distinct(trainee)).label("trained")).group_by(column)
    named["by_birth_on"] = with_trainee.add_columns(
        Trainee.birth_on.label("birth_on"), func.count(distinct(trainee)).label("trained")
    ).group_by(Trainee.birth_on)
    for part in rules.PARTS:
        score = getattr(ExamResult, f"{part}_score")
        mark = getattr(Exam, f"pass_mark_{part}")  # each exam's own pass mark
        named[f"{part}_scores"] = (
            select(score.label("score"), mark.label("mark"), func.count().label("n"))
            .select_from(ExamResult)
            .join(Exam, ExamResult.exam_id == Exam.id)
            .where(ExamResult.status == "published", Exam.held_on.between(start, end),
                   score.is_not(None), getattr(ExamResult, f"{part}_carried_from_id").is_(None))
            .group_by(score, mark)
        )
    return named


def statements(year: int, as_of: date) -> dict[str, Any]:
    """Every aggregate query of one year's figures, by name (run bare by the benchmark)."""
    start, end = year_bounds(year)
    return {**_training_statements(start, end), **_exam_statements(start, end, as_of),
            **_outcome_statements(start, end), **_breakdown_statements(start, end)}
