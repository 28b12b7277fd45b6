"""Portal: the trainee's home page — hours, latest result, next step and status at a glance."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import role_required
from ..extensions import db
from ..models import Enrolment, Trainee
from ..navigation import nav_item
from ..retraining.next_step import describe_next_step
from ..services import attempts, fitness, progress
from . import bp

nav_item("portal.home", _l("My page"), ("trainee",), order=10)


def trainee_overview(trainee_id: int, today: date) -> dict:
    """What the trainee's home page shows, in a fixed number of queries."""
    trainee = db.session.scalar(
        select(Trainee).where(Trainee.id == trainee_id).options(
            selectinload(Trainee.enrolments).selectinload(Enrolment.training_class)))
    enrolments = sorted(trainee.enrolments, key=lambda e: e.training_class.starts_on, reverse=True)
    current = [e for e in enrolments if e.status == "active"]
    eligibility = progress.eligibility_for(current)
    courses = {e.course_enrolment_id for e in enrolments}
    results = attempts.course_results(courses)
    latest = max((r for rs in results.values() for r in rs),
                 key=lambda r: (r.exam.held_on, r.id), default=None)
    return {
        "trainee": trainee,
        "current": [(e, eligibility[e.id]) for e in current],
        "latest": latest,
        "next_steps": describe_next_step(trainee_id, today),
        "status": fitness.duty_status(trainee_id, today),
        "has_certificate": any(not c.is_revoked for c in trainee.certificates),
    }


@bp.route("/")
@role_required("trainee")
def home():
    """The trainee's home page."""
    overview = trainee_overview(current_user.trainee_id, date.today())
    return render_template("portal/home.html", **overview)
