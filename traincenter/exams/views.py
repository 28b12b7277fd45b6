"""Views of the exams area: parse, call one operation or query, flash-and-redirect or render."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import rules
from ..access import STAFF, TEACHING, require_class_access, role_required
from ..errors import DomainError
from ..forms import show_error
from ..i18n import label, show_date
from ..models import Exam
from ..models.exams import EXAM_KINDS
from ..params import arg_choice, arg_int, arg_page, arg_text, arg_year
from ..spreadsheets import (
    StashError,
    confirmed_upload,
    forget_upload,
    keep_upload,
    send_xlsx,
    stash_message,
)
from . import bp, operations, queries, scores
from .forms import (
    AddCandidateForm,
    CorrectForm,
    MoveDateForm,
    RemoveCandidateForm,
    ScheduleForm,
    SendBackForm,
    UploadConfirmForm,
    UploadForm,
    WorkflowForm,
    parse_grid,
    stored_values,
)
from .grid_rows import build_rows
from .scores import ScoreConflict, ScoreErrors
from .sheets import (
    PREVIEW_ROWS,
    check_scores,
    describe_carried,
    import_previewed,
    results_state,
    template_xlsx,
)

HISTORY_LABELS = {
    "field_labels": {"theory": _l("Theory"), "practical": _l("Practical"), "status": _l("Status"),
                     "candidate": _l("Candidate list")},
    "source_labels": {"grid": _l("Score grid"), "import": _l("Excel upload"),
                      "correction": _l("Correction"), "workflow": _l("Workflow"),
                      "seed": _l("Demo data")},
}


def _exam(exam_id: int) -> Exam:
    """The exam, when the current user may work with its class (404 or 403 otherwise)."""
    exam = queries.exam_or_404(exam_id)
    require_class_access(current_user, exam.training_class)
    return exam


@bp.route("/")
@role_required(*TEACHING)
def index():
    """Exams the user may see (staff all, instructors their classes'): paged, filtered."""
    filters = queries.ExamFilters(
        q=arg_text("q"), status=arg_choice("status", queries.EXAM_LIST_STATUSES),
        kind=arg_choice("kind", EXAM_KINDS), year=arg_year("year"))
    return render_template("exams/index.html", filters=filters, years=queries.exam_years(),
                           page=queries.exam_list(current_user, filters, arg_page()))


def _history_filters(with_trainee: bool) -> queries.HistoryFilters:
    """The history filters from the query string."""
    return queries.HistoryFilters(
        q=arg_text("q") if with_trainee else "",
        field=arg_choice("field", queries.HISTORY_FIELDS),
        source=arg_choice("source", tuple(HISTORY_LABELS["source_labels"])))


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def schedule():
    """Schedule an exam; candidates fill themselves with the eligible trainees."""
    form = ScheduleForm()
    form.class_id.choices = [SelectChoice(c.id, f"{c.code} {c.name}") for c in queries.classes_for_scheduling()]
    form.kind.choices = [SelectChoice(k, label("exam_kind", k)) for k in EXAM_KINDS]
    if request.method == "GET" and arg_int("class_id") is not None:
        form.class_id.data = arg_int("class_id")
    if form.validate_on_submit():
        training_class = queries.class_or_404(form.class_id.data)
        try:
            exam = operations.schedule_exam(training_class, form.held_on.data, form.place.data,
                                            form.kind.data, current_user, form.notes.data)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Exam scheduled with %(count)s candidates.", count=len(exam.results)),
                  "success")
            return redirect(url_for("exams.detail", exam_id=exam.id))
    return render_template("exams/schedule.html", form=form)


@bp.route("/<int:exam_id>")
@role_required(*TEACHING)
def detail(exam_id: int):
    """An exam: candidates, their status and result, what can be done next."""
    exam = _exam(exam_id)
    add_form = None
    if current_user.role in STAFF and not exam.is_published:
        add_form = AddCandidateForm()
        choices = queries.addable(exam)
        add_form.enrolment_id.choices = [
            SelectChoice(e.id, f"{e.trainee.name} · " + (_("eligible") if ok.is_eligible else _("not eligible")))
            for e, ok in choices]
    results = queries.grid_results(exam)
    is_staff = current_user.role in STAFF
    return render_template(
        "exams/detail.html", exam=exam, results=results, add_form=add_form,
        workflow=WorkflowForm(), sent_back=queries.sent_back_note(exam),
        send_back_form=SendBackForm() if is_staff else None,
        scores_open=rules.scores_open(exam.held_on, date.today()),
        can_enter=bool(results) and (is_staff or any(r.status == "draft" for r in results)))


@bp.route("/<int:exam_id>/send-back", methods=["POST"])
@role_required(*STAFF)
def send_back(exam_id: int):
    """Staff return the submitted scores to the instructor with a comment."""
    exam = _exam(exam_id)
    form = SendBackForm()
    if not form.validate_on_submit():
        for message in form.comment.errors or [_("Tell the instructor what to check or correct.")]:
            flash(message, "error")
        return redirect(url_for("exams.detail", exam_id=exam.id))
    try:
        count = operations.send_back(exam, form.comment.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(count)s results were sent back to the instructor with your comment.",
                count=count), "success")
    return redirect(url_for("exams.detail", exam_id=exam.id))


@bp.route("/results/<int:result_id>/remove", methods=["GET", "POST"])
@role_required(*STAFF)
def remove_candidate(result_id: int):
    """Take a candidate off the exam before publication (with a reason, kept in the history)."""
    result = queries.result_or_404(result_id)
    exam = _exam(result.exam_id)
    form = RemoveCandidateForm()
    if form.validate_on_submit():
        name = result.enrolment.trainee.name
        try:
            operations.remove_candidate(result, form.reason.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("%(name)s is no longer a candidate of this exam.", name=name), "success")
            return redirect(url_for("exams.detail", exam_id=exam.id))
    return render_template("exams/remove_candidate.html", exam=exam, result=result, form=form)


@bp.route("/<int:exam_id>/date", methods=["GET", "POST"])
@role_required(*STAFF)
def move_date(exam_id: int):
    """Move the exam to another day (with a reason, kept in the history)."""
    exam = _exam(exam_id)
    form = MoveDateForm()
    if request.method == "GET":
        form.held_on.data = exam.held_on
    if form.validate_on_submit():
        old = exam.held_on
        try:
            operations.move_exam_date(exam, form.held_on.data, form.reason.data, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The exam was moved from %(old)s to %(new)s.", old=show_date(old),
                    new=show_date(exam.held_on)), "success")
            return redirect(url_for("exams.detail", exam_id=exam.id))
    return render_template("exams/move_date.html", exam=exam, form=form)


@bp.route("/<int:exam_id>/candidates", methods=["POST"])
@role_required(*STAFF)
def add_candidate(exam_id: int):
    """Add a trainee of the class as a candidate (a reason when not eligible)."""
    exam = _exam(exam_id)
    form = AddCandidateForm()
    form.enrolment_id.choices = [SelectChoice(e.id, "") for e, _ok in queries.addable(exam)]
    if not form.validate_on_submit():
        flash(_("Choose a trainee of this class."), "error")
        return redirect(url_for("exams.detail", exam_id=exam.id))
    enrolment = queries.enrolment_or_404(form.enrolment_id.data)
    try:
        operations.add_candidate(exam, enrolment, form.reason.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s was added as a candidate.", name=enrolment.trainee.name), "success")
    return redirect(url_for("exams.detail", exam_id=exam.id))


@bp.route("/<int:exam_id>/grid", methods=["GET", "POST"])
@role_required(*TEACHING)
def grid(exam_id: int):
    """The score-entry grid: every candidate in one form, saved in one submit."""
    exam = _exam(exam_id)
    results = queries.result_rows(exam)
    current = {r.id: stored_values(r) for r in results}
    typed, problems, conflicts, status = {}, {}, {}, 200
    reason = ""
    if request.method == "POST":
        posted = parse_grid(request.form, results, current)
        if posted.bad:
            abort(400)
        typed, reason = posted.typed, request.form.get("reason", "")
        try:
            if posted.unchosen:
                raise DomainError(_("Choose, for each row marked below, which value to keep."),
                                  details=posted.unchosen)
            changed = scores.record_scores(exam, posted.rows, current_user, "grid", reason,
                                           results=results)
        except ScoreErrors as error:
            problems = {p.result_id: p for p in error.details}
            flash(str(error), "error")
            status = 422
        except ScoreConflict as error:
            conflicts = {c.result.id: c for c in error.details}
            for result_id, conflict in conflicts.items():
                typed[result_id]["version"] = conflict.result.version
            flash(str(error), "error")
            status = 409
        except DomainError as error:
            conflicts = {key: None for key in error.details if isinstance(key, int)}
            flash(str(error), "error")
            status = 422
        else:
            flash(_("Saved: %(count)s rows changed.", count=len(changed)) if changed
                  else _("Nothing had changed; nothing to save."), "success")
            return redirect(url_for("exams.grid", exam_id=exam_id, saved=1))  # exam is expired
        results = queries.result_rows(exam)
        current = {r.id: stored_values(r) for r in results}
    is_open = rules.scores_open(exam.held_on, date.today())
    is_staff = current_user.role in STAFF
    rows = build_rows(results, current=current, typed=typed, problems=problems,
                      conflicts=conflicts, is_open=is_open, is_staff=is_staff)
    needs_reason = is_staff and any(r.status == "published" for r in results)
    return render_template("exams/grid.html", exam=exam, rows=rows, reason=reason,
                           needs_reason=needs_reason, saved=request.args.get("saved") == "1",
                           any_editable=any(row.editable for row in rows), scores_open=is_open,
                           sent_back=queries.sent_back_note(exam, results)), status


@bp.route("/<int:exam_id>/template.xlsx")
@role_required(*TEACHING)
def template(exam_id: int):
    """The score sheet with the candidates filled in."""
    exam = _exam(exam_id)
    return send_xlsx(template_xlsx(exam), f"scores-exam-{exam.id}.xlsx")


# One score sheet is kept per session (the cookie stays small), named with its exam: a preview of
# another exam's sheet replaces it, and confirming the first page is then refused.
UPLOAD_KEY = "score_upload"


@bp.route("/<int:exam_id>/upload", methods=["GET", "POST"])
@role_required(*TEACHING)
def upload(exam_id: int):
    """Upload a filled-in score sheet: every row is checked and the changes previewed; nothing
    is saved until they are confirmed."""
    exam = _exam(exam_id)
    form, problems, status, checked, confirm = UploadForm(), [], 200, None, None
    if form.validate_on_submit():
        data = form.file.data.stream.read()
        try:
            checked = check_scores(exam, data, current_user, form.file.data.filename,
                                   form.reason.data)
        except DomainError as error:  # ScoreErrors list every bad row, shown under the form
            problems = error.details if isinstance(error, ScoreErrors) else []
            show_error(form, error)
            forget_upload(UPLOAD_KEY)
            status = 422
        else:
            pending = keep_upload(UPLOAD_KEY, data, exam_id=exam.id,
                                  reason=form.reason.data or None,
                                  state=results_state(checked.results))
            confirm = UploadConfirmForm(formdata=None, digest=pending.digest)
    elif request.method == "POST":
        status = 422
    return render_template("exams/upload.html", exam=exam, form=form, problems=problems,
                           scores_open=rules.scores_open(exam.held_on, date.today()),
                           checked=checked, confirm=confirm, preview_rows=PREVIEW_ROWS), status


@bp.route("/<int:exam_id>/upload/confirm", methods=["POST"])
@role_required(*TEACHING)
def upload_confirm(exam_id: int):
    """Save the previewed score sheet (all rows or none)."""
    exam = _exam(exam_id)
    form = UploadConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        data, pending = confirmed_upload(UPLOAD_KEY, form.digest.data, exam_id=exam.id)
    except StashError as error:
        flash(stash_message(error), "error")
        return redirect(url_for("exams.upload", exam_id=exam.id))
    try:
        read, changed = import_previewed(exam, data, current_user, pending.token,
                                         pending.context.get("reason"),
                                         pending.context.get("state"))
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("exams.upload", exam_id=exam.id))
    forget_upload(UPLOAD_KEY)
    flash(_("Imported %(read)s rows; %(changed)s results changed.", read=read, changed=changed),
          "success")
    return redirect(url_for("exams.grid", exam_id=exam.id))


@bp.route("/<int:exam_id>/submit", methods=["POST"])
@role_required(*TEACHING)
def submit(exam_id: int):
    """The instructor hands the scores to staff."""
    exam = _exam(exam_id)
    if not WorkflowForm().validate_on_submit():
        abort(400)
    try:
        count = operations.submit_scores(exam, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(count)s results submitted to staff for publication.", count=count), "success")
    return redirect(url_for("exams.detail", exam_id=exam.id))


@bp.route("/<int:exam_id>/publish", methods=["POST"])
@role_required(*STAFF)
def publish(exam_id: int):
    """Staff publish the results: trainees see them from now on."""
    exam = _exam(exam_id)
    if not WorkflowForm().validate_on_submit():
        abort(400)
    try:
        count = operations.publish_exam(exam, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("%(count)s results published.", count=count), "success")
    return redirect(url_for("exams.detail", exam_id=exam.id))


@bp.route("/<int:exam_id>/stats")
@role_required(*TEACHING)
def stats(exam_id: int):
    """Candidates, absences, pass rate, mean, median and histogram per part."""
    exam = _exam(exam_id)
    return render_template("exams/stats.html", exam=exam,
                           stats=queries.exam_stats(exam))


@bp.route("/<int:exam_id>/history")
@role_required(*STAFF)
def history(exam_id: int):
    """Every change to this exam's scores: who, when, old, new, reason."""
    exam = _exam(exam_id)
    filters = _history_filters(with_trainee=True)
    return render_template("exams/history.html", exam=exam, filters=filters,
                           page=queries.exam_history(exam, filters, arg_page()),
                           events=queries.exam_events(exam), **HISTORY_LABELS)


@bp.route("/results/<int:result_id>/correct", methods=["GET", "POST"])
@role_required(*STAFF)
def correct(result_id: int):
    """Correct one result; after publication a reason is required and kept."""
    result = queries.result_or_404(result_id)
    exam = _exam(result.exam_id)
    form = CorrectForm()
    if request.method == "GET":
        values = stored_values(result)
        form.theory.data, form.practical.data = values["theory"], values["practical"]
        form.theory_absent.data = values["theory_absent"]
        form.practical_absent.data = values["practical_absent"]
        form.version.data = str(result.version)
    elif form.validate_on_submit():
        try:
            version = int(form.version.data or "")
        except ValueError:
            abort(400)
        try:
            scores.correct_result(result, form.theory.data, form.practical.data,
                                  theory_absent=form.theory_absent.data,
                                  practical_absent=form.practical_absent.data,
                                  version=version, reason=form.reason.data, actor=current_user)
        except ScoreErrors as error:
            for problem in error.details:
                for message in problem.flat():
                    flash(message, "error")
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The result was corrected."), "success")
            return redirect(url_for("exams.detail", exam_id=exam.id))
    return render_template("exams/correct.html", exam=exam, result=result, form=form,
                           carried={p: describe_carried(result, p) for p in rules.PARTS})


@bp.route("/trainees/<int:trainee_id>/history")
@role_required(*STAFF)
def trainee_history(trainee_id: int):
    """Every change to one trainee's scores, across exams."""
    trainee = queries.trainee_or_404(trainee_id)
    filters = _history_filters(with_trainee=False)
    events, exams = queries.trainee_exam_events(trainee)
    return render_template("exams/trainee_history.html", trainee=trainee, filters=filters,
                           page=queries.trainee_history(trainee, filters, arg_page()),
                           events=events, exams=exams, **HISTORY_LABELS)
