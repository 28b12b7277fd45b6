"""Portal: certificate pages of the trainee (phone first)."""

from . import bp  # noqa: F401
