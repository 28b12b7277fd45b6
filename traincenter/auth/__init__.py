"""Logging in and out, password changes, roles."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import accounts, views  # noqa: E402,F401
