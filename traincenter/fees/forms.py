"""Forms of the fees area (shape only; the rules live in the operations)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .. import rules
from ..forms import coded_choices


class EntryForm(FlaskForm):
    """A payment, refund or waiver. The amount is text: the operation reads it exactly."""

    kind = SelectField(_l("What"), default="payment")
    amount = StringField(_l("Amount (yuan)"), validators=[
        DataRequired(_l("Enter the amount.")), Length(max=20)])
    happened_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date."))])
    payer = SelectField(_l("Paid by / refunded to"), validators=[Optional()])
    payer_name = StringField(_l("Name of the employer or subsidy office (optional)"),
                             validators=[Optional(), Length(max=100)])
    method = SelectField(_l("How"), validators=[Optional()])
    reason = TextAreaField(_l("Reason (needed for a refund or waiver)"),
                           validators=[Optional(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = coded_choices("fee_entry_kind", rules.FEE_ENTRY_KINDS)
        self.payer.choices = coded_choices("fee_payer", rules.FEE_PAYERS)
        self.method.choices = coded_choices("payment_method", rules.PAYMENT_METHODS)


class ReverseForm(FlaskForm):
    """Reverse an entry: the reason is required and kept."""

    reason = TextAreaField(_l("Why is this entry reversed?"), validators=[
        DataRequired(_l("Say why the entry is reversed.")), Length(max=500)])
