"""Forms of the retraining area (shape only; the operations check the rules)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

HOURS = NumberRange(min=0, max=1000, message=_l("Hours run from 0 to 1000."))


class RetrainingClassForm(FlaskForm):
    """A new retraining class; the chosen courses travel as repeated ``course`` fields."""

    code = StringField(_l("Class code"), validators=[
        InputRequired(_l("Enter a class code.")), Length(max=32, message=_l("At most 32 characters."))])
    name = StringField(_l("Class name"), validators=[
        InputRequired(_l("Enter a class name.")), Length(max=100, message=_l("At most 100 characters."))])
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day."))])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day."))])
    location = StringField(_l("Place"), validators=[
        Optional(), Length(max=200, message=_l("At most 200 characters."))])
    instructor_ids = SelectMultipleField(_l("Instructors"), coerce=int, validators=[Optional()])
    required_total_hours = DecimalField(_l("Required hours in total"), places=1, validators=[
        InputRequired(_l("Enter the required hours.")), HOURS])
    required_classroom_hours = DecimalField(_l("of which classroom hours"), places=1, validators=[
        InputRequired(_l("Enter the required hours.")), HOURS])
    required_self_study_hours = DecimalField(_l("of which self-study hours"), places=1, validators=[
        InputRequired(_l("Enter the required hours.")), HOURS])
    capacity = IntegerField(_l("Places"), validators=[
        InputRequired(_l("Enter the number of places.")),
        NumberRange(min=1, max=500, message=_l("Between 1 and 500 places."))])
    fee = DecimalField(_l("Fee per trainee (yuan)"), places=2, validators=[
        InputRequired(_l("Enter the fee (0 when free).")),
        NumberRange(min=0, max=100000, message=_l("Between 0 and 100000 yuan."))])

    def values(self) -> dict:
        """The cleaned values for ``operations.create_retraining_class``."""
        return {
            "code": self.code.data, "name": self.name.data, "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data, "location": self.location.data,
            "instructor_ids": list(self.instructor_ids.data or []),
            "required_total_hours": float(self.required_total_hours.data),
            "required_classroom_hours": float(self.required_classroom_hours.data),
            "required_self_study_hours": float(self.required_self_study_hours.data),
            "capacity": self.capacity.data, "fee": float(self.fee.data),
        }


class ChooseClassForm(FlaskForm):
    """Pick a class (an existing retraining class, or a regular class to start again in)."""

    class_id = SelectField(_l("Class"), coerce=int, validators=[
        InputRequired(_l("Choose a class."))])
