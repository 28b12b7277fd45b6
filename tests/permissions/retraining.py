"""Retraining routes: staff only (the list and notices carry phone numbers)."""

from . import STAFF

EXPECTED = {
    "retraining.index": STAFF,
    "retraining.new_class": STAFF,
    "retraining.enrol": STAFF,
    "retraining.class_detail": STAFF,
    "retraining.class_notices_file": STAFF,
    "retraining.class_notices_print": STAFF,
    "retraining.exam_notices_file": STAFF,
    "retraining.exam_notices_print": STAFF,
    "retraining.restart": STAFF,
}

ARGS = {
    "retraining_class_id": lambda world: world["retraining_class"].id,
    "reexam_id": lambda world: world["reexam"].id,
    "course_id": lambda world: world["other_enrolment"].id,
    "notice_format": lambda world: "xlsx",
}
