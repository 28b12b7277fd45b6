"""The trainee's portal home."""

from . import TRAINEE

EXPECTED = {
    "portal.home": TRAINEE,
}
