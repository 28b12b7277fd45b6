"""Portal: the trainee's own placements (phone first)."""

from datetime import date

from flask import abort, render_template
from flask_login import current_user

from ..access import role_required
from ..placement import queries
from ..services.fitness import duty_status
from . import bp


@bp.route("/placements")
@role_required("trainee")
def placements():
    """The jobs the trainee was placed in, with the employers' ratings."""
    if current_user.trainee_id is None:
        abort(404)
    return render_template("portal/placements.html",
                           placements=queries.trainee_placements(current_user.trainee_id),
                           status=duty_status(current_user.trainee_id), today=date.today())
