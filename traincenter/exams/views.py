"""Views of the exams area."""

from . import bp  # noqa: F401
