"""Placement routes: staff run openings, placements, feedback and figures; instructors see their
trainees' jobs; trainees their own; employers reach the feedback form by its token alone."""

from . import PUBLIC, STAFF, TRAINEE

EXPECTED = {
    "placement.openings": STAFF,
    "placement.new_opening": STAFF,
    "placement.edit_opening": STAFF,
    "placement.opening": STAFF,
    "placement.recommend": STAFF,
    "placement.record_outcome": STAFF,
    "placement.figures": STAFF,
    "placement.my_trainees": frozenset({"instructor"}),
    "placement.placements": STAFF,
    "placement.before_certificate": STAFF,
    "placement.new_placement": STAFF,
    "placement.placement": STAFF,
    "placement.edit_placement": STAFF,
    "placement.delete_placement": STAFF,
    "placement.delete_feedback": STAFF,
    "placement.add_feedback": STAFF,
    "placement.create_link": STAFF,
    "placement.print_link": STAFF,
    "placement.link_qr": STAFF,
    "placement.feedback_form": PUBLIC,
    "portal.placements": TRAINEE,
}

ARGS = {
    "opening_id": lambda world: world["opening"].id,
    "placement_id": lambda world: world["placement"].id,
    "recommendation_id": lambda world: world["recommendation"].id,
    "token": lambda world: world["feedback_link"].token,
    "feedback_id": lambda world: world["feedback"].id,
}
