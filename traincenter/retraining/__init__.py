"""The retraining area."""

from flask import Blueprint

bp = Blueprint("retraining", __name__, url_prefix="/retraining")

from . import views  # noqa: E402,F401
