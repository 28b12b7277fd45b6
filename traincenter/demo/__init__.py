"""``flask demo seed``: realistic, deterministic demo data over this year and the two before.

Everything is drawn from ``random.Random(config["DEMO_SEED"])`` with dates relative to today, so
two runs on empty databases on the same day give the same rows. The data is planned in memory
(``plan.Plan``) and written table by table with bulk inserts; then the enrolment statuses are
brought in line by ``services.attempts.settle_courses`` (which must find nothing to change).

Order of the story: classes and trainees → attendance and self-study → first exams → the
retraining situations of the walk-through → retraining rounds and re-exams (carry-over by
``rules.plan_next_attempt``) → statuses → certificates → one correction, a few revocations →
health certificates → jobs, placements and feedback → fees, background checks and insurance.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import settings
from ..errors import DomainError
from ..extensions import db
from ..i18n import punct, show_date
from ..models import Trainee
from ..services.attempts import settle_courses
from . import aftercare, exams, placement, training, worker_file
from .applications import seed_applications
from .context import Demo
from .people import (
    DEMO_ACCOUNTS,
    TRAINEE_ACCOUNT,
    create_accounts,
    ensure_catalogue,
    plan_trainee_logins,
)
from .plan import Plan

DEFAULT_TRAINEES = 420
MIN_TRAINEES = 40  # enough for every track, the live classes and each retraining situation
SETTLE_BATCH = 1000
SITUATION_TEXT = {
    "practical_only": _l("theory passed, practical failed: re-exam of the practical only is "
                         "scheduled (theory carried over)"),
    "retake_both": _l("both parts failed: re-exam of both parts is scheduled"),
    "carry_expired": _l("theory passed more than %(months)s months before the scheduled re-exam: "
                        "the carry-over expired, both parts to sit"),
    "limit_reached": _l("failed the first exam and the re-exam: attempt limit reached, course "
                        "closed (must start a new regular class)"),
    "needs_review": _l("published practical score corrected after the certificate: certificate "
                       "flagged for review"),
    "demo_trainee": _l("the 'trainee' demo account"),
}


def seed_demo(trainees: int | None = None, if_empty: bool = False,
              echo: Callable[[str], None] = print) -> str:
    """Create the demo data; return a one-paragraph summary of what was created."""
    if db.session.scalar(select(Trainee.id).limit(1)) is not None:
        if if_empty:
            return _("The database already has trainees: no demo data added.")
        raise DomainError(_("The database already has trainees. Demo data goes only into an "
                            "empty database (use --if-empty to skip quietly)."))
    count = DEFAULT_TRAINEES if trainees is None else trainees
    if count < MIN_TRAINEES:
        raise DomainError(_("--trainees must be at least %(count)s.", count=MIN_TRAINEES))
    started = time.perf_counter()
    today = date.today()
    track_ids, module_ids = ensure_catalogue()
    accounts, instructors, unusable = create_accounts(today)
    demo = Demo(random.Random(settings.demo_seed()), today, Plan(), track_ids,
                module_ids, accounts, instructors,
                {"marks": settings.pass_marks(), "attempts": settings.attempt_settings(),
                 "health_warning_days": settings.health_warning_days()})
    echo(_("Planning %(count)s trainees …", count=count))
    training.schedule_regular_classes(demo, count)
    exams.first_exams(demo)
    exams.force_situations(demo)
    exams.retraining(demo)
    exams.workflow_events(demo)
    for course in demo.courses:
        aftercare.settle(demo, course)
    aftercare.certificates(demo)
    trainee = aftercare.choose_demo_trainee(demo)
    aftercare.correct_and_revoke(demo)
    aftercare.health_certificates(demo, trainee)
    placement.placements(demo)
    worker_file.fees(demo)
    worker_file.clearances(demo, trainee)
    plan_trainee_logins(demo, unusable, trainee.trainee)
    demo.plan.streams["attendance"] = lambda: training.attendance_rows(demo)
    demo.plan.streams["self_study"] = lambda: training.self_study_rows(demo)
    planned = time.perf_counter() - started
    echo(_("Planned in %(seconds).1f s; writing …", seconds=planned))
    demo.plan.write(echo)
    settling = time.perf_counter()
    changed = settle_all(demo)
    echo(f"  settle_courses: {time.perf_counter() - settling:.1f} s")
    seed_applications(demo, settings.demo_seed())
    db.session.commit()
    _gather_statistics(echo)
    elapsed = time.perf_counter() - started
    return summary(demo, trainee, changed, elapsed)


def _gather_statistics(echo) -> None:
    """After a bulk load, PostgreSQL plans without statistics until autovacuum gets round to the
    tables (measured at 20,000 trainees: half of the trainee pages' SQL time); ANALYZE now."""
    if db.engine.dialect.name != "postgresql":
        return  # SQLite's plans here were chosen and measured without statistics
    analysing = time.perf_counter()
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    echo(f"  analyze: {time.perf_counter() - analysing:.1f} s")


def settle_all(demo: Demo) -> int:
    """Let the service settle every course; count statuses it had to change (should be 0)."""
    ids = [demo.plan.id_of(course.enrolment) for course in demo.courses]
    expected = {demo.plan.id_of(c.enrolment): c.row["status"] for c in demo.courses}
    changed = 0
    for start in range(0, len(ids), SETTLE_BATCH):
        statuses = settle_courses(ids[start:start + SETTLE_BATCH], demo.today)
        changed += sum(1 for course_id, status in statuses.items()
                       if expected[course_id] not in (status, "withdrawn"))
        db.session.flush()
        db.session.expunge_all()
    return changed


def summary(demo: Demo, trainee, changed: int, elapsed: float) -> str:
    """One paragraph: what was created, where to find each situation, how to log in."""
    rows = {name: len(ids) for name, ids in demo.plan.ids.items()}
    plan = demo.plan
    found = []
    for key in ("practical_only", "retake_both", "carry_expired", "limit_reached",
                "needs_review", "demo_trainee"):
        course = trainee if key == "demo_trainee" else demo.situations.get(key) or next(
            (c for c in demo.courses if c.situation == key), None)
        if course is not None:
            profile = course.profile
            text = str(SITUATION_TEXT[key]) % {"months": demo.settings["attempts"]["months"]}
            found.append(_("%(situation)s: trainee #%(id)s %(name)s (%(id_number)s)",
                           situation=text, id=plan.id_of(course.row["trainee_id"]),
                           name=profile["name"], id_number=profile["id_number"]))
    regular = sum(1 for c in demo.classes if c.kind == "regular")
    logins = ", ".join(f"{u} / {p}" for u, p, _, _ in DEMO_ACCOUNTS)
    return _(
        "Demo data created in %(seconds).1f s (seed %(seed)s, %(start)s to %(end)s): %(trainees)s "
        "trainees with logins, %(regular)s regular and %(retraining)s retraining classes, "
        "%(sessions)s sessions, %(results)s exam results (%(reexam)s re-exam), %(certificates)s "
        "certificates, %(health)s health certificates, %(placements)s placements, %(feedback)s "
        "feedback ratings; statuses changed by settle_courses: %(changed)s. Situations — "
        "%(situations)s. Logins: %(logins)s, %(trainee_login)s / %(trainee_password)s.",
        seconds=elapsed, seed=settings.demo_seed(), start=show_date(demo.window_start),
        end=show_date(demo.today), trainees=len(plan.rows["trainee"]), regular=regular,
        retraining=len(demo.classes) - regular, sessions=len(plan.rows["session"]),
        results=rows.get("result", 0) + rows.get("reresult", 0), reexam=rows.get("reresult", 0),
        certificates=len(plan.rows["certificate"]), health=len(plan.rows["health"]),
        placements=len(plan.rows["placement"]), feedback=len(plan.rows["feedback"]),
        changed=changed, situations=punct(";").join(found), logins=logins,
        trainee_login=TRAINEE_ACCOUNT[0], trainee_password=TRAINEE_ACCOUNT[1])
