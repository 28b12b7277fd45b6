"""The fees area: payments, refunds and waivers per enrolment, receipts, outstanding balances, and
a year's fee figures for the annual report (``queries.year_fee_figures``).

A separate area rather than part of trainees or training: fees are a ledger with its own rules
(append-only, reversals, an unbroken receipt sequence per year), its own documents (A5 receipts)
and its own lists, read by the annual report; the trainees and training areas only link to it.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import STAFF
from ..navigation import nav_item

bp = Blueprint("fees", __name__, url_prefix="/fees")

nav_item("fees.index", _l("Fees"), STAFF, order=25)

from . import views  # noqa: E402,F401
