"""Applications (issue 16): the form, its thank-you page and the status check are public; the
queue, the decisions, the figures and the poster are the staff's."""

from . import PUBLIC, STAFF

EXPECTED = {
    "applications.apply": PUBLIC,
    "applications.thanks": PUBLIC,
    "applications.status": PUBLIC,
    "applications.index": STAFF,
    "applications.detail": STAFF,
    "applications.accept": STAFF,
    "applications.waitlist": STAFF,
    "applications.decline": STAFF,
    "applications.figures": STAFF,
    "applications.poster_form": STAFF,
    "applications.poster_pdf": STAFF,
}

ARGS = {
    "application_id": lambda world: world["application"].id,
}
