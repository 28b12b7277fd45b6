"""Views of the placement area."""

from . import bp  # noqa: F401
