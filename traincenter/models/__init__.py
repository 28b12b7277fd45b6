"""The data model: one module per noun group, all re-exported here."""

from .applications import Application
from .audit import AuditEvent
from .catalog import CourseModule, Track
from .certificates import Certificate, VerificationLookup
from .exams import AppendOnlyError, Exam, ExamResult, ScoreChange
from .fees import FeeEntry
from .placement import Feedback, FeedbackLink, JobOpening, Placement, Recommendation
from .reports import DataVersion, ReportCache, ReportDraft, ReportSnapshot, current_data_version
from .trainees import BackgroundCheck, HealthCertificate, InsurancePolicy, Trainee
from .training import (
    Attendance,
    Enrolment,
    SelfStudyLog,
    TrainingClass,
    TrainingSession,
    class_instructor,
)
from .users import ROLES, LoginAttempt, LoginLock, User

__all__ = [
    "ROLES",
    "AppendOnlyError",
    "Application",
    "AuditEvent",
    "Attendance",
    "BackgroundCheck",
    "Certificate",
    "DataVersion",
    "CourseModule",
    "Enrolment",
    "Exam",
    "ExamResult",
    "FeeEntry",
    "Feedback",
    "FeedbackLink",
    "HealthCertificate",
    "InsurancePolicy",
    "JobOpening",
    "LoginAttempt",
    "LoginLock",
    "Placement",
    "Recommendation",
    "ReportCache",
    "ReportDraft",
    "ReportSnapshot",
    "ScoreChange",
    "SelfStudyLog",
    "Trainee",
    "TrainingClass",
    "Track",
    "TrainingSession",
    "User",
    "VerificationLookup",
    "class_instructor",
    "current_data_version",
]
