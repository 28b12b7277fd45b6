"""The training area: classes, enrolments, course modules, sessions, attendance, self-study."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..navigation import nav_item

bp = Blueprint("training", __name__, url_prefix="/training")

nav_item("training.classes", _l("Classes"), ("admin", "staff", "instructor"), order=30)
nav_item("training.self_study_queue", _l("Self-study to verify"), ("admin", "staff", "instructor"),
         order=32)
nav_item("training.modules", _l("Course modules"), ("admin", "staff"), order=34)

from . import views  # noqa: E402,F401


@bp.cli.command("seed-modules")
def seed_modules_command() -> None:
    """Add the compulsory and elective modules of the course catalogue that are missing."""
    import click

    from .services import seed_default_modules

    click.echo(f"added {seed_default_modules()} module(s)")
