"""Views of the certificates area for health certificates (健康证): record, lists, reminders."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from .. import settings, spreadsheets
from ..access import STAFF, role_required
from ..errors import DomainError
from ..extensions import db
from ..models import HealthCertificate, Trainee
from . import bp, health, services
from .forms import ActionForm, HealthForm
from .views import class_or_404


@bp.route("/health")
@role_required(*STAFF)
def health_expiring():
    """Certified workers whose health certificate expires soon, has expired or is missing."""
    today = date.today()
    lists = health.watchlist(today)
    return render_template("certificates/health.html", lists=lists, today=today,
                           warning_days=settings.health_warning_days(), reminders=[row for row in lists["expiring"] if row.reminder])


@bp.route("/health/reminders.csv")
@role_required(*STAFF)
def health_reminders_csv():
    """The reminder list (30 and 7 days before expiry) for Excel, to call or message."""
    return spreadsheets.send_csv(health.reminders_csv(health.reminders()),
                                 f"health-reminders-{date.today().isoformat()}.csv")


@bp.route("/health/new", methods=["GET", "POST"])
@role_required(*STAFF)
def health_new():
    """Record one health certificate, found by the trainee's ID number."""
    form = HealthForm()
    chosen = db.session.get(Trainee, request.args.get("trainee_id", 0, type=int))
    if request.method == "GET" and chosen is not None:
        form.trainee.data = chosen.id_number
    if form.validate_on_submit():
        try:
            person = services.find_trainee(form.trainee.data)
            entry = health.HealthEntry(person.id, form.number.data, form.issuer.data,
                                       form.issued_on.data, form.expires_on.data)
            row = health.record_health(entry, current_user)
        except DomainError as error:
            getattr(form, error.field or "number").errors.append(str(error))
        else:
            flash(_("Health certificate recorded for %(name)s, valid until %(day)s.",
                    name=person.name, day=format_date(row.expires_on)), "success")
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
    training_class = class_or_404(class_id)
    form = ActionForm()
    errors: dict[int | None, str] = {}
    if request.method == "POST" and form.validate_on_submit():
        issuer = request.form.get("issuer", "")
        default_day, default_ok = _parse_day(request.form.get("issued_on"))
        entries = []
        for trainee_id in request.form.getlist("trainee_id", type=int):
            issued_on, ok_issued = _parse_day(request.form.get(f"issued_on_{trainee_id}"))
            expires_on, ok_expires = _parse_day(request.form.get(f"expires_on_{trainee_id}"))
            number = request.form.get(f"number_{trainee_id}", "")
            if number.strip() and not (ok_issued and ok_expires and default_ok):
                errors[trainee_id] = _("A date is not a real date.")
            entries.append(health.HealthEntry(trainee_id, number,
                                              request.form.get(f"issuer_{trainee_id}") or issuer,
                                              issued_on or default_day, expires_on))
        if not errors:
            try:
                saved = health.record_health_for_class(class_id, entries, current_user)
            except DomainError as error:
                flash(str(error), "error")
                errors.update({trainee_id: message for trainee_id, message in error.details})
            else:
                flash(_("%(count)s health certificates recorded.", count=len(saved)), "success")
                return redirect(url_for("certificates.health_class", class_id=class_id))
        else:
            flash(_("Nothing was saved. Please correct the marked rows."), "error")
    return render_template("certificates/health_class.html", training_class=training_class,
                           rows=health.class_health_rows(training_class), form=form,
                           errors=errors, values=request.form if request.method == "POST" else {},
                           today=date.today())


@bp.route("/health/<int:health_id>/delete", methods=["POST"])
@role_required(*STAFF)
def health_delete(health_id: int):
    """Remove a health certificate recorded by mistake."""
    db.get_or_404(HealthCertificate, health_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    trainee_id = health.delete_health(health_id, current_user)
    flash(_("The health certificate was removed."), "success")
    return redirect(url_for("certificates.trainee", trainee_id=trainee_id))
