"""Views of the certificates area."""

from . import bp  # noqa: F401
