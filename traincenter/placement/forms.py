"""Forms of the placement area: they check shape; the operations check the rules."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import rules
from ..i18n import LABELS
from ..models.placement import OPENING_STATUSES
from .operations import MAX_WAGE

REQUIRED = _l("Please fill in this field.")
NOT_A_DATE = _l("Enter a date such as 2026-03-01.")
NOT_A_NUMBER = _l("Enter a number.")
CHOOSE_RATING = _l("Choose a rating from 1 to 5.")
RATINGS = [SelectChoice(5, _l("5 — very satisfied")), SelectChoice(4, _l("4 — satisfied")),
           SelectChoice(3, _l("3 — so-so")), SelectChoice(2, _l("2 — not satisfied")),
           SelectChoice(1, _l("1 — very unsatisfied"))]
OPENING_STATUS_LABELS = {"open": _l("Open"), "filled": _l("Filled"), "closed": _l("Closed")}
OUTCOME_LABELS = {
    "pending": _l("Waiting for an answer"),
    "hired": _l("Hired"),
    "declined_by_worker": _l("Declined by the worker"),
    "declined_by_employer": _l("Declined by the employer"),
}


def employer_type_choices():
    """(code, label) for every employer type of the rules."""
    return [SelectChoice(code, LABELS["employer_type"][code]) for code in rules.EMPLOYER_TYPES]


def _date(label) -> DateField:
    return DateField(label, validators=[Optional()], render_kw={"type": "date"})


def _required_date(label) -> DateField:
    return DateField(label, validators=[InputRequired(REQUIRED)], render_kw={"type": "date"})


class _DateMessages:
    """Replace WTForms' parse errors (dates, numbers, ratings) with words that say what to do."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if isinstance(field, RadioField) and field.errors:
                field.errors[:] = [CHOOSE_RATING]
            if field.process_errors and isinstance(field, (DateField, DecimalField, IntegerField)):
                message = NOT_A_DATE if isinstance(field, DateField) else NOT_A_NUMBER
                field.errors[:] = [message if e in field.process_errors else e for e in field.errors]
        return valid


class OpeningForm(_DateMessages, FlaskForm):
    """A job opening from an employer."""

    employer_name = StringField(_l("Employer"), validators=[DataRequired(REQUIRED), Length(max=100)])
    employer_type = SelectField(_l("Kind of employer"), choices=employer_type_choices,
                                validators=[DataRequired(REQUIRED)])
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=64)])
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=20)],
                                render_kw={"type": "tel"})
    job_type = StringField(_l("Job"), validators=[DataRequired(REQUIRED), Length(max=64)],
                           render_kw={"placeholder": _l("e.g. live-in nanny, hourly cleaning")})
    track_id = SelectField(_l("Track wanted"), coerce=int, validators=[DataRequired(REQUIRED)])
    place = StringField(_l("Place of work"), validators=[DataRequired(REQUIRED), Length(max=200)])
    monthly_wage = DecimalField(_l("Monthly wage (yuan)"), places=2,
                                validators=[Optional(), NumberRange(0, MAX_WAGE)],
                                render_kw={"inputmode": "decimal"})
    positions = IntegerField(_l("Number of workers wanted"), default=1,
                             validators=[InputRequired(REQUIRED), NumberRange(1, 99)],
                             render_kw={"inputmode": "numeric"})
    starts_on = _date(_l("From"))
    ends_on = _date(_l("Until"))
    status = SelectField(_l("Status"), choices=[SelectChoice(s, OPENING_STATUS_LABELS[s]) for s in OPENING_STATUSES],
                         default="open")
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def data_for_service(self) -> dict:
        """The values the operation expects."""
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        data["monthly_wage"] = float(data["monthly_wage"]) if data["monthly_wage"] is not None else None
        for name in ("contact_name", "contact_phone", "notes"):
            data[name] = (data[name] or "").strip() or None
        return data


class PlacementForm(_DateMessages, FlaskForm):
    """A placement (上岗), directly or from a recommendation."""

    worker = StringField(_l("Worker's ID number or certificate number"),
                         validators=[DataRequired(REQUIRED), Length(max=32)])
    employer_name = StringField(_l("Employer"), validators=[DataRequired(REQUIRED), Length(max=100)])
    employer_type = SelectField(_l("Kind of employer"), choices=employer_type_choices,
                                validators=[DataRequired(REQUIRED)])
    job_type = StringField(_l("Job"), validators=[DataRequired(REQUIRED), Length(max=64)])
    place = StringField(_l("Place of work"), validators=[Optional(), Length(max=200)])
    starts_on = _required_date(_l("Start date"))
    ends_on = _date(_l("End date (leave empty while the job goes on)"))
    monthly_wage = DecimalField(_l("Monthly wage (yuan)"), places=2,
                                validators=[Optional(), NumberRange(0, MAX_WAGE)],
                                render_kw={"inputmode": "decimal"})
    contract_registered = BooleanField(_l("Labour contract registered with the labour department"))
    contract_registered_on = _date(_l("Date of registration"))

    def fill_from(self, recommendation) -> None:
        """Fill the form in from a recommendation: its worker and its opening's terms."""
        opening = recommendation.opening
        self.worker.data = recommendation.trainee.id_number
        for name in ("employer_name", "employer_type", "job_type", "place", "monthly_wage",
                     "starts_on", "ends_on"):
            self[name].data = getattr(opening, name)

    def data_for_service(self) -> dict:
        """The values the operation expects (without the worker, which the view resolves)."""
        data = {name: field.data for name, field in self._fields.items()
                if name not in ("csrf_token", "worker")}
        data["monthly_wage"] = float(data["monthly_wage"]) if data["monthly_wage"] is not None else None
        data["place"] = (data["place"] or "").strip() or None
        return data


class FeedbackForm(_DateMessages, FlaskForm):
    """Feedback recorded by staff (phone call, visit, paper form)."""

    rating = RadioField(_l("Rating"), choices=RATINGS, coerce=int,
                        validators=[InputRequired(CHOOSE_RATING)])
    comment = TextAreaField(_l("What the customer said"), validators=[Optional(), Length(max=2000)])
    given_on = DateField(_l("Date"), default=date.today, validators=[InputRequired(REQUIRED)],
                         render_kw={"type": "date"})
    given_by = StringField(_l("Given by"), validators=[Optional(), Length(max=64)],
                           render_kw={"placeholder": _l("e.g. Mr Zhang, the employer")})


class PublicFeedbackForm(_DateMessages, FlaskForm):
    """The employer's own feedback through the link."""

    rating = RadioField(_l("How satisfied are you with this worker?"), choices=RATINGS, coerce=int,
                        validators=[InputRequired(CHOOSE_RATING)])
    comment = TextAreaField(_l("Anything you want to tell us (optional)"),
                            validators=[Optional(), Length(max=2000)])
    given_by = StringField(_l("Your name or family (optional)"),
                           validators=[Optional(), Length(max=64)])


class LinkForm(FlaskForm):
    """Create a feedback link / QR code for the employer."""

    valid_days = SelectField(_l("The link stays valid for"), coerce=int, default=30, choices=[
        SelectChoice(7, _l("7 days")), SelectChoice(30, _l("30 days")),
        SelectChoice(90, _l("90 days")), SelectChoice(0, _l("No time limit")),
    ])


class OutcomeForm(FlaskForm):
    """The answer to a recommendation (a hire is recorded through the placement form)."""

    outcome = SelectField(_l("Outcome"), choices=[
        SelectChoice(code, OUTCOME_LABELS[code])
        for code in ("declined_by_worker", "declined_by_employer", "pending")
    ])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])


class DeleteForm(FlaskForm):
    """Delete a placement or a feedback entered by mistake: the reason is kept."""

    reason = StringField(_l("Why is it deleted?"),
                         validators=[DataRequired(_l("Give the reason for the deletion.")),
                                     Length(max=500)])
