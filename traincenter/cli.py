"""Command groups of ``flask``; the commands call the same services as the web pages.

Areas add their commands to these groups in their own ``cli.py`` (imported below when present):
``flask import trainees|scores``, ``flask report annual``, ``flask backup create|restore``.
"""

from __future__ import annotations

import importlib
import importlib.util

import click
from flask import Flask
from flask.cli import AppGroup

users_cli = AppGroup("users", help="Manage accounts.")
demo_cli = AppGroup("demo", help="Demo data.")
import_cli = AppGroup("import", help="Import Excel/CSV files (all rows or none).")
report_cli = AppGroup("report", help="Generate reports.")
backup_cli = AppGroup("backup", help="Back up and restore the database.")


@users_cli.command("create-admin")
@click.option("--username", prompt="Username")
@click.option("--name", "display_name", prompt="Display name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_admin(username: str, display_name: str, password: str) -> None:
    """Create an administrator account (prompts for what is not given)."""
    from .auth.services import create_user
    from .errors import DomainError

    try:
        user, _ = create_user(username, display_name, "admin", password, must_change_password=False)
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"created administrator {user.username}")


@demo_cli.command("seed")
@click.option("--trainees", default=None, type=int, help="How many trainees (default: several hundred).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
def seed(trainees: int | None, if_empty: bool) -> None:
    """Fill the database with realistic, deterministic demo data over three years."""
    from .demo import seed_demo

    summary = seed_demo(trainees=trainees, if_empty=if_empty, echo=click.echo)
    click.echo(summary)


def register_cli(app: Flask) -> None:
    """Attach the command groups, after each area has added its commands."""
    from . import AREAS, backup  # noqa: F401  (backup adds flask backup create|restore)

    for area in AREAS:
        name = f"{__package__}.{area}.cli"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
    for group in (users_cli, demo_cli, import_cli, report_cli, backup_cli):
        app.cli.add_command(group)
