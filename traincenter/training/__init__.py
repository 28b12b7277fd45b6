"""The training area: classes, enrolments, course modules, sessions, attendance, self-study."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import STAFF, TEACHING
from ..navigation import nav_item

bp = Blueprint("training", __name__, url_prefix="/training")

nav_item("training.classes", _l("Classes"), TEACHING, order=30)
nav_item("training.self_study_queue", _l("Self-study to verify"), TEACHING, order=32)
nav_item("training.modules", _l("Course modules"), STAFF, order=34)
nav_item("training.tracks", _l("Tracks"), STAFF, order=35)

# The cli module adds ``flask training …`` to bp.cli, which must happen before the blueprint
# is registered on an app.
from . import cli, views  # noqa: E402,F401
