"""The trainee's portal home and her photo."""

from . import TRAINEE

EXPECTED = {
    "portal.home": TRAINEE,
    "portal.photo": TRAINEE,
    "portal.photo_file": TRAINEE,
}
