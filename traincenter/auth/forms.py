"""Forms of the auth area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Username (staff) or ID number / phone (trainee), and password."""

    login = StringField(_l("Account, ID number or phone"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=128)])


class ChangePasswordForm(FlaskForm):
    """Change one's own password."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(_l("New password (at least 8 characters)"),
                        validators=[DataRequired(), Length(min=8, max=128)])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("new", message=_l("The two new passwords differ."))])


class NewUserForm(FlaskForm):
    """An administrator creates a staff, instructor or admin account."""

    username = StringField(_l("Username"), validators=[DataRequired(), Length(min=2, max=64)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=64)])
    phone = StringField(_l("Phone (optional)"), validators=[Length(max=20)])
    role = SelectField(_l("Role"), choices=[
        SelectChoice("staff", _l("Staff")),
        SelectChoice("instructor", _l("Instructor")),
        SelectChoice("admin", _l("Administrator")),
    ])
