"""Exam results, retraining classes and re-exams, with carry-over decided by the rules module."""

from __future__ import annotations

from datetime import date, timedelta

from .. import rules
from . import pools
from .context import Attempt, ClassInfo, Course, Demo
from .training import RETRAINING_DAYS, add_class, add_sessions, exam_state, log_self_study

THEORY_PASS = {"illiterate": 0.80, "primary": 0.89, "junior": 0.93, "vocational": 0.96,
               "senior": 0.97, "college": 0.98}
PART_NAMES = {"theory": "理论知识", "practical": "技能操作"}
RETRAINING_ROUNDS = 91  # a retraining round per track every quarter


def draw_part(demo: Demo, part: str, pass_probability: float, absent_probability: float) -> object:
    """A score with at most one decimal (half points, as markers give them), or absent."""
    rng = demo.rng
    if rng.random() < absent_probability:
        return rules.ABSENT
    mark = demo.settings["marks"].of(part)
    value = (rng.triangular(mark, 99, 82) if rng.random() < pass_probability
             else rng.uniform(32, mark - 0.5))
    value = round(value * 2) / 2
    return int(value) if value == int(value) else value


def record_attempt(demo: Demo, course: Course, cls: ClassInfo, enrolment, scores: dict,
                   status: str, carried: dict[str, Attempt] | None = None,
                   note: str | None = None) -> Attempt:
    """Plan a result row (and its seed history); ``is_passed`` from ``rules.combine_result``."""
    carried = carried or {}
    row = {"exam_id": cls.exam_ref, "enrolment_id": enrolment,
           "attempt_no": len(course.attempts) + 1, "carry_over_note": note, "status": status,
           "version": 1, "added_reason": None, "updated_by_id": cls.instructors[0],
           "updated_at": demo.at(cls.exam_on + timedelta(days=1), 17)}
    for part in rules.PARTS:
        value = scores.get(part)
        row[f"{part}_absent"] = value == rules.ABSENT
        row[f"{part}_score"] = None if value in (None, rules.ABSENT) else float(value)
        source = carried.get(part)
        row[f"{part}_carried_from_id"] = source.ref if source else None
    row["is_passed"] = combined(demo, row, carried)
    table = "result" if cls.kind == "regular" else "reresult"
    attempt = Attempt(cls, demo.plan.add(table, row), row, row["attempt_no"], dict(carried))
    course.attempts.append(attempt)
    for part in rules.PARTS:
        if part in carried or not rules.part_is_complete(row[f"{part}_score"], row[f"{part}_absent"]):
            continue
        absent = row[f"{part}_absent"]
        demo.plan.add("score_change", {
            "result_id": attempt.ref, "field": part,  # as the score grid writes its history
            "old_value": None, "new_value": "absent" if absent else _text(row[f"{part}_score"]),
            "reason": None, "source": "seed", "changed_by_id": cls.instructors[0],
            "changed_at": row["updated_at"],
        })
    return attempt


def combined(demo: Demo, row: dict, carried: dict[str, Attempt]) -> bool | None:
    """The result of an attempt, counting carried parts, under the pass marks in force."""
    extra = {f"carried_{part}": source.row[f"{part}_score"] for part, source in carried.items()}
    return rules.combine_result(row["theory_score"], row["practical_score"],
                                theory_absent=row["theory_absent"],
                                practical_absent=row["practical_absent"],
                                **extra, marks=demo.settings["marks"])


def _text(score: float) -> str:
    return f"{score:g}"


def first_exams(demo: Demo) -> None:
    """Results of every regular class whose exam has been held, for the eligible trainees."""
    for cls in demo.classes:
        if cls.kind != "regular" or cls.exam_state == "future":
            continue
        for position, course in enumerate(cls.courses):
            if not course.eligible:
                continue
            theory_p = min(0.995, max(0.5, THEORY_PASS[course.profile["education"]]
                                      + 0.03 * course.ability))
            practical_p = min(0.995, max(0.5, 0.92 + 0.03 * course.ability))
            whole_absent = demo.rng.random() < 0.012
            scores = {"theory": rules.ABSENT if whole_absent else draw_part(demo, "theory", theory_p, 0.004),
                      "practical": rules.ABSENT if whole_absent
                      else draw_part(demo, "practical", practical_p, 0.004)}
            if cls.exam_state == "draft":  # the instructor is half way through the score sheet
                share = position / max(1, len(cls.courses))
                if share > 0.6:
                    scores["practical"] = None
                if share > 0.8:
                    scores["theory"] = None
            record_attempt(demo, course, cls, course.enrolment, scores,
                           "published" if cls.exam_state == "published" else cls.exam_state)


def history(demo: Demo, course: Course) -> list[dict[str, rules.PartRecord | None]]:
    """The published attempts as the rules module reads them (carried parts are None)."""
    attempts = []
    for attempt in course.attempts:
        if not attempt.published:
            continue
        attempts.append({part: None if part in attempt.carried else rules.PartRecord(
            attempt.row[f"{part}_score"], attempt.row[f"{part}_absent"], attempt.held_on,
            demo.settings["marks"].of(part))
            for part in rules.PARTS})
    return attempts


def plan_of(demo: Demo, course: Course, on: date) -> rules.AttemptPlan:
    """What the next attempt covers (the same call ``services.attempts.plan_for`` makes)."""
    return rules.plan_next_attempt(history(demo, course), on, **demo.settings["attempts"])


def force_situations(demo: Demo) -> None:
    """Make sure the walk-through of retraining finds one trainee in each situation."""
    published_gen = [c for c in demo.classes if c.kind == "regular" and c.track == "GEN"
                     and c.exam_state == "published"]
    oldest, latest = published_gen[0], published_gen[-1]
    wanted = (("practical_only", latest, {"theory": 78, "practical": 52}),
              ("retake_both", latest, {"theory": 48, "practical": 55}),
              ("carry_expired", oldest, {"theory": 72, "practical": 50}),
              ("limit_reached", oldest, {"theory": 66, "practical": 45}))
    for situation, cls, scores in wanted:
        course = next((c for c in cls.courses if c.attempts and c.situation is None), None)
        if course is None:  # only possible with very small classes and an unlucky seed
            raise RuntimeError(f"class {cls.code} has too few exam takers for the situation "
                               f"{situation!r}; seed more trainees")
        course.situation = situation
        for part, value in scores.items():
            course.attempts[0].row[f"{part}_score"] = float(value)
            course.attempts[0].row[f"{part}_absent"] = False
        course.attempts[0].row["is_passed"] = combined(demo, course.attempts[0].row, {})
        demo.situations[situation] = course


def retraining(demo: Demo) -> None:
    """Quarterly retraining rounds per track; failed trainees join the first round after their
    results are published (a few later, a few never); the current round's re-exam is ahead."""
    rng, today = demo.rng, demo.today
    rounds: dict[str, list[date]] = {}
    for track, *_ in pools.TRACKS:
        day = demo.window_start + timedelta(days=100 + 7 * len(rounds))
        rounds[track] = []
        while day < today - timedelta(days=30):
            rounds[track].append(day)
            day += timedelta(days=RETRAINING_ROUNDS)
        rounds[track].append(today - timedelta(days=5))
    buckets: dict[tuple[str, date], list[Course]] = {}
    current = rounds["GEN"][-1]
    for course in demo.courses:
        if not course.attempts or not course.attempts[0].published or course.attempts[0].row["is_passed"]:
            continue
        if course.situation in ("practical_only", "retake_both", "carry_expired"):
            start = current
        else:
            if course.situation is None and rng.random() < 0.05:
                continue  # still on the retraining list
            ready = course.attempts[0].cls.published_at.date() + timedelta(days=7)
            later = [day for day in rounds[course.cls.track] if day >= ready]
            skip = 1 if course.situation is None and rng.random() < 0.08 else 0
            if course.situation == "limit_reached":
                later = [day for day in later if day + timedelta(days=RETRAINING_DAYS) < today - timedelta(days=7)]
            if len(later) <= skip:
                continue
            start = later[skip]
        buckets.setdefault((course.cls.track, start), []).append(course)
    numbers: dict[tuple[int, str], int] = {}
    for (track, start), courses in sorted(buckets.items(), key=lambda item: (item[0][1], item[0][0])):
        key = (start.year, track)
        numbers[key] = numbers.get(key, 0) + 1
        ends_on = start + timedelta(days=RETRAINING_DAYS)
        live = start == current
        instructors = [demo.instructors[0]] if live and track == "GEN" else []
        instructors += [demo.rng.choice(demo.instructors[1:])]
        cls = add_class(demo, "retraining", track, start, ends_on, instructors,
                        exam_state(demo, ends_on), numbers[key], len(courses))
        main = pools.TRACK_MAIN_MODULE[track]
        theory = pools.RETRAINING_SESSIONS["theory"]
        practical = (main,) + pools.RETRAINING_SESSIONS["practical"][1:]
        add_sessions(demo, cls, [theory, practical, theory[:3] + ("理论复习：专业知识",),
                                 practical, practical])
        for course in courses:
            re_exam(demo, course, cls)


def re_exam(demo: Demo, course: Course, cls: ClassInfo) -> None:
    """Enrol a failed trainee in a retraining class and plan the re-exam of what is needed."""
    plan = plan_of(demo, course, cls.exam_on)
    if plan.status != "retake":
        return
    course.retraining = cls
    cls.courses.append(course)
    course.reenrolment = demo.plan.add("reenrolment", {
        "trainee_id": course.row["trainee_id"], "class_id": cls.ref,
        "continues_id": course.enrolment, "course_attempt": course.row["course_attempt"],
        "status": "active", "enrolled_on": cls.starts_on - timedelta(days=3),
        "employment_agreement_on": None, "fee_payer": "subsidy", "fee_amount": 0.0,
        "closed_on": None, "closed_reason": None, "created_at": demo.at(cls.starts_on, 9),
    })
    course.retraining_hours = sum(s[2] for s in cls.sessions if s[1] < demo.today)
    course.retraining_logs, hours = log_self_study(
        demo, cls.starts_on, min(cls.exam_on, demo.today) - timedelta(days=1),
        9.0 if cls.exam_state != "future" else 4.0, live=cls.exam_state == "future")
    course.retraining_hours += hours
    carried = {}
    for item in plan.carried:
        carried[item.part] = next(a for a in reversed(course.attempts) if a.published
                                  and item.part not in a.carried
                                  and rules.part_passed(a.row[f"{item.part}_score"],
                                                        a.row[f"{item.part}_absent"],
                                                        demo.settings["marks"].of(item.part)))
    notes = [f"{PART_NAMES[c.part]}{rules.chinese_date(c.passed_on)}合格，保留至"
             f"{rules.chinese_date(c.valid_until)}" for c in plan.carried]
    notes += [f"{PART_NAMES[c.part]}{rules.chinese_date(c.passed_on)}合格，已超过保留期，须重考"
              for c in plan.expired]
    scores = {}
    if cls.exam_state != "future":
        for part in plan.parts_to_sit:
            scores[part] = draw_part(demo, part, 0.8, 0.03)
        if course.situation == "limit_reached":
            scores = {part: 50 if part == "practical" else 70 for part in plan.parts_to_sit}
    status = "draft" if cls.exam_state == "future" else cls.exam_state
    record_attempt(demo, course, cls, course.reenrolment, scores, status, carried,
                   "；".join(notes) or None)



def workflow_events(demo: Demo) -> None:
    """The exams' history events, one per step as the app writes them: scheduled, submitted by
    the instructor, published by staff (not a row per candidate)."""
    counts: dict = {}
    for table in ("result", "reresult"):
        for row in demo.plan.rows[table]:
            counts[row["exam_id"]] = counts.get(row["exam_id"], 0) + 1
    staff = demo.accounts["staff"].id
    for cls in demo.classes:
        row = demo.plan.rows["exam"][cls.exam_ref.index]
        results = counts.get(cls.exam_ref, 0)
        steps = [("exam.scheduled", staff, row["created_at"], {
            "class": cls.code, "kind": row["kind"], "held_on": cls.exam_on.isoformat(),
            "place": row["place"], "candidates": results})]
        if cls.exam_state in ("submitted", "published") and results:
            steps.append(("exam.submitted", cls.instructors[0],
                          demo.at(cls.exam_on + timedelta(days=1), 17, 30), {"results": results}))
        if cls.exam_state == "published" and results:
            steps.append(("exam.published", staff, cls.published_at, {"results": results}))
        for action, actor, at, details in steps:
            demo.plan.add("audit_event", {
                "at": at, "actor_id": actor, "action": action, "object_kind": "exam",
                "object_id": cls.exam_ref, "trainee_id": None, "reason": None,
                "details": details})
