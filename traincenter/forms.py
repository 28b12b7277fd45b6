"""Forms every area shares, and the one way a view shows an operation's refusal on a form."""

from __future__ import annotations

from flask import flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from .errors import DomainError
from .i18n import LABELS


class ConfirmForm(FlaskForm):
    """An empty form: a CSRF-protected button (log out, reset a password, issue, recommend …)."""


def coded_choices(kind: str, codes) -> list[tuple[str, str]]:
    """(code, label) pairs for a select of coded values (labels from ``i18n.LABELS``)."""
    return [(code, LABELS[kind][code]) for code in codes]


def show_error(form, error: DomainError) -> None:
    """Show an operation's refusal on the fields it names, else as a message at the top."""
    problems = error.field_errors or [(error.field, error.message)]
    for field, message in problems:
        target = getattr(form, field or "", None) if form is not None else None
        if target is not None and hasattr(target, "errors"):
            target.errors = list(target.errors) + [str(message)]
        else:
            flash(str(message), "error")


def required_text(text: str | None, limit: int, missing, field: str = "reason") -> str:
    """A required free text (a reason, a comment) stripped; ``DomainError`` on ``field`` when it
    is empty (``missing`` says what to write) or longer than ``limit`` characters."""
    text = (text or "").strip()
    if not text:
        raise DomainError(missing, field=field)
    if len(text) > limit:
        raise DomainError(_l("At most %(n)s characters.", n=limit), field=field)
    return text
