"""The trainees area: the registry, timelines, enrolment slips and the roster import."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import STAFF
from ..navigation import nav_item

bp = Blueprint("trainees", __name__, url_prefix="/trainees")

nav_item("trainees.index", _l("Trainees"), STAFF, order=20)

from . import views  # noqa: E402,F401
