"""Forms of the reports area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField


class FinaliseForm(FlaskForm):
    """Finalise a year's report, with an optional note (its length is checked when finalising)."""

    note = TextAreaField(_l("Note (optional)"))
