"""Views of the training area (thin: parse, call one operation or query, render or redirect)."""

import io
import time
from datetime import date
from decimal import Decimal

from flask import abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from .. import addresses, images, settings
from ..access import STAFF, TEACHING, require_class_access, role_required
from ..errors import DomainError
from ..forms import ConfirmForm, show_error
from ..i18n import label
from ..models import TrainingClass
from ..models.training import CLASS_KINDS
from ..params import arg_choice, arg_int, arg_page, arg_text, arg_year, form_ints
from ..printing import qr_png
from ..services import catalog
from ..web import safe_next
from . import bp, operations, queries
from .forms import (
    CatalogDeleteForm,
    CatalogStatusForm,
    ClassForm,
    EnrolForm,
    EnrolmentForm,
    ModuleEditForm,
    ModuleForm,
    RejectForm,
    SelfStudyForm,
    SessionForm,
    TrackEditForm,
    TrackForm,
    register_marks,
)


def _class(class_id: int) -> TrainingClass:
    training_class = queries.get_class(class_id)
    require_class_access(current_user, training_class)
    return training_class


# ---------------------------------------------------------------------------------------------
# Classes
# ---------------------------------------------------------------------------------------------


@bp.route("/classes")
@role_required(*TEACHING)
def classes():
    """Classes (instructors: only their own) with enrolment counts: paged, filtered."""
    filters = queries.ClassFilters(
        q=arg_text("q"), track_id=arg_int("track"), kind=arg_choice("kind", CLASS_KINDS),
        state=arg_choice("state", queries.CLASS_STATES), year=arg_year("year"))
    return render_template("training/classes.html", filters=filters, tracks=catalog.all_tracks(),
                           page=queries.class_list(current_user, filters, arg_page()))


def _class_form(training_class=None):
    tracks, instructors = queries.class_form_choices()
    form = ClassForm(obj=training_class, tracks=tracks, instructors=instructors)
    if training_class is not None and not form.is_submitted():
        form.instructors.data = [u.id for u in training_class.instructors]
    return form


@bp.route("/classes/new", methods=["GET", "POST"])
@role_required(*STAFF)
def class_create():
    """Open a class."""
    form = _class_form()
    if not form.is_submitted():
        form.fee.data = Decimal(str(settings.default_fee()))
    if form.validate_on_submit():
        try:
            created = operations.save_class(form.values(), form.instructors.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Class %(code)s opened.", code=created.code), "success")
            return redirect(url_for("training.class_detail", class_id=created.id))
    return render_template("training/class_form.html", form=form, training_class=None)


@bp.route("/classes/<int:class_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def class_edit(class_id: int):
    """Change a class's details, requirements and instructors."""
    training_class = _class(class_id)
    form = _class_form(training_class)
    if form.validate_on_submit():
        try:
            operations.save_class(form.values(), form.instructors.data, current_user,
                                  training_class)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("training.class_detail", class_id=class_id))
    return render_template("training/class_form.html", form=form, training_class=training_class)


@bp.route("/classes/<int:class_id>")
@role_required(*TEACHING)
def class_detail(class_id: int):
    """The class roster: everyone's progress, who may sit the exam, what the others miss."""
    training_class = _class(class_id)
    search = arg_text("q")
    return render_template("training/class_detail.html", training_class=training_class,
                           search=search, enrol_form=EnrolForm(), today=date.today(),
                           **queries.class_page(training_class, search, current_user))


@bp.route("/classes/<int:class_id>/enrol", methods=["POST"])
@role_required(*STAFF)
def enrol(class_id: int):
    """Enrol one trainee, picked from the search or typed as an ID number."""
    training_class = _class(class_id)
    form = EnrolForm()
    if form.validate_on_submit():
        trainee = queries.trainee_to_enrol(form.trainee_id.data, form.id_number.data)
        if trainee is None:
            flash(_("No trainee with that ID number is registered. Register the trainee first."),
                  "error")
        else:
            try:
                operations.enrol_trainee(training_class, trainee, current_user,
                                         fee_payer=form.fee_payer.data)
            except DomainError as error:
                flash(str(error), "error")
            else:
                flash(_("%(name)s enrolled.", name=trainee.name), "success")
    return redirect(url_for("training.class_detail", class_id=class_id))


@bp.route("/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def enrolment_edit(enrolment_id: int):
    """Fee, who pays, employment-agreement date, withdrawal."""
    enrolment = queries.enrolment_or_404(enrolment_id)
    form = EnrolmentForm(obj=enrolment)
    if form.validate_on_submit():
        try:
            operations.update_enrolment(
                enrolment, current_user, fee_payer=form.fee_payer.data,
                fee_amount=float(form.fee_amount.data),
                employment_agreement_on=form.employment_agreement_on.data,
                withdraw=form.withdraw.data, reason=form.reason.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("training.class_detail", class_id=enrolment.class_id))
    return render_template("training/enrolment_form.html", form=form, enrolment=enrolment)


# ---------------------------------------------------------------------------------------------
# Sessions and attendance
# ---------------------------------------------------------------------------------------------


@bp.route("/classes/<int:class_id>/sessions/new", methods=["GET", "POST"])
@role_required(*TEACHING)
def session_create(class_id: int):
    """Schedule a session against a module."""
    training_class = _class(class_id)
    modules = queries.list_modules(active_only=True)
    form = SessionForm(modules=modules)
    if not form.is_submitted():
        form.held_on.data = max(training_class.starts_on,
                                min(training_class.ends_on, date.today()))
    if form.validate_on_submit():
        try:
            created = operations.schedule_session(training_class, form.values(), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Session scheduled."), "success")
            return redirect(url_for("training.attendance_register", session_id=created.id))
    return render_template("training/session_form.html", form=form,
                           training_class=training_class, modules=modules)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@role_required(*TEACHING)
def attendance_register(session_id: int):
    """The attendance register: the whole class on one screen, saved in one submit."""
    session = queries.session_or_404(session_id)
    require_class_access(current_user, session.training_class)
    form = ConfirmForm()
    if form.validate_on_submit():
        statuses, notes = register_marks(request.form)
        try:
            saved = operations.save_register(session, statuses, notes, current_user)
        except DomainError as error:
            flash(str(error), "error")
            return render_template("training/attendance.html", session=session,
                                   lines=queries.register(session), form=form,
                                   submitted=statuses, submitted_notes=notes), 400
        flash(_("Attendance saved for %(n)s trainees.", n=saved), "success")
        return redirect(url_for("training.attendance_register", session_id=session_id))
    return render_template("training/attendance.html", session=session,
                           lines=queries.register(session), form=form, submitted={},
                           submitted_notes={})


# ---------------------------------------------------------------------------------------------
# QR check-in: the projector screen, its live state, its code, closing the check-in
# ---------------------------------------------------------------------------------------------


def _session(session_id: int):
    session = queries.session_or_404(session_id)
    require_class_access(current_user, session.training_class)
    return session


@bp.route("/sessions/<int:session_id>/checkin")
@role_required(*TEACHING)
def checkin_screen(session_id: int):
    """The projector screen: a QR code that changes every 30 s and the list filling live."""
    board = queries.checkin_board(_session(session_id), time.time())
    return render_template("training/checkin.html", board=board, state=_board_json(board),
                           form=ConfirmForm())


@bp.route("/sessions/<int:session_id>/checkin/state.json")
@role_required(*TEACHING)
def checkin_state(session_id: int):
    """What the projector screen polls: the current code and who has checked in."""
    return jsonify(_board_json(queries.checkin_board(_session(session_id), time.time())))


@bp.route("/sessions/<int:session_id>/checkin/qr.png")
@role_required(*TEACHING)
def checkin_qr(session_id: int):
    """The QR code of the current code (404 while check-in is not open)."""
    session = _session(session_id)
    board = queries.checkin_board(session, time.time())
    if board["code"] is None:
        abort(404)
    return send_file(qr_png(_scan_url(session.id, board["code"])), mimetype="image/png",
                     max_age=0)


@bp.route("/sessions/<int:session_id>/checkin/close", methods=["POST"])
@role_required(*TEACHING)
def checkin_close(session_id: int):
    """Mark everyone who has not checked in absent; then the register for corrections."""
    session = _session(session_id)
    if ConfirmForm().validate_on_submit():
        try:
            count = operations.close_checkin(session, current_user)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("Check-in closed: %(n)s trainees without a check-in were marked absent. "
                    "Correct any mark below.", n=count), "success")
    return redirect(url_for("training.attendance_register", session_id=session_id))


def _scan_url(session_id: int, code: str) -> str:
    """What the QR code opens: the public address of the scan, with the code."""
    return addresses.public_base_url() + url_for("portal.checkin_scan", session_id=session_id,
                                                c=code)


def _board_json(board: dict) -> dict:
    """The projector screen's state as JSON (also rendered into the page for its first paint)."""
    window = board["window"]

    def row(line) -> dict:
        record = line["record"]
        moment = (record.scanned_at or record.recorded_at) if record else None
        return {"id": line["enrolment"].id, "name": line["trainee"].name,
                "status": record.status if record else None,
                "status_label": label("attendance", record.status) if record else "",
                "time": format_time(moment, "HH:mm") if moment else "",
                "method": label("checkin_method", record.method) if record else "",
                "method_code": record.method if record else None}

    clock = {key: format_time(getattr(window, key), "HH:mm", rebase=False)
             for key in ("opens", "starts", "late_from", "closes")}
    code = board["code"]
    return {
        "state": board["state"], "code": code, "step": board["step"],
        "seconds_left": board["seconds_left"], "clock": clock,
        "qr": url_for("training.checkin_qr", session_id=board["session"].id,
                      step=board["step"]) if code else None,
        "arrived": [row(line) for line in board["arrived"]],
        "waiting": [row(line) for line in board["waiting"]],
        "others": [row(line) for line in board["others"]],
        "total": board["total"],
    }


# ---------------------------------------------------------------------------------------------
# Course modules
# ---------------------------------------------------------------------------------------------


@bp.route("/modules", methods=["GET", "POST"])
@role_required(*STAFF)
def modules():
    """The course catalogue; staff add modules."""
    form = ModuleForm()
    if form.validate_on_submit():
        try:
            operations.add_module(form.name.data, form.is_compulsory.data,
                                float(form.suggested_hours.data) if form.suggested_hours.data else None,
                                form.description.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Module added."), "success")
            return redirect(url_for("training.modules"))
    return render_template("training/modules.html", form=form, seed_form=ConfirmForm(),
                           **queries.modules_page())


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_module(module_id: int):
    """Change a module; retire it, or delete it while no session uses it."""
    module = queries.module_or_404(module_id)
    form = ModuleEditForm(obj=module)
    if form.validate_on_submit():
        data = {key: getattr(form, key).data for key in operations.catalog.MODULE_FIELDS}
        try:
            operations.update_module(module, data, form.reason.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The module was changed."), "success")
            return redirect(url_for("training.modules"))
    return render_template("training/module_edit.html", module=module, form=form,
                           status_form=CatalogStatusForm(), delete_form=CatalogDeleteForm(),
                           uses=queries.module_uses([module.id])[module.id])


@bp.route("/modules/<int:module_id>/status", methods=["POST"])
@role_required(*STAFF)
def module_status(module_id: int):
    """Retire a module or take it back into use."""
    module = queries.module_or_404(module_id)
    form = CatalogStatusForm()
    if form.validate_on_submit():
        active = request.form.get("action") == "restore"
        try:
            operations.set_module_active(module, active, form.reason.data, current_user)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("The module is offered again.") if active else
                  _("The module is retired: new sessions can no longer use it."), "success")
    return redirect(url_for("training.modules"))


@bp.route("/modules/<int:module_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_module(module_id: int):
    """Delete a module made by mistake (never one that sessions use)."""
    module = queries.module_or_404(module_id)
    form = CatalogDeleteForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the deletion."), "error")
        return redirect(url_for("training.edit_module", module_id=module.id))
    try:
        operations.delete_module(module, form.reason.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("training.edit_module", module_id=module_id))
    flash(_("The module was deleted."), "success")
    return redirect(url_for("training.modules"))


# ---------------------------------------------------------------------------------------------
# Tracks (专业方向)
# ---------------------------------------------------------------------------------------------


@bp.route("/tracks", methods=["GET", "POST"])
@role_required(*STAFF)
def tracks():
    """The tracks; staff add one."""
    form = TrackForm()
    if form.validate_on_submit():
        try:
            operations.create_track(form.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Track added."), "success")
            return redirect(url_for("training.tracks"))
    return render_template("training/tracks.html", form=form, **queries.tracks_page())


@bp.route("/tracks/<int:track_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_track(track_id: int):
    """Change a track; retire it, or delete it while nothing uses it."""
    track = queries.track_or_404(track_id)
    form = TrackEditForm(obj=track)
    if form.validate_on_submit():
        try:
            operations.update_track(track, form.data, form.reason.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The track was changed."), "success")
            return redirect(url_for("training.tracks"))
    return render_template("training/track_edit.html", track=track, form=form,
                           status_form=CatalogStatusForm(), delete_form=CatalogDeleteForm(),
                           uses=queries.track_uses([track.id])[track.id])


@bp.route("/tracks/<int:track_id>/status", methods=["POST"])
@role_required(*STAFF)
def track_status(track_id: int):
    """Retire a track or take it back into use."""
    track = queries.track_or_404(track_id)
    form = CatalogStatusForm()
    if form.validate_on_submit():
        active = request.form.get("action") == "restore"
        try:
            operations.set_track_active(track, active, form.reason.data, current_user)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("The track is offered again.") if active else
                  _("The track is retired: new classes and openings can no longer use it."),
                  "success")
    return redirect(url_for("training.tracks"))


@bp.route("/tracks/<int:track_id>/delete", methods=["POST"])
@role_required(*STAFF)
def delete_track(track_id: int):
    """Delete a track made by mistake (never one in use)."""
    track = queries.track_or_404(track_id)
    form = CatalogDeleteForm()
    if not form.validate_on_submit():
        flash(_("Give the reason for the deletion."), "error")
        return redirect(url_for("training.edit_track", track_id=track.id))
    try:
        operations.delete_track(track, form.reason.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("training.edit_track", track_id=track_id))
    flash(_("The track was deleted."), "success")
    return redirect(url_for("training.tracks"))


@bp.route("/modules/standard", methods=["POST"])
@role_required(*STAFF)
def seed_modules():
    """Add the standard compulsory and elective modules that are missing."""
    if ConfirmForm().validate_on_submit():
        added = operations.seed_default_modules(current_user)
        flash(_("%(n)s standard modules added.", n=added), "success")
    return redirect(url_for("training.modules"))


# ---------------------------------------------------------------------------------------------
# Self-study
# ---------------------------------------------------------------------------------------------


@bp.route("/self-study")
@role_required(*TEACHING)
def self_study_queue():
    """Pending self-study entries to verify or reject (instructors: their classes)."""
    search = arg_text("q")
    page = queries.queue(current_user, arg_int("class"), search, arg_page())
    return render_template("training/self_study_queue.html", page=page, logs=page.items,
                           search=search, form=ConfirmForm(), reject_form=RejectForm())


@bp.route("/self-study/<int:log_id>", methods=["POST"])
@role_required(*TEACHING)
def self_study_review(log_id: int):
    """Verify or reject one entry."""
    log = queries.log_or_404(log_id)
    require_class_access(current_user, log.enrolment.training_class)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            operations.review_self_study(log, request.form.get("action") == "verify", current_user,
                                         form.reason.data)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("Verified.") if log.status == "verified" else _("Rejected."), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("training.self_study_queue"))


@bp.route("/self-study/<int:log_id>/photo")
@role_required(*TEACHING)
def self_study_photo(log_id: int):
    """The photo of a self-study entry (staff, or an instructor of its class)."""
    log = queries.log_or_404(log_id)
    require_class_access(current_user, log.enrolment.training_class)
    path = images.photo_path(operations.PHOTO_KIND, log.photo)
    if path is None:
        abort(404)
    return send_file(io.BytesIO(path.read_bytes()), mimetype="image/jpeg", max_age=0)


@bp.route("/self-study/verify", methods=["POST"])
@role_required(*TEACHING)
def self_study_verify_many():
    """Verify every ticked entry at once."""
    if ConfirmForm().validate_on_submit():
        ids = form_ints("log")
        try:
            count = operations.review_many(ids, current_user)
        except DomainError as error:
            flash(str(error), "error")
        else:
            flash(_("%(n)s entries verified.", n=count), "success")
    return redirect(url_for("training.self_study_queue"))


@bp.route("/enrolments/<int:enrolment_id>/self-study", methods=["GET", "POST"])
@role_required(*TEACHING)
def self_study_log(enrolment_id: int):
    """An instructor logs self-study for a trainee (counted at once); the trainee's log so far."""
    enrolment = queries.enrolment_or_404(enrolment_id)
    require_class_access(current_user, enrolment.training_class)
    form = SelfStudyForm()
    if not form.is_submitted():
        form.studied_on.data = date.today()
    if form.validate_on_submit():
        try:
            operations.log_self_study(enrolment, form.studied_on.data, float(form.hours.data),
                                      form.content.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Self-study hours recorded."), "success")
            return redirect(url_for("training.self_study_log", enrolment_id=enrolment_id))
    return render_template("training/self_study_log.html", enrolment=enrolment, form=form,
                           max_per_day=settings.self_study_max_hours_per_day(),
                           **queries.self_study_page(enrolment))
