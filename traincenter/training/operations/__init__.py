"""Writes of the training area, by noun: ``classes`` (the course catalogue, classes, enrolments,
sessions) and ``hours`` (the attendance register, self-study logs). Import them from here."""

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
    SELF_STUDY_ERRORS,
    log_self_study,
    review_many,
    review_self_study,
    save_register,
)

__all__ = [
    "CLASS_FIELDS", "SELF_STUDY_ERRORS", "add_module", "build_enrolment", "enrol_trainee",
    "log_self_study", "require_teaching", "review_many", "review_self_study", "save_class",
    "save_register", "schedule_session", "seed_default_modules", "update_enrolment",
]
