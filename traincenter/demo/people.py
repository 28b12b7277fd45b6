"""The catalogue, the staff accounts and the trainees (with their logins)."""

from __future__ import annotations

import random
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select

from .. import rules
from ..auth.passwords import hash_password
from ..extensions import db
from ..models import CourseModule, Track, User
from ..training.operations import seed_default_modules
from . import pools
from .context import Demo
from .plan import Ref

# The demo accounts listed in README.md: (username, password, role, display name).
DEMO_ACCOUNTS = (
    ("admin", "demo-admin-2026", "admin", "系统管理员"),
    ("staff", "demo-staff-2026", "staff", "教务 周敏"),
    ("teacher", "demo-teacher-2026", "instructor", "刘桂芳老师"),
)
TRAINEE_ACCOUNT = ("trainee", "demo-trainee-2026")
MORE_INSTRUCTORS = ("陈淑华老师", "王海燕老师", "张建国老师", "李玉梅老师", "赵春梅老师",
                    "黄丽娟老师", "孙晓燕老师", "吴德明老师")


def ensure_catalogue() -> tuple[dict[str, int], dict[str, int]]:
    """The standard tracks and modules (looked up by code/name first); ids by code and name."""
    tracks = {track.code: track for track in db.session.scalars(select(Track))}
    for order, (code, name, description, _) in enumerate(pools.TRACKS, start=1):
        if code not in tracks and name not in {t.name for t in tracks.values()}:
            tracks[code] = Track(code=code, name=name, description=description, sort_order=order)
            db.session.add(tracks[code])
    seed_default_modules()  # the training area's own catalogue function (commits)
    modules = {module.name: module for module in db.session.scalars(select(CourseModule))}
    for compulsory, group in ((True, pools.COMPULSORY), (False, pools.ELECTIVES)):
        for name, hours in group:
            if name not in modules:
                modules[name] = CourseModule(name=name, is_compulsory=compulsory)
                db.session.add(modules[name])
            if modules[name].suggested_hours is None:
                modules[name].suggested_hours = hours
    db.session.flush()
    by_name = {track.name: track for track in tracks.values()}
    track_ids = {code: (tracks.get(code) or by_name[name]).id for code, name, _, _ in pools.TRACKS}
    return track_ids, {name: module.id for name, module in modules.items()}


def create_accounts(today: date) -> tuple[dict[str, User], list[int], str]:
    """The demo accounts with known passwords, more instructors, and the shared unusable hash."""
    created = datetime(today.year - 2, 1, 2, 9, 0)  # the first working day the demo covers
    accounts = {}
    for username, password, role, display_name in DEMO_ACCOUNTS:
        accounts[username] = User(username=username, display_name=display_name, role=role,
                                  password_hash=hash_password(password),
                                  must_change_password=False, created_at=created)
    # One random password nobody knows, hashed once: generated logins must be reset before use.
    unusable = hash_password(secrets.token_urlsafe(32))
    instructors = [accounts["teacher"]]
    for number, display_name in enumerate(MORE_INSTRUCTORS, start=1):
        instructors.append(User(username=f"teacher{number}", display_name=display_name,
                                role="instructor", password_hash=unusable,
                                must_change_password=True, created_at=created))
    db.session.add_all(list(accounts.values()) + instructors[1:])
    db.session.flush()
    return accounts, [user.id for user in instructors], unusable


def unused_id_number(demo: Demo, rng: random.Random, birth_on: date,
                     gender: str) -> tuple[str, tuple]:
    """A region drawn (with ``rng``) after 篇4 and a valid ID number from it not yet given to
    anyone in the demo: (number, region)."""
    region = rng.choices(pools.REGIONS, weights=[r[2] for r in pools.REGIONS])[0]
    while True:
        number = rules.make_id_number(region[0], birth_on, rng.randint(0, 999), gender)
        if number not in demo.used_ids:
            demo.used_ids.add(number)
            return number, region


def new_trainee(demo: Demo, enrolled_on: date) -> int:
    """Plan one trainee (age, education and origin after 篇4); return its index."""
    rng = demo.rng
    gender = "F" if rng.random() < pools.FEMALE_SHARE else "M"
    low, high, _ = rng.choices(pools.AGE_BANDS, weights=[b[2] for b in pools.AGE_BANDS])[0]
    age = rng.randint(low, high)
    birth_on = enrolled_on - timedelta(days=age * 365 + rng.randint(0, 364))
    number, region = unused_id_number(demo, rng, birth_on, gender)
    while True:
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"
        if phone not in demo.used_phones:
            break
    demo.used_phones.add(phone)
    origin = pools.weighted(rng, pools.ORIGINS)
    education = pools.weighted(rng, pools.EDUCATION)
    if age >= 60 and education in ("senior", "college", "vocational") and rng.random() < 0.6:
        education = "primary"  # the oldest trainees rarely went beyond primary school
    ref = demo.plan.add("trainee", {
        "name": pools.person_name(rng, gender),
        "id_number": number,
        "gender": gender,
        "birth_on": birth_on,
        "phone": phone,
        "education": education,
        "origin": origin,
        "address": pools.address(rng, region[1], origin),
        "consents_to_listing": rng.random() < pools.LISTING_CONSENT_SHARE,
        "notes": rng.choice(pools.OTHER_ORIGIN_NOTES) if origin == "other" else None,
        "created_at": demo.at(enrolled_on - timedelta(days=rng.randint(1, 10)), 9, 30),
    })
    return ref.index


def plan_trainee_logins(demo: Demo, unusable_hash: str, demo_trainee: int) -> None:
    """One login per trainee: username = ID number, a password to be reset by staff."""
    trainee_password = hash_password(TRAINEE_ACCOUNT[1])
    for index, trainee in enumerate(demo.plan.rows["trainee"]):
        is_demo = index == demo_trainee
        demo.plan.add("user", {
            "username": TRAINEE_ACCOUNT[0] if is_demo else trainee["id_number"],
            "display_name": trainee["name"],
            "role": "trainee",
            "password_hash": trainee_password if is_demo else unusable_hash,
            "must_change_password": not is_demo,
            "trainee_id": Ref("trainee", index),
            "created_at": trainee["created_at"],
        })
