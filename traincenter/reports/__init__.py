"""The reports area: the annual report for the women's federation."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("reports", __name__, url_prefix="/reports")

nav_item("reports.index", _l("Annual report"), ("admin", "staff"), order=90)

from . import views  # noqa: E402,F401
