"""Views of the placement area: openings, matching, figures, instructors' view."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import STAFF, role_required
from ..errors import DomainError
from ..models import JobOpening, Recommendation
from ..models.placement import OPENING_STATUSES
from . import bp, matching, queries, services
from .forms import OPENING_STATUS_LABELS, OUTCOME_LABELS, ConfirmForm, OpeningForm, OutcomeForm

MATCH_LIMIT = 100  # the best matches; nobody reads further down a longer list


def form_error(form, error: DomainError) -> None:
    """Show a service's refusal on the field it names, else as a message at the top."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = list(field.errors) + [str(error)]
    else:
        flash(str(error), "error")


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.route("/")
@role_required(*STAFF)
def openings():
    """Job openings, filtered by status."""
    status = request.args.get("status") or None
    if status not in OPENING_STATUSES:
        status = None
    page = queries.opening_list(status, _page())
    return render_template("placement/openings.html", page=page, status=status,
                           statuses=OPENING_STATUS_LABELS)


def _opening_form(opening: JobOpening | None = None) -> OpeningForm:
    form = OpeningForm(obj=opening)
    form.track_id.choices = queries.track_choices()
    if opening is None:
        del form.status
    return form


@bp.route("/openings/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_opening():
    """Record a job opening."""
    form = _opening_form()
    if form.validate_on_submit():
        try:
            opening = services.create_opening(form.data_for_service(), current_user)
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("The opening has been saved. Choose workers to recommend below."), "success")
            return redirect(url_for("placement.opening", opening_id=opening.id))
    return render_template("placement/opening_form.html", form=form, opening=None)


@bp.route("/openings/<int:opening_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_opening(opening_id: int):
    """Change an opening or close it."""
    opening = queries.get_or_404(JobOpening, opening_id)
    form = _opening_form(opening)
    if form.validate_on_submit():
        try:
            services.update_opening(opening, form.data_for_service(), current_user)
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("The opening has been saved."), "success")
            return redirect(url_for("placement.opening", opening_id=opening.id))
    return render_template("placement/opening_form.html", form=form, opening=opening)


@bp.route("/openings/<int:opening_id>")
@role_required(*STAFF)
def opening(opening_id: int):
    """One opening: matching workers to recommend, and the recommendations so far."""
    opening = queries.get_or_404(JobOpening, opening_id)
    today = date.today()
    return render_template(
        "placement/opening.html", opening=opening, today=today,
        matches=matching.candidates(opening, today, MATCH_LIMIT) if opening.status == "open" else None,
        recommendations=queries.recommendations(opening, today),
        confirm=ConfirmForm(), outcomes=OUTCOME_LABELS,
        statuses=OPENING_STATUS_LABELS,
    )


@bp.route("/openings/<int:opening_id>/recommend", methods=["POST"])
@role_required(*STAFF)
def recommend(opening_id: int):
    """Recommend the ticked workers for the opening."""
    opening = queries.get_or_404(JobOpening, opening_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("trainee_id") if v.isdigit()]
    try:
        created = services.recommend_workers(opening, ids, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(count)s worker(s) recommended. Record the answer when it comes.",
                count=len(created)), "success")
    return redirect(url_for("placement.opening", opening_id=opening.id))


@bp.route("/recommendations/<int:recommendation_id>/outcome", methods=["POST"])
@role_required(*STAFF)
def record_outcome(recommendation_id: int):
    """Record a decline (a hire goes through the placement form)."""
    recommendation = queries.get_or_404(Recommendation, recommendation_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            services.record_outcome(recommendation, form.outcome.data, form.note.data, current_user)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("The answer has been recorded."), "success")
    else:
        flash(_("Choose an answer."), "error")
    return redirect(url_for("placement.opening", opening_id=recommendation.opening_id))


@bp.route("/figures")
@role_required(*STAFF)
def figures():
    """Placement and satisfaction figures per year and track."""
    years = services.figure_years()
    year = request.args.get("year", type=int)
    if year not in years:
        year = years[0]
    rows, total = services.figures(year)
    return render_template("placement/figures.html", year=year, years=years, rows=rows,
                           total=total)


@bp.route("/my-trainees")
@role_required("instructor")
def my_trainees():
    """An instructor's former trainees and their placement outcomes."""
    outcomes = queries.instructor_outcomes(current_user.id)
    return render_template("placement/my_trainees.html", outcomes=outcomes)
