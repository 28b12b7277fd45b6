"""Views of the certificates area (staff): issue, revoke, review, PDFs. Health: health_views."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import STAFF, role_required
from ..errors import DomainError
from ..extensions import db
from ..models import Trainee, TrainingClass
from ..services import fitness
from . import bp, health, pdf, services
from .forms import ActionForm, HealthForm, IssueForm, ReviewForm, RevokeForm

PER_PAGE = 50


def class_or_404(class_id: int) -> TrainingClass:
    return db.get_or_404(TrainingClass, class_id)


def certificate_or_404(certificate_id: int):
    certificate = services.get_certificate(certificate_id)
    if certificate is None:
        abort(404)
    return certificate


@bp.route("/")
@role_required(*STAFF)
def index():
    """Every certificate, newest first, searchable by name, number or ID number."""
    search = request.args.get("q", "")
    track_id = request.args.get("track", type=int)
    status = request.args.get("status", "")
    page = db.paginate(services.certificate_query(search, track_id, status), per_page=PER_PAGE,
                       error_out=False)
    duty = fitness.duty_statuses(c.trainee_id for c in page.items)
    return render_template("certificates/index.html", page=page, duty=duty, search=search,
                           track_id=track_id, status=status, tracks=services.tracks(),
                           flagged=services.count_flagged())


@bp.route("/review")
@role_required(*STAFF)
def review():
    """Certificates whose result was corrected to a fail: revoke or keep with a note."""
    return render_template("certificates/review.html", certificates=services.review_queue(),
                           revoke_form=RevokeForm(), review_form=ReviewForm())


@bp.route("/classes")
@role_required(*STAFF)
def classes():
    """Classes with published results, to issue certificates and record health certificates."""
    return render_template("certificates/classes.html", classes=services.certificate_classes())


@bp.route("/classes/<int:class_id>")
@role_required(*STAFF)
def class_view(class_id: int):
    """A class's trainees: passed or not, certificate, fit-for-duty status; issue buttons."""
    training_class = class_or_404(class_id)
    rows = services.class_rows(training_class)
    return render_template("certificates/class.html", training_class=training_class, rows=rows,
                           form=ActionForm(), waiting=sum(row.can_issue for row in rows),
                           certified=sum(row.certificate is not None for row in rows))


@bp.route("/issue", methods=["POST"])
@role_required(*STAFF)
def issue():
    """Issue a certificate to one passed trainee."""
    form = IssueForm()
    back = request.form.get("back", "")
    target = back if back.startswith("/certificates/") else url_for("certificates.index")
    if not form.validate_on_submit() or not form.enrolment_id.data.isdigit():
        flash(_("Choose the trainee to issue a certificate to."), "error")
        return redirect(target)
    try:
        certificate = services.issue_certificate(int(form.enrolment_id.data), current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(target)
    flash(_("Certificate %(number)s issued to %(name)s.", number=certificate.number,
            name=certificate.trainee.name), "success")
    return redirect(url_for("certificates.detail", certificate_id=certificate.id))


@bp.route("/classes/<int:class_id>/issue", methods=["POST"])
@role_required(*STAFF)
def issue_class(class_id: int):
    """Issue certificates to every passed trainee of a class who has none yet."""
    class_or_404(class_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        issued = services.issue_for_class(class_id, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(count)s certificates issued.", count=len(issued)), "success")
    return redirect(url_for("certificates.class_view", class_id=class_id))


@bp.route("/classes/<int:class_id>/certificates.pdf")
@role_required(*STAFF)
def class_pdf(class_id: int):
    """One PDF with the standing certificates of a whole class, to print at once."""
    training_class = class_or_404(class_id)
    certificates = services.certificates_for_class(training_class)
    if not certificates:
        flash(_("No certificate has been issued in this class yet."), "error")
        return redirect(url_for("certificates.class_view", class_id=class_id))
    return pdf.response(pdf.certificates_pdf(certificates), f"certificates-{training_class.code}.pdf")


@bp.route("/<int:certificate_id>")
@role_required(*STAFF)
def detail(certificate_id: int):
    """One certificate: what it says, its status, lookups, and the revoke / review actions."""
    certificate = certificate_or_404(certificate_id)
    return render_template(
        "certificates/detail.html", certificate=certificate,
        duty=fitness.duty_status(certificate.trainee_id),
        lookups=services.recent_lookups(certificate.id),
        revoke_form=RevokeForm(), review_form=ReviewForm(), verify_url=pdf.verify_url(certificate))


@bp.route("/<int:certificate_id>/revoke", methods=["POST"])
@role_required(*STAFF)
def revoke(certificate_id: int):
    """Revoke a certificate with a reason."""
    certificate_or_404(certificate_id)
    form = RevokeForm()
    back = url_for("certificates.detail", certificate_id=certificate_id)
    if not form.validate_on_submit():
        for error in form.reason.errors:
            flash(error, "error")
        return redirect(back)
    try:
        services.revoke_certificate(certificate_id, form.reason.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("The certificate is revoked. The public verify page shows it as revoked now."), "success")
    return redirect(back)


@bp.route("/<int:certificate_id>/review", methods=["POST"])
@role_required(*STAFF)
def clear_review(certificate_id: int):
    """Keep a flagged certificate: clear the flag with a note."""
    certificate_or_404(certificate_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        for error in form.note.errors:
            flash(error, "error")
        return redirect(url_for("certificates.review"))
    try:
        services.clear_review(certificate_id, form.note.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("certificates.review"))
    flash(_("The flag is cleared; the certificate stands."), "success")
    return redirect(url_for("certificates.review"))


@bp.route("/<int:certificate_id>/certificate.pdf")
@role_required(*STAFF)
def certificate_pdf(certificate_id: int):
    """The certificate as an A4 landscape PDF."""
    certificate = certificate_or_404(certificate_id)
    return pdf.response(pdf.certificates_pdf([certificate]), f"certificate-{certificate.number}.pdf")


@bp.route("/<int:certificate_id>/card.pdf")
@role_required(*STAFF)
def card_pdf(certificate_id: int):
    """The work card (上岗证) at card size."""
    certificate = certificate_or_404(certificate_id)
    return pdf.response(pdf.work_card_pdf(certificate), f"card-{certificate.number}.pdf")


@bp.route("/trainees/<int:trainee_id>")
@role_required(*STAFF)
def trainee(trainee_id: int):
    """A trainee's certificates, health certificates and fit-for-duty status."""
    person = db.get_or_404(Trainee, trainee_id)
    form = HealthForm(trainee=person.id_number)
    return render_template("certificates/trainee.html", trainee=person,
                           certificates=services.trainee_certificates(trainee_id),
                           health_rows=health.trainee_health(trainee_id),
                           duty=fitness.duty_status(trainee_id), form=form)
