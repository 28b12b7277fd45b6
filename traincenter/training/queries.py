"""Reads of the training area: modules, classes and rosters, sessions and registers, self-study."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from .. import rules, settings
from ..extensions import db
from ..models import (
    Attendance,
    Certificate,
    CourseModule,
    Enrolment,
    JobOpening,
    SelfStudyLog,
    Track,
    Trainee,
    TrainingClass,
    TrainingSession,
    User,
    class_instructor,
)
from ..models.training import CLASS_KINDS
from ..paging import Page, count, paginate
from ..services import progress, standing
from ..services.people import find_by_id_number
from . import codes

# The course catalogue of the source documents: (name, compulsory).
DEFAULT_MODULES = (
    ("职业道德", True), ("劳动法常识", True), ("再就业优惠政策", True),
    ("中老年人家庭护理", False), ("科学看护婴幼儿", False), ("如何当好月嫂", False),
    ("家庭保洁", False), ("钟点工", False), ("疏通下水道", False), ("择业观教育", False),
    ("服务礼仪", False), ("社交礼仪", False),
)


# ---------------------------------------------------------------------------------------------
# Course modules
# ---------------------------------------------------------------------------------------------


def list_modules(active_only: bool = False) -> list[CourseModule]:
    """Modules, compulsory first, then by name."""
    query = select(CourseModule).order_by(CourseModule.is_compulsory.desc(), CourseModule.name)
    if active_only:
        query = query.where(CourseModule.is_active.is_(True))
    return list(db.session.scalars(query))


def module_names() -> set[str]:
    """The names of every module in the catalogue."""
    return set(db.session.scalars(select(CourseModule.name)))


def missing_default_modules() -> list[str]:
    """Names of the standard modules not in the catalogue yet."""
    existing = module_names()
    return [name for name, _ in DEFAULT_MODULES if name not in existing]


def module_uses(module_ids) -> dict[int, int]:
    """How many sessions were scheduled with each module (one statement)."""
    ids = list(set(module_ids))
    uses = dict.fromkeys(ids, 0)
    if ids:
        uses.update(db.session.execute(
            select(TrainingSession.module_id, func.count(TrainingSession.id))
            .where(TrainingSession.module_id.in_(ids)).group_by(TrainingSession.module_id)).all())
    return uses


def modules_page() -> dict:
    """The catalogue page: every module (with how many sessions use it) and the standard ones
    still missing."""
    modules = list_modules()
    return {"modules": modules, "missing": missing_default_modules(),
            "uses": module_uses(m.id for m in modules)}


def module_or_404(module_id: int) -> CourseModule:
    """The course module, or 404."""
    return db.get_or_404(CourseModule, module_id)


# ---------------------------------------------------------------------------------------------
# Tracks
# ---------------------------------------------------------------------------------------------


def track_uses(track_ids) -> dict[int, int]:
    """How many classes, certificates and job openings belong to each track (three statements)."""
    ids = list(set(track_ids))
    uses = dict.fromkeys(ids, 0)
    if not ids:
        return uses
    for model in (TrainingClass, Certificate, JobOpening):
        for track_id, used in db.session.execute(
                select(model.track_id, func.count(model.id)).where(model.track_id.in_(ids))
                .group_by(model.track_id)):
            uses[track_id] += used
    return uses


def tracks_page() -> dict:
    """Every track, active first then in display order, with how much uses it (four statements)."""
    tracks = list(db.session.scalars(
        select(Track).order_by(Track.is_active.desc(), Track.sort_order, Track.name)))
    return {"tracks": tracks, "uses": track_uses(t.id for t in tracks)}


def track_or_404(track_id: int) -> Track:
    """The track, or 404."""
    return db.get_or_404(Track, track_id)


# ---------------------------------------------------------------------------------------------
# Classes and enrolments
# ---------------------------------------------------------------------------------------------


CLASS_STATES = ("current", "running", "upcoming", "finished")


@dataclass
class ClassFilters:
    """What the class list is narrowed to: code or name, track, kind, state on a day, year."""

    q: str = ""
    track_id: int | None = None
    kind: str = ""
    state: str = ""  # one of CLASS_STATES: running and upcoming, running, upcoming, finished
    year: int | None = None


def _class_query(user: User, filters: ClassFilters, today: date):
    """Classes the user may see (staff or None: all; instructors: their own), newest first."""
    query = select(TrainingClass).options(
        selectinload(TrainingClass.track), selectinload(TrainingClass.instructors))
    if user is not None and not user.is_staff:
        query = query.join(class_instructor).where(class_instructor.c.user_id == user.id)
    if filters.q:
        query = query.where(or_(TrainingClass.code.like(f"%{filters.q}%"),
                                TrainingClass.name.like(f"%{filters.q}%")))
    if filters.track_id:
        query = query.where(TrainingClass.track_id == filters.track_id)
    if filters.kind in CLASS_KINDS:
        query = query.where(TrainingClass.kind == filters.kind)
    states = {
        "current": TrainingClass.ends_on >= today,
        "running": and_(TrainingClass.starts_on <= today, TrainingClass.ends_on >= today),
        "upcoming": TrainingClass.starts_on > today,
        "finished": TrainingClass.ends_on < today,
    }
    if filters.state in states:
        query = query.where(states[filters.state])
    if filters.year:
        # The classes that ran in the year: their dates overlap it.
        query = query.where(TrainingClass.starts_on <= date(filters.year, 12, 31),
                            TrainingClass.ends_on >= date(filters.year, 1, 1))
    return query.order_by(TrainingClass.starts_on.desc(), TrainingClass.id.desc())


def class_list(user: User, filters: ClassFilters, page: int, today: date | None = None) -> Page:
    """A page of the class list (instructors: their own classes), with the enrolled count of
    each class in ``page.extra["counts"]`` (four statements)."""
    result = paginate(_class_query(user, filters, today or date.today()), page)
    result.extra["counts"] = enrolled_counts([c.id for c in result.items])
    return result


def count_classes(user: User, filters: ClassFilters, today: date | None = None) -> int:
    """How many classes the list shows for ``filters`` (the dashboards' tiles)."""
    return count(_class_query(user, filters, today or date.today()))


def taught_current(user_id: int, today: date | None = None) -> list[TrainingClass]:
    """An instructor's classes that have not ended, soonest first (their dashboard)."""
    today = today or date.today()
    return list(db.session.scalars(
        select(TrainingClass).join(class_instructor)
        .where(class_instructor.c.user_id == user_id, TrainingClass.ends_on >= today)
        .options(selectinload(TrainingClass.track))
        .order_by(TrainingClass.starts_on, TrainingClass.id)))


def enrolled_counts(class_ids: list[int]) -> dict[int, int]:
    """Trainees enrolled (not withdrawn) per class, in one query."""
    if not class_ids:
        return {}
    return dict(db.session.execute(
        select(Enrolment.class_id, func.count(Enrolment.id))
        .where(Enrolment.class_id.in_(class_ids), Enrolment.status != "withdrawn")
        .group_by(Enrolment.class_id)).all())


def enrolled_count(class_id: int) -> int:
    """Trainees enrolled (not withdrawn) in one class."""
    return enrolled_counts([class_id]).get(class_id, 0)


def roster(training_class: TrainingClass) -> list[dict]:
    """Everyone in the class (by name, in pinyin order) with hours, eligibility and, once an exam
    concerns the course, its standing (passed, re-exam scheduled, attempts used up …): a fixed
    number of queries."""
    enrolments = list(db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == training_class.id)
        .options(selectinload(Enrolment.trainee), selectinload(Enrolment.training_class))
        .join(Trainee, Enrolment.trainee_id == Trainee.id)
        .order_by(Trainee.name_sort, Trainee.name, Trainee.id)))
    eligibility = progress.eligibility_for(enrolments)
    standings = standing.exam_standings(enrolments)
    return [{"enrolment": e, "trainee": e.trainee, "eligibility": eligibility[e.id],
             "standing": standings.get(e.id)} for e in enrolments]


def roster_summary(lines: list[dict]) -> dict[str, int]:
    """How many of the roster stand where: each exam standing (rules.STANDINGS), and, of those
    no exam has touched yet, who may sit the exam ("eligible") and who may not yet ("short")."""
    counts: dict[str, int] = {}
    for line in lines:
        if line["standing"] is not None:
            kind = line["standing"].kind
        else:
            kind = "eligible" if line["eligibility"].is_eligible else "short"
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def class_page(training_class: TrainingClass, search: str, user: User) -> dict:
    """A class's page: its roster, its sessions and (for staff) the trainees a search finds."""
    found = find_trainees(search) if search and user.is_staff else []
    lines = roster(training_class)
    return {"roster": lines, "summary": roster_summary(lines),
            "sessions": sessions_of(training_class), "found": found}


def enrolments_of_trainee(trainee_id: int) -> list[Enrolment]:
    """Every enrolment of a trainee, with its class."""
    return list(db.session.scalars(
        select(Enrolment).where(Enrolment.trainee_id == trainee_id)
        .options(selectinload(Enrolment.training_class))))


def find_trainees(text: str, limit: int = 20) -> list[Trainee]:
    """Trainees whose name, ID number or phone contains ``text`` (for enrolling from a search)."""
    text = (text or "").strip()
    if not text:
        return []
    return list(db.session.scalars(
        select(Trainee).where(or_(Trainee.name.like(f"%{text}%"),
                                  Trainee.id_number.like(f"%{text.upper()}%"),
                                  Trainee.phone.like(f"%{text}%")))
        .order_by(Trainee.name_sort, Trainee.name, Trainee.id).limit(limit)))


def get_class(class_id: int) -> TrainingClass | None:
    """A class with its instructors and track."""
    return db.session.scalar(
        select(TrainingClass).where(TrainingClass.id == class_id)
        .options(selectinload(TrainingClass.instructors), selectinload(TrainingClass.track)))


def enrolment_or_404(enrolment_id: int) -> Enrolment:
    """An enrolment with its class (and the class's instructors) and trainee; 404 when unknown."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.id == enrolment_id).options(
            selectinload(Enrolment.trainee),
            selectinload(Enrolment.training_class).selectinload(TrainingClass.instructors)))
    if enrolment is None:
        abort(404)
    return enrolment


def trainee_to_enrol(trainee_id: int | None, id_number: str | None) -> Trainee | None:
    """The trainee picked from a search (by id), else the one with a typed ID number."""
    if trainee_id:
        return db.session.get(Trainee, trainee_id)
    if id_number:
        return find_by_id_number(id_number)
    return None


def class_form_choices() -> tuple[list, list]:
    """Active tracks and active instructor accounts, for the class form."""
    tracks = db.session.scalars(select(Track).where(Track.is_active.is_(True))
                                .order_by(Track.sort_order, Track.name)).all()
    instructors = db.session.scalars(select(User).where(User.role == "instructor",
                                                        User.is_active_account.is_(True))
                                     .order_by(User.name_sort, User.display_name, User.id)).all()
    return list(tracks), list(instructors)


def current_enrolments(trainee_id: int) -> list[Enrolment]:
    """A trainee's enrolments still in training (else the latest one), with their classes."""
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.trainee_id == trainee_id)
        .options(selectinload(Enrolment.training_class))
        .order_by(Enrolment.enrolled_on.desc(), Enrolment.id.desc())).all()
    active = [e for e in enrolments if e.status == "active"]
    return active or list(enrolments[:1])


# ---------------------------------------------------------------------------------------------
# Sessions and the attendance register
# ---------------------------------------------------------------------------------------------


def sessions_of(training_class: TrainingClass) -> list[TrainingSession]:
    """The class's sessions by date, with their modules."""
    return list(db.session.scalars(
        select(TrainingSession).where(TrainingSession.class_id == training_class.id)
        .options(selectinload(TrainingSession.module))
        .order_by(TrainingSession.held_on, TrainingSession.starts_at)))


def session_or_404(session_id: int) -> TrainingSession:
    """A session with its class, the class's instructors and its module; 404 when unknown."""
    session = db.session.scalar(
        select(TrainingSession).where(TrainingSession.id == session_id).options(
            selectinload(TrainingSession.training_class).selectinload(TrainingClass.instructors),
            selectinload(TrainingSession.module)))
    if session is None:
        abort(404)
    return session


def attendance_of(session: TrainingSession) -> dict[int, Attendance]:
    """The session's recorded attendance by enrolment id (one query)."""
    return {a.enrolment_id: a for a in db.session.scalars(
        select(Attendance).where(Attendance.session_id == session.id))}


def register(session: TrainingSession) -> list[dict]:
    """Every enrolment of the class that can attend, with its recorded status (two queries)."""
    enrolments = db.session.scalars(
        select(Enrolment).join(Trainee, Enrolment.trainee_id == Trainee.id)
        .where(Enrolment.class_id == session.class_id)
        .options(selectinload(Enrolment.trainee))
        .order_by(Trainee.name_sort, Trainee.name, Trainee.id)).all()
    recorded = attendance_of(session)
    lines = []
    for enrolment in enrolments:
        record = recorded.get(enrolment.id)
        if enrolment.status == "withdrawn" and record is None:
            continue
        lines.append({"enrolment": enrolment, "trainee": enrolment.trainee,
                      "status": record.status if record else None,
                      "note": record.note if record else "", "record": record})
    return lines


def attendance_record(session_id: int, enrolment_id: int) -> Attendance | None:
    """The attendance record of one enrolment at one session, if any."""
    return db.session.scalar(select(Attendance).where(Attendance.session_id == session_id,
                                                      Attendance.enrolment_id == enrolment_id))


def active_enrolment_in(class_id: int, trainee_id: int) -> Enrolment | None:
    """The trainee's enrolment in the class while she is in training there (else None)."""
    return db.session.scalar(select(Enrolment).where(
        Enrolment.class_id == class_id, Enrolment.trainee_id == trainee_id,
        Enrolment.status == "active"))


def checkin_board(session: TrainingSession, now: float) -> dict:
    """The projector screen of a session at ``now`` (Unix seconds): the window, the code while
    check-in is open, and the class list with who has checked in (three queries)."""
    window = codes.session_window(session)
    state = window.state(settings.local_time(now))
    lines = register(session)
    arrived = [line for line in lines if line["record"] is not None
               and rules.attendance_credits(line["record"].status)]
    arrived.sort(key=lambda line: line["record"].scanned_at or line["record"].recorded_at,
                 reverse=True)
    waiting = [line for line in lines if line["record"] is None
               and line["enrolment"].status == "active"]
    others = [line for line in lines if line["record"] is not None
              and not rules.attendance_credits(line["record"].status)]
    return {"session": session, "window": window, "state": state,
            "code": codes.current_code(session, now) if state == "open" else None,
            "step": rules.time_step(now), "seconds_left": rules.seconds_left_in_step(now),
            "arrived": arrived, "waiting": waiting, "others": others, "total": len(lines)}


# ---------------------------------------------------------------------------------------------
# Self-study
# ---------------------------------------------------------------------------------------------


def self_study_logged_on(enrolment: Enrolment, studied_on: date) -> float:
    """Self-study hours already logged (and not rejected) for an enrolment on one day."""
    return float(db.session.scalar(
        select(func.coalesce(func.sum(SelfStudyLog.hours), 0)).where(
            SelfStudyLog.enrolment_id == enrolment.id, SelfStudyLog.studied_on == studied_on,
            SelfStudyLog.status != "rejected")) or 0)


def _queue_query(actor: User, class_id: int | None = None, search: str = ""):
    """Pending logs the actor may check (staff or None: all; instructors: their classes),
    oldest first."""
    query = (select(SelfStudyLog).join(Enrolment, SelfStudyLog.enrolment_id == Enrolment.id)
             .where(SelfStudyLog.status == "pending")
             .options(selectinload(SelfStudyLog.enrolment).selectinload(Enrolment.trainee),
                      selectinload(SelfStudyLog.enrolment).selectinload(Enrolment.training_class),
                      selectinload(SelfStudyLog.logged_by))
             .order_by(SelfStudyLog.logged_at, SelfStudyLog.id))
    if actor is not None and not actor.is_staff:
        query = query.join(class_instructor, class_instructor.c.class_id == Enrolment.class_id) \
            .where(class_instructor.c.user_id == actor.id)
    if class_id:
        query = query.where(Enrolment.class_id == class_id)
    if search:
        query = query.join(Trainee, Enrolment.trainee_id == Trainee.id).join(
            TrainingClass, Enrolment.class_id == TrainingClass.id).where(
            or_(Trainee.name.like(f"%{search}%"), TrainingClass.code.like(f"%{search}%")))
    return query


def queue(actor: User, class_id: int | None = None, search: str = "", page: int = 1) -> Page:
    """A page of the pending logs the actor may check, oldest first (five statements)."""
    return paginate(_queue_query(actor, class_id, search), page)


def count_pending(actor: User) -> int:
    """How many logs wait for the actor's check (the dashboards' tiles)."""
    return count(_queue_query(actor))


def logs_of(enrolment_ids: list[int]) -> dict[int, list[SelfStudyLog]]:
    """Every log of the enrolments, newest first, grouped by enrolment (one query)."""
    grouped: dict[int, list[SelfStudyLog]] = {i: [] for i in enrolment_ids}
    if not enrolment_ids:
        return grouped
    for log in db.session.scalars(
        select(SelfStudyLog).where(SelfStudyLog.enrolment_id.in_(enrolment_ids))
        .order_by(SelfStudyLog.studied_on.desc(), SelfStudyLog.id.desc())):
        grouped[log.enrolment_id].append(log)
    return grouped


def self_study_page(enrolment: Enrolment) -> dict:
    """An enrolment's self-study page: its logs, newest first, and its hours so far."""
    return {"logs": logs_of([enrolment.id])[enrolment.id],
            "eligibility": progress.eligibility_of(enrolment)}


def logs_with_classes(log_ids: list[int]) -> list[SelfStudyLog]:
    """Self-study logs with their enrolments' classes and instructors (one query per level)."""
    return list(db.session.scalars(
        select(SelfStudyLog).where(SelfStudyLog.id.in_(log_ids or [0]))
        .options(selectinload(SelfStudyLog.enrolment).selectinload(Enrolment.training_class)
                 .selectinload(TrainingClass.instructors))))


def log_or_404(log_id: int) -> SelfStudyLog:
    """A self-study log with its enrolment's class and instructors; 404 when unknown."""
    logs = logs_with_classes([log_id])
    if not logs:
        abort(404)
    return logs[0]
