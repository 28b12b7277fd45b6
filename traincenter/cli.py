"""The ``flask`` command line: attaches the command groups once every area has added its commands.

The groups live in ``commands`` (so areas can add to them without importing this module); the
command that belongs to no area — ``flask demo seed`` — is here.
"""

from __future__ import annotations

import importlib
import importlib.util

import click
from flask import Flask

from .commands import GROUPS, demo_cli, fail
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


def register_cli(app: Flask) -> None:
    """Attach the command groups, after each area (and the backups) has added its commands."""
    from . import AREAS

    for package in (*AREAS, "backup"):
        name = f"{__package__}.{package}.cli"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    for group in GROUPS:
        app.cli.add_command(group)
