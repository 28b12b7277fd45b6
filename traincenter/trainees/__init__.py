"""The trainees area."""

from flask import Blueprint

bp = Blueprint("trainees", __name__, url_prefix="/trainees")

from . import views  # noqa: E402,F401
