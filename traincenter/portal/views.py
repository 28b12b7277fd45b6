"""The trainee's pages (phone first). Feature pages live in their own modules."""

from . import bp  # noqa: F401
from . import certificate, home, hours, placements, results  # noqa: F401
