"""The audit area: the list of every audited correction (who, when, what, why), for staff.

The trail is written by the areas' operations through ``services.audit``; this area only reads it.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import STAFF
from ..navigation import nav_item

bp = Blueprint("audit", __name__, url_prefix="/audit")

nav_item("audit.index", _l("Audit trail"), STAFF, order=90)

from . import views  # noqa: E402,F401
