"""The ``flask`` command line: attaches the command groups once every area has added its commands.

The groups live in ``commands`` (so areas can add to them without importing this module); the
command that belongs to no area — ``flask demo seed`` — is here.
"""

from __future__ import annotations

import importlib
import importlib.util

import click
from flask import Flask

from . import addresses, settings
from .commands import GROUPS, demo_cli, fail, site_cli
from .errors import DomainError


@demo_cli.command("seed")
@click.option("--trainees", default=None, type=int, help="How many trainees (default: several hundred).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
def seed(trainees: int | None, if_empty: bool) -> None:
    """Fill the database with realistic, deterministic demo data over three years."""
    from .demo import seed_demo

    try:
        summary = seed_demo(trainees=trainees, if_empty=if_empty, echo=click.echo)
    except DomainError as error:
        fail(error)
    click.echo(summary)


@site_cli.command("addresses")
@click.option("--host", default="127.0.0.1", help="The address the server listens on.")
@click.option("--port", default=5000, type=int, help="The port the server listens on.")
def site_addresses(host: str, port: int) -> None:
    """Print the addresses to open: on this computer, and on a phone on the same network."""
    from flask_babel import gettext as _

    local = f"http://127.0.0.1:{port}"
    lan = addresses.lan_url(port)
    reachable = host in ("0.0.0.0", "::") or not addresses.is_loopback(host)
    click.echo(_("Open on this computer: %(url)s", url=local))
    if reachable and lan:
        click.echo(_("Open on a phone on the same Wi-Fi: %(url)s", url=lan))
    elif reachable:
        click.echo(_("This computer has no network address: phones cannot reach it."))
    else:
        click.echo(_("Only this computer can open it (it listens on %(host)s). For phones, start "
                     "it with HOST=0.0.0.0.", host=host))
    base = settings.public_base_url()
    if base and addresses.is_loopback(base):
        click.echo(_("Warning: PUBLIC_BASE_URL is %(url)s, a loopback address: QR codes will not "
                     "open on a phone.", url=base))
    elif base:
        click.echo(_("QR codes and slips carry %(url)s (PUBLIC_BASE_URL).", url=base))
    elif lan and reachable:
        click.echo(_("QR codes and slips carry the address the browser used: open the system "
                     "with %(url)s before printing certificates, or set PUBLIC_BASE_URL.", url=lan))


def register_cli(app: Flask) -> None:
    """Attach the command groups, after each area (and the backups) has added its commands."""
    from . import AREAS

    for package in (*AREAS, "backup"):
        name = f"{__package__}.{package}.cli"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    for group in GROUPS:
        app.cli.add_command(group)
