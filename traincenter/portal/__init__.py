"""The trainee's portal (/me): every page a trainee sees about herself, phone first.

The portal owns all of the trainee's pages and their menu entries; the data comes from the other
areas' queries (hours from training, results from exams, the next step from retraining,
certificates from certificates, jobs from placement).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("portal", __name__, url_prefix="/me")

TRAINEE = ("trainee",)
nav_item("portal.home", _l("My page"), TRAINEE, order=10)
nav_item("portal.hours", _l("My hours"), TRAINEE, order=20)
nav_item("portal.results", _l("My results"), TRAINEE, order=30)
nav_item("portal.certificate", _l("My certificate"), TRAINEE, order=40)
nav_item("portal.placements", _l("My jobs"), TRAINEE, order=50)

from . import views  # noqa: E402,F401
