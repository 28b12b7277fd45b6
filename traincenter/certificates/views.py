"""Views of the certificates area (staff): issue, revoke, review, PDFs, health certificates."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import settings, spreadsheets
from ..access import STAFF, role_required
from ..errors import DomainError
from ..forms import ConfirmForm, show_error
from ..i18n import show_date
from ..params import arg_choice, arg_int, arg_page, arg_text, arg_year, form_ints, parse_int
from ..printing import pdf_response
from ..services import catalog, fitness
from ..web import safe_next
from . import bp, clearances, operations, pdf, queries, watchlist
from .forms import BackgroundForm, HealthForm, InsuranceForm, IssueForm, ReviewForm, RevokeForm

# --- certificates ---------------------------------------------------------------------------------


@bp.route("/")
@role_required(*STAFF)
def index():
    """Every certificate, newest first, searchable by name, number or ID number."""
    search, track_id, year = arg_text("q"), arg_int("track"), arg_year("year")
    status = arg_choice("status", queries.CERTIFICATE_STATUSES)
    page, duty = queries.certificate_page(search, track_id, status, arg_page(), year)
    return render_template("certificates/index.html", page=page, duty=duty, search=search,
                           track_id=track_id, status=status, tracks=catalog.all_tracks(),
                           year=year, years=queries.certificate_years(),
                           flagged=queries.count_flagged())


@bp.route("/review")
@role_required(*STAFF)
def review():
    """Certificates whose result was corrected to a fail: revoke or keep with a note."""
    return render_template("certificates/review.html", certificates=queries.review_queue(),
                           revoke_form=RevokeForm(), review_form=ReviewForm())


@bp.route("/classes")
@role_required(*STAFF)
def classes():
    """Classes with published results, to issue certificates and record health certificates."""
    search = arg_text("q")
    return render_template("certificates/classes.html", search=search,
                           page=queries.certificate_classes(search, arg_page()))


@bp.route("/classes/<int:class_id>")
@role_required(*STAFF)
def class_view(class_id: int):
    """A class's trainees: passed or not, certificate, fit-for-duty status; issue buttons."""
    training_class = queries.class_or_404(class_id)
    rows = queries.class_rows(training_class)
    return render_template("certificates/class.html", training_class=training_class, rows=rows,
                           form=ConfirmForm(), waiting=sum(row.can_issue for row in rows),
                           certified=sum(row.certificate is not None for row in rows))


@bp.route("/issue", methods=["POST"])
@role_required(*STAFF)
def issue():
    """Issue a certificate to one passed trainee."""
    form = IssueForm()
    back = safe_next(request.form.get("back")) or ""
    target = back if back.startswith("/certificates/") else url_for("certificates.index")
    enrolment_id = parse_int(form.enrolment_id.data, minimum=1)
    if not form.validate_on_submit() or enrolment_id is None:
        flash(_("Choose the trainee to issue a certificate to."), "error")
        return redirect(target)
    try:
        certificate = operations.issue_certificate(enrolment_id, current_user)
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
    queries.class_or_404(class_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        issued = operations.issue_for_class(class_id, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(count)s certificates issued.", count=len(issued)), "success")
    return redirect(url_for("certificates.class_view", class_id=class_id))


@bp.route("/classes/<int:class_id>/certificates.pdf")
@role_required(*STAFF)
def class_pdf(class_id: int):
    """One PDF with the standing certificates of a whole class, to print at once."""
    training_class = queries.class_or_404(class_id)
    certificates = queries.certificates_for_class(training_class)
    if not certificates:
        flash(_("No certificate has been issued in this class yet."), "error")
        return redirect(url_for("certificates.class_view", class_id=class_id))
    return pdf_response(pdf.certificates_pdf(certificates), f"certificates-{training_class.code}.pdf")


@bp.route("/<int:certificate_id>")
@role_required(*STAFF)
def detail(certificate_id: int):
    """One certificate: what it says, its status, lookups, and the revoke / review actions."""
    certificate = queries.certificate_or_404(certificate_id)
    return render_template(
        "certificates/detail.html", certificate=certificate,
        duty=fitness.duty_status(certificate.trainee_id),
        lookups=queries.recent_lookups(certificate.id),
        revoke_form=RevokeForm(), review_form=ReviewForm(), verify_url=pdf.verify_url(certificate))


@bp.route("/<int:certificate_id>/revoke", methods=["POST"])
@role_required(*STAFF)
def revoke(certificate_id: int):
    """Revoke a certificate with a reason."""
    queries.certificate_or_404(certificate_id)
    form = RevokeForm()
    back = url_for("certificates.detail", certificate_id=certificate_id)
    if not form.validate_on_submit():
        for error in form.reason.errors:
            flash(error, "error")
        return redirect(back)
    try:
        operations.revoke_certificate(certificate_id, form.reason.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("The certificate is revoked. The public verify page shows it as revoked now."), "success")
    return redirect(back)


@bp.route("/<int:certificate_id>/review", methods=["POST"])
@role_required(*STAFF)
def clear_review(certificate_id: int):
    """Keep a flagged certificate: clear the flag with a note."""
    queries.certificate_or_404(certificate_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        for error in form.note.errors:
            flash(error, "error")
        return redirect(url_for("certificates.review"))
    try:
        operations.clear_review(certificate_id, form.note.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("certificates.review"))
    flash(_("The flag is cleared; the certificate stands."), "success")
    return redirect(url_for("certificates.review"))


@bp.route("/<int:certificate_id>/certificate.pdf")
@role_required(*STAFF)
def certificate_pdf(certificate_id: int):
    """The certificate as an A4 landscape PDF."""
    certificate = queries.certificate_or_404(certificate_id)
    return pdf_response(pdf.certificates_pdf([certificate]), f"certificate-{certificate.number}.pdf")


@bp.route("/<int:certificate_id>/card.pdf")
@role_required(*STAFF)
def card_pdf(certificate_id: int):
    """The work card (上岗证) at card size."""
    certificate = queries.certificate_or_404(certificate_id)
    return pdf_response(pdf.work_card_pdf(certificate), f"card-{certificate.number}.pdf")


@bp.route("/trainees/<int:trainee_id>")
@role_required(*STAFF)
def trainee(trainee_id: int):
    """A trainee's certificates, health certificates and fit-for-duty status."""
    person = queries.trainee_or_404(trainee_id)
    form = HealthForm(trainee=person.id_number)
    return render_template("certificates/trainee.html", trainee=person,
                           certificates=queries.trainee_certificates(trainee_id),
                           health_rows=queries.trainee_health(trainee_id),
                           background_rows=queries.trainee_background(trainee_id),
                           insurance_rows=queries.trainee_insurance(trainee_id),
                           duty=fitness.duty_status(trainee_id), form=form, today=date.today())


# --- health certificates (健康证): record, lists, reminders ------------------------------------------


@bp.route("/health")
@role_required(*STAFF)
def health_expiring():
    """Certified workers whose health certificate expires soon, has expired or is missing."""
    today, search = date.today(), arg_text("q")
    state = arg_choice("state", watchlist.HEALTH_STATES, "reminders")
    return render_template("certificates/health.html", today=today, state=state, search=search,
                           warning_days=settings.health_warning_days(),
                           counts=watchlist.watch_counts(today, search),
                           page=watchlist.watch_page(state, arg_page(), today, search))


@bp.route("/health/reminders.csv")
@role_required(*STAFF)
def health_reminders_csv():
    """The reminder list (30 and 7 days before expiry) for Excel, to call or message."""
    return spreadsheets.send_csv(watchlist.reminders_csv(watchlist.reminders()),
                                 f"health-reminders-{date.today().isoformat()}.csv")


@bp.route("/health/new", methods=["GET", "POST"])
@role_required(*STAFF)
def health_new():
    """Record one health certificate, found by the trainee's ID number."""
    form = HealthForm()
    chosen = queries.trainee_or_none(arg_int("trainee_id"))
    if request.method == "GET" and chosen is not None:
        form.trainee.data = chosen.id_number
    if form.validate_on_submit():
        try:
            person = queries.find_trainee(form.trainee.data)
            entry = operations.HealthEntry(person.id, form.number.data, form.issuer.data,
                                           form.issued_on.data, form.expires_on.data)
            row = operations.record_health(entry, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Health certificate recorded for %(name)s, valid until %(day)s.",
                    name=person.name, day=show_date(row.expires_on)), "success")
            return redirect(url_for("certificates.trainee", trainee_id=person.id))
    return render_template("certificates/health_new.html", form=form, chosen=chosen)


def _parse_day(text: str | None) -> tuple[date | None, bool]:
    """(date or None, ok): an empty cell is None and ok; a malformed one is not ok."""
    text = (text or "").strip()
    if not text:
        return None, True
    try:
        return date.fromisoformat(text), True
    except ValueError:
        return None, False


@bp.route("/classes/<int:class_id>/health", methods=["GET", "POST"])
@role_required(*STAFF)
def health_class(class_id: int):
    """Record the health certificates of a whole class on one screen (all rows or none)."""
    training_class = queries.class_or_404(class_id)
    form = ConfirmForm()
    errors: dict[int | None, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        issuer = request.form.get("issuer", "")
        default_day, default_ok = _parse_day(request.form.get("issued_on"))
        entries = []
        for trainee_id in form_ints("trainee_id"):
            issued_on, ok_issued = _parse_day(request.form.get(f"issued_on_{trainee_id}"))
            expires_on, ok_expires = _parse_day(request.form.get(f"expires_on_{trainee_id}"))
            number = request.form.get(f"number_{trainee_id}", "")
            if number.strip() and not (ok_issued and ok_expires and default_ok):
                errors[trainee_id] = _("A date is not a real date.")
            entries.append(operations.HealthEntry(
                trainee_id, number, request.form.get(f"issuer_{trainee_id}") or issuer,
                issued_on or default_day, expires_on))
        if not errors:
            try:
                saved = operations.record_health_for_class(class_id, entries, current_user)
            except DomainError as error:
                flash(str(error), "error")
                errors.update({trainee_id: message for trainee_id, message in error.details})
            else:
                flash(_("%(count)s health certificates recorded.", count=len(saved)), "success")
                return redirect(url_for("certificates.health_class", class_id=class_id))
        else:
            flash(_("Nothing was saved. Please correct the marked rows."), "error")
    return render_template("certificates/health_class.html", training_class=training_class,
                           rows=queries.class_health_rows(training_class), form=form,
                           errors=errors, values=request.form if request.method == "POST" else {},
                           today=date.today())


@bp.route("/health/<int:health_id>/delete", methods=["POST"])
@role_required(*STAFF)
def health_delete(health_id: int):
    """Remove a health certificate recorded by mistake."""
    queries.health_certificate_or_404(health_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    trainee_id = operations.delete_health(health_id, current_user)
    flash(_("The health certificate was removed."), "success")
    return redirect(url_for("certificates.trainee", trainee_id=trainee_id))


# --- background checks (背景核查) and liability insurance (从业责任保险) ------------------------------


@bp.route("/trainees/<int:trainee_id>/background", methods=["GET", "POST"])
@role_required(*STAFF)
def background_new(trainee_id: int):
    """Record a background check of a trainee."""
    person = queries.trainee_or_404(trainee_id)
    form = BackgroundForm()
    if form.validate_on_submit():
        entry = clearances.BackgroundEntry(
            person.id, form.status.data, form.checked_on.data, form.valid_until.data,
            form.reference.data, form.issuer.data, form.note.data)
        try:
            clearances.record_background(entry, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Background check recorded for %(name)s.", name=person.name), "success")
            return redirect(url_for("certificates.trainee", trainee_id=person.id))
    return render_template("certificates/background_new.html", form=form, trainee=person)


@bp.route("/trainees/<int:trainee_id>/insurance", methods=["GET", "POST"])
@role_required(*STAFF)
def insurance_new(trainee_id: int):
    """Record a liability insurance policy of a trainee."""
    person = queries.trainee_or_404(trainee_id)
    form = InsuranceForm()
    if form.validate_on_submit():
        entry = clearances.InsuranceEntry(person.id, form.insurer.data, form.policy_number.data,
                                          form.starts_on.data, form.expires_on.data)
        try:
            row = clearances.record_insurance(entry, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Insurance recorded for %(name)s, valid until %(day)s.", name=person.name,
                    day=show_date(row.expires_on)), "success")
            return redirect(url_for("certificates.trainee", trainee_id=person.id))
    return render_template("certificates/insurance_new.html", form=form, trainee=person)


@bp.route("/background/<int:check_id>/delete", methods=["POST"])
@role_required(*STAFF)
def background_delete(check_id: int):
    """Remove a background check recorded by mistake."""
    queries.background_or_404(check_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    trainee_id = clearances.delete_background(check_id, current_user)
    flash(_("The background check was removed."), "success")
    return redirect(url_for("certificates.trainee", trainee_id=trainee_id))


@bp.route("/insurance/<int:policy_id>/delete", methods=["POST"])
@role_required(*STAFF)
def insurance_delete(policy_id: int):
    """Remove an insurance policy recorded by mistake."""
    queries.insurance_or_404(policy_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    trainee_id = clearances.delete_insurance(policy_id, current_user)
    flash(_("The insurance policy was removed."), "success")
    return redirect(url_for("certificates.trainee", trainee_id=trainee_id))


@bp.route("/insurance")
@role_required(*STAFF)
def insurance_expiring():
    """Certified workers whose liability insurance expires soon or has expired; reminders."""
    today = date.today()
    lists = watchlist.insurance_watchlist(today)
    return render_template("certificates/insurance.html", lists=lists, today=today,
                           warning_days=settings.health_warning_days(),
                           reminders=[row for row in lists["expiring"] if row.reminder])


@bp.route("/insurance/reminders.csv")
@role_required(*STAFF)
def insurance_reminders_csv():
    """The insurance reminder list (30 and 7 days before it ends) for Excel."""
    return spreadsheets.send_csv(
        watchlist.insurance_reminders_csv(watchlist.insurance_reminders()),
        f"insurance-reminders-{date.today().isoformat()}.csv")
