"""Views of the reports area: parse, call one query or operation, render or send."""

from __future__ import annotations

import io
from datetime import date

from flask import Response, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import rules, settings
from ..access import STAFF, role_required
from ..errors import DomainError
from ..forms import show_error
from . import bp, charts, definitions, export, operations, queries
from .export import document, formatting
from .export.workbook import roster_xlsx
from .forms import FinaliseForm, NarrativeForm

CARDS = ("trained", "exam_takers", "first_attempt_pass_rate", "final_pass_rate", "certified",
         "placement_rate", "hours_taught", "satisfaction_rate")


@bp.route("/")
@role_required(*STAFF)
def index():
    """The years with a report, their state and downloads."""
    years, snapshots = queries.years_overview()
    return render_template("reports/index.html", years=years, snapshots=snapshots,
                           this_year=date.today().year, formats=export.FORMATS)


def _page(report: queries.Report, form: NarrativeForm | None = None, saved: dict | None = None):
    """The report page; ``form`` keeps what was typed when a save was refused."""
    figures = report.figures
    if form is None:
        form = NarrativeForm(formdata=None, data={**report.narrative, "version": report.draft_version})
    blocks = document.build(figures, report.narrative, center=settings.center_name(),
                            finalised=report.is_final,
                            charts={name: str(caption) for name, (_fn, caption) in charts.CHARTS.items()},
                            inline_charts=True)
    return render_template(
        "reports/annual.html", report=report, figures=figures, blocks=blocks, form=form, saved=saved,
        cards=[key for key in CARDS if key in figures], definitions=definitions,
        formatting=formatting, document=document, tables=formatting.all_tables(figures),
        differences=formatting.difference_rows(report.differences()), formats=export.FORMATS,
        headings=document.section_headings(), expected=rules.NARRATIVE_EXPECTED,
        finalise_form=FinaliseForm(formdata=None), max_note=operations.MAX_NOTE)


@bp.route("/annual/<int:year>")
@role_required(*STAFF)
def annual(year: int):
    """The report of ``year``: figures in sentences, the staff's text, tables, charts, finalising."""
    try:
        report = queries.report_for(year, compare=True)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.index"))
    return _page(report)


@bp.route("/annual/<int:year>/narrative", methods=["POST"])
@role_required(*STAFF)
def save_narrative(year: int):
    """Save the staff's text of the report (kept in the form when the save is refused)."""
    form = NarrativeForm()
    if form.validate_on_submit():
        try:
            operations.save_narrative(year, form.texts(), form.draft_version(), current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("The text of the report has been saved."), "success")
            return redirect(url_for("reports.annual", year=year, _anchor="narrative"))
    try:
        report = queries.report_for(year, compare=True)
    except DomainError:
        abort(404)
    if not form.errors:
        flash(_("Nothing was saved. Please correct the marked parts."), "error")
    form.version.data = report.draft_version  # saving again replaces what is saved now
    return _page(report, form, saved=report.narrative), 400


@bp.route("/annual/<int:year>/recount", methods=["POST"])
@role_required(*STAFF)
def recount(year: int):
    """Count the figures of ``year`` again now."""
    try:
        operations.recount_figures(year, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.index"))
    flash(_("The figures have been counted again from the data now."), "success")
    return redirect(url_for("reports.annual", year=year))


@bp.route("/annual/<int:year>/chart/<chart>.png")
@role_required(*STAFF)
def chart(year: int, chart: str):
    """One chart of the report as a PNG picture (drawn once per set of figures and language)."""
    if chart not in charts.CHARTS:
        abort(404)
    report = queries.report_or_404(year)
    return Response(charts.render_cached(chart, report.figures, report.chart_key), mimetype="image/png")


@bp.route("/annual/<int:year>/download/<fmt>")
@role_required(*STAFF)
def download(year: int, fmt: str):
    """The report as a Word, PDF, Excel or JSON file, named in Chinese (RFC 5987)."""
    if fmt not in export.FORMATS:
        abort(404)
    report = queries.report_or_404(year)
    pngs = charts.render_all(report.figures, report.chart_key) if fmt in ("docx", "pdf") else None
    data = export.export(fmt, report.content(pngs))
    return send_file(io.BytesIO(data), mimetype=export.MIME[fmt], as_attachment=True,
                     download_name=export.filename(year, fmt))


@bp.route("/annual/<int:year>/subsidy-roster.xlsx")
@role_required(*STAFF)
def roster(year: int):
    """The subsidy roster of ``year`` as an Excel file."""
    rows = queries.roster_or_404(year)
    return send_file(io.BytesIO(roster_xlsx(year, rows, settings.center_name())),
                     mimetype=export.MIME["xlsx"], as_attachment=True,
                     download_name=export.roster_filename(year))


@bp.route("/annual/<int:year>/finalise", methods=["POST"])
@role_required(*STAFF)
def finalise(year: int):
    """Freeze the figures and text of ``year`` as submitted to the federation."""
    form = FinaliseForm()
    if form.validate_on_submit():
        try:
            operations.finalise_year(year, current_user, form.note.data)
        except DomainError as error:
            show_error(None, error)  # flashed: the page is shown again after a redirect
        else:
            flash(_("The %(year)s report is finalised. Its figures and text will not change any more.",
                    year=year), "success")
    return redirect(url_for("reports.annual", year=year))
