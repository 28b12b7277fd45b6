"""Forms of the certificates area: shape checks only; rules live in the operations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import rules
from ..forms import coded_choices


class IssueForm(FlaskForm):
    """Issue a certificate to one enrolment."""

    enrolment_id = HiddenField(validators=[DataRequired()])


class RevokeForm(FlaskForm):
    """Revoke a certificate: the reason is required."""

    reason = TextAreaField(_l("Reason for revoking"), validators=[
        DataRequired(_l("Please give the reason for revoking.")), Length(max=500)])


class ReviewForm(FlaskForm):
    """Keep a flagged certificate: a note saying why it stands."""

    note = TextAreaField(_l("Note"), validators=[
        DataRequired(_l("Please write a note saying why the certificate stands.")),
        Length(max=400)])


class HealthForm(FlaskForm):
    """Record one health certificate."""

    trainee = StringField(_l("Trainee (ID number, phone or full name)"), validators=[
        DataRequired(_l("Enter the trainee's ID number, phone number or full name.")),
        Length(max=64)])
    number = StringField(_l("Health certificate number"), validators=[
        DataRequired(_l("Enter the health certificate number.")), Length(max=64)])
    issuer = StringField(_l("Issued by"), validators=[
        DataRequired(_l("Enter who issued the health certificate.")), Length(max=100)])
    issued_on = DateField(_l("Issue date"), validators=[DataRequired(_l("Enter the issue date."))])
    expires_on = DateField(_l("Valid until"), validators=[Optional()])


class BackgroundForm(FlaskForm):
    """Record a background check (背景核查)."""

    status = SelectField(_l("Result"), default="passed")
    checked_on = DateField(_l("Date of the check"), validators=[
        DataRequired(_l("Enter the date of the check."))])
    valid_until = DateField(_l("Valid until (if the document says)"), validators=[Optional()])
    reference = StringField(_l("Document number"), validators=[Optional(), Length(max=64)])
    issuer = StringField(_l("Issuing office"), validators=[Optional(), Length(max=100)])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = coded_choices("background_status", rules.BACKGROUND_STATUSES)


class InsuranceForm(FlaskForm):
    """Record a liability insurance policy (从业责任保险)."""

    insurer = StringField(_l("Insurance company"), validators=[
        DataRequired(_l("Enter the insurance company.")), Length(max=100)])
    policy_number = StringField(_l("Policy number"), validators=[
        DataRequired(_l("Enter the policy number.")), Length(max=64)])
    starts_on = DateField(_l("Policy starts on"), validators=[
        DataRequired(_l("Enter the date the policy starts."))])
    expires_on = DateField(_l("Policy ends on"), validators=[Optional()])
