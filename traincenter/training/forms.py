"""Forms of the training area (shape only; rules live in the operations)."""

from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .. import rules
from ..forms import coded_choices
from ..models.training import CLASS_KINDS, PROVIDER_KINDS, SESSION_FORMS
from ..params import parse_int

HOURS = dict(places=1, validators=[InputRequired(), NumberRange(min=0, max=2000)])


class ClassForm(FlaskForm):
    """A class (培训班) with its requirements and instructors."""

    code = StringField(_l("Class code"), validators=[DataRequired(), Length(max=32)])
    name = StringField(_l("Class name"), validators=[DataRequired(), Length(max=100)])
    track_id = SelectField(_l("Track"), coerce=int, validators=[DataRequired()])
    level = SelectField(_l("Level"), coerce=int, default=rules.DEFAULT_LEVEL)
    kind = SelectField(_l("Kind of class"), default="regular")
    provider_kind = SelectField(_l("Training provider"), default="union")
    provider_name = StringField(_l("Provider name"), validators=[DataRequired(), Length(max=100)])
    starts_on = DateField(_l("Starts on"), validators=[DataRequired()])
    ends_on = DateField(_l("Ends on"), validators=[DataRequired()])
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    required_total_hours = DecimalField(_l("Total hours required"), default=rules.REQUIRED_TOTAL_HOURS,
                                        **HOURS)
    required_classroom_hours = DecimalField(_l("Classroom hours required"),
                                            default=rules.REQUIRED_CLASSROOM_HOURS, **HOURS)
    required_self_study_hours = DecimalField(_l("Self-study hours required"),
                                             default=rules.REQUIRED_SELF_STUDY_HOURS, **HOURS)
    # A new class's form shows the fee setting in force (the view fills it in).
    fee = DecimalField(_l("Fee (yuan)"), places=2,
                       validators=[InputRequired(), NumberRange(min=0, max=100000)])
    capacity = IntegerField(_l("Capacity"), default=60,
                            validators=[InputRequired(), NumberRange(min=1, max=1000)])
    instructors = SelectMultipleField(_l("Instructors"), coerce=int)

    def __init__(self, *args, tracks=(), instructors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.track_id.choices = [(t.id, t.name) for t in tracks]
        self.level.choices = coded_choices("level", sorted(rules.LEVELS, reverse=True))
        self.kind.choices = coded_choices("class_kind", CLASS_KINDS)
        self.provider_kind.choices = coded_choices("provider_kind", PROVIDER_KINDS)
        self.instructors.choices = [(u.id, u.display_name) for u in instructors]

    def values(self) -> dict:
        """The form's data as arguments of ``operations.save_class``."""
        data = {name: getattr(self, name).data for name in (
            "code", "name", "track_id", "level", "kind", "provider_kind", "provider_name",
            "starts_on", "ends_on", "location", "capacity")}
        for name in ("required_total_hours", "required_classroom_hours",
                     "required_self_study_hours", "fee"):
            data[name] = float(getattr(self, name).data)
        return data


class EnrolmentForm(FlaskForm):
    """Fee, who pays it, the employment-agreement date; withdrawal."""

    fee_payer = SelectField(_l("Who pays the fee"))
    fee_amount = DecimalField(_l("Fee (yuan)"), places=2,
                              validators=[InputRequired(), NumberRange(min=0, max=100000)])
    employment_agreement_on = DateField(_l("Employment agreement signed on"),
                                        validators=[Optional()])
    withdraw = BooleanField(_l("Withdraw from the class"))
    reason = StringField(_l("Reason for withdrawal"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fee_payer.choices = coded_choices("fee_payer", rules.FEE_PAYERS)


class EnrolForm(FlaskForm):
    """Enrol one trainee (chosen from a search or by ID number)."""

    trainee_id = IntegerField(validators=[Optional()])
    id_number = StringField(_l("ID number"), validators=[Optional(), Length(max=22)])
    fee_payer = SelectField(_l("Who pays the fee"), default="self")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fee_payer.choices = coded_choices("fee_payer", rules.FEE_PAYERS)


class SessionForm(FlaskForm):
    """A session of the class against a module."""

    held_on = DateField(_l("Date"), validators=[DataRequired()])
    starts_at = TimeField(_l("Starts at"), default=time(9, 0), validators=[DataRequired()])
    hours = DecimalField(_l("Hours"), places=1, default=4,
                         validators=[InputRequired(),
                                     NumberRange(min=0.1, max=rules.SESSION_MAX_HOURS)])
    module_id = SelectField(_l("Module"), coerce=int, validators=[DataRequired()])
    form = SelectField(_l("Form"), default="lecture")
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=200)])
    location = StringField(_l("Place"), validators=[Optional(), Length(max=200)])

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.module_id.choices = [(m.id, m.name) for m in modules]
        self.form.choices = coded_choices("session_form", SESSION_FORMS)

    def values(self) -> dict:
        """The form's data as arguments of ``operations.schedule_session``."""
        data = {name: getattr(self, name).data for name in (
            "held_on", "starts_at", "module_id", "form", "topic", "location")}
        data["hours"] = float(self.hours.data)
        return data


def register_marks(form_data) -> tuple[dict[int, str], dict[int, str]]:
    """An attendance register's submitted statuses and notes, by enrolment id."""
    statuses, notes = {}, {}
    for key, value in form_data.items():
        kind, _, raw_id = key.partition("-")
        enrolment_id = parse_int(raw_id, minimum=1)
        if enrolment_id is None:
            continue
        if kind == "status":
            statuses[enrolment_id] = value
        elif kind == "note":
            notes[enrolment_id] = value
    return statuses, notes


class ModuleForm(FlaskForm):
    """A module of the course catalogue."""

    name = StringField(_l("Module name"), validators=[DataRequired(), Length(max=64)])
    is_compulsory = BooleanField(_l("Compulsory"))
    suggested_hours = DecimalField(_l("Suggested hours"), places=1,
                                   validators=[Optional(), NumberRange(min=0.5, max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])


class ModuleEditForm(ModuleForm):
    """A module being changed: why (kept in the audit trail)."""

    reason = StringField(_l("Reason for the change (optional)"),
                         validators=[Optional(), Length(max=500)])


class TrackForm(FlaskForm):
    """A track (专业方向)."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=8)])
    name = StringField(_l("Track name"), validators=[DataRequired(), Length(max=64)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    sort_order = IntegerField(_l("Order in lists"), default=0,
                              validators=[Optional(), NumberRange(min=0, max=999)])


class TrackEditForm(TrackForm):
    """A track being changed: why (kept in the audit trail)."""

    reason = StringField(_l("Reason for the change (optional)"),
                         validators=[Optional(), Length(max=500)])


class CatalogStatusForm(FlaskForm):
    """Retire a track or module, or take it back into use."""

    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])


class CatalogDeleteForm(FlaskForm):
    """Delete an unused track or module made by mistake."""

    reason = StringField(_l("Why is it deleted?"),
                         validators=[DataRequired(_l("Give the reason for the deletion.")),
                                     Length(max=500)])


class SelfStudyForm(FlaskForm):
    """Date, hours and what was studied."""

    studied_on = DateField(_l("Date"), validators=[DataRequired(message=_l("Enter the date."))])
    hours = DecimalField(_l("Hours"), places=1,
                         validators=[InputRequired(message=_l("Enter the hours studied.")),
                                     NumberRange(min=0.1, max=24,
                                                 message=_l("Enter the hours studied (more than 0)."))])
    content = TextAreaField(_l("What did you study?"),
                            validators=[DataRequired(message=_l("Write what was studied.")),
                                        Length(max=2000)])


class SelfStudyPhotoForm(SelfStudyForm):
    """The trainee's own entry, optionally with a photo of her work (checked by the operation)."""

    photo = FileField(_l("Photo of your work (optional)"))


class CheckInForm(FlaskForm):
    """A check-in: confirms a scan, or carries the six digits typed from the screen."""

    code = StringField(_l("Check-in code"), validators=[Optional(), Length(max=20)])


class RejectForm(FlaskForm):
    """Why a self-study entry is rejected."""

    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])


# Texts of the trainee's hours page (portal.hours), which shows the self-study form above.
