"""The ``flask`` command line: attaches the command groups once every area has added its commands.

The groups live in ``commands`` (so areas can add to them without importing this module); the
commands that belong to no area — ``flask users create-admin`` and ``flask demo seed`` — are here.
"""

from __future__ import annotations

import importlib
import importlib.util

import click
from flask import Flask
from flask_babel import gettext as _

from .commands import GROUPS, demo_cli, fail, users_cli
from .errors import DomainError


@users_cli.command("create-admin")
@click.option("--username", prompt="Username")
@click.option("--name", "display_name", prompt="Display name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(username: str, display_name: str, password: str) -> None:
    """Create an administrator account (prompts for what is not given)."""
    from .auth.services import create_user

    try:
        user, _password = create_user(username, display_name, "admin", password,
                                      must_change_password=False)
    except DomainError as error:
        fail(error)
    click.echo(_("Created the administrator %(username)s.", username=user.username))


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
