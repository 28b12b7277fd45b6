"""Writes of the training area, by noun: ``classes`` (the course catalogue, classes, enrolments,
sessions), ``hours`` (the attendance register, self-study logs) and ``checkin`` (QR check-in).
Import them from here."""

from .checkin import CheckInRefused, Scan, check_in, check_scan, close_checkin
from .classes import (
    CLASS_FIELDS,
    add_module,
    build_enrolment,
    enrol_trainee,
    require_teaching,
    save_class,
    schedule_session,
    seed_default_modules,
    update_enrolment,
)
from .hours import (
    PHOTO_KIND,
    SELF_STUDY_ERRORS,
    log_self_study,
    review_many,
    review_self_study,
    save_register,
)

__all__ = [
    "CLASS_FIELDS", "PHOTO_KIND", "CheckInRefused", "Scan", "check_in", "check_scan", "close_checkin", "SELF_STUDY_ERRORS", "add_module", "build_enrolment", "enrol_trainee",
    "log_self_study", "require_teaching", "review_many", "review_self_study", "save_class",
    "save_register", "schedule_session", "seed_default_modules", "update_enrolment",
]
