"""The certificates area."""

from flask import Blueprint

bp = Blueprint("certificates", __name__, url_prefix="/certificates")

from . import views  # noqa: E402,F401
