"""Forms of the reports area."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from .. import rules
from ..params import parse_int

TOO_LONG = _l("At most %(max)d characters.")


class FinaliseForm(FlaskForm):
    """Finalise a year's report, with an optional note (its length is checked when finalising)."""

    note = TextAreaField(_l("Note (optional)"))


def _prose(label) -> TextAreaField:
    return TextAreaField(label, validators=[Length(max=rules.NARRATIVE_MAX_CHARS, message=TOO_LONG)])


class NarrativeForm(FlaskForm):
    """The staff's text of the report, one field per section (``rules.NARRATIVE_SECTIONS``)."""

    version = HiddenField()
    intro = _prose(_l("Opening"))
    training = _prose(_l("Content and forms of training"))
    exams = _prose(_l("Remarks on the exams"))
    placement = _prose(_l("Remarks on job placement"))
    shortcomings = _prose(_l("Shortcomings"))
    plans = _prose(_l("Next steps"))

    def texts(self) -> dict[str, str]:
        """The sections as typed."""
        return {key: getattr(self, key).data or "" for key in rules.NARRATIVE_SECTIONS}

    def draft_version(self) -> int:
        """The draft version the page was built from (0 when missing or unreadable)."""
        return parse_int(self.version.data, minimum=0) or 0
