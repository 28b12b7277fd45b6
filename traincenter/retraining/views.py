"""Views of the retraining area."""

from . import bp  # noqa: F401
