"""``flask import trainees FILE [--class CODE]``: the web import's operations, from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import STAFF
from ..commands import import_cli
from ..errors import DomainError
from ..extensions import db
from ..models import User
from ..spreadsheets import write_csv
from .operations import import_roster
from .roster import check_roster


@import_cli.command("trainees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--class", "class_code", default=None, help="Enrol every row in this class (code).")
@click.option("--as", "username", default=None,
              help="Staff account recorded as the importer (default: the first administrator).")
@click.option("--passwords", "passwords_file", default=None,
              type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the one-time passwords to this CSV file instead of printing them.")
def import_trainees(file: Path, class_code: str | None, username: str | None,
                    passwords_file: Path | None) -> None:
    """Import a roster (.xlsx or .csv): every row or none; prints every bad row."""
    actor = _actor(username)
    check = check_roster(file.read_bytes(), file.name, class_code)
    if check.file_error:
        click.echo(f"{file.name}: {check.file_error}", err=True)
        sys.exit(1)
    if check.errors:
        for error in check.errors:
            click.echo(_("Row %(row)s [%(column)s]: %(reason)s", row=error.number,
                         column=error.column, reason=error.reason), err=True)
        click.echo(_("%(bad)s of %(rows)s rows are wrong; nothing was imported.",
                     bad=len(check.errors_by_row()), rows=len(check.rows)), err=True)
        sys.exit(1)
    with click.progressbar(length=len(check.rows), label=_("Importing"), file=sys.stderr) as bar:
        try:
            created = import_roster(check, actor, on_row=lambda _row: bar.update(1))
        except DomainError as error:
            click.echo(str(error), err=True)
            sys.exit(1)
    lines = [[t.id_number, t.name, password] for t, password in created]
    if passwords_file is not None:
        passwords_file.write_bytes(write_csv(["身份证号", "姓名", "初始密码"], lines))
        click.echo(_("One-time passwords written to %(path)s.", path=passwords_file))
    else:
        for number, name, password in lines:
            click.echo(f"{number}\t{name}\t{password}")
    if class_code:
        click.echo(_("%(n)s trainees imported into class %(code)s.", n=len(created),
                     code=class_code))
    else:
        click.echo(_("%(n)s trainees imported.", n=len(created)))


def _actor(username: str | None) -> User:
    query = select(User).where(User.role.in_(STAFF), User.is_active_account.is_(True))
    if username:
        query = query.where(User.username == username)
    user = db.session.scalar(query.order_by(User.role, User.id))
    if user is None:
        raise click.ClickException(
            _("No such staff account.") if username
            else _("Create an administrator first (flask users create-admin)."))
    return user
