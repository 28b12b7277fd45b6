"""``flask users create-admin``: the first administrator account, from the shell."""

from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..commands import fail, users_cli
from ..errors import DomainError
from .operations import create_user


@users_cli.command("create-admin")
@click.option("--username", prompt=_l("Username"))
@click.option("--name", "display_name", prompt=_l("Display name"))
@click.option("--password", prompt=_l("Password"), hide_input=True, confirmation_prompt=True)
def create_admin(username: str, display_name: str, password: str) -> None:
    """Create an administrator account (prompts for what is not given)."""
    try:
        user, _password = create_user(username, display_name, "admin", password,
                                      must_change_password=False)
    except DomainError as error:
        fail(error)
    click.echo(_("Created the administrator %(username)s.", username=user.username))
