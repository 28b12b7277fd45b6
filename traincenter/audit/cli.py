"""``flask audit list``: the latest audited corrections, for an administrator at the console."""

from __future__ import annotations

import click

from ..commands import audit_cli
from ..i18n import label, show_datetime
from .queries import recent


@audit_cli.command("list")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000),
              help="How many events, newest first.")
def list_command(limit: int):
    """Print the latest audit events: when, who, what, which record, why."""
    for event in recent(limit):
        who = event.actor.display_name if event.actor else "—"
        reason = f" · {event.reason}" if event.reason else ""
        click.echo(f"{show_datetime(event.at)} · {who} · {label('audit_action', event.action)}"
                   f" · {label('audit_object', event.object_kind)} {event.object_id or ''}{reason}")
