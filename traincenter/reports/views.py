"""Views of the reports area: parse, call one query or operation, render or send."""

from __future__ import annotations

import base64
from datetime import date

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import STAFF, role_required
from ..errors import DomainError
from ..forms import show_error
from ..spreadsheets import send_xlsx
from . import bp, charts, export, operations, queries
from .export import formatting
from .export.workbook import roster_xlsx
from .forms import FinaliseForm


def _inline(pngs: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, str]]:
    # Charts are inlined (img-src allows data:) so they show exactly the figures of this page and
    # the figures are counted once per view, not once per chart.
    return {name: (caption, "data:image/png;base64," + base64.b64encode(image).decode("ascii"))
            for name, (caption, image) in pngs.items()}


@bp.route("/")
@role_required(*STAFF)
def index():
    """The years with a report, their state and downloads."""
    years, snapshots = queries.years_overview()
    return render_template("reports/index.html", years=years, snapshots=snapshots,
                           this_year=date.today().year, formats=export.FORMATS)


@bp.route("/annual/<int:year>")
@role_required(*STAFF)
def annual(year: int):
    """The report of ``year``: figures, sentences, tables, charts, finalising."""
    try:
        report = queries.report_for(year, compare=True)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.index"))
    figures = report.figures
    headline, previous = formatting.headline_texts(figures)
    return render_template(
        "reports/annual.html", images=_inline(charts.render_all(figures)), report=report,
        figures=figures, tables=formatting.all_tables(figures), sentences=formatting.narrative(figures),
        title=formatting.title(figures), subtitle=formatting.subtitle(figures, report.is_final),
        charts=charts.CHARTS, differences=formatting.difference_rows(report.differences()),
        formats=export.FORMATS, headline=headline, previous=previous, cell_text=formatting.cell_text,
        can_finalise=report.can_finalise, definitions=formatting.HEADLINE_DEFINITIONS,
        max_note=operations.MAX_NOTE)


@bp.route("/annual/<int:year>/chart/<chart>.png")
@role_required(*STAFF)
def chart(year: int, chart: str):
    """One chart of the report as a PNG picture."""
    if chart not in charts.CHARTS:
        abort(404)
    report = queries.report_or_404(year)
    return Response(charts.render(chart, report.figures), mimetype="image/png")


@bp.route("/annual/<int:year>/download/<fmt>")
@role_required(*STAFF)
def download(year: int, fmt: str):
    """The report as a Word, PDF, Excel or JSON file."""
    if fmt not in export.FORMATS:
        abort(404)
    report = queries.report_or_404(year)
    return Response(export.export(fmt, report.figures, report.is_final), mimetype=export.MIME[fmt],
                    headers={"Content-Disposition": f"attachment; filename={export.filename(year, fmt)}"})


@bp.route("/annual/<int:year>/subsidy-roster.xlsx")
@role_required(*STAFF)
def roster(year: int):
    """The subsidy roster of ``year`` as an Excel file."""
    rows = queries.roster_or_404(year)
    return send_xlsx(roster_xlsx(year, rows), f"subsidy-roster-{year}.xlsx")


@bp.route("/annual/<int:year>/finalise", methods=["POST"])
@role_required(*STAFF)
def finalise(year: int):
    """Freeze the figures of ``year`` as submitted to the federation."""
    form = FinaliseForm()
    if form.validate_on_submit():
        try:
            operations.finalise_year(year, current_user, form.note.data)
        except DomainError as error:
            show_error(None, error)  # flashed: the page is shown again after a redirect
        else:
            flash(_("The %(year)s report is finalised. Its figures will not change any more.",
                    year=year), "success")
    return redirect(url_for("reports.annual", year=year))
