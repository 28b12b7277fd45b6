"""Reads of the retraining area: the retraining list, choosing courses, suggesting a class, the
open classes.

The list uses ``traincenter.services.attempts`` (course results and the next-attempt plan from
the rules package), in a fixed number of queries. ``selected_entries`` refuses courses that may
not be put into a retraining class (``DomainError`` with one line per refused trainee).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from .. import rules
from ..errors import DomainError
from ..extensions import db
from ..models import Enrolment, Exam, ExamResult, Track, Trainee, TrainingClass, User
from ..paging import page_of
from ..services.attempts import course_results, plan_for
from ..services.verdicts import parts_not_passed

# The form suggests a shorter course for retraining: this share of the regular class's hours,
# rounded up to whole hours. Staff decide the real figures.
RETRAINING_HOURS_SHARE = 1 / 3
CANNOT_CHOOSE = _l("Some of the chosen trainees cannot be put into a retraining class.")


@dataclass(frozen=True)
class ListEntry:
    """One course on the retraining list."""

    course: Enrolment  # the regular enrolment (trainee and class loaded)
    plan: rules.AttemptPlan
    latest: ExamResult
    retraining: Enrolment | None  # retraining enrolment prepared for the next attempt
    restarted: Enrolment | None  # a later regular enrolment in the same track
    today: date

    @property
    def reason(self) -> str | None:
        """Why the trainee may no longer retake: limit_reached, expired, or None."""
        if self.plan.status == "limit_reached":
            return "limit_reached"
        if self.plan.expired:
            return "expired"
        return None

    @property
    def parts_not_passed(self) -> list[str]:
        """Parts sat at the latest attempt that did not pass (absent included)."""
        return parts_not_passed(self.latest)

    @property
    def waiting_since(self) -> date:
        """Date of the latest (failed) exam."""
        return self.latest.exam.held_on

    @property
    def days_waiting(self) -> int:
        """Days since the latest exam."""
        return (self.today - self.waiting_since).days

    def expires_soon(self, item: rules.CarriedPart) -> bool:
        """A carried part that lapses soon (``rules.carry_over_lapses_soon``)."""
        return rules.carry_over_lapses_soon(item.valid_until, self.today)

    @property
    def selectable(self) -> bool:
        """May be put into a retraining class now."""
        return self.reason is None and self.retraining is None


@dataclass(frozen=True)
class RetrainingList:
    """The list, split into those who may retake and those who may no longer."""

    may_retake: list[ListEntry]
    no_longer: list[ListEntry]


def _courses_with_published_results():
    """Ids of courses (regular enrolment ids) holding at least one published result."""
    return (
        select(func.coalesce(Enrolment.continues_id, Enrolment.id))
        .join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
        .where(ExamResult.status == "published")
    )


def retraining_list(track_id: int | None = None, class_id: int | None = None,
                    today: date | None = None, search: str = "") -> RetrainingList:
    """Everyone whose latest published attempt failed, in a fixed number of queries (five);
    ``search`` narrows to trainees whose name or phone contains it."""
    today = today or date.today()
    query = (
        select(Enrolment)
        .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .join(Trainee, Enrolment.trainee_id == Trainee.id)
        .where(Enrolment.continues_id.is_(None), Enrolment.status.in_(("active", "not_passed")),
               Enrolment.id.in_(_courses_with_published_results()))
        .options(selectinload(Enrolment.trainee),
                 selectinload(Enrolment.training_class).selectinload(TrainingClass.track))
        .order_by(TrainingClass.starts_on, Enrolment.id)
    )
    if track_id:
        query = query.where(TrainingClass.track_id == track_id)
    if class_id:
        query = query.where(Enrolment.class_id == class_id)
    if search:
        query = query.where(or_(Trainee.name.like(f"%{search}%"), Trainee.phone.like(f"%{search}%")))
    courses = db.session.scalars(query).all()
    ids = [course.id for course in courses]
    results = course_results(ids)
    followers = _followers(courses)
    may_retake, no_longer = [], []
    for course in courses:
        plan = plan_for(results[course.id], today)
        if plan.status == "passed" or not results[course.id]:
            continue
        used = {result.enrolment_id for result in results[course.id]}
        retraining = next((e for e in followers["retraining"].get(course.id, [])
                           if e.id not in used and e.status == "active"), None)
        restarted = next((e for e in followers["regular"].get(course.trainee_id, [])
                          if e.training_class.track_id == course.training_class.track_id
                          and e.course_attempt > course.course_attempt), None)
        entry = ListEntry(course, plan, results[course.id][-1], retraining, restarted, today)
        (no_longer if entry.reason else may_retake).append(entry)
    may_retake.sort(key=lambda entry: entry.waiting_since)
    return RetrainingList(may_retake, no_longer)


def _followers(courses: list[Enrolment]) -> dict[str, dict[int, list[Enrolment]]]:
    """Retraining enrolments per course id, and regular enrolments per trainee id."""
    ids = [course.id for course in courses]
    trainee_ids = {course.trainee_id for course in courses}
    followers: dict[str, dict[int, list[Enrolment]]] = {"retraining": {}, "regular": {}}
    if not ids:
        return followers
    rows = db.session.scalars(
        select(Enrolment)
        .where((Enrolment.continues_id.in_(ids))
               | (Enrolment.continues_id.is_(None) & Enrolment.trainee_id.in_(trainee_ids)))
        .options(selectinload(Enrolment.training_class))
        .order_by(Enrolment.id.desc())
    ).all()
    for enrolment in rows:
        if enrolment.continues_id is not None:
            followers["retraining"].setdefault(enrolment.continues_id, []).append(enrolment)
        else:
            followers["regular"].setdefault(enrolment.trainee_id, []).append(enrolment)
    return followers


SECTIONS = ("may_retake", "no_longer")


def list_page(track_id: int | None, class_id: int | None, search: str, section: str,
              page: int, today: date | None = None) -> dict:
    """One page of one section of the retraining list, the size of both sections, and the
    choices of the filters (tracks; the regular classes that have someone in the section).

    The whole list is classified by the attempt rules (a fixed number of statements); only the
    asked-for page is rendered."""
    listing = retraining_list(track_id, None, today, search)
    entries = listing.no_longer if section == "no_longer" else listing.may_retake
    chosen = {entry.course.training_class for entry in entries}
    chosen |= {entry.course.training_class for entry in listing.may_retake + listing.no_longer
               if entry.course.class_id == class_id}  # the chosen class stays chosen
    classes = sorted(chosen, key=lambda c: (c.starts_on, c.id), reverse=True)
    if class_id:
        listing = RetrainingList(
            [entry for entry in listing.may_retake if entry.course.class_id == class_id],
            [entry for entry in listing.no_longer if entry.course.class_id == class_id])
    rows = listing.no_longer if section == "no_longer" else listing.may_retake
    tracks = db.session.scalars(select(Track).order_by(Track.sort_order, Track.name)).all()
    return {"page": page_of(rows, page), "sizes": {"may_retake": len(listing.may_retake),
                                                   "no_longer": len(listing.no_longer)},
            "tracks": list(tracks), "classes": classes}


def instructors() -> list[User]:
    """Active instructor accounts, for the class form."""
    return list(db.session.scalars(
        select(User).where(User.role == "instructor", User.is_active_account.is_(True))
        .order_by(User.name_sort, User.display_name, User.id)
    ).all())


# ---------------------------------------------------------------------------------------------
# Choosing courses and suggesting a retraining class
# ---------------------------------------------------------------------------------------------


def selected_entries(course_ids: list[int], today: date | None = None) -> list[ListEntry]:
    """The list entries of the chosen courses; refuses ids that may not be put into a class."""
    if not course_ids:
        raise DomainError(_l("Choose at least one trainee on the retraining list."))
    listing = retraining_list(today=today)
    by_id = {entry.course.id: entry for entry in listing.may_retake + listing.no_longer}
    problems = []
    for course_id in dict.fromkeys(course_ids):
        entry = by_id.get(course_id)
        if entry is None:
            problems.append(gettext("Course %(id)s is not on the retraining list.", id=course_id))
        elif entry.reason:
            problems.append(gettext("%(name)s may no longer retake in this course.",
                                    name=entry.course.trainee.name))
        elif entry.retraining is not None:
            problems.append(gettext("%(name)s is already in retraining class %(code)s.",
                                    name=entry.course.trainee.name,
                                    code=entry.retraining.training_class.code))
    if problems:
        raise selection_refused(problems)
    entries = [by_id[course_id] for course_id in dict.fromkeys(course_ids)]
    kinds = {(e.course.training_class.track_id, e.course.training_class.level) for e in entries}
    if len(kinds) > 1:
        raise DomainError(_l("A retraining class has one track and one level: choose trainees of "
                             "the same track and level."))
    return entries


def selection_refused(problems: list[str]) -> DomainError:
    """The refusal of a choice of trainees: the message, then one line per refused trainee."""
    return DomainError(CANNOT_CHOOSE, details=problems,
                       field_errors=[(None, CANNOT_CHOOSE)] + [(None, line) for line in problems])


@dataclass(frozen=True)
class ClassSuggestion:
    """Prefilled values of the new-class form."""

    track: Track
    level: int
    code: str
    name: str
    required_total_hours: int
    required_classroom_hours: int
    required_self_study_hours: int
    provider_kind: str
    provider_name: str
    location: str | None
    instructor_ids: list[int]


def suggest_class(entries: list[ListEntry], today: date | None = None) -> ClassSuggestion:
    """A shorter course of the same track and level, taught by the regular class's instructors."""
    today = today or date.today()
    regular = entries[0].course.training_class
    count = db.session.scalar(
        select(func.count(TrainingClass.id)).where(TrainingClass.kind == "retraining")) or 0
    code = f"R{today:%Y%m}-{count + 1:03d}"
    while db.session.scalar(select(TrainingClass.id).where(TrainingClass.code == code)):
        count += 1
        code = f"R{today:%Y%m}-{count + 1:03d}"

    def share(hours) -> int:
        return math.ceil(float(hours) * RETRAINING_HOURS_SHARE)

    return ClassSuggestion(
        regular.track, regular.level, code,
        gettext("%(track)s retraining class %(code)s", track=regular.track.name, code=code),
        share(regular.required_total_hours), share(regular.required_classroom_hours),
        share(regular.required_self_study_hours), regular.provider_kind, regular.provider_name,
        regular.location, [user.id for user in regular.instructors],
    )


def open_regular_classes(track_id: int, today: date | None = None) -> list[TrainingClass]:
    """Regular classes of a track that have not ended (to start again in)."""
    today = today or date.today()
    return list(db.session.scalars(
        select(TrainingClass).where(TrainingClass.kind == "regular",
                                    TrainingClass.track_id == track_id,
                                    TrainingClass.ends_on >= today)
        .order_by(TrainingClass.starts_on)
    ).all())


def open_retraining_classes(today: date | None = None) -> list[tuple[TrainingClass, int]]:
    """Retraining classes that have not ended, with their number of active trainees (1 query)."""
    today = today or date.today()
    count = (select(func.count(Enrolment.id))
             .where(Enrolment.class_id == TrainingClass.id, Enrolment.status == "active")
             .correlate(TrainingClass).scalar_subquery())
    rows = db.session.execute(
        select(TrainingClass, count)
        .where(TrainingClass.kind == "retraining", TrainingClass.ends_on >= today)
        .options(selectinload(TrainingClass.track))
        .order_by(TrainingClass.starts_on, TrainingClass.id)
    ).all()
    return [(training_class, active) for training_class, active in rows]


def no_longer_entry(course_id: int, today: date | None = None) -> ListEntry | None:
    """The list entry of a course that may no longer retake (None when it is not one)."""
    listing = retraining_list(today=today)
    return next((e for e in listing.no_longer if e.course.id == course_id), None)


def class_exams(class_id: int) -> list[Exam]:
    """The exams of a class, by date."""
    return list(db.session.scalars(
        select(Exam).where(Exam.class_id == class_id).order_by(Exam.held_on, Exam.id)).all())
