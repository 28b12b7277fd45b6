"""The trainee's pages (phone first). Feature pages live in their own modules."""

from . import (  # noqa: F401
    bp,  # noqa: F401
    certificate,
    home,
    hours,
    placements,
    results,
)
