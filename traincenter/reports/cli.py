"""``flask report annual --year 2025 --format docx,pdf,xlsx,json --out DIR`` (with a progress bar)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask_babel import force_locale

from ..commands import report_cli
from ..errors import DomainError


def _formats(_ctx, _param, value: str) -> list[str]:
    from .export import FORMATS

    chosen = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(
            f"unknown format(s): {', '.join(unknown) or '(none)'}; choose from {','.join(FORMATS)}")
    return list(dict.fromkeys(chosen))


@report_cli.command("annual")
@click.option("--year", type=int, default=lambda: date.today().year - 1, show_default="last year",
              help="Calendar year of the report.")
@click.option("--format", "formats", default="docx,pdf,xlsx,json", show_default=True,
              callback=_formats, help="Comma-separated: docx, pdf, xlsx, json.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Folder for the files (created when missing).")
@click.option("--locale", default="zh_Hans_CN", show_default=True, help="Language of the documents.")
@click.option("--roster", is_flag=True, help="Also write the subsidy roster (.xlsx).")
def annual(year: int, formats: list[str], out_dir: Path, locale: str, roster: bool) -> None:
    """Write the annual report for the women's federation (finalised figures when finalised)."""
    from . import export, services

    steps = 1 + (1 if {"docx", "pdf"} & set(formats) else 0) + len(formats) + (1 if roster else 0)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with force_locale(locale), click.progressbar(length=steps, label=f"report {year}") as bar:
        try:
            report = services.report_for(year, compare=False)
        except DomainError as error:
            raise click.ClickException(str(error)) from error
        bar.update(1)
        pngs = None
        if {"docx", "pdf"} & set(formats):
            pngs = export.rendered_charts(report.figures)
            bar.update(1)
        for fmt in formats:
            path = out_dir / export.filename(year, fmt)
            path.write_bytes(export.export(fmt, report.figures, report.is_final, pngs))
            written.append(path)
            bar.update(1)
        if roster:
            path = out_dir / f"subsidy-roster-{year}.xlsx"
            path.write_bytes(export.roster_xlsx(year, services.subsidy_roster(year)))
            written.append(path)
            bar.update(1)
    state = "finalised" if report.is_final else "provisional"
    for path in written:
        click.echo(f"wrote {path} ({state})")
