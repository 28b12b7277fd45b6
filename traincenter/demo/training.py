"""Classes, enrolments, sessions, attendance and self-study logs."""

from __future__ import annotations

from datetime import date, time, timedelta

from .. import rules
from . import pools
from .context import ClassInfo, Course, Demo
from .people import new_trainee
from .plan import Ref

REGULAR_DAYS = 55  # eight weeks of half-day sessions, the exam on the last day
RETRAINING_DAYS = 14
RETRAINING_REQUIREMENTS = (16.0, 8.0, 24.0)
REGULAR_REQUIREMENTS = (float(rules.REQUIRED_CLASSROOM_HOURS),
                        float(rules.REQUIRED_SELF_STUDY_HOURS),
                        float(rules.REQUIRED_TOTAL_HOURS))
ATTENDANCE_LETTERS = {"P": "present", "L": "late", "A": "absent", "E": "excused"}
SELF_STUDY_STATES = {"v": "verified", "p": "pending", "r": "rejected"}


def exam_state(demo: Demo, exam_on: date) -> str:
    """Past exams are published a few days later; a future exam has no scores yet."""
    if exam_on > demo.today:
        return "future"
    return "published" if exam_on <= demo.today - timedelta(days=7) else "submitted"


def schedule_regular_classes(demo: Demo, trainee_count: int) -> None:
    """Spread the regular classes over three years; the last three are the live ones:
    a submitted exam waiting to be published, a draft score sheet, and a class running now."""
    rng, today = demo.rng, demo.today
    total = max(8, round(trainee_count / 36))
    past = total - 3
    first, last = demo.window_start + timedelta(days=7), today - timedelta(days=75)
    span = (last - first).days
    starts = [first + timedelta(days=round(i * span / (past - 1))) for i in range(past)]
    tracks = [pools.weighted(rng, pools.TRACKS) for _ in range(past)]
    tracks[:4] = ["GEN", "YY", "YL", "YS"]
    tracks[-1] = "GEN"  # recent failures feed the retraining class running now
    plan = [(start, track, None) for start, track in zip(starts, tracks, strict=True)]
    plan += [(today - timedelta(days=REGULAR_DAYS + 6), "YY", "submitted"),
             (today - timedelta(days=REGULAR_DAYS + 2), "YL", "draft"),
             (today - timedelta(days=20), "GEN", "future")]
    sizes = [trainee_count // total + (1 if i < trainee_count % total else 0) for i in range(total)]
    numbers: dict[tuple[int, str], int] = {}
    teacher = demo.instructors[0]
    for position, ((starts_on, track, state), size) in enumerate(zip(plan, sizes, strict=True)):
        ends_on = starts_on + timedelta(days=REGULAR_DAYS)
        key = (starts_on.year, track)
        numbers[key] = numbers.get(key, 0) + 1
        live = state is not None
        instructors = _pick_instructors(demo, teacher if live or position % 5 == 0 else None)
        cls = add_class(demo, "regular", track, starts_on, ends_on, instructors,
                        state or exam_state(demo, ends_on), numbers[key], size)
        enrol_trainees(demo, cls, size)


def _pick_instructors(demo: Demo, must: int | None) -> list[int]:
    others = demo.rng.sample(demo.instructors[1:], 1 + (demo.rng.random() < 0.4))
    return ([must] if must else []) + [i for i in others if i != must]


def add_class(demo: Demo, kind: str, track: str, starts_on: date, ends_on: date,
              instructors: list[int], state: str, number: int, size: int) -> ClassInfo:
    """Plan a class with its sessions and its exam."""
    rng = demo.rng
    track_name = next(t[1] for t in pools.TRACKS if t[0] == track)
    company = kind == "regular" and rng.random() < 0.3
    requirements = REGULAR_REQUIREMENTS if kind == "regular" else RETRAINING_REQUIREMENTS
    suffix = "R" if kind == "retraining" else ""
    row = {
        "code": f"{starts_on.year}{track}{suffix}{number:02d}",
        "name": (f"{starts_on.year}年第{number}期{track_name}"
                 f"{'二次培训班' if kind == 'retraining' else '培训班'}"),
        "track_id": demo.tracks[track], "level": 5, "kind": kind,
        "provider_kind": "company" if company else "union",
        "provider_name": pools.COMPANY_PROVIDERS[track] if company else pools.UNION_PROVIDER,
        "starts_on": starts_on, "ends_on": ends_on, "location": rng.choice(pools.LOCATIONS),
        "required_classroom_hours": requirements[0],
        "required_self_study_hours": requirements[1],
        "required_total_hours": requirements[2],
        "fee": float(rules.DEFAULT_FEE) if kind == "regular" else 0.0,
        "capacity": max(40, size + 5), "created_at": demo.at(starts_on - timedelta(days=30)),
    }
    ref = demo.plan.add("class", row)
    for instructor in instructors:
        demo.plan.add("class_instructor", {"class_id": ref, "user_id": instructor})
    cls = ClassInfo(ref, row["code"], track, kind, starts_on, ends_on, instructors, state,
                    requirements)
    if kind == "regular":
        add_sessions(demo, cls, [(m, f, h, t) for m, h in pools.COMPULSORY
                                 for f, t in [("lecture", None)]] + list(pools.TRACK_SESSIONS[track]))
    cls.exam_ref = demo.plan.add("exam", {
        "class_id": ref, "kind": "first" if kind == "regular" else "reexam",
        "held_on": cls.exam_on, "place": rng.choice(pools.EXAM_PLACES), "notes": None,
        "pass_mark_theory": demo.settings["marks"].theory,
        "pass_mark_practical": demo.settings["marks"].practical,
        "created_by_id": demo.accounts["staff"].id, "created_at": demo.at(starts_on, 16),
        "published_at": None, "published_by_id": None,
    })
    if state == "published":
        cls.published_at = demo.at(cls.exam_on + timedelta(days=5), 15)
        demo.plan.rows["exam"][cls.exam_ref.index].update(
            published_at=cls.published_at, published_by_id=demo.accounts["staff"].id)
    demo.classes.append(cls)
    return cls


def add_sessions(demo: Demo, cls: ClassInfo, sessions: list[tuple]) -> None:
    """Schedule ``sessions`` on the working days (Mon–Sat) before the exam, evenly spread."""
    days = [cls.starts_on + timedelta(days=d) for d in range((cls.exam_on - cls.starts_on).days)]
    days = [d for d in days if d.weekday() < 6]
    step = len(days) / len(sessions)
    for position, (module, form, hours, topic) in enumerate(sessions):
        held_on = days[int(position * step)]
        afternoon = hours <= 4 and position % 2 == 1
        instructor = demo.rng.choice(cls.instructors)
        ref = demo.plan.add("session", {
            "class_id": cls.ref, "module_id": demo.modules[module], "held_on": held_on,
            "starts_at": time(14, 0) if afternoon else time(8, 30), "hours": float(hours),
            "form": form, "location": "参观点" if form == "field_visit" else None,
            "instructor_id": instructor, "topic": topic,
            "attendance_taken_at": (demo.at(held_on, 12 if not afternoon else 17)
                                    if held_on < demo.today else None),
        })
        cls.sessions.append((ref, held_on, float(hours), module))


def enrol_trainees(demo: Demo, cls: ClassInfo, size: int) -> None:
    """New trainees for a regular class, with their attendance and self-study."""
    rng = demo.rng
    for _ in range(size):
        enrolled_on = cls.starts_on - timedelta(days=rng.randint(0, 10))
        trainee = new_trainee(demo, enrolled_on)
        course = Course(trainee, demo.plan.rows["trainee"][trainee], cls, None, {})
        course.row = {
            "trainee_id": None, "class_id": cls.ref, "continues_id": None, "course_attempt": 1,
            "status": "active", "enrolled_on": enrolled_on,
            "employment_agreement_on": (demo.days_after(cls.starts_on, 5, 30)
                                        if rng.random() < 0.85 else None),
            "fee_payer": pools.weighted(rng, (("self", 40), ("subsidy", 50), ("employer", 10))),
            "fee_amount": float(rules.DEFAULT_FEE), "closed_on": None, "closed_reason": None,
            "created_at": demo.at(enrolled_on, 10),
        }
        if course.row["employment_agreement_on"] and course.row["employment_agreement_on"] > demo.today:
            course.row["employment_agreement_on"] = None
        course.row["trainee_id"] = Ref("trainee", trainee)
        course.enrolment = demo.plan.add("enrolment", course.row)
        course.ability = rng.gauss(0, 1)
        attend_regular(demo, course)
        cls.courses.append(course)
        demo.courses.append(course)


def attend_regular(demo: Demo, course: Course) -> None:
    """Attendance and self-study of a regular course; decides eligibility for the exam."""
    rng, cls, today = demo.rng, course.cls, demo.today
    miss = rng.choices((0.02, 0.08, 0.3), weights=(85, 12, 3))[0]
    quit_after = rng.randint(3, len(cls.sessions) - 3) if rng.random() < 0.03 else None
    letters = []
    for position, (_, held_on, hours, _) in enumerate(cls.sessions):
        if held_on >= today or (quit_after is not None and position >= quit_after):
            letters.append("-")
            continue
        roll = rng.random()
        letter = ("A" if rng.random() < 0.55 else "E") if roll < miss else (
            "L" if roll < miss + 0.04 else "P")
        letters.append(letter)
        if letter in "PL":
            course.classroom_hours += hours
    course.attendance = "".join(letters)
    if quit_after is not None:
        course.withdrawn = True
        quit_on = cls.sessions[quit_after][1]
        course.row.update(status="withdrawn", closed_on=min(quit_on, today),
                          closed_reason=rng.choice(pools.WITHDRAWAL_REASONS))
    last_day = min(cls.exam_on - timedelta(days=1), today - timedelta(days=1),
                   course.row["closed_on"] or today)
    fraction = max(0.0, min(1.0, (last_day - cls.starts_on).days / (cls.exam_on - cls.starts_on).days))
    target = (rng.uniform(72, 82) if rng.random() < 0.95 else rng.uniform(45, 69)) * fraction
    course.self_study, course.self_study_hours = log_self_study(
        demo, cls.starts_on, last_day, target, live=cls.exam_state == "future")
    course.eligible = not course.withdrawn and rules.eligibility(
        course.classroom_hours, course.self_study_hours, *cls.requirements).is_eligible


def log_self_study(demo: Demo, first: date, last: date, target: float,
                   live: bool) -> tuple[list[tuple[date, float, str]], float]:
    """Self-study logs until ``target`` hours are logged; the last week's logs of a live class
    still wait for the instructor, and a few logs are rejected. Returns (logs, verified hours)."""
    rng = demo.rng
    span = (last - first).days
    logs: list[tuple[date, float, str]] = []
    logged = verified = 0.0
    while span >= 0 and logged < target:
        studied_on = first + timedelta(days=rng.randint(0, span))
        hours = rng.choice((2.0, 2.5, 3.0, 3.0, 4.0, 4.0, 5.0, 6.0))
        if rng.random() < 0.03:
            logs.append((studied_on, hours, "r"))
            continue
        pending = live and studied_on > demo.today - timedelta(days=7)
        logs.append((studied_on, hours, "p" if pending else "v"))
        logged += hours
        verified += 0 if pending else hours
    return logs, verified


def attendance_rows(demo: Demo):
    """Attendance rows of every course (generated while writing, to keep memory small)."""
    for course in demo.courses:
        yield from _attendance_of(demo, course.cls, course.enrolment, course.attendance)
        if course.retraining is not None and course.reenrolment is not None:
            letters = "".join("P" if s[1] < demo.today else "-" for s in course.retraining.sessions)
            yield from _attendance_of(demo, course.retraining, course.reenrolment, letters)


def _attendance_of(demo: Demo, cls: ClassInfo, enrolment, letters: str):
    for (session, held_on, _, _), letter in zip(cls.sessions, letters, strict=True):
        if letter == "-":
            continue
        yield {"session_id": demo.plan.id_of(session), "enrolment_id": demo.plan.id_of(enrolment),
               "status": ATTENDANCE_LETTERS[letter], "note": None,
               "recorded_by_id": cls.instructors[0], "recorded_at": demo.at(held_on, 12)}


def self_study_rows(demo: Demo):
    """Self-study rows of every course, verified or rejected by the class's first instructor."""
    for course in demo.courses:
        parts = [(course.cls, course.enrolment, course.self_study)]
        if course.reenrolment is not None:
            parts.append((course.retraining, course.reenrolment, course.retraining_logs))
        for cls, enrolment, logs in parts:
            enrolment_id = demo.plan.id_of(enrolment)
            for number, (studied_on, hours, state) in enumerate(logs, start=1):
                decided = demo.at(studied_on + timedelta(days=number % 3 + 1), 18)
                module = cls.sessions[number % len(cls.sessions)][3] if cls.sessions else "复习"
                yield {
                    "enrolment_id": enrolment_id, "studied_on": studied_on, "hours": hours,
                    "content": pools.SELF_STUDY_CONTENT[number % 6].format(n=number % 12 + 1,
                                                                          m=module),
                    "status": SELF_STUDY_STATES[state], "logged_by_id": None,
                    "logged_at": demo.at(studied_on, 20),
                    "verified_by_id": None if state == "p" else cls.instructors[0],
                    "verified_at": None if state == "p" else decided,
                    "rejection_reason": (pools.REJECTION_REASONS[number % 3]
                                         if state == "r" else None),
                }
