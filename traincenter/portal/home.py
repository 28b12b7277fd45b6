"""Portal: the trainee's home page."""

from . import bp  # noqa: F401
