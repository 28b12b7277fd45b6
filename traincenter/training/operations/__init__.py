"""Writes of the training area, by noun: ``catalog`` (tracks and course modules), ``classes``
(classes, enrolments, sessions) and ``hours`` (the attendance register, self-study logs). Import
them from here."""

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
    SELF_STUDY_ERRORS,
    log_self_study,
    review_many,
    review_self_study,
    save_register,
)

__all__ = [
    "CLASS_FIELDS", "SELF_STUDY_ERRORS", "add_module", "build_enrolment", "create_track",
    "delete_module", "delete_track", "enrol_trainee", "log_self_study", "require_teaching",
    "review_many", "review_self_study", "save_class", "save_register", "schedule_session",
    "seed_default_modules", "set_module_active", "set_track_active", "update_enrolment",
    "update_module", "update_track",
]
