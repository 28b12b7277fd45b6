"""``flask applications poster|figures``: the A4 poster with the form's QR code, and the figures
of applications received and accepted by month and track."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import current_app, url_for
from flask_babel import gettext as _

from .. import addresses, settings
from ..commands import fail, localised
from ..errors import DomainError
from . import bp, poster, queries


@bp.cli.command("poster")
@click.argument("output", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--phone", default=None, help="Telephone printed on the poster (default: CENTER_PHONE).")
@click.option("--address", default=None, help="Address printed on the poster (default: CENTER_ADDRESS).")
@click.option("--note", default="", help="One more line, e.g. about training subsidies.")
@localised
def poster_command(output: Path, phone: str | None, address: str | None, note: str) -> None:
    """Write the application poster (A4 PDF) to OUTPUT."""
    base = settings.public_base_url()
    if not base or addresses.is_loopback(base):
        # Outside a request there is no browser address to borrow: a phone must reach this one.
        fail(DomainError(_("Set PUBLIC_BASE_URL to the address phones open (for example %(url)s) "
                           "before printing the poster: its QR code must work on a phone.",
                           url=addresses.lan_url() or "http://192.168.1.10:5000")))
    with current_app.test_request_context():
        url = base + url_for("applications.apply")
    facts = queries.poster_facts(date.today())
    text = poster.PosterText(
        phone=(settings.center_phone() if phone is None else phone)[:80],
        address=(settings.center_address() if address is None else address)[:80],
        note=note[:80])
    output.write_bytes(poster.poster_pdf(settings.center_name(), url, facts["tracks"],
                                         facts["classes"], text))
    click.echo(_("Poster written to %(path)s; its QR code opens %(url)s", path=output, url=url))


@bp.cli.command("figures")
@click.option("--year", type=int, default=None, help="Calendar year (default: this year).")
@localised
def figures_command(year: int | None) -> None:
    """Print the applications received and accepted by month and track."""
    figures = queries.figures(year or date.today().year)
    click.echo(_("Applications %(year)s: received %(received)s, accepted %(accepted)s",
                 year=figures.year, received=figures.total("received"),
                 accepted=figures.total("accepted")))
    for month in range(1, 13):
        received, accepted = figures.month_total("received", month), figures.month_total(
            "accepted", month)
        if not received and not accepted:
            continue
        parts = [f"{track.name} {figures.cell('received', month, track.id)}/"
                 f"{figures.cell('accepted', month, track.id)}" for track in figures.tracks
                 if figures.cell("received", month, track.id)
                 or figures.cell("accepted", month, track.id)]
        click.echo(_("Month %(month)s: received %(received)s, accepted %(accepted)s (%(parts)s)",
                     month=month, received=received, accepted=accepted, parts="; ".join(parts)))
