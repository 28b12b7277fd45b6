"""Views of placements, customer feedback, feedback links and the employer's public form."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import qrcode
import qrcode.image.svg
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from .. import rules, settings
from ..access import STAFF, role_required
from ..errors import DomainError
from ..extensions import limiter
from ..models import Placement, Recommendation
from ..services.fitness import duty_status
from . import bp, queries, services
from . import feedback as customer_feedback
from .forms import FeedbackForm, LinkForm, PlacementForm, PublicFeedbackForm
from .views import form_error

FEEDBACK_RATE_LIMIT = "20 per minute;200 per hour"


@bp.route("/placements")
@role_required(*STAFF)
def placements():
    """Every placement, filtered by year, kind of employer, contract, name."""
    filters = {
        "year": request.args.get("year", type=int),
        "employer_type": request.args.get("employer_type") or None,
        "contract": request.args.get("contract") or None,
        "q": (request.args.get("q") or "").strip()[:64] or None,
    }
    if filters["employer_type"] not in rules.EMPLOYER_TYPES:
        filters["employer_type"] = None
    page = queries.placement_list(filters, request.args.get("page", 1, type=int) or 1)
    return render_template("placement/placements.html", page=page, filters=filters,
                           years=services.figure_years())


@bp.route("/placements/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_placement():
    """Record a placement; from a recommendation the form comes filled in."""
    recommendation = None
    rec_id = request.args.get("recommendation_id", type=int)
    if rec_id:
        recommendation = queries.get_or_404(Recommendation, rec_id)
    form = PlacementForm()
    if request.method == "GET" and recommendation is not None:
        opening = recommendation.opening
        form.worker.data = recommendation.trainee.id_number
        form.employer_name.data = opening.employer_name
        form.employer_type.data = opening.employer_type
        form.job_type.data = opening.job_type
        form.place.data = opening.place
        form.monthly_wage.data = opening.monthly_wage
        form.starts_on.data = opening.starts_on
        form.ends_on.data = opening.ends_on
    if form.validate_on_submit():
        try:
            data = form.data_for_service()
            data["trainee"] = services.find_worker(form.worker.data)
            placement, status = services.create_placement(data, current_user, recommendation)
        except DomainError as error:
            form_error(form, error)
        else:
            if status.colour == rules.YELLOW:
                flash(_("Saved. Note: the health certificate expires on %(day)s — remind the worker "
                        "to renew it.", day=status.health_valid_until.isoformat()), "warning")
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
    return _placement_page(queries.get_or_404(Placement, placement_id), FeedbackForm())


def _placement_page(placement: Placement, feedback_form: FeedbackForm) -> str:
    """The placement page, with ``feedback_form`` as given (fresh, or with its errors)."""
    feedback, links = queries.placement_detail(placement)
    return render_template("placement/placement.html", placement=placement, feedback=feedback,
                           links=links, feedback_form=feedback_form, link_form=LinkForm(),
                           today=date.today(), duty=duty_status(placement.trainee_id))


@bp.route("/placements/<int:placement_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_placement(placement_id: int):
    """Change a placement: end it, correct the wage, record the contract registration."""
    placement = queries.get_or_404(Placement, placement_id)
    form = PlacementForm(obj=placement)
    form.worker.data = placement.trainee.id_number  # the worker of a placement does not change
    if form.validate_on_submit():
        try:
            services.update_placement(placement, form.data_for_service(), current_user)
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("The placement has been saved."), "success")
            return redirect(url_for("placement.placement", placement_id=placement.id))
    return render_template("placement/placement_form.html", form=form, placement=placement,
                           recommendation=None)


@bp.route("/placements/<int:placement_id>/feedback", methods=["POST"])
@role_required(*STAFF)
def add_feedback(placement_id: int):
    """Staff record a customer's feedback."""
    placement = queries.get_or_404(Placement, placement_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        try:
            customer_feedback.record_feedback(placement, form.data, current_user)
        except DomainError as error:
            form_error(form, error)
        else:
            flash(_("The feedback has been saved."), "success")
            return redirect(url_for("placement.placement", placement_id=placement.id))
    return _placement_page(placement, form), 400


@bp.route("/placements/<int:placement_id>/links", methods=["POST"])
@role_required(*STAFF)
def create_link(placement_id: int):
    """Make a single-use feedback link (and its QR code) for the employer."""
    placement = queries.get_or_404(Placement, placement_id)
    form = LinkForm()
    if not form.validate_on_submit():
        flash(_("Choose how long the link stays valid."), "error")
        return redirect(url_for("placement.placement", placement_id=placement.id))
    try:
        link = customer_feedback.create_feedback_link(placement, form.valid_days.data or None, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("placement.placement", placement_id=placement.id))
    return redirect(url_for("placement.print_link", token=link.token))


def public_feedback_url(token: str) -> str:
    """The address printed in the QR code (the public base URL of the center)."""
    base = settings.public_base_url()
    return base + url_for("placement.feedback_form", token=token)


@bp.route("/links/<token>")
@role_required(*STAFF)
def print_link(token: str):
    """A printable slip with the QR code and the address of a feedback link."""
    link = queries.link_by_token(token)
    if link is None:
        abort(404)
    return render_template("placement/link_print.html", link=link,
                           url=public_feedback_url(link.token), today=date.today())


@bp.route("/links/<token>/qr.svg")
@role_required(*STAFF)
def link_qr(token: str):
    """The QR code of a feedback link, as SVG (prints sharp at any size)."""
    link = queries.link_by_token(token)
    if link is None:
        abort(404)
    image = qrcode.make(public_feedback_url(link.token),
                        image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = BytesIO()
    image.save(buffer)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


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
            form_error(form, error)
        else:
            return render_template("placement/feedback_thanks.html")
    return _feedback_page(link, form)
