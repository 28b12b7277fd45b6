"""After the exams: enrolment statuses, certificates, health certificates, jobs and feedback."""

from __future__ import annotations

from datetime import timedelta

from .. import rules
from . import pools
from .context import Course, Demo
from .exams import _text, combined, plan_of


def settle(demo: Demo, course: Course) -> None:
    """The enrolment status that ``services.attempts.settle_courses`` would give, dated."""
    if course.withdrawn:
        return
    plan = plan_of(demo, course, demo.today)
    status = {"passed": "passed", "limit_reached": "not_passed"}.get(plan.status, "active")
    published = [attempt for attempt in course.attempts if attempt.published]
    closed_on = published[-1].cls.published_at.date() if status != "active" else None
    rows = [course.row] + ([demo.plan.rows["reenrolment"][course.reenrolment.index]]
                           if course.reenrolment else [])
    for row in rows:
        row.update(status=status, closed_on=closed_on,
                   closed_reason="attempt_limit" if status == "not_passed" else None)


def certificates(demo: Demo) -> None:
    """A certificate for every passed course once staff had time to print it."""
    issued = []
    for course in demo.courses:
        if course.row["status"] != "passed":
            continue
        attempt = course.attempts[-1]
        issued_on = demo.days_after(attempt.cls.published_at.date(), 3, 20)
        if issued_on <= demo.today:
            issued.append((issued_on, course.trainee, course))
    issued.sort(key=lambda item: item[:2])
    sequence: dict[tuple[int, str], int] = {}
    for issued_on, _, course in issued:
        attempt = course.attempts[-1]
        key = (issued_on.year, course.cls.track)
        sequence[key] = sequence.get(key, 0) + 1
        scores = {part: (attempt.carried[part] if part in attempt.carried else attempt)
                  .row[f"{part}_score"] for part in rules.PARTS}
        course.certificate = {
            "number": rules.certificate_number(issued_on.year, course.cls.track, sequence[key]),
            "verification_code": demo.token(12),  # 96 bits, 16 url-safe characters
            "trainee_id": course.row["trainee_id"], "enrolment_id": course.enrolment,
            "result_id": attempt.ref, "track_id": demo.tracks[course.cls.track], "level": 5,
            "hours_completed": round(course.classroom_hours + course.self_study_hours
                                     + course.retraining_hours, 1),
            "theory_score": scores["theory"], "practical_score": scores["practical"],
            "issued_on": issued_on, "issued_by_id": demo.accounts["staff"].id,
            "revoked_at": None, "revoked_by_id": None, "revocation_reason": None,
            "needs_review": False, "review_reason": None, "created_at": demo.at(issued_on, 11),
        }
        demo.plan.add("certificate", course.certificate)


def choose_demo_trainee(demo: Demo) -> Course:
    """The trainee behind the ``trainee`` account: certified at the latest published class."""
    for cls in reversed(demo.classes):
        if cls.kind == "regular" and cls.exam_state == "published":
            for course in cls.courses:
                if course.certificate and course.situation is None and len(course.attempts) == 1:
                    course.situation = "demo_trainee"
                    return course
    raise RuntimeError("no certified trainee for the demo account")


def correct_and_revoke(demo: Demo) -> None:
    """One published score corrected after the certificate (flagged for review), a few revoked."""
    holders = [c for c in demo.courses if c.certificate and c.situation is None]
    flagged = next(c for c in holders if len(c.attempts) == 1
                   and c.attempts[0].row["practical_score"] is not None)
    flagged.situation = "needs_review"
    attempt = flagged.attempts[0]
    when = demo.at(demo.days_after(flagged.certificate["issued_on"], 10, 40), 15)
    demo.plan.add("score_change", {
        "result_id": attempt.ref, "field": "practical",
        "old_value": _text(attempt.row["practical_score"]), "new_value": "57.5",
        "reason": pools.CORRECTION_REASON, "source": "correction",
        "changed_by_id": demo.accounts["staff"].id, "changed_at": when,
    })
    attempt.row.update(practical_score=57.5, version=2, updated_at=when,
                       updated_by_id=demo.accounts["staff"].id)
    attempt.row["is_passed"] = combined(demo, attempt.row, attempt.carried)
    flagged.certificate.update(needs_review=True, review_reason=pools.REVIEW_REASON)
    settle(demo, flagged)
    old = [c for c in holders if c.situation is None
           and c.certificate["issued_on"] < demo.today - timedelta(days=90)]
    count = max(2, round(len(holders) * 0.004))
    for course in demo.rng.sample(old, min(count, len(old))):
        course.situation = "revoked"
        course.certificate.update(
            revoked_at=demo.at(demo.days_after(course.certificate["issued_on"], 20, 60), 16),
            revoked_by_id=demo.accounts["admin"].id,
            revocation_reason=demo.rng.choice(pools.REVOCATION_REASONS))


def health_certificates(demo: Demo, demo_trainee: Course) -> None:
    """Health checks at graduation, renewed yearly by most: some expire soon, some lapsed."""
    rng, number = demo.rng, 0
    warning = demo.settings["health_warning_days"]
    for course in demo.courses:
        if not course.certificate or (course is not demo_trainee and rng.random() < 0.07):
            continue
        issued_on = demo.days_after(course.attempts[-1].held_on, 2, 25)
        chain = []
        while issued_on <= demo.today:
            chain.append((issued_on, rules.health_expiry_default(issued_on)))
            if rng.random() > 0.7:
                break
            issued_on = chain[-1][1] - timedelta(days=rng.randint(0, 25))
        if course is demo_trainee and (not chain or chain[-1][1] < demo.today + timedelta(days=60)):
            start = demo.today - timedelta(days=20)
            chain.append((start, rules.health_expiry_default(start)))
        last = chain[-1] if chain else None
        if last and last[1] > demo.today + timedelta(days=warning) and rng.random() < 0.1 \
                and course is not demo_trainee:
            # Due for renewal: expires within the warning window (yellow on the status pages).
            expires = demo.today + timedelta(days=rng.randint(2, warning - 2))
            issued = rules.add_months(expires, -rules.HEALTH_VALIDITY_MONTHS)
            if issued >= course.cls.starts_on and (len(chain) == 1 or issued > chain[-2][0]):
                chain[-1] = (issued, expires)
        course.health = chain
        for issued, expires in chain:
            number += 1
            demo.plan.add("health", {
                "trainee_id": course.row["trainee_id"], "number": f"JK{issued.year}{number:06d}",
                "issuer": pools.HEALTH_ISSUERS[number % len(pools.HEALTH_ISSUERS)],
                "issued_on": issued, "expires_on": expires,
                "recorded_by_id": demo.accounts["staff"].id, "recorded_at": demo.at(issued, 15),
            })

