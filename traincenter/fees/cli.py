"""``flask report fees --year 2025``: a year's fee figures on the command line."""

from __future__ import annotations

from datetime import date

import click
from flask_babel import gettext as _

from .. import rules
from ..commands import report_cli
from ..i18n import label, punct
from .queries import year_fee_figures


@report_cli.command("fees")
@click.option("--year", type=int, default=lambda: date.today().year - 1, show_default="last year",
              help="Calendar year.")
def fee_figures(year: int) -> None:
    """Print the fees collected, the subsidies claimed, earned and due, and the receipts."""
    if not rules.year_in_range(year, date.today()):
        raise click.BadParameter(_("The year must be between %(first)s and %(last)s.",
                                   first=rules.FIRST_YEAR, last=date.today().year + 1),
                                 param_hint="'--year'")
    figures = year_fee_figures(year)

    def yuan(value: float) -> str:
        return rules.format_yuan(rules.to_fen(value))

    colon = punct(":")
    click.echo(_("Fee figures %(year)s", year=year))
    click.echo(f"  {_('Fees collected')}{colon}{yuan(figures.collected)}")
    for payer, amount in figures.collected_by_payer.items():
        click.echo(f"    {label('fee_payer', payer)}{colon}{yuan(amount)}")
    click.echo(f"  {_('Refunded')}{colon}{yuan(figures.refunded)}")
    click.echo(f"  {_('Waived')}{colon}{yuan(figures.waived)}")
    click.echo(f"  {_('Subsidies claimed')}{colon}{yuan(figures.subsidies_claimed)}")
    click.echo(f"  {_('Subsidies earned (%(count)s certificates)', count=figures.subsidies_earned_count)}{colon}"
               f"{yuan(figures.subsidies_earned)}")
    click.echo(f"  {_('Subsidies due (%(count)s courses)', count=figures.subsidies_due_count)}{colon}"
               f"{yuan(figures.subsidies_due)}")
    if figures.receipts:
        gaps = _("no gaps") if figures.receipts_unbroken else _("numbers missing")
        span = f"{figures.first_receipt} – {figures.last_receipt}{punct(',')}{gaps}"
        click.echo(f"  {_('Receipts')}{colon}{figures.receipts}{punct('(')}{span}{punct(')')}")
    else:
        click.echo(f"  {_('Receipts')}{colon}0")

