"""``flask import trainees FILE [--class CODE]``: the web import's service, from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import select

from ..commands import import_cli
from ..errors import DomainError
from ..extensions import db
from ..models import User


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
    from ..spreadsheets import write_csv
    from .importing import check_roster, import_roster

    actor = _actor(username)
    check = check_roster(file.read_bytes(), file.name, class_code)
    if check.file_error:
        click.echo(f"{file.name}: {check.file_error}", err=True)
        sys.exit(1)
    if check.errors:
        for error in check.errors:
            click.echo(f"第{error.number}行 row {error.number} [{error.column}]: {error.reason}",
                       err=True)
        bad_rows = len(check.errors_by_row())
        click.echo(f"{bad_rows} bad row(s) of {len(check.rows)}; nothing was imported.", err=True)
        sys.exit(1)
    with click.progressbar(length=len(check.rows), label="Importing", file=sys.stderr) as bar:
        try:
            created = import_roster(check, actor, on_row=lambda _row: bar.update(1))
        except DomainError as error:
            click.echo(str(error), err=True)
            sys.exit(1)
    lines = [[t.id_number, t.name, password] for t, password in created]
    if passwords_file is not None:
        passwords_file.write_bytes(write_csv(["身份证号", "姓名", "初始密码"], lines))
        click.echo(f"one-time passwords written to {passwords_file}")
    else:
        for number, name, password in lines:
            click.echo(f"{number}\t{name}\t{password}")
    click.echo(f"imported {len(created)} trainee(s)" + (f" into class {class_code}" if class_code else ""))


def _actor(username: str | None) -> User:
    query = select(User).where(User.role.in_(("admin", "staff")), User.is_active_account.is_(True))
    if username:
        query = query.where(User.username == username)
    user = db.session.scalar(query.order_by(User.role, User.id))
    if user is None:
        raise click.ClickException(
            "no such staff account" if username else "create an administrator first "
            "(flask users create-admin)")
    return user
