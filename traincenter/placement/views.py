"""Views of the placement area: openings, matching, placements, feedback, figures, instructors."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import qrcode
import qrcode.image.svg
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from .. import addresses, rules
from ..access import STAFF, role_required
from ..errors import DomainError
from ..extensions import limiter
from ..forms import ConfirmForm, show_error
from ..i18n import show_date
from ..models.placement import OPENING_STATUSES
from ..params import arg_choice, arg_int, arg_page, arg_text, arg_year, form_ints
from ..services import catalog
from ..services.fitness import duty_status
from . import bp, matching, operations, queries
from . import feedback as customer_feedback
from . import figures as placement_figures
from .forms import (
    OPENING_STATUS_LABELS,
    OUTCOME_LABELS,
    DeleteForm,
    FeedbackForm,
    LinkForm,
    OpeningForm,
    OutcomeForm,
    PlacementForm,
    PublicFeedbackForm,
)

MATCH_LIMIT = 100  # the best matches; nobody reads further down a longer list
FEEDBACK_RATE_LIMIT = "20 per minute;200 per hour"


# --- openings and recommendations -----------------------------------------------------------------


@bp.route("/")
@role_required(*STAFF)
def openings():
    """Job openings, filtered by status."""
    filters = {"status": arg_choice("status", OPENING_STATUSES), "track_id": arg_int("track"),
               "q": arg_text("q")}
    page = queries.opening_list(filters, arg_page())
    return render_template("placement/openings.html", page=page, filters=filters,
                           status=filters["status"], statuses=OPENING_STATUS_LABELS,
                           tracks=catalog.all_tracks())


def _opening_form(opening=None) -> OpeningForm:
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
            opening = operations.create_opening(form.data_for_service(), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The opening has been saved. Choose workers to recommend below."), "success")
            return redirect(url_for("placement.opening", opening_id=opening.id))
    return render_template("placement/opening_form.html", form=form, opening=None)


@bp.route("/openings/<int:opening_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_opening(opening_id: int):
    """Change an opening or close it."""
    opening = queries.opening_or_404(opening_id)
    form = _opening_form(opening)
    if form.validate_on_submit():
        try:
            operations.update_opening(opening, form.data_for_service(), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The opening has been saved."), "success")
            return redirect(url_for("placement.opening", opening_id=opening.id))
    return render_template("placement/opening_form.html", form=form, opening=opening)


@bp.route("/openings/<int:opening_id>")
@role_required(*STAFF)
def opening(opening_id: int):
    """One opening: matching workers to recommend, and the recommendations so far."""
    opening = queries.opening_or_404(opening_id)
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
    opening = queries.opening_or_404(opening_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    ids = form_ints("trainee_id")
    try:
        created = operations.recommend_workers(opening, ids, current_user)
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
    recommendation = queries.recommendation_or_404(recommendation_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            operations.record_outcome(recommendation, form.outcome.data, form.note.data,
                                      current_user)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("The answer has been recorded."), "success")
    else:
        flash(_("Choose an answer."), "error")
    return redirect(url_for("placement.opening", opening_id=recommendation.opening_id))


# --- placements -----------------------------------------------------------------------------------


@bp.route("/placements")
@role_required(*STAFF)
def placements():
    """Every placement, filtered by year, kind of employer, contract, name."""
    filters = {
        "year": arg_year("year"),
        "employer_type": arg_choice("employer_type", rules.EMPLOYER_TYPES) or None,
        "contract": arg_choice("contract", ("yes", "no")) or None,
        "q": arg_text("q", 64) or None,
    }
    page = queries.placement_list(filters, arg_page())
    return render_template("placement/placements.html", page=page, filters=filters,
                           years=placement_figures.figure_years())


@bp.route("/placements/before-certificate")
@role_required(*STAFF)
def before_certificate():
    """Placements that started before the worker held a standing certificate, to correct."""
    page = queries.placements_before_certificate(arg_page())
    return render_template("placement/before_certificate.html", page=page)


@bp.route("/placements/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_placement():
    """Record a placement; from a recommendation the form comes filled in."""
    recommendation = None
    rec_id = arg_int("recommendation_id")
    if rec_id:
        recommendation = queries.recommendation_or_404(rec_id)
    form = PlacementForm()
    if request.method == "GET" and recommendation is not None:
        form.fill_from(recommendation)
    if form.validate_on_submit():
        try:
            data = form.data_for_service()
            data["trainee"] = queries.find_worker(form.worker.data)
            placement, status = operations.create_placement(data, current_user, recommendation)
        except DomainError as error:
            show_error(form, error)
        else:
            if status.colour == rules.YELLOW:
                flash(_("Saved. Note: the health certificate expires on %(day)s — remind the worker "
                        "to renew it.", day=show_date(status.health_valid_until)), "warning")
            else:
                flash(_("The placement has been saved."), "success")
            if queries.overlapping_jobs(placement):
                flash(_("Note: this worker has another job in the same period. That is fine for "
                        "hourly work; otherwise end the other job."), "warning")
            return redirect(url_for("placement.placement", placement_id=placement.id))
    return render_template("placement/placement_form.html", form=form, placement=None,
                           recommendation=recommendation)


@bp.route("/placements/<int:placement_id>")
@role_required(*STAFF)
def placement(placement_id: int):
    """One placement with its customer feedback and feedback links."""
    return _placement_page(queries.placement_or_404(placement_id), FeedbackForm())


def _placement_page(placement, feedback_form: FeedbackForm) -> str:
    """The placement page, with ``feedback_form`` as given (fresh, or with its errors)."""
    feedback, links, events = queries.placement_detail(placement)
    return render_template("placement/placement.html", placement=placement, feedback=feedback,
                           links=links, events=events, feedback_form=feedback_form,
                           link_form=LinkForm(), today=date.today(),
                           duty=duty_status(placement.trainee_id))


@bp.route("/placements/<int:placement_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_placement(placement_id: int):
    """Change a placement: end it, correct the wage, record the contract registration."""
    placement = queries.placement_or_404(placement_id)
    form = PlacementForm(obj=placement)
    form.worker.data = placement.trainee.id_number  # the worker of a placement does not change
    if form.validate_on_submit():
        try:
            operations.update_placement(placement, form.data_for_service(), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The placement has been saved."), "success")
            return redirect(url_for("placement.placement", placement_id=placement.id))
    return render_template("placement/placement_form.html", form=form, placement=placement,
                           recommendation=None)


@bp.route("/placements/<int:placement_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete_placement(placement_id: int):
    """Delete a placement entered by mistake (with a reason, kept in the audit trail)."""
    placement = queries.placement_or_404(placement_id)
    form = DeleteForm()
    if form.validate_on_submit():
        name = placement.trainee.name
        try:
            operations.delete_placement(placement, form.reason.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The placement of %(name)s was deleted; the figures no longer count it.",
                    name=name), "success")
            return redirect(url_for("placement.placements"))
    feedback, links, _events = queries.placement_detail(placement)
    return render_template("placement/delete_placement.html", placement=placement, form=form,
                           feedback=feedback, links=links)


# --- customer feedback: staff record it, or make a link for the employer --------------------------


@bp.route("/feedback-entries/<int:feedback_id>/delete", methods=["GET", "POST"])
@role_required(*STAFF)
def delete_feedback(feedback_id: int):
    """Delete a feedback entered by mistake (with a reason, kept on the placement's page)."""
    feedback = queries.feedback_or_404(feedback_id)
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            placement_id = customer_feedback.delete_feedback(feedback, form.reason.data,
                                                             current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The feedback was deleted; the satisfaction figures no longer count it."),
                  "success")
            return redirect(url_for("placement.placement", placement_id=placement_id))
    return render_template("placement/delete_feedback.html", feedback=feedback, form=form)


@bp.route("/placements/<int:placement_id>/feedback", methods=["POST"])
@role_required(*STAFF)
def add_feedback(placement_id: int):
    """Staff record a customer's feedback."""
    placement = queries.placement_or_404(placement_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            customer_feedback.record_feedback(placement, form.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The feedback has been saved."), "success")
            return redirect(url_for("placement.placement", placement_id=placement.id))
    return _placement_page(placement, form), 400


@bp.route("/placements/<int:placement_id>/links", methods=["POST"])
@role_required(*STAFF)
def create_link(placement_id: int):
    """Make a single-use feedback link (and its QR code) for the employer."""
    placement = queries.placement_or_404(placement_id)
    form = LinkForm()
    if not form.validate_on_submit():
        flash(_("Choose how long the link stays valid."), "error")
        return redirect(url_for("placement.placement", placement_id=placement.id))
    try:
        link = customer_feedback.create_feedback_link(placement, form.valid_days.data or None,
                                                      current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("placement.placement", placement_id=placement.id))
    return redirect(url_for("placement.print_link", token=link.token))


def public_feedback_url(token: str) -> str:
    """The address printed in the QR code (the public base URL of the center)."""
    base = addresses.public_base_url()
    return base + url_for("placement.feedback_form", token=token)


@bp.route("/links/<token>")
@role_required(*STAFF)
def print_link(token: str):
    """A printable slip with the QR code and the address of a feedback link."""
    link = queries.link_or_404(token)
    return render_template("placement/link_print.html", link=link,
                           url=public_feedback_url(link.token), today=date.today())


@bp.route("/links/<token>/qr.svg")
@role_required(*STAFF)
def link_qr(token: str):
    """The QR code of a feedback link, as SVG (prints sharp at any size)."""
    link = queries.link_or_404(token)
    image = qrcode.make(public_feedback_url(link.token),
                        image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


# --- the employer's form (public, through the link) -----------------------------------------------


@bp.errorhandler(CSRFError)
def form_expired(error: CSRFError):
    """The employer's form: refused (400) with a fresh form and a plain message; else the 400 page."""
    if request.endpoint == "placement.feedback_form":
        # A phone that kept the page open for long, or a browser that dropped the cookie.
        link, refusal = _usable_link_or_page(request.view_args.get("token", ""))
        if refusal is not None:
            return refusal
        flash(_("The page had expired. Please choose your rating again and send."), "error")
        return _feedback_page(link, PublicFeedbackForm(formdata=None)), 400
    from ..web import render_error

    return render_error(error.code or 400)


def _usable_link_or_page(token: str):
    """(link, None) when the link can be used, else (None, the 404 or 410 page)."""
    try:
        link = customer_feedback.usable_link(token)
    except customer_feedback.LinkUnavailable as error:
        return None, (render_template("placement/feedback_unavailable.html", message=str(error)), 410)
    if link is None:
        return None, (render_template(
            "placement/feedback_unavailable.html",
            message=_("This feedback link does not exist. Check that the whole address was "
                      "copied, or scan the QR code again."),
        ), 404)
    return link, None


def _feedback_page(link, form):
    return render_template("placement/feedback_form.html", form=form, link=link,
                           masked_name=rules.mask_name(link.placement.trainee.name))


@bp.route("/feedback/<token>", methods=["GET", "POST"])
@limiter.limit(FEEDBACK_RATE_LIMIT)
def feedback_form(token: str):
    """The employer's feedback form, reached by the link or QR code; no account needed."""
    link, refusal = _usable_link_or_page(token)
    if refusal is not None:
        return refusal
    form = PublicFeedbackForm()
    if form.validate_on_submit():
        try:
            customer_feedback.submit_link_feedback(link, form.data)
        except customer_feedback.LinkUnavailable as error:
            return render_template("placement/feedback_unavailable.html", message=str(error)), 410
        except DomainError as error:
            show_error(form, error)
        else:
            return render_template("placement/feedback_thanks.html")
    return _feedback_page(link, form)


# --- figures and the instructors' view ------------------------------------------------------------


@bp.route("/figures")
@role_required(*STAFF)
def figures():
    """Placement and satisfaction figures per year and track."""
    years = placement_figures.figure_years()
    year = arg_year("year")
    if year not in years:
        year = years[0]
    rows, total = placement_figures.figures(year)
    return render_template("placement/figures.html", year=year, years=years, rows=rows,
                           total=total)


@bp.route("/my-trainees")
@role_required("instructor")
def my_trainees():
    """An instructor's former trainees and their placement outcomes."""
    search, class_id = arg_text("q"), arg_int("class")
    page = queries.instructor_outcomes(current_user.id, search, class_id, arg_page())
    return render_template("placement/my_trainees.html", page=page, outcomes=page.items,
                           search=search, class_id=class_id,
                           classes=queries.taught_classes(current_user.id))
