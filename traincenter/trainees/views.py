"""Views of the trainees area: registry, timeline, enrolment slip, roster import (thin)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import rules
from ..access import STAFF, role_required
from ..errors import DomainError
from ..forms import ConfirmForm, show_error
from ..models.training import ENROLMENT_STATUSES
from ..params import arg_choice, arg_int, arg_page, arg_text, arg_year
from ..spreadsheets import (
    StashError,
    confirmed_upload,
    forget_upload,
    keep_upload,
    pending_upload,
    send_csv,
    send_xlsx,
    stash_message,
)
from ..web import render_error
from . import bp, operations, photos, queries, roster, sheets
from .forms import ImportConfirmForm, ImportForm, PhotoForm, TraineeEditForm, TraineeForm

IMPORT_KEY = "roster_import"


@bp.route("/")
@role_required(*STAFF)
def index():
    """The registry: search by name, ID number or phone; filter; paginate."""
    filters = queries.TraineeFilters(
        q=arg_text("q"), track_id=arg_int("track"), year=arg_year("year"),
        status=arg_choice("status", (*ENROLMENT_STATUSES, "none")),
        education=arg_choice("education", rules.EDUCATION_LEVELS),
        origin=arg_choice("origin", rules.ORIGINS),
        sort=arg_choice("sort", queries.TRAINEE_SORTS, "newest"))
    return render_template("trainees/index.html", filters=filters,
                           **queries.registry_page(filters, arg_page()))


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create():
    """Register a trainee; the answer is the enrolment slip with the one-time password."""
    form = TraineeForm()
    existing = None
    if form.validate_on_submit():
        try:
            trainee, password = operations.create_trainee(_values(form, with_id=True),
                                                          current_user)
        except operations.DuplicateTrainee as error:
            existing = error.existing
            show_error(form, error)
        except DomainError as error:
            show_error(form, error)
        else:
            return render_template("trainees/slip.html", slips=[(trainee, password)], created=True)
    return render_template("trainees/form.html", form=form, trainee=None, existing=existing)


@bp.route("/<int:trainee_id>")
@role_required(*STAFF)
def detail(trainee_id: int):
    """The trainee's whole history in one timeline."""
    return render_template("trainees/detail.html", **queries.timeline_or_404(trainee_id))


@bp.route("/<int:trainee_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(trainee_id: int):
    """Change a trainee's details (the ID number stays)."""
    trainee = queries.trainee_or_404(trainee_id)
    form = TraineeEditForm(obj=trainee)
    if form.validate_on_submit():
        try:
            operations.update_trainee(trainee, _values(form), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("trainees.detail", trainee_id=trainee.id))
    return render_template("trainees/form.html", form=form, trainee=trainee, existing=None)


@bp.route("/<int:trainee_id>/password", methods=["POST"])
@role_required(*STAFF)
def reset_password(trainee_id: int):
    """Give the trainee a new one-time password and print a new slip."""
    trainee = queries.trainee_or_404(trainee_id)
    password = operations.reset_trainee_password(trainee, current_user)
    return render_template("trainees/slip.html", slips=[(trainee, password)], created=False)


@bp.route("/<int:trainee_id>/unlock", methods=["POST"])
@role_required(*STAFF)
def unlock_login(trainee_id: int):
    """Clear the trainee's failed logins, so she can log in again at once."""
    trainee = queries.trainee_or_404(trainee_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.unlock_trainee_login(trainee, current_user)
    except DomainError as error:
        show_error(None, error)
    else:
        flash(_("The login is unlocked: %(name)s can log in again now.", name=trainee.name),
              "success")
    return redirect(url_for("trainees.detail", trainee_id=trainee.id))


@bp.route("/<int:trainee_id>/photo", methods=["GET", "POST"])
@role_required(*STAFF)
def photo(trainee_id: int):
    """Upload or replace the trainee's photo (checked and cut to 3:4), or remove it."""
    trainee = queries.trainee_or_404(trainee_id)
    form = PhotoForm()
    if form.validate_on_submit():
        try:
            operations.set_photo(trainee.id, form.photo.data.read(), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The photo is saved. It prints on the certificate and the work card."),
                  "success")
            return redirect(url_for("trainees.detail", trainee_id=trainee.id))
    return render_template("trainees/photo.html", trainee=trainee, form=form,
                           remove_form=ConfirmForm())


@bp.route("/<int:trainee_id>/photo.jpg")
@role_required(*STAFF)
def photo_file(trainee_id: int):
    """The trainee's photo (staff only; the folder is outside the web root)."""
    data = photos.read_photo(queries.trainee_or_404(trainee_id).photo_file)
    if data is None:
        abort(404)
    return photos.photo_response(data)


@bp.route("/<int:trainee_id>/photo/delete", methods=["POST"])
@role_required(*STAFF)
def photo_delete(trainee_id: int):
    """Take the photo off the trainee's file."""
    queries.trainee_or_404(trainee_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.remove_photo(trainee_id, current_user)
    flash(_("The photo was removed."), "success")
    return redirect(url_for("trainees.photo", trainee_id=trainee_id))


@bp.errorhandler(413)
def too_large(error):  # noqa: ARG001
    """A photo beyond the request limit goes back to its form with the photo limit."""
    if request.endpoint == "trainees.photo":
        return photos.too_large_redirect()
    return render_error(413)


def _values(form, with_id: bool = False) -> dict:
    names = [*operations.EDITABLE, "id_number"] if with_id else operations.EDITABLE
    return {name: getattr(form, name).data for name in names}


# ---------------------------------------------------------------------------------------------
# Roster import
# ---------------------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@role_required(*STAFF)
def import_roster():
    """Upload a roster: every row is checked; a good file is previewed before importing."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read()
        class_code = (form.class_code.data or "").strip() or None
        check = roster.check_roster(data, upload.filename, class_code)
        pending = None
        if check.table is not None:
            pending = keep_upload(IMPORT_KEY, data, class_code=class_code)
        else:
            forget_upload(IMPORT_KEY)
        return render_template("trainees/import.html", form=form, check=check, pending=pending,
                               confirm=ImportConfirmForm(formdata=None,
                                                         digest=pending and pending.digest,
                                                         class_code=class_code or ""))
    return render_template("trainees/import.html", form=form, check=None)


def _previewed_check(digest: str | None, class_code: str | None):
    """The check of the file a preview page names (its identity and class code), re-run."""
    data, pending = confirmed_upload(IMPORT_KEY, digest, class_code=class_code or None)
    return roster.check_roster(data, pending.token, pending.context.get("class_code"))


@bp.route("/import/confirm", methods=["POST"])
@role_required(*STAFF)
def import_confirm():
    """Import the previewed file: every row in one transaction, or none."""
    confirm = ImportConfirmForm()
    if not confirm.validate_on_submit():
        abort(400)
    try:
        check = _previewed_check(confirm.digest.data, confirm.class_code.data)
    except StashError as error:
        flash(stash_message(error), "error")
        return redirect(url_for("trainees.import_roster"))
    try:
        created = operations.import_roster(check, current_user)
    except DomainError as error:
        show_error(None, error)
        return render_template("trainees/import.html", form=ImportForm(), check=check,
                               pending=pending_upload(IMPORT_KEY), confirm=confirm)
    forget_upload(IMPORT_KEY)
    flash(_("%(n)s trainees imported.", n=len(created)), "success")
    return render_template("trainees/slip.html", slips=created, created=True)


@bp.route("/import/errors")
@role_required(*STAFF)
def import_errors():
    """The checked file with an error column, as .xlsx (or CSV with ?format=csv).

    ``file`` names the checked file by its identity: a page whose file was replaced by a later
    upload (another tab) does not download the other file's errors.
    """
    pending = pending_upload(IMPORT_KEY)
    try:
        check = _previewed_check(request.args.get("file"),
                                 pending.context.get("class_code") if pending else None)
    except StashError as error:
        flash(stash_message(error), "error")
        return redirect(url_for("trainees.import_roster"))
    if check.table is None:
        abort(404)
    if request.args.get("format") == "csv":
        return send_csv(sheets.error_file(check, "csv"), "roster-errors.csv")
    return send_xlsx(sheets.error_file(check), "roster-errors.xlsx")


@bp.route("/import/template")
@role_required(*STAFF)
def import_template():
    """The roster template: Chinese headers, the ID column formatted as text."""
    if request.args.get("format") == "csv":
        return send_csv(sheets.template_file("csv"), "roster-template.csv")
    return send_xlsx(sheets.template_file(), "roster-template.xlsx")
