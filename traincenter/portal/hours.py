"""Portal: the trainee's hours on the phone — progress bars, what is missing, self-study log."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import settings
from ..access import role_required
from ..errors import DomainError
from ..forms import show_error
from ..navigation import nav_item
from ..services.progress import eligibility_for
from ..training.forms import PORTAL_TEXTS, SelfStudyForm
from ..training.operations import log_self_study
from ..training.queries import current_enrolments, logs_of
from . import bp

nav_item("portal.hours", PORTAL_TEXTS["nav"], ("trainee",), order=20)


@bp.route("/hours", methods=["GET", "POST"])
@role_required("trainee")
def hours():
    """Classroom x/80, self-study y/70, total z/150; log self-study; see each entry's status."""
    enrolments = current_enrolments(current_user.trainee_id)
    form = SelfStudyForm()
    if not form.is_submitted():
        form.studied_on.data = date.today()
    if form.validate_on_submit():
        wanted = request.form.get("enrolment", "")
        enrolment = next((e for e in enrolments if str(e.id) == wanted), None)
        if enrolment is None:
            abort(404)
        try:
            log_self_study(enrolment, form.studied_on.data, float(form.hours.data),
                           form.content.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(str(PORTAL_TEXTS["saved"]), "success")
            return redirect(url_for("portal.hours"))
    return render_template("portal/hours.html", enrolments=enrolments,
                           eligibility=eligibility_for(enrolments),
                           logs=logs_of([e.id for e in enrolments]), form=form,
                           max_per_day=settings.self_study_max_hours_per_day(), title=PORTAL_TEXTS["title"])
