"""The home page, the dashboards and the language switch."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import TEACHING
from ..navigation import nav_item

bp = Blueprint("main", __name__)

# A trainee's home is the portal's "My page" (its own entry): one entry, not two for one page.
nav_item("main.index", _l("Home"), TEACHING, order=0)

from . import views  # noqa: E402,F401
