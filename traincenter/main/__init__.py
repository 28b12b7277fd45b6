"""The home page, the dashboards and the language switch."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import EVERYONE
from ..navigation import nav_item

bp = Blueprint("main", __name__)

nav_item("main.index", _l("Home"), EVERYONE, order=0)

from . import views  # noqa: E402,F401
