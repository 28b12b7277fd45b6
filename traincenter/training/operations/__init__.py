"""Writes of the training area, by noun: ``catalog`` (tracks and course modules), ``classes``
(classes, enrolments, sessions), ``hours`` (the attendance register, self-study logs) and
``checkin`` (QR check-in). Import them from here."""

from .catalog import (
    add_module,
    create_track,
    delete_module,
    delete_track,
    seed_default_modules,
    set_module_active,
    set_track_active,
    update_module,
    update_track,
)
from .checkin import CheckInRefused, Scan, check_in, check_scan, close_checkin
from .classes import (
    CLASS_FIELDS,
    build_enrolment,
    enrol_trainee,
    require_teaching,
    save_class,
    schedule_session,
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
    "CLASS_FIELDS", "PHOTO_KIND", "SELF_STUDY_ERRORS", "CheckInRefused", "Scan", "add_module",
    "build_enrolment", "check_in", "check_scan", "close_checkin", "create_track",
    "delete_module", "delete_track", "enrol_trainee", "log_self_study", "require_teaching",
    "review_many", "review_self_study", "save_class", "save_register", "schedule_session",
    "seed_default_modules", "set_module_active", "set_track_active", "update_enrolment",
    "update_module", "update_track",
]
