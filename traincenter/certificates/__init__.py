"""The certificates area: certificates, health certificates, PDFs and work cards."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("certificates", __name__, url_prefix="/certificates")

nav_item("certificates.index", _l("Certificates"), ("admin", "staff"), order=60)
nav_item("certificates.health_expiring", _l("Health certificates"), ("admin", "staff"), order=62)

from . import views  # noqa: E402,F401
