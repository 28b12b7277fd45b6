"""The ``flask`` command groups areas add their commands to, with ``--lang`` on every command.

Areas define their commands in their own ``cli.py`` on these groups: ``flask import
trainees|scores``, ``flask report annual``, ``flask backup create|restore`` … ``traincenter.cli``
attaches the groups to the app. Every command's output goes through the catalogue: Chinese by
default, English with ``--lang en`` or an English ``LANG``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn

import click
from flask.cli import AppGroup
from flask_babel import refresh

from . import settings

LANG_KEY = "traincenter.lang"


def _remember_lang(ctx: click.Context, _param, value: str | None) -> None:
    if value:
        ctx.meta[LANG_KEY] = value


LANG_OPTION = click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None, expose_value=False, is_eager=True,
    callback=_remember_lang, help="Language of the output: zh (default) or en (or set LANG).")


def localised(command: Callable) -> Callable:
    """Add ``--lang`` to a command and apply it (inside the app context) before it runs."""

    @wraps(command)
    def run(*args, **kwargs):
        settings.use_cli_locale(click.get_current_context().meta.get(LANG_KEY))
        refresh()  # the locale may have been read already in this app context
        return command(*args, **kwargs)

    return LANG_OPTION(run)


class CommandGroup(AppGroup):
    """A ``flask`` command group whose commands all take ``--lang``."""

    def command(self, *args, **kwargs):
        """Like ``AppGroup.command``, with the ``--lang`` option on every command."""
        register = super().command(*args, **kwargs)
        return lambda function: register(localised(function))


def fail(error: Exception) -> NoReturn:
    """Stop the command with ``error``'s (translated) message and exit status 1."""
    raise click.ClickException(str(error)) from error


users_cli = CommandGroup("users", help="Manage accounts.")
demo_cli = CommandGroup("demo", help="Demo data.")
import_cli = CommandGroup("import", help="Import Excel/CSV files (all rows or none).")
report_cli = CommandGroup("report", help="Generate reports.")
backup_cli = CommandGroup("backup", help="Back up and restore the database.")
audit_cli = CommandGroup("audit", help="Read the audit trail of corrections.")
site_cli = CommandGroup("site", help="This installation: the addresses to open.")
GROUPS = (users_cli, demo_cli, import_cli, report_cli, backup_cli, audit_cli, site_cli)
