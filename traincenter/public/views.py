"""Views of the public area."""

from . import bp  # noqa: F401
