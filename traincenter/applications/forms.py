"""Forms of the applications area (shape only; the rules live in the operations)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from .. import rules
from ..forms import coded_choices
from .guard import HONEYPOT_FIELD

ASAP = "asap"
CHOOSE = ("", _l("Please choose"))


def month_label(month: date | None) -> str:
    """A month as a person reads it: 2026年12月 (December 2026); None is 'as soon as possible'."""
    if month is None:
        return str(_l("As soon as possible"))
    return format_skeleton("yMMMM", month, locale=get_locale())


def month_names(year: int) -> list[tuple[int, str]]:
    """The twelve months of a year as (number, short name): 1月 … (Jan …)."""
    return [(m, format_skeleton("MMM", date(year, m, 1), locale=get_locale()))
            for m in range(1, 13)]


class ApplyForm(FlaskForm):
    """The public application form. Every check is the operation's, so that all problems are
    shown at once and nothing she typed is lost."""

    name = StringField(_l("Name"), validators=[Length(max=64)])
    id_number = StringField(_l("ID number (18 characters)"), validators=[Length(max=22)])
    phone = StringField(_l("Mobile phone"), validators=[Length(max=20)])
    education = SelectField(_l("Schooling"), validate_choice=False)
    origin = SelectField(_l("Your situation"), validate_choice=False)
    track_id = SelectField(_l("What you would like to learn"), validate_choice=False)
    preferred_start = SelectField(_l("When you would like to start"), validate_choice=False,
                                  default=ASAP)
    consents_to_processing = BooleanField(_l(
        "I agree that the training center uses the details above (name, ID number, phone …) to "
        "arrange my training."))
    consents_to_listing = BooleanField(_l(
        "After I pass and receive the certificate, I agree to be listed publicly as a certified "
        "worker (name partly hidden, track, certificate status), so that employers can check "
        "it. I can take part in the training without agreeing."))
    stamp = HiddenField()
    website = StringField(_l("Leave this field empty"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, tracks=(), today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.education.choices = [CHOOSE, *coded_choices("education", rules.EDUCATION_LEVELS)]
        self.origin.choices = [CHOOSE, *coded_choices("origin", rules.ORIGINS)]
        self.track_id.choices = [CHOOSE, *[(str(t.id), t.name) for t in tracks]]
        months = rules.preferred_start_choices(today or date.today())
        self.preferred_start.choices = [(ASAP, _l("As soon as possible"))] + [
            (month.strftime("%Y-%m"), month_label(month)) for month in months]

    def values(self) -> dict:
        """What she typed, as arguments of ``operations.submit_application``."""
        return {name: getattr(self, name).data for name in (
            "name", "id_number", "phone", "education", "origin", "track_id", "preferred_start",
            "consents_to_processing", "consents_to_listing")}

    @property
    def honeypot(self) -> str:
        """What the hidden field holds (people leave it empty)."""
        return getattr(self, HONEYPOT_FIELD).data or ""


class StatusForm(FlaskForm):
    """An applicant looks up her application with her ID number and phone."""

    id_number = StringField(_l("ID number (18 characters)"), validators=[Length(max=22)])
    phone = StringField(_l("Mobile phone"), validators=[Length(max=20)])


class AcceptForm(FlaskForm):
    """Accept into a class (the open regular classes, the wanted track first)."""

    class_id = SelectField(_l("Class"), validate_choice=False)

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.class_id.choices = [CHOOSE, *classes]


class WaitlistForm(FlaskForm):
    """Put on the wait-list, with a note for staff."""

    note = TextAreaField(_l("Note for staff (optional)"), validators=[Optional(),
                                                                      Length(max=500)])


class DeclineForm(FlaskForm):
    """Decline with a reason (the applicant sees it when she checks her status)."""

    reason = StringField(_l("Reason (the applicant sees it)"),
                         validators=[Optional(), Length(max=rules.DECLINE_REASON_MAX)])


class PosterForm(FlaskForm):
    """The contact lines printed on the poster (a GET form: nothing is stored)."""

    class Meta:
        csrf = False

    phone = StringField(_l("Telephone on the poster"), validators=[Optional(), Length(max=40)])
    address = StringField(_l("Address on the poster"), validators=[Optional(), Length(max=80)])
    note = StringField(_l("One more line (optional)"), validators=[Optional(), Length(max=60)],
                       description=_l("For example: training subsidies available"))
