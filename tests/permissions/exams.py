"""Exams area routes and the trainee's results page."""

from . import STAFF, TEACHING, TRAINEE

EXPECTED = {
    "exams.index": TEACHING,
    "exams.schedule": STAFF,
    "exams.detail": TEACHING,
    "exams.add_candidate": STAFF,
    "exams.grid": TEACHING,
    "exams.template": TEACHING,
    "exams.upload": TEACHING,
    "exams.upload_confirm": TEACHING,
    "exams.submit": TEACHING,
    "exams.publish": STAFF,
    "exams.stats": TEACHING,
    "exams.history": STAFF,
    "exams.correct": STAFF,
    "exams.trainee_history": STAFF,
    "exams.send_back": STAFF,
    "exams.remove_candidate": STAFF,
    "exams.move_date": STAFF,
    "portal.results": TRAINEE,
}

ARGS = {
    "exam_id": lambda world: world["exam"].id,
    "result_id": lambda world: world["result"].id,
}
