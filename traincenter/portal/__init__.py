"""The portal area."""

from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/me")

from . import views  # noqa: E402,F401
