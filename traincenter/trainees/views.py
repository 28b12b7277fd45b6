"""Views of the trainees area."""

from . import bp  # noqa: F401
