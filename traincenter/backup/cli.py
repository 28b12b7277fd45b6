"""``flask backup create [--out FILE]`` and ``flask backup restore FILE [--yes]``."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _

from ..commands import backup_cli, fail
from ..errors import DomainError
from .operations import check_backup_file, create_backup, database_url, replace_database


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024 / 1024:.1f} MB" if size >= 1024 * 1024 else f"{size / 1024:.1f} kB"


@backup_cli.command("create")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Backup file (default: instance/backups/traincenter-<time>.sqlite3|dump).")
def create_command(out: Path | None) -> None:
    """Back up the database while it stays in use (SQLite online backup, or pg_dump -Fc)."""
    try:
        path = create_backup(out)
    except DomainError as error:
        fail(error)
    click.echo(_("Backup written: %(path)s (%(size)s)", path=path, size=_size(path)))


@backup_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: Path, yes: bool) -> None:
    """Replace ALL data of the database with the backup FILE."""
    url = database_url()
    try:
        check_backup_file(Path(file), url.get_backend_name())
        if not yes:
            click.confirm(_("This replaces every row of %(target)s with %(file)s. Continue?",
                            target=url.render_as_string(hide_password=True), file=file),
                          abort=True)
        replace_database(Path(file))
    except DomainError as error:
        fail(error)
    click.echo(_("Restored the database from %(file)s.", file=file))
