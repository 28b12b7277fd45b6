"""Online applications of the demo (issue 16): the class running now was partly filled from the
application form; a few applications wait for review, some are on the waiting list, some were
declined. Drawn from a generator of their own (the rest of the demo is unchanged by them)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from .. import rules
from ..extensions import db
from ..models import Application, Enrolment, Trainee, TrainingClass, User
from ..models.base import utcnow
from . import pools
from .context import Demo
from .people import unused_id_number

SEED_OFFSET = 16  # the number: a stream apart from the main one
DEMO_ADDRESS = "demo"
DECLINE_REASONS = ("年龄超过72岁，暂不适合参加育婴培训", "电话三次无人接听，请重新报名并留对电话",
                   "本期名额已满，下期开班前会再通知您")


def seed_applications(demo: Demo, seed: int) -> int:
    """Add the applications (not committed); returns how many."""
    rng = random.Random(seed + SEED_OFFSET)
    session = db.session
    today = demo.today
    staff = session.scalar(select(User.id).where(User.role == "staff").order_by(User.id))
    running = session.scalar(
        select(TrainingClass).where(TrainingClass.kind == "regular",
                                    TrainingClass.starts_on <= today,
                                    TrainingClass.ends_on >= today)
        .order_by(TrainingClass.starts_on.desc()))
    rows: list[Application] = []
    if running is not None:
        trainees = session.scalars(
            select(Trainee).join(Enrolment, Enrolment.trainee_id == Trainee.id)
            .where(Enrolment.class_id == running.id).order_by(Trainee.id)).all()
        for trainee in trainees[::3]:  # a third of the class applied online
            sent = running.starts_on - timedelta(days=rng.randint(12, 40))
            decided = min(sent + timedelta(days=rng.randint(2, 9)), running.starts_on)
            rows.append(_application(rng, demo, trainee.name, trainee.id_number, trainee.phone,
                                     trainee.education, trainee.origin, running.track_id, sent,
                                     status="accepted", decided_on=decided, staff=staff,
                                     class_id=running.id, trainee_id=trainee.id,
                                     listing=trainee.consents_to_listing))
    tracks = list(demo.tracks.values())
    plan = ([("received", rng.randint(0, 13)) for _ in range(6)]
            + [("waitlisted", rng.randint(14, 60)) for _ in range(3)]
            + [("declined", rng.randint(20, 300)) for _ in range(len(DECLINE_REASONS))]
            + [("received", rng.randint(0, 2))])
    declined_count = 0
    for status, days_ago in plan:
        gender = "F"
        reason = None
        if status == "declined":
            reason = DECLINE_REASONS[declined_count]
            declined_count += 1
        age = 73 if reason == DECLINE_REASONS[0] else rng.randint(24, 66)
        sent = today - timedelta(days=days_ago)
        birth_on = sent - timedelta(days=age * 365 + rng.randint(0, 364))
        number, _ = unused_id_number(demo, rng, birth_on, gender)
        phone = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
        rows.append(_application(
            rng, demo, pools.person_name(rng, gender), number, phone,
            pools.weighted(rng, pools.EDUCATION), pools.weighted(rng, pools.ORIGINS),
            rng.choice(tracks), sent, status=status,
            decided_on=sent + timedelta(days=rng.randint(1, 6)) if status != "received" else None,
            staff=staff, reason=reason, listing=rng.random() < pools.LISTING_CONSENT_SHARE,
            preferred=rng.choice([None, *rules.preferred_start_choices(sent)[:3]])))
    session.add_all(rows)
    return len(rows)


def _application(rng, demo: Demo, name, number, phone, education, origin, track_id,
                 sent: date, *, status, decided_on=None, staff=None, class_id=None,
                 trainee_id=None, reason=None, listing=False, preferred=None) -> Application:
    parsed = rules.parse_id_number(number, demo.today)
    decided = decided_on is not None
    return Application(
        name=name, id_number=parsed.number, gender=parsed.gender, birth_on=parsed.birth_on,
        phone=phone, education=education, origin=origin, track_id=track_id,
        preferred_start_on=preferred, consents_to_processing=True, consents_to_listing=listing,
        status=status, submitted_at=min(demo.at(sent, rng.randint(7, 21), rng.randint(0, 59)),
                                        utcnow()),
        submitted_on=sent, address_key=DEMO_ADDRESS, decline_reason=reason,
        decided_by_id=staff if decided else None,
        decided_at=demo.at(decided_on, 10, 0) if decided else None,
        decided_on=decided_on, class_id=class_id, trainee_id=trainee_id)
