"""The retraining area: the retraining list, retraining classes, notices, starting again."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import STAFF
from ..navigation import nav_item

bp = Blueprint("retraining", __name__, url_prefix="/retraining")

nav_item("retraining.index", _l("Retraining"), STAFF, order=50)

from . import views  # noqa: E402,F401
