"""Views of the retraining area: parse, call one operation or query, flash-and-redirect or render."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from ..access import STAFF, role_required
from ..errors import DomainError
from ..forms import show_error
from ..params import arg_choice, arg_page, arg_text, parse_int
from ..spreadsheets import send_csv, send_xlsx
from . import bp, notices, operations, queries, wording
from .forms import ChooseClassForm, RetrainingClassForm

EXPORTS = {"xlsx": (notices.notices_xlsx, send_xlsx), "csv": (notices.notices_csv, send_csv)}


@bp.context_processor
def retraining_words():
    """Part names and reasons in the area's own plain words."""
    return {"part_word": lambda part: wording.PART_SHORT[part], "reasons": wording.REASONS,
            "instead_text": wording.instead}


def _id_arg(name: str) -> int | None:
    """A numeric filter from the query string; a bad one is reported and ignored."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    value = parse_int(raw, minimum=1)
    if value is None:
        flash(gettext("The filter was not understood and is ignored."), "warning")
    return value


def _course_ids(source) -> list[int]:
    """The chosen course ids (repeated ``course`` fields); non-numbers are dropped."""
    return [value for value in (parse_int(raw, minimum=1) for raw in source.getlist("course"))
            if value is not None]


@bp.route("/")
@role_required(*STAFF)
def index():
    """The retraining list, one section at a time (who may retake, who may no longer), paged;
    and the open retraining classes."""
    track_id, class_id = _id_arg("track"), _id_arg("class")
    search, section = arg_text("q"), arg_choice("section", queries.SECTIONS, "may_retake")
    return render_template(
        "retraining/index.html", track_id=track_id, class_id=class_id, search=search,
        section=section, open_classes=queries.open_retraining_classes(),
        **queries.list_page(track_id, class_id, search, section, arg_page()))


def _suggest(form: RetrainingClassForm, entries) -> None:
    """Prefill the new-class form with the suggested class."""
    suggestion = queries.suggest_class(entries)
    for name in ("code", "name", "location", "instructor_ids", "required_total_hours",
                 "required_classroom_hours", "required_self_study_hours"):
        getattr(form, name).data = getattr(suggestion, name)
    form.capacity.data = max(len(entries), 30)
    form.fee.data = 0


@bp.route("/classes/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new_class():
    """Open a retraining class for the trainees chosen on the list (or add them to one)."""
    source = request.form if request.method == "POST" else request.args
    try:
        entries = queries.selected_entries(_course_ids(source))  # the list, built once
    except DomainError as error:
        show_error(None, error)
        return redirect(url_for("retraining.index"))
    form = RetrainingClassForm()
    form.instructor_ids.choices = [(u.id, u.display_name) for u in queries.instructors()]
    if request.method == "GET":
        _suggest(form, entries)
    elif form.validate_on_submit():
        try:
            training_class = operations.create_retraining_class(form.values(), entries,
                                                                current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(gettext("Retraining class %(code)s opened with %(count)s trainees.",
                          code=training_class.code, count=len(entries)), "success")
            return redirect(url_for("retraining.class_detail",
                                    retraining_class_id=training_class.id))
    regular = entries[0].course.training_class
    choose = ChooseClassForm()
    choose.class_id.choices = [
        (c.id, f"{c.code} {c.name}") for c, _ in queries.open_retraining_classes()
        if (c.track_id, c.level) == (regular.track_id, regular.level)]
    return render_template("retraining/new_class.html", form=form, choose=choose,
                           entries=entries, regular=regular)


@bp.route("/classes/enrol", methods=["POST"])
@role_required(*STAFF)
def enrol():
    """Add the chosen trainees to an existing retraining class."""
    course_ids = _course_ids(request.form)
    form = ChooseClassForm()
    form.class_id.choices = [(c.id, c.code) for c, _ in queries.open_retraining_classes()]
    if not form.validate_on_submit():
        flash(gettext("Choose a retraining class."), "error")
        return redirect(url_for("retraining.new_class", course=course_ids))
    try:
        count = operations.enrol_in_retraining_class(
            form.class_id.data, queries.selected_entries(course_ids), current_user)
    except DomainError as error:
        show_error(None, error)
        return redirect(url_for("retraining.new_class", course=course_ids))
    flash(gettext("%(count)s trainees added to the retraining class.", count=count), "success")
    return redirect(url_for("retraining.class_detail", retraining_class_id=form.class_id.data))


@bp.route("/classes/<int:retraining_class_id>")
@role_required(*STAFF)
def class_detail(retraining_class_id: int):
    """A retraining class: its trainees, what each sits, its re-exams and notices."""
    notice_set = notices.class_notices(retraining_class_id, include_closed=True) or abort(404)
    return render_template("retraining/class_detail.html", notice_set=notice_set,
                           training_class=notice_set.training_class,
                           exams=queries.class_exams(retraining_class_id))


@bp.route("/classes/<int:retraining_class_id>/notices.<notice_format>")
@role_required(*STAFF)
def class_notices_file(retraining_class_id: int, notice_format: str):
    """The class's notice list as .xlsx or .csv."""
    return _send_notices(notices.class_notices(retraining_class_id), notice_format)


@bp.route("/classes/<int:retraining_class_id>/notices/print")
@role_required(*STAFF)
def class_notices_print(retraining_class_id: int):
    """A printable sheet of the class's notices, one slip per trainee."""
    notice_set = notices.class_notices(retraining_class_id) or abort(404)
    return render_template("retraining/notice_sheet.html", notice_set=notice_set)


@bp.route("/reexams/<int:reexam_id>/notices.<notice_format>")
@role_required(*STAFF)
def exam_notices_file(reexam_id: int, notice_format: str):
    """A re-exam's notice list as .xlsx or .csv."""
    return _send_notices(notices.exam_notices(reexam_id), notice_format)


def _send_notices(notice_set, notice_format: str):
    """A notice list as a download in ``notice_format`` (xlsx or csv); 404 for anything else."""
    if notice_set is None or notice_format not in EXPORTS:
        abort(404)
    write, send = EXPORTS[notice_format]
    return send(write(notice_set), f"notices-{notice_set.slug}.{notice_format}")


@bp.route("/reexams/<int:reexam_id>/notices/print")
@role_required(*STAFF)
def exam_notices_print(reexam_id: int):
    """A printable sheet of a re-exam's notices."""
    notice_set = notices.exam_notices(reexam_id) or abort(404)
    return render_template("retraining/notice_sheet.html", notice_set=notice_set)


@bp.route("/courses/<int:course_id>/restart", methods=["GET", "POST"])
@role_required(*STAFF)
def restart(course_id: int):
    """Enrol someone who may no longer retake in a new regular class (a new course)."""
    entry = queries.no_longer_entry(course_id) or abort(404)
    form = ChooseClassForm()
    form.class_id.choices = [
        (c.id, f"{c.code} {c.name}")
        for c in queries.open_regular_classes(entry.course.training_class.track_id)]
    if form.validate_on_submit():
        try:
            enrolment = operations.restart_course(course_id, form.class_id.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(gettext("%(name)s enrolled in %(code)s (course %(attempt)s): both parts will "
                          "be sat.", name=entry.course.trainee.name,
                          code=enrolment.training_class.code, attempt=enrolment.course_attempt),
                  "success")
            return redirect(url_for("retraining.index"))
    return render_template("retraining/restart.html", entry=entry, form=form)
