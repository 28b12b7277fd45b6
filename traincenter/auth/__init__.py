"""Logging in and out, password changes, roles and the administrator's account pages."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("auth", __name__, url_prefix="/auth")

nav_item("auth.users", _l("Accounts"), ("admin",), order=90)

from . import views  # noqa: E402,F401
