"""The trainee's pages: home, hours (with the self-study log), results, certificate, jobs."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import settings
from ..access import role_required
from ..certificates import pdf
from ..errors import DomainError
from ..exams.queries import trainee_results_page
from ..forms import show_error
from ..placement.queries import trainee_placements
from ..services.fitness import duty_status
from ..services.progress import eligibility_for
from ..trainees import photos
from ..trainees.forms import PhotoForm
from ..trainees.operations import set_photo
from ..training.forms import SelfStudyForm
from ..training.operations import log_self_study
from ..training.queries import current_enrolments, logs_of
from ..web import render_error
from . import bp, queries


def _trainee_id() -> int:
    """The logged-in trainee's record (an account without one has no portal pages)."""
    if current_user.trainee_id is None:
        abort(404)
    return current_user.trainee_id


@bp.route("/")
@role_required("trainee")
def home():
    """Hours, the latest result, the next step and the work status at a glance."""
    return render_template("portal/home.html", **queries.overview(_trainee_id(), date.today()))


@bp.route("/hours", methods=["GET", "POST"])
@role_required("trainee")
def hours():
    """Classroom, self-study and total hours against the class's minimums; log self-study."""
    enrolments = current_enrolments(_trainee_id())
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
            flash(_("Saved. Your teacher will check it; the hours count once verified."),
                  "success")
            return redirect(url_for("portal.hours"))
    return render_template("portal/hours.html", enrolments=enrolments,
                           eligibility=eligibility_for(enrolments),
                           logs=logs_of([e.id for e in enrolments]), form=form,
                           max_per_day=settings.self_study_max_hours_per_day())


@bp.route("/results")
@role_required("trainee")
def results():
    """Each published attempt, each part, a big pass / fail, and for a fail what happens next."""
    trainee_id = current_user.trainee_id
    page = trainee_results_page(trainee_id) if trainee_id is not None else None
    return render_template("portal/results.html", page=page)


@bp.route("/certificate")
@role_required("trainee")
def certificate():
    """The trainee's certificates, status colour and downloads."""
    return render_template("portal/certificate.html",
                           **queries.certificate_page(_trainee_id(), date.today()))


@bp.route("/certificate/<int:certificate_id>/certificate.pdf")
@role_required("trainee")
def certificate_pdf(certificate_id: int):
    """The trainee's own certificate as a PDF."""
    own = queries.own_certificate_or_404(certificate_id, current_user.trainee_id)
    return pdf.response(pdf.certificates_pdf([own]), f"certificate-{own.number}.pdf")


@bp.route("/certificate/<int:certificate_id>/card.pdf")
@role_required("trainee")
def certificate_card(certificate_id: int):
    """The trainee's own work card (上岗证) as a PDF."""
    own = queries.own_certificate_or_404(certificate_id, current_user.trainee_id)
    return pdf.response(pdf.work_card_pdf(own), f"card-{own.number}.pdf")


@bp.route("/placements")
@role_required("trainee")
def placements():
    """The jobs the trainee was placed in, with the employers' ratings."""
    trainee_id = _trainee_id()
    return render_template("portal/placements.html", placements=trainee_placements(trainee_id),
                           status=duty_status(trainee_id), today=date.today())


@bp.route("/photo", methods=["GET", "POST"])
@role_required("trainee")
def photo():
    """The trainee takes her own photo with the phone's camera (or picks one); it is checked,
    cut to 3:4 and printed on her certificate and work card."""
    trainee_id = _trainee_id()
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            set_photo(trainee_id, form.photo.data.read(), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Your photo is saved. Thank you!"), "success")
            return redirect(url_for("portal.photo"))
    return render_template("portal/photo.html", form=form,
                           **queries.photo_page(trainee_id))


@bp.route("/photo.jpg")
@role_required("trainee")
def photo_file():
    """The trainee's own photo (nobody else's: there is no id in this address)."""
    data = photos.read_photo(queries.photo_page(_trainee_id())["trainee"].photo_file)
    if data is None:
        abort(404)
    return photos.photo_response(data)


@bp.errorhandler(413)
def too_large(error):  # noqa: ARG001
    """A photo beyond the request limit goes back to its form with the photo limit."""
    if request.endpoint == "portal.photo":
        return photos.too_large_redirect()
    return render_error(413)
