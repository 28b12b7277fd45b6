"""Portal: the trainee's exam results (phone first). Only published results, only their own."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import role_required
from ..exams.queries import trainee_results_page as results_page
from . import bp

TITLE = _l("My results")


@bp.route("/results")
@role_required("trainee")
def results():
    """Each published attempt, each part, a big pass / fail, and for a fail what happens next."""
    if current_user.trainee_id is None:
        return render_template("portal/results.html", page=None, page_title=TITLE)
    return render_template("portal/results.html", page=results_page(current_user.trainee_id),
                           page_title=TITLE)
