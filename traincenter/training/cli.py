"""``flask training seed-modules``: the standard modules of the course catalogue."""

from __future__ import annotations

import click
from flask_babel import gettext as _

from ..commands import localised
from . import bp
from .operations import seed_default_modules


@bp.cli.command("seed-modules")
@localised
def seed_modules_command() -> None:
    """Add the compulsory and elective modules of the course catalogue that are missing."""
    click.echo(_("%(n)s standard modules added.", n=seed_default_modules()))
