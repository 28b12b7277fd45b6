"""The placement area."""

from flask import Blueprint

bp = Blueprint("placement", __name__, url_prefix="/placement")

from . import views  # noqa: E402,F401
