"""Views of the applications area (thin: parse, call one operation or query, render).

Public: the application form (/apply), its thank-you page and the status check. Staff: the
review queue, one application with its decisions, the figures and the poster.
"""

from __future__ import annotations

import time
from datetime import date

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import addresses, settings
from ..access import STAFF, role_required
from ..errors import DomainError
from ..extensions import limiter
from ..forms import show_error
from ..params import arg_page, arg_year
from ..printing import pdf_response
from ..services import catalog
from ..trainees.operations import DuplicateTrainee
from . import bp, guard, operations, poster, queries
from .forms import (
    AcceptForm,
    ApplyForm,
    DeclineForm,
    PosterForm,
    StatusForm,
    WaitlistForm,
    month_names,
)

THANKS_KEY = "application_sent"


def _apply_limit() -> str:
    return settings.apply_rate_limit()


# ---------------------------------------------------------------------------------------------
# The public side
# ---------------------------------------------------------------------------------------------


@bp.route("/apply", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"], scope="apply")
def apply():
    """The application form, phone first; everything she typed stays when something is wrong."""
    form = ApplyForm(tracks=catalog.active_tracks(), today=settings.local_now().date())
    notice = None
    if not form.is_submitted() or not guard.read_stamp(form.stamp.data):
        form.stamp.data = guard.new_stamp(time.time())
    if form.validate_on_submit():
        sender = operations.Sender(address_key=guard.address_key(request.remote_addr),
                                   shown_at=guard.read_stamp(request.form.get("stamp")),
                                   sent_at=time.time(), honeypot=form.honeypot)
        try:
            application = operations.submit_application(form.values(), sender)
        except operations.NotTaken as error:
            form.stamp.data = guard.new_stamp(time.time())
            notice = error.message
        except operations.ContactCenter as error:
            notice = error.message
        except DomainError as error:
            show_error(form, error)
        else:
            session[THANKS_KEY] = application.id
            return redirect(url_for("applications.thanks"))
    token = getattr(form, "csrf_token", None)
    if form.is_submitted() and token is not None and token.errors and notice is None:
        notice = _("This page was open for a long time. Please check what you typed and send it "
                   "again.")
    status = 400 if form.is_submitted() and (notice or form.errors) else 200
    return render_template("applications/apply.html", form=form, notice=notice,
                           center_phone=settings.center_phone()), status


@bp.route("/apply/thanks")
def thanks():
    """After sending: what happens next, and how to check the status."""
    application = queries.thanks(session.get(THANKS_KEY))
    return render_template("applications/thanks.html", application=application)


@bp.route("/apply/status", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"], scope="apply-status")
def status():
    """The applicant's own status, with her ID number and phone: that status only, masked."""
    form = StatusForm()
    looked_up, application = False, None
    if form.validate_on_submit():
        looked_up = True
        application = queries.application_status(form.id_number.data, form.phone.data)
    return render_template("applications/status.html", form=form, looked_up=looked_up,
                           application=application, center_phone=settings.center_phone())


# ---------------------------------------------------------------------------------------------
# Staff: the queue and the decisions
# ---------------------------------------------------------------------------------------------


@bp.route("/applications/")
@role_required(*STAFF)
def index():
    """Applications to review (oldest first), and every earlier one by status."""
    return render_template("applications/index.html", **queries.queue_page(
        request.args.get("status", "open"), request.args.get("q", "")[:40], arg_page()))


def _detail(application, accept_form=None, waitlist_form=None, decline_form=None, status=200):
    page = queries.detail_page(application, date.today())
    return render_template(
        "applications/detail.html", **page,
        accept_form=accept_form or AcceptForm(classes=page["classes"]),
        waitlist_form=waitlist_form or WaitlistForm(),
        decline_form=decline_form or DeclineForm()), status


@bp.route("/applications/<int:application_id>")
@role_required(*STAFF)
def detail(application_id: int):
    """One application: everything she sent, and accept / wait-list / decline."""
    return _detail(queries.application_or_404(application_id))


@bp.route("/applications/<int:application_id>/accept", methods=["POST"])
@role_required(*STAFF)
def accept(application_id: int):
    """Accept into a class: the trainee, the enrolment and the one-time password slip."""
    application = queries.application_or_404(application_id)
    form = AcceptForm(classes=queries.class_choices(application, date.today()))
    if form.validate_on_submit():
        try:
            trainee, password = operations.accept_application(
                application, queries.class_for_accept(form.class_id.data), current_user)
        except DuplicateTrainee as error:
            flash(str(error), "error")
        except DomainError as error:
            show_error(form, error)
        else:
            if password is None:
                flash(_("%(name)s was already registered as a trainee: she is enrolled and logs "
                        "in as before.", name=trainee.name), "success")
                return redirect(url_for("applications.detail", application_id=application_id))
            return render_template("trainees/slip.html", slips=[(trainee, password)],
                                   created=True,
                                   back=(url_for("applications.index"),
                                         _("Back to the applications")))
    return _detail(application, accept_form=form, status=400)


@bp.route("/applications/<int:application_id>/waitlist", methods=["POST"])
@role_required(*STAFF)
def waitlist(application_id: int):
    """Put on the wait-list."""
    application = queries.application_or_404(application_id)
    form = WaitlistForm()
    if form.validate_on_submit():
        try:
            operations.waitlist_application(application, form.note.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s is on the waiting list.", name=application.name), "success")
            return redirect(url_for("applications.index"))
    return _detail(application, waitlist_form=form, status=400)


@bp.route("/applications/<int:application_id>/decline", methods=["POST"])
@role_required(*STAFF)
def decline(application_id: int):
    """Decline with a reason."""
    application = queries.application_or_404(application_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            operations.decline_application(application, form.reason.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The application of %(name)s was declined.", name=application.name),
                  "success")
            return redirect(url_for("applications.index"))
    return _detail(application, decline_form=form, status=400)


# ---------------------------------------------------------------------------------------------
# Staff: figures and the poster
# ---------------------------------------------------------------------------------------------


@bp.route("/applications/figures")
@role_required(*STAFF)
def figures():
    """Applications received and accepted, by month and track."""
    today = date.today()
    year = arg_year("year", today.year)
    return render_template("applications/figures.html", figures=queries.figures(year),
                           years=queries.figure_years(today), months=month_names(year))


@bp.route("/applications/poster")
@role_required(*STAFF)
def poster_form():
    """Choose the contact lines, then print the poster."""
    form = PosterForm(request.args, meta={"csrf": False})
    if not request.args:
        form.phone.data = settings.center_phone()
        form.address.data = settings.center_address()
    return render_template("applications/poster.html", form=form,
                           apply_url=addresses.public_base_url() + url_for("applications.apply"))


@bp.route("/applications/poster.pdf")
@role_required(*STAFF)
def poster_pdf():
    """The A4 poster with the QR code of the application form."""
    form = PosterForm(request.args, meta={"csrf": False})
    form.validate()
    text = poster.PosterText(*((getattr(form, name).data or "").strip()[:80]
                               for name in ("phone", "address", "note")))
    facts = queries.poster_facts(date.today())
    data = poster.poster_pdf(settings.center_name(),
                             addresses.public_base_url() + url_for("applications.apply"),
                             facts["tracks"], facts["classes"], text)
    return pdf_response(data, "application-poster.pdf")
