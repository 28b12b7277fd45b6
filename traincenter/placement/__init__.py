"""The placement area: openings, matching, placements, customer feedback and figures."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("placement", __name__, url_prefix="/placement")

nav_item("placement.openings", _l("Placement"), ("admin", "staff"), order=70)
nav_item("placement.my_trainees", _l("My trainees' jobs"), ("instructor",), order=70)

from . import views  # noqa: E402,F401
