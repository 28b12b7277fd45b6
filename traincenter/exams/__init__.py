"""The exams area: scheduling, the score grid and sheet, workflow, history, statistics."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("exams", __name__, url_prefix="/exams")

nav_item("exams.index", _l("Exams"), ("admin", "staff", "instructor"), order=40)

from . import views  # noqa: E402,F401
