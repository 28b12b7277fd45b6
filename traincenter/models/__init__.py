"""The data model: one module per noun group, all re-exported here."""

from .catalog import CourseModule, Track
from .certificates import Certificate, VerificationLookup
from .exams import AppendOnlyError, Exam, ExamResult, ScoreChange
from .placement import Feedback, FeedbackLink, JobOpening, Placement, Recommendation
from .reports import DataVersion, ReportCache, ReportDraft, ReportSnapshot, current_data_version
from .trainees import HealthCertificate, Trainee
from .training import (
    Attendance,
    Enrolment,
    SelfStudyLog,
    TrainingClass,
    TrainingSession,
    class_instructor,
)
from .users import ROLES, LoginAttempt, User

__all__ = [
    "ROLES",
    "AppendOnlyError",
    "Attendance",
    "Certificate",
    "DataVersion",
    "CourseModule",
    "Enrolment",
    "Exam",
    "ExamResult",
    "Feedback",
    "FeedbackLink",
    "HealthCertificate",
    "JobOpening",
    "LoginAttempt",
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
