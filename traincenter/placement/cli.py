"""``flask report placements --year 2025``: the placement figures per track, as on the web page."""

from __future__ import annotations

from datetime import date

import click

from ..commands import report_cli


def _fmt_rate(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@report_cli.command("placements")
@click.option("--year", type=int, default=lambda: date.today().year, show_default="this year",
              help="Calendar year of the certificates, placements and feedback counted.")
def placements(year: int) -> None:
    """Print certified, placed, placement rate, ratings and contracts per track for a year."""
    from .services import figures

    rows, total = figures(year)
    header = ("track", "certified", "placed", "rate", "ratings", "average", "satisfied",
              "contracts/placements")
    click.echo("\t".join(header))
    for row in [*rows, total]:
        click.echo("\t".join([
            row.track.name if row.track else "TOTAL", str(row.certified), str(row.placed),
            _fmt_rate(row.placement_rate), str(len(row.ratings)),
            "—" if row.average_rating is None else f"{row.average_rating:.2f}",
            _fmt_rate(row.satisfaction_rate), f"{row.contracts_registered}/{row.placements}",
        ]))
