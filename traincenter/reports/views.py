"""Views of the reports area: thin — parse, call a service, render or send."""

from __future__ import annotations

import base64
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import STAFF, role_required
from ..errors import DomainError
from . import bp, charts, export, services


def _report_or_404(year: int, compare: bool = False) -> services.Report:
    try:
        return services.report_for(year, compare=compare)
    except DomainError:
        abort(404)


@bp.route("/")
@role_required(*STAFF)
def index():
    years = services.report_years()
    return render_template("reports/index.html", years=years, snapshots=services.finalised_years(),
                           this_year=date.today().year, formats=export.FORMATS)


@bp.route("/annual/<int:year>")
@role_required(*STAFF)
def annual(year: int):
    try:
        report = services.report_for(year, compare=True)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("reports.index"))
    figures = report.figures
    headline, previous = {}, {}
    for key in services.HEADLINE_DEFINITIONS:
        kind = export.kind_of(key)
        headline[key] = export.Value(figures[key], kind).text()
        previous[key] = export.Value(figures["previous_year"][key], kind).text()
    differences = [dict(row, submitted_text=export.Value(row["submitted"], export.kind_of(row["key"])).text(),
                        now_text=export.Value(row["now"], export.kind_of(row["key"])).text())
                   for row in report.differences()]
    # Charts are inlined (img-src allows data:) so they show exactly the figures of this page and
    # the figures are counted once per view, not once per chart.
    images = {name: (caption, "data:image/png;base64," + base64.b64encode(image).decode("ascii"))
              for name, (caption, image) in export.rendered_charts(figures).items()}
    return render_template(
        "reports/annual.html", images=images, report=report, figures=figures, tables=export.all_tables(figures),
        sentences=export.narrative(figures), title=export.title(figures),
        subtitle=export.subtitle(figures, report.is_final), charts=charts.CHARTS,
        differences=differences, formats=export.FORMATS, headline=headline, previous=previous,
        cell_text=export.cell_text,
        can_finalise=report.snapshot is None and year < date.today().year,
        definitions=services.HEADLINE_DEFINITIONS, max_note=services.MAX_NOTE)


@bp.route("/annual/<int:year>/chart/<chart>.png")
@role_required(*STAFF)
def chart(year: int, chart: str):
    if chart not in charts.CHARTS:
        abort(404)
    report = _report_or_404(year)
    return Response(charts.render(chart, report.figures), mimetype="image/png")


@bp.route("/annual/<int:year>/download/<fmt>")
@role_required(*STAFF)
def download(year: int, fmt: str):
    if fmt not in export.FORMATS:
        abort(404)
    report = _report_or_404(year)
    data = export.export(fmt, report.figures, report.is_final)
    return Response(data, mimetype=export.MIME[fmt], headers={
        "Content-Disposition": f"attachment; filename={export.filename(year, fmt)}"})


@bp.route("/annual/<int:year>/subsidy-roster.xlsx")
@role_required(*STAFF)
def roster(year: int):
    try:
        rows = services.subsidy_roster(year)
    except DomainError:
        abort(404)
    from ..spreadsheets import send_xlsx

    return send_xlsx(export.roster_xlsx(year, rows), f"subsidy-roster-{year}.xlsx")


@bp.route("/annual/<int:year>/finalise", methods=["POST"])
@role_required(*STAFF)
def finalise(year: int):
    try:
        services.finalise_year(year, current_user, request.form.get("note"))
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("The %(year)s report is finalised. Its figures will not change any more.", year=year),
              "success")
    return redirect(url_for("reports.annual", year=year))
