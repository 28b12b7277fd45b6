"""Job openings, recommendations, placements (上岗), feedback and feedback links."""

from __future__ import annotations

from datetime import date, timedelta

from . import pools
from .context import Course, Demo

RATINGS = ((5, 55), (4, 30), (3, 10), (2, 3), (1, 2))


def fit_on(course: Course, day: date) -> bool:
    """Fit for duty on ``day``: a standing certificate and a health certificate valid that day."""
    certificate = course.certificate
    if certificate is None or certificate["needs_review"]:
        return False
    if certificate["revoked_at"] is not None and certificate["revoked_at"].date() <= day:
        return False
    return any(issued <= day <= expires for issued, expires in course.health)


def placements(demo: Demo) -> None:
    """Most certified workers start a job within weeks; employers match the track (篇4)."""
    rng, today = demo.rng, demo.today
    certified: dict[str, list[Course]] = {}
    for course in demo.courses:
        if course.certificate and course.health:
            certified.setdefault(course.cls.track, []).append(course)
    recent = []
    for track, courses in certified.items():
        for course in courses:
            if rng.random() > 0.78:
                continue
            starts_on = demo.days_after(max(course.certificate["issued_on"], course.health[0][0]),
                                        2, 45)
            if starts_on > today or not fit_on(course, starts_on):
                continue
            placement = _placement(demo, course, track, starts_on)
            ref = demo.plan.add("placement", placement)
            recent.append((starts_on, ref))
            if starts_on > today - timedelta(days=30):
                continue
            if rng.random() < 0.85:
                _feedback(demo, ref, placement)
            if placement["opening_id"] is not None and rng.random() < 0.25:
                _declined(demo, placement, courses, course)
    recent.sort(key=lambda item: item[0])
    unused = [ref for day, ref in recent if day > today - timedelta(days=30) and rng.random() < 0.3]
    for ref in unused or [ref for _, ref in recent[-3:]]:
        demo.plan.add("feedback_link", {
            "placement_id": ref, "token": demo.token(24), "created_by_id": demo.accounts["staff"].id,
            "created_at": demo.at(today - timedelta(days=2)), "feedback_id": None, "used_at": None,
            "expires_on": demo.days_after(today, 14, 30),
        })
    open_openings(demo, certified)


def _placement(demo: Demo, course: Course, track: str, starts_on: date) -> dict:
    rng, today = demo.rng, demo.today
    employer_type = pools.weighted(rng, pools.EMPLOYERS[track])
    if employer_type == "household":
        employer = f"{rng.choice(pools.SURNAMES)}{rng.choice(pools.HOUSEHOLD_CONTACTS)}家"
    else:
        employer = rng.choice(pools.EMPLOYER_NAMES[employer_type])
    low, high = pools.WAGES[track]
    wage = float(rng.randint(low // 100, high // 100) * 100)
    job_type = rng.choice(pools.JOB_TYPES[track])
    place = f"常德市{rng.choice(pools.REGIONS[:2])[1]}"
    opening = recommendation = None
    if employer_type != "household" or rng.random() < 0.5:
        opening = demo.plan.add("opening", {
            "employer_name": employer, "employer_type": employer_type,
            "contact_name": f"{rng.choice(pools.SURNAMES)}{rng.choice(pools.HOUSEHOLD_CONTACTS)}",
            "contact_phone": f"13{rng.randint(0, 999_999_999):09d}", "job_type": job_type,
            "track_id": demo.tracks[track], "place": place, "monthly_wage": wage,
            "positions": 1, "starts_on": starts_on, "ends_on": None, "status": "filled",
            "notes": None, "created_by_id": demo.accounts["staff"].id,
            "created_at": demo.at(starts_on - timedelta(days=rng.randint(10, 30))),
        })
        recommendation = demo.plan.add("recommendation", {
            "opening_id": opening, "trainee_id": course.row["trainee_id"],
            "recommended_by_id": demo.accounts["staff"].id,
            "recommended_at": demo.at(starts_on - timedelta(days=rng.randint(3, 9))),
            "outcome": "hired", "outcome_note": None,
            "decided_at": demo.at(starts_on - timedelta(days=rng.randint(1, 2))),
        })
    ends_on = demo.days_after(starts_on, 60, 300) if rng.random() < 0.3 else None
    registered = rng.random() < (0.35 if employer_type in ("household", "other") else 0.75)
    registered_on = demo.days_after(starts_on, 3, 20) if registered else None
    if registered_on and registered_on > today:
        registered_on = None
    return {
        "trainee_id": course.row["trainee_id"], "opening_id": opening,
        "recommendation_id": recommendation, "employer_name": employer,
        "employer_type": employer_type, "job_type": job_type, "place": place,
        "starts_on": starts_on, "ends_on": ends_on if ends_on and ends_on <= today else None,
        "monthly_wage": wage, "contract_registered": registered_on is not None,
        "contract_registered_on": registered_on, "created_by_id": demo.accounts["staff"].id,
        "created_at": demo.at(starts_on, 16),
    }


def _feedback(demo: Demo, placement_ref, placement: dict) -> None:
    rng = demo.rng
    given_on = min(demo.days_after(placement["starts_on"], 30, 120), demo.today)
    rating = pools.weighted(rng, RATINGS)
    by_link = rng.random() < 0.4
    feedback = demo.plan.add("feedback", {
        "placement_id": placement_ref, "rating": rating,
        "comment": rng.choice(pools.FEEDBACK_COMMENTS[rating]) if rng.random() < 0.7 else None,
        "given_on": given_on, "given_by": rng.choice(pools.FEEDBACK_GIVERS),
        "channel": "link" if by_link else "staff",
        "recorded_by_id": None if by_link else demo.accounts["staff"].id,
        "created_at": demo.at(given_on, 19),
    })
    if by_link:
        demo.plan.add("feedback_link", {
            "placement_id": placement_ref, "token": demo.token(24),
            "created_by_id": demo.accounts["staff"].id,
            "created_at": demo.at(given_on - timedelta(days=rng.randint(1, 10))),
            "expires_on": given_on + timedelta(days=30), "used_at": demo.at(given_on, 19),
            "feedback_id": feedback,
        })


def _declined(demo: Demo, placement: dict, courses: list[Course], hired: Course) -> None:
    """Another worker was put forward for the same opening and did not take the job."""
    other = demo.rng.choice(courses)
    if other is hired or other.certificate["issued_on"] >= placement["starts_on"]:
        return
    demo.plan.add("recommendation", {
        "opening_id": placement["opening_id"], "trainee_id": other.row["trainee_id"],
        "recommended_by_id": demo.accounts["staff"].id,
        "recommended_at": demo.at(placement["starts_on"] - timedelta(days=12)),
        "outcome": demo.rng.choice(("declined_by_worker", "declined_by_employer")),
        "outcome_note": demo.rng.choice(("离家太远", "雇主希望年轻一些", "工资未谈拢")),
        "decided_at": demo.at(placement["starts_on"] - timedelta(days=8)),
    })


def open_openings(demo: Demo, certified: dict[str, list[Course]]) -> None:
    """Openings still looking for workers, some with a recommendation awaiting an answer."""
    rng, today = demo.rng, demo.today
    count = max(4, len(demo.plan.rows["placement"]) // 40)
    for number in range(count):
        track = pools.weighted(rng, pools.TRACKS)
        employer_type = pools.weighted(rng, [e for e in pools.EMPLOYERS[track] if e[0] != "household"]
                                       or pools.EMPLOYERS[track])
        low, high = pools.WAGES[track]
        opening = demo.plan.add("opening", {
            "employer_name": rng.choice(pools.EMPLOYER_NAMES.get(employer_type, ("王女士家",))),
            "employer_type": employer_type, "contact_name": f"{rng.choice(pools.SURNAMES)}经理",
            "contact_phone": f"15{rng.randint(0, 999_999_999):09d}",
            "job_type": rng.choice(pools.JOB_TYPES[track]), "track_id": demo.tracks[track],
            "place": "常德市武陵区", "monthly_wage": float(rng.randint(low // 100, high // 100) * 100),
            "positions": rng.randint(1, 4), "starts_on": demo.days_after(today, 7, 40),
            "ends_on": None, "status": "open", "notes": "要求持证上岗，健康证有效",
            "created_by_id": demo.accounts["staff"].id,
            "created_at": demo.at(today - timedelta(days=number % 20 + 1)),
        })
        candidates = [c for c in certified.get(track, ()) if fit_on(c, today)]
        for course in rng.sample(candidates, min(len(candidates), rng.randint(0, 2))):
            demo.plan.add("recommendation", {
                "opening_id": opening, "trainee_id": course.row["trainee_id"],
                "recommended_by_id": demo.accounts["staff"].id,
                "recommended_at": demo.at(today - timedelta(days=1)), "outcome": "pending",
                "outcome_note": None, "decided_at": None,
            })
