"""``flask report placements --year 2025``: the placement figures per track, as on the web page."""

from __future__ import annotations

from datetime import date

import click
from flask_babel import gettext as _

from ..commands import report_cli
from ..web import format_percent
from .figures import figures


@report_cli.command("placements")
@click.option("--year", type=int, default=lambda: date.today().year, show_default="this year",
              help="Calendar year of the certificates, placements and feedback counted.")
def placements(year: int) -> None:
    """Print certified, placed, placement rate, ratings and contracts per track for a year."""
    rows, total = figures(year)
    header = (_("Track"), _("Certified in the year"), _("People placed"), _("Placement rate"),
              _("Ratings given"), _("Average rating"), _("Satisfaction rate"),
              _("Contracts registered / placements started"))
    click.echo("\t".join(header))
    for row in [*rows, total]:
        click.echo("\t".join([
            row.track.name if row.track else _("Total, all tracks"), str(row.certified),
            str(row.placed), format_percent(row.placement_rate), str(len(row.ratings)),
            "—" if row.average_rating is None else f"{row.average_rating:.2f}",
            format_percent(row.satisfaction_rate), f"{row.contracts_registered}/{row.placements}",
        ]))
