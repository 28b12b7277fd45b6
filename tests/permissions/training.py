"""Training routes: staff everywhere, instructors in their own classes (the world's instructor
teaches ``class``), the trainee's hours page for trainees only."""

from . import PUBLIC, STAFF, TEACHING, TRAINEE

EXPECTED = {
    "training.classes": TEACHING,
    "training.class_create": STAFF,
    "training.class_edit": STAFF,
    "training.class_detail": TEACHING,
    "training.enrol": STAFF,
    "training.enrolment_edit": STAFF,
    "training.session_create": TEACHING,
    "training.attendance_register": TEACHING,
    "training.modules": STAFF,
    "training.seed_modules": STAFF,
    "training.edit_module": STAFF,
    "training.module_status": STAFF,
    "training.delete_module": STAFF,
    "training.tracks": STAFF,
    "training.edit_track": STAFF,
    "training.track_status": STAFF,
    "training.delete_track": STAFF,
    "training.self_study_queue": TEACHING,
    "training.self_study_review": TEACHING,
    "training.self_study_verify_many": TEACHING,
    "training.self_study_log": TEACHING,
    "training.self_study_photo": TEACHING,
    "training.checkin_screen": TEACHING,
    "training.checkin_state": TEACHING,
    "training.checkin_qr": TEACHING,
    "training.checkin_close": TEACHING,
    "portal.hours": TRAINEE,
    "portal.self_study_photo": TRAINEE,
    # QR check-in: the scan is public (judged before any login); checking in is the trainee's.
    "portal.checkin_scan": PUBLIC,
    "portal.checkin": TRAINEE,
}

ARGS = {
    "class_id": lambda world: world["class"].id,
    "session_id": lambda world: world["session"].id,
    "log_id": lambda world: world["self_study"].id,
    "enrolment_id": lambda world: world["enrolment"].id,
    "module_id": lambda world: world["session"].module_id,
    "track_id": lambda world: world["track"].id,
}
