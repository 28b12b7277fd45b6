"""The applications area: the public application form (报名), its poster, the applicant's status
check, and the staff's review queue (accept into a class, wait-list, decline) with its figures."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import STAFF
from ..navigation import nav_item

bp = Blueprint("applications", __name__)

nav_item("applications.index", _l("Applications"), STAFF, order=22)

# The cli module adds ``flask applications …`` to bp.cli, before the blueprint is registered.
from . import cli, views  # noqa: E402,F401
from .forms import month_label  # noqa: E402

bp.add_app_template_filter(month_label, "month")
