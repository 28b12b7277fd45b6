"""``flask report annual --year 2025 --format docx,pdf,xlsx,json --out DIR`` (with a progress bar).

The output of the command (progress label, errors, the files written) is in the language of the
command line (``--lang``, Chinese by default); ``--locale`` is the language of the documents.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask_babel import force_locale
from flask_babel import gettext as _

from ..commands import fail, report_cli
from ..errors import DomainError


def _formats(value: str) -> list[str]:
    """The formats asked for, each once, in order; a usage error for an unknown one."""
    from .export import FORMATS

    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        # Checked here rather than in an option callback, which runs before --lang applies.
        raise click.BadParameter(
            _("unknown format(s): %(unknown)s; choose from %(formats)s",
              unknown=", ".join(unknown) or _("(none)"), formats=",".join(FORMATS)),
            ctx=click.get_current_context(), param_hint="'--format'")
    return list(dict.fromkeys(chosen))


@report_cli.command("annual")
@click.option("--year", type=int, default=lambda: date.today().year - 1, show_default="last year",
              help="Calendar year of the report.")
@click.option("--format", "format_list", default="docx,pdf,xlsx,json", show_default=True,
              help="Comma-separated: docx, pdf, xlsx, json.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder for the files (created when missing).")
@click.option("--locale", default="zh_Hans_CN", show_default=True, help="Language of the documents.")
@click.option("--roster", is_flag=True, help="Also write the subsidy roster (.xlsx).")
def annual(year: int, format_list: str, out_dir: Path, locale: str, roster: bool) -> None:
    """Write the annual report for the women's federation (finalised figures when finalised)."""
    from .. import settings
    from . import charts, export, queries
    from .export.workbook import roster_xlsx

    formats = _formats(format_list)
    steps = 1 + (1 if {"docx", "pdf"} & set(formats) else 0) + len(formats) + (1 if roster else 0)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    label = _("%(year)s report", year=year)  # in the output's language, not the documents'
    try:
        with force_locale(locale), click.progressbar(length=steps, label=label) as bar:
            report = queries.report_for(year, compare=False)
            bar.update(1)
            pngs = None
            if {"docx", "pdf"} & set(formats):
                pngs = charts.render_all(report.figures)
                bar.update(1)
            for fmt in formats:
                path = out_dir / export.filename(year, fmt)
                path.write_bytes(export.export(fmt, report.content(pngs)))
                written.append(path)
                bar.update(1)
            if roster:
                path = out_dir / export.roster_filename(year)
                path.write_bytes(roster_xlsx(year, queries.subsidy_roster(year), settings.center_name()))
                written.append(path)
                bar.update(1)
    except DomainError as error:
        fail(error)  # outside force_locale: the message is in the output's language
    for path in written:
        if report.is_final:
            click.echo(_("wrote %(path)s (finalised)", path=path))
        else:
            click.echo(_("wrote %(path)s (provisional)", path=path))
