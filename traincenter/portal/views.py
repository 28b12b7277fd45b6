"""The trainee's pages: home, hours (with the self-study log), results, certificate, jobs."""

from __future__ import annotations

import io
import time
from datetime import date

from flask import abort, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from .. import images, rules, settings
from ..access import role_required
from ..certificates import pdf
from ..errors import DomainError
from ..exams.queries import trainee_results_page
from ..extensions import limiter
from ..forms import show_error
from ..placement.queries import trainee_placements
from ..printing import pdf_response
from ..services.fitness import duty_status
from ..services.progress import eligibility_for
from ..services.standing import exam_standings
from ..trainees import photos
from ..trainees.forms import PhotoForm
from ..trainees.operations import set_photo
from ..training.forms import CheckInForm, SelfStudyPhotoForm
from ..training.operations import (
    PHOTO_KIND,
    CheckInRefused,
    Scan,
    check_in,
    check_scan,
    log_self_study,
)
from ..training.queries import current_enrolments, logs_of, session_or_404
from ..web import render_error
from . import bp, queries

TICKET_KEY = "checkin_scan"  # a good scan, kept in the session cookie while she logs in


def _trainee_id() -> int:
    """The logged-in trainee's record (an account without one has no portal pages)."""
    if current_user.trainee_id is None:
        abort(404)
    return current_user.trainee_id


@bp.route("/")
@role_required("trainee")
def home():
    """Hours, the latest result, the next step and the work status at a glance."""
    return render_template("portal/home.html", **queries.overview(_trainee_id(), date.today()),
                           checkins=queries.open_checkins(_trainee_id(), settings.local_now()))


@bp.route("/hours", methods=["GET", "POST"])
@role_required("trainee")
def hours():
    """Classroom, self-study and total hours against the class's minimums; log self-study."""
    enrolments = current_enrolments(_trainee_id())
    form = SelfStudyPhotoForm()
    if not form.is_submitted():
        form.studied_on.data = date.today()
    if form.validate_on_submit():
        wanted = request.form.get("enrolment", "")
        enrolment = next((e for e in enrolments if str(e.id) == wanted), None)
        if enrolment is None:
            abort(404)
        upload = form.photo.data
        photo = upload.read() if upload and upload.filename else None
        try:
            log_self_study(enrolment, form.studied_on.data, float(form.hours.data),
                           form.content.data, current_user, photo=photo)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved. Your teacher will check it; the hours count once verified."),
                  "success")
            return redirect(url_for("portal.hours"))
    return render_template("portal/hours.html", enrolments=enrolments,
                           eligibility=eligibility_for(enrolments),
                           standings=exam_standings(enrolments),
                           logs=logs_of([e.id for e in enrolments]), form=form,
                           max_per_day=settings.self_study_max_hours_per_day(),
                           photo_limits=settings.photo_limits())


@bp.route("/hours/photo/<int:log_id>")
@role_required("trainee")
def self_study_photo(log_id: int):
    """The photo of one of her own self-study entries (404 for anyone else's)."""
    log = queries.own_log_or_404(log_id, current_user.trainee_id)
    path = images.photo_path(PHOTO_KIND, log.photo)
    if path is None:
        abort(404)
    return send_file(io.BytesIO(path.read_bytes()), mimetype="image/jpeg", max_age=0)


# ---------------------------------------------------------------------------------------------
# QR check-in
# ---------------------------------------------------------------------------------------------


def _account_or_address() -> str:
    """Rate-limit key: the logged-in account, else the network address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


@bp.route("/checkin/<int:session_id>/scan")
@limiter.limit(lambda: settings.checkin_scan_rate_limit())
def checkin_scan(session_id: int):
    """What the projector's QR code opens (no login needed yet): the code and the window are
    judged now; a good scan is kept in the session while she logs in, then she confirms."""
    training_session = session_or_404(session_id)
    scan = Scan(code=request.args.get("c", "")[:20], scanned_at=time.time())
    try:
        check_scan(training_session, scan)
    except CheckInRefused as refusal:
        return render_template("portal/checkin.html", session=training_session,
                               refusal=refusal, page=None, form=None)
    session[TICKET_KEY] = {"session": session_id, "code": scan.code, "at": scan.scanned_at}
    return redirect(url_for("portal.checkin", session_id=session_id))


def _ticket(session_id: int) -> Scan | None:
    """The scan kept for this session, while it may still be confirmed."""
    kept = session.get(TICKET_KEY)
    if not isinstance(kept, dict) or kept.get("session") != session_id:
        return None
    try:
        scan = Scan(code=str(kept["code"]), scanned_at=float(kept["at"]))
    except (KeyError, TypeError, ValueError):
        return None
    return scan if rules.ticket_valid(scan.scanned_at, time.time()) else None


@bp.route("/checkin/<int:session_id>", methods=["GET", "POST"])
@role_required("trainee")
@limiter.limit(lambda: settings.checkin_code_rate_limit(), methods=["POST"],
               key_func=_account_or_address)
def checkin(session_id: int):
    """Check in for a session: confirm the scan, or type the six digits from the screen."""
    training_session = session_or_404(session_id)
    form = CheckInForm()
    ticket = _ticket(session_id)
    if form.validate_on_submit():
        typed = rules.normalise_code(form.code.data)
        scan = Scan(typed, time.time()) if typed else ticket
        if scan is None:
            form.code.errors = [_("Type the six digits shown under the QR code.")]
        else:
            session.pop(TICKET_KEY, None)
            try:
                check_in(training_session, current_user, scan, time.time())
            except CheckInRefused as refusal:
                # Not in the class: said in plain words, with 403 (it is someone else's class).
                return render_template("portal/checkin.html", session=training_session,
                                       refusal=refusal, form=form, ticket=None,
                                       page=queries.checkin_page(training_session,
                                                                 _trainee_id())), (
                    403 if refusal.code == "not_in_class" else 200)
            return redirect(url_for("portal.checkin", session_id=session_id))
    page = queries.checkin_page(training_session, _trainee_id())
    return render_template("portal/checkin.html", session=training_session, refusal=None,
                           form=form, ticket=ticket, page=page), (
        200 if page["enrolment"] is not None or page["record"] is not None else 403)


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
    return pdf_response(pdf.certificates_pdf([own]), f"certificate-{own.number}.pdf")


@bp.route("/certificate/<int:certificate_id>/card.pdf")
@role_required("trainee")
def certificate_card(certificate_id: int):
    """The trainee's own work card (上岗证) as a PDF."""
    own = queries.own_certificate_or_404(certificate_id, current_user.trainee_id)
    return pdf_response(pdf.work_card_pdf(own), f"card-{own.number}.pdf")


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
