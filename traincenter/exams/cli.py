"""``flask import scores FILE --exam ID``: the score sheet import, non-interactive."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from sqlalchemy import select

from ..commands import fail, import_cli
from ..errors import DomainError
from ..extensions import db
from ..models import Exam, User
from .scores import ScoreErrors
from .sheets import import_scores


@import_cli.command("scores")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--exam", "exam_id", required=True, type=int, help="Exam id (see the exam's page).")
@click.option("--user", "username", default=None,
              help="Account recorded as having imported (default: the first active admin).")
@click.option("--reason", default=None, help="Reason, required when the exam is published.")
def import_scores_command(file: Path, exam_id: int, username: str | None, reason: str | None):
    """Import a score sheet (.xlsx/.csv): all rows or none; exits 1 when nothing was imported."""
    exam = db.session.get(Exam, exam_id)
    if exam is None:
        raise click.ClickException(_("There is no exam with id %(id)s.", id=exam_id))
    query = select(User).where(User.is_active_account.is_(True))
    query = (query.where(User.username == username) if username
             else query.where(User.role == "admin").order_by(User.id))
    actor = db.session.scalars(query).first()
    if actor is None:
        raise click.ClickException(_("There is no such active account.") if username
                                   else _("There is no active administrator account."))
    try:
        read, changed = import_scores(exam, file.read_bytes(), actor, file.name, reason)
    except ScoreErrors as error:
        click.echo(str(error), err=True)
        for problem in error.details:
            for message in problem.flat():
                line = (_("Line %(line)s, %(name)s: %(message)s", line=problem.line,
                          name=problem.name, message=message) if problem.line
                        else _("%(name)s: %(message)s", name=problem.name, message=message))
                click.echo(f"  {line}", err=True)
        raise SystemExit(1) from error
    except DomainError as error:  # an unreadable file, a conflict, a refusal
        fail(error)
    click.echo(_("Read %(read)s rows, changed %(changed)s results (exam %(exam)s, as %(user)s).",
                 read=read, changed=changed, exam=exam.id, user=actor.username))
    if not changed:
        click.echo(_("Nothing was imported: every value was already recorded."), err=True)
        raise SystemExit(1)
