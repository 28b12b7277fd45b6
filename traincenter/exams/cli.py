"""``flask import scores FILE --exam ID``: the score sheet import, non-interactive."""

from __future__ import annotations

from pathlib import Path

import click
from sqlalchemy import select

from ..commands import import_cli
from ..errors import DomainError
from ..extensions import db
from ..models import Exam, User
from .scoring import ScoreConflict, ScoreErrors
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
        raise click.ClickException(f"no exam with id {exam_id}")
    query = select(User).where(User.is_active_account.is_(True))
    query = (query.where(User.username == username) if username
             else query.where(User.role == "admin").order_by(User.id))
    actor = db.session.scalars(query).first()
    if actor is None:
        raise click.ClickException("no such active account" if username else "no active admin")
    try:
        read, changed = import_scores(exam, file.read_bytes(), actor, file.name, reason)
    except ScoreErrors as error:
        click.echo(str(error), err=True)
        for problem in error.details:
            where = f"line {problem.line}" if problem.line else "row"
            for message in problem.flat():
                click.echo(f"  {where} {problem.name}: {message}", err=True)
        raise SystemExit(1) from error
    except (DomainError, ScoreConflict) as error:
        click.echo(str(error), err=True)
        raise SystemExit(1) from error
    click.echo(f"read {read} rows, changed {changed} results (exam {exam.id}, as {actor.username})")
    if not changed:
        click.echo("nothing was imported: every value was already recorded", err=True)
        raise SystemExit(1)
