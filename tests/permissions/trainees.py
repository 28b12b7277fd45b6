"""Trainee registry routes: staff only."""

from . import STAFF

EXPECTED = {
    "trainees.index": STAFF,
    "trainees.create": STAFF,
    "trainees.detail": STAFF,
    "trainees.edit": STAFF,
    "trainees.reset_password": STAFF,
    "trainees.unlock_login": STAFF,
    "trainees.import_roster": STAFF,
    "trainees.import_confirm": STAFF,
    "trainees.import_errors": STAFF,
    "trainees.import_template": STAFF,
    "trainees.photo": STAFF,
    "trainees.photo_file": STAFF,
    "trainees.photo_delete": STAFF,
}

ARGS = {
    "trainee_id": lambda world: world["trainee"].id,
}
