"""Customer feedback: recorded by staff, or given by the employer through a single-use link.

Writes: ``record_feedback`` and ``create_feedback_link`` (staff), ``submit_link_feedback`` (the
employer, no account). Read: ``usable_link`` (the link behind the employer's form). The lists of a
placement's feedback are in queries.py.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..forms import required_text
from ..models import Feedback, FeedbackLink, Placement
from ..models.base import utcnow
from ..services import audit

FEEDBACK_TOKEN_BYTES = 24


def _check_feedback(placement: Placement, rating, given_on: date, today: date) -> None:
    if rating not in (1, 2, 3, 4, 5):
        raise DomainError(_l("Choose a rating from 1 to 5."), field="rating")
    if given_on > today:
        raise DomainError(_l("The date cannot be in the future."), field="given_on")
    if given_on < placement.starts_on:
        raise DomainError(_l("Feedback cannot be dated before the job started."), field="given_on")


def record_feedback(placement: Placement, data: dict, actor, today: date | None = None) -> Feedback:
    """Staff record a customer's feedback (by phone, visit or paper form)."""
    require_staff(actor)
    today = today or date.today()
    given_on = data.get("given_on") or today
    _check_feedback(placement, data.get("rating"), given_on, today)
    feedback = Feedback(placement=placement, rating=data["rating"],
                        comment=(data.get("comment") or "").strip() or None, given_on=given_on,
                        given_by=(data.get("given_by") or "").strip() or None, channel="staff",
                        recorded_by_id=actor.id)
    db.session.add(feedback)
    db.session.commit()
    return feedback


def delete_feedback(feedback: Feedback, reason: str | None, actor) -> int:
    """Delete a feedback entered by mistake (staff, with a reason); the satisfaction figures
    follow. A link it came through stays used. Returns the placement's id.

    The event is kept on the placement (its page shows it), with every value of the feedback.
    """
    require_staff(actor)
    reason = required_text(reason, audit.REASON_MAX,
                           _l("Give the reason for deleting this feedback."))
    placement = feedback.placement
    audit.record(actor, "feedback.deleted", "placement", placement.id, reason=reason,
                 trainee_id=placement.trainee_id, details={
                     "rating": feedback.rating, "given_on": feedback.given_on,
                     "given_by": feedback.given_by, "comment": feedback.comment,
                     "channel": feedback.channel})
    db.session.execute(update(FeedbackLink).where(FeedbackLink.feedback_id == feedback.id)
                       .values(feedback_id=None))
    db.session.execute(delete(Feedback).where(Feedback.id == feedback.id))
    db.session.commit()
    db.session.expire_all()
    return placement.id


def create_feedback_link(placement: Placement, valid_days: int | None, actor,
                         today: date | None = None) -> FeedbackLink:
    """A single-use, unguessable link for the employer; ``valid_days`` None = no expiry."""
    require_staff(actor)
    today = today or date.today()
    if valid_days is not None and valid_days < 1:
        raise DomainError(_l("A link must stay valid for at least one day."), field="valid_days")
    link = FeedbackLink(placement=placement, token=secrets.token_urlsafe(FEEDBACK_TOKEN_BYTES),
                        created_by_id=actor.id,
                        expires_on=today + timedelta(days=valid_days) if valid_days else None)
    db.session.add(link)
    db.session.commit()
    return link


class LinkUnavailable(DomainError):
    """The feedback link exists but cannot be used any more (used or expired)."""


def usable_link(token: str, today: date | None = None) -> FeedbackLink | None:
    """The link for ``token``; None when unknown; ``LinkUnavailable`` when used or expired."""
    today = today or date.today()
    if not token or len(token) > 64 or not token.isprintable():
        return None
    link = db.session.scalar(select(FeedbackLink).where(FeedbackLink.token == token))
    if link is None:
        return None
    if link.used_at is not None:
        raise LinkUnavailable(_l("This feedback link has already been used. Thank you — "
                                 "each link works once."))
    if link.expires_on is not None and link.expires_on < today:
        raise LinkUnavailable(_l("This feedback link has expired. Please ask the training "
                                 "center for a new one."))
    return link


def submit_link_feedback(link: FeedbackLink, data: dict, today: date | None = None) -> Feedback:
    """Feedback given by the employer through the link: once, and only for the link's placement."""
    today = today or date.today()
    _check_feedback(link.placement, data.get("rating"), today, today)
    feedback = Feedback(placement_id=link.placement_id, rating=data["rating"],
                        comment=(data.get("comment") or "").strip() or None, given_on=today,
                        given_by=(data.get("given_by") or "").strip() or None, channel="link")
    db.session.add(feedback)
    db.session.flush()
    # Compare-and-swap: of two simultaneous submissions only one finds the link unused.
    claimed = db.session.execute(
        update(FeedbackLink)
        .where(FeedbackLink.id == link.id, FeedbackLink.used_at.is_(None))
        .values(used_at=utcnow(), feedback_id=feedback.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise LinkUnavailable(_l("This feedback link has already been used. Thank you — "
                                 "each link works once."))
    db.session.commit()
    return feedback
