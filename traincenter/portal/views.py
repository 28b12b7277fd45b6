"""Views of the portal area."""

from . import bp  # noqa: F401
