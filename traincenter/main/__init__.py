"""The home page, the dashboards and the language switch."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("main", __name__)

nav_item("main.index", _l("Home"), ("admin", "staff", "instructor", "trainee"), order=0)

from . import views  # noqa: E402,F401
