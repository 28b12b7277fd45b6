"""Forms of the trainees area (shape only; cross-row checks live in the services)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import rules
from ..forms import coded_choices


class TraineeEditForm(FlaskForm):
    """The fields staff may change after registration."""

    name = StringField(_l("Name"), validators=[DataRequired(message=_l("The name is missing.")),
                                               Length(max=64)])
    phone = StringField(_l("Mobile phone"), validators=[Optional(), Length(max=20)])
    education = SelectField(_l("Education"), validators=[DataRequired()])
    origin = SelectField(_l("Origin"), validators=[DataRequired()])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=200)])
    consents_to_listing = BooleanField(_l("Agrees to be listed publicly as a certified worker"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.education.choices = coded_choices("education", rules.EDUCATION_LEVELS)
        self.origin.choices = coded_choices("origin", rules.ORIGINS)


class TraineeForm(TraineeEditForm):
    """Registering a trainee: the ID number gives birth date and gender."""

    id_number = StringField(_l("ID number (18 characters)"),
                            validators=[DataRequired(message=_l("ID number is missing")),
                                        Length(max=22)])


class ImportForm(FlaskForm):
    """A roster file and, optionally, the class to enrol every row in."""

    file = FileField(_l("Roster file (.xlsx or .csv)"),
                     validators=[FileRequired(message=_l("Choose a file to upload."))])
    class_code = StringField(_l("Enrol everyone in class (code, optional)"),
                             validators=[Optional(), Length(max=32)])


class ImportConfirmForm(FlaskForm):
    """Import the previewed roster: names the file by its identity (SHA-256) and class code."""

    digest = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    class_code = HiddenField(validators=[Optional(), Length(max=32)])


class PhotoForm(FlaskForm):
    """A photo of the trainee: staff choose a file, the trainee may use her phone's camera."""

    photo = FileField(_l("Photo"), validators=[FileRequired(message=_l("Choose or take a photo."))])
