"""Forms of the exams area (shape only; the rules are checked by the operations)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..models.exams import EXAM_KINDS
from ..web import format_score
from .values import ScoreRow


class ScheduleForm(FlaskForm):
    """Schedule an exam for a class."""

    class_id = SelectField(_l("Class"), coerce=int, validators=[DataRequired()])
    kind = SelectField(_l("Kind of exam"), choices=[SelectChoice(k, k) for k in EXAM_KINDS],
                       validators=[DataRequired()])
    held_on = DateField(_l("Exam date"), validators=[DataRequired(_l("Enter the exam date."))])
    place = StringField(_l("Exam place"), validators=[DataRequired(_l("Enter the exam place.")),
                                                 Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=1000)])


class AddCandidateForm(FlaskForm):
    """Add one trainee of the class as a candidate."""

    enrolment_id = SelectField(_l("Trainee"), coerce=int, validators=[DataRequired()])
    reason = StringField(_l("Reason (needed when the trainee is not eligible)"),
                         validators=[Optional(), Length(max=200)])


class UploadForm(FlaskForm):
    """Upload a filled-in score sheet."""

    file = FileField(_l("Score sheet (.xlsx or .csv)"),
                     validators=[FileRequired(_l("Choose a file."))])
    reason = StringField(_l("Reason for changing published scores"),
                         validators=[Optional(), Length(max=500)])


class UploadConfirmForm(FlaskForm):
    """Save the previewed score sheet: names the file by its identity (SHA-256)."""

    digest = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])


class CorrectForm(FlaskForm):
    """Correct one published result (staff, with a reason)."""

    theory = StringField(_l("Theory score"))
    theory_absent = BooleanField(_l("Theory absent"))
    practical = StringField(_l("Practical score"))
    practical_absent = BooleanField(_l("Practical absent"))
    version = HiddenField()
    reason = TextAreaField(_l("Reason for the change"),
                           validators=[DataRequired(_l("Give a reason for the change.")),
                                       Length(max=500)])


class WorkflowForm(FlaskForm):
    """An empty form: the CSRF token of the submit and publish buttons."""


class SendBackForm(FlaskForm):
    """Staff send the submitted scores back to the instructor, saying why."""

    comment = TextAreaField(_l("What should the instructor check or correct?"),
                            validators=[DataRequired(_l("Tell the instructor what to check or "
                                                        "correct.")), Length(max=500)])


class RemoveCandidateForm(FlaskForm):
    """Staff take a candidate off an exam before publication."""

    reason = StringField(_l("Reason for removing this candidate"),
                         validators=[DataRequired(_l("Give the reason for removing this "
                                                     "candidate.")), Length(max=200)])


class MoveDateForm(FlaskForm):
    """Staff move an exam to another day."""

    held_on = DateField(_l("New exam date"), validators=[DataRequired(_l("Enter the exam date."))])
    reason = StringField(_l("Reason for the change"),
                         validators=[DataRequired(_l("Give the reason for moving the exam.")),
                                     Length(max=200)])


CHOOSE = _l("Choose which value to keep")


@dataclass
class GridInput:
    """What the grid posted: the rows to save, what was typed (to show again), choice errors."""

    rows: list[ScoreRow] = field(default_factory=list)
    typed: dict[int, dict] = field(default_factory=dict)
    unchosen: list[int] = field(default_factory=list)
    bad: bool = False


def parse_grid(form, results, current) -> GridInput:
    """Read the grid's fields for every result shown; ``current`` maps id → stored values.

    A row in conflict carries ``choice-<id>``: ``theirs`` keeps the other person's values
    (nothing typed is saved for it), ``mine`` saves what was typed over them.
    """
    out = GridInput()
    form = form.to_dict()  # the first value of each field, in a plain dict (640 look-ups)
    for result in results:
        key = result.id
        if f"v-{key}" not in form:
            continue  # a read-only row (not editable by this user)
        try:
            version = int(form.get(f"v-{key}", ""))
        except ValueError:
            out.bad = True
            continue
        typed = {
            "theory": form.get(f"t-{key}", ""), "practical": form.get(f"p-{key}", ""),
            "theory_absent": form.get(f"ta-{key}") == "1",
            "practical_absent": form.get(f"pa-{key}") == "1", "version": version,
        }
        choice = form.get(f"choice-{key}")
        if form.get(f"conflict-{key}") and choice not in ("mine", "theirs"):
            out.unchosen.append(key)
        elif choice == "theirs":
            typed.update(current[key])
        out.typed[key] = typed
        out.rows.append(ScoreRow(key, typed["theory"], typed["practical"],
                                 typed["theory_absent"], typed["practical_absent"],
                                 typed["version"]))
    return out


def stored_values(result) -> dict:
    """A result's stored values as the grid's inputs show them."""
    theory_absent, practical_absent = bool(result.theory_absent), bool(result.practical_absent)
    return {
        "theory": "" if theory_absent else format_score(result.theory_score),
        "theory_absent": theory_absent,
        "practical": "" if practical_absent else format_score(result.practical_score),
        "practical_absent": practical_absent,
        "version": result.version,
    }
