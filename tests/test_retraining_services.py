"""Issue 5 acceptance at service level: carried-over parts, expiry, the attempt limit, the list,
retraining classes, starting again and the attempt timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from traincenter import rules
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import Enrolment, TrainingClass
from traincenter.retraining import operations, queries
from traincenter.retraining.notices import exam_notices
from traincenter.retraining.timeline import attempt_timeline
from traincenter.services.attempts import course_results, plan_for, settle_courses

FIRST = date(2026, 6, 10)
TODAY = date(2026, 7, 1)


@pytest.fixture
def zh(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        yield


def failed_course(make, theory, practical, *, track=None, level=5, trainee=None, held_on=FIRST):
    """A regular enrolment with a published first exam."""
    track = track or make.track()
    regular = make.training_class(track=track, level=level, starts_on=held_on - timedelta(days=60),
                                  ends_on=held_on - timedelta(days=1))
    course = make.enrolment(trainee or make.trainee(), regular)
    course.first = make.result(make.exam(regular, held_on=held_on), course, theory, practical)
    return course


def reexam_for(make, course, held_on, **result):
    """A retraining enrolment continuing ``course`` and a re-exam result (published by default)."""
    retraining_class = make.training_class(track=course.training_class.track, kind="retraining",
                                           starts_on=held_on - timedelta(days=20), ends_on=held_on)
    follower = make.enrolment(course.trainee, retraining_class, continues_id=course.id,
                              course_attempt=course.course_attempt)
    exam = make.exam(retraining_class, kind="reexam", held_on=held_on)
    return follower, make.result(exam, follower, attempt_no=2, **result)


def plan(course, on):
    return plan_for(course_results([course.id])[course.id], on)


# -- acceptance: what the re-exam covers and the combined result ------------------------------


def test_theory_passed_practical_failed_reexam_covers_practical_only(make):
    course = failed_course(make, 72, 50)
    reexam_on = date(2026, 8, 20)
    first_plan = plan(course, reexam_on)
    assert first_plan.status == "retake"
    assert first_plan.parts_to_sit == ("practical",)
    assert [(c.part, c.score, c.valid_until) for c in first_plan.carried] == [
        ("theory", 72, date(2027, 6, 9))]
    follower, result = reexam_for(make, course, reexam_on, practical=68,
                                  theory_carried_from=course.first)
    assert result.is_passed is True
    assert rules.combine_result(None, 68, carried_theory=72) is True
    assert settle_courses([course.id], reexam_on)[course.id] == "passed"
    db.session.commit()
    assert (course.status, follower.status) == ("passed", "passed")


def test_carried_theory_with_failed_practical_is_still_a_fail(make):
    course = failed_course(make, 72, 50)
    _, result = reexam_for(make, course, date(2026, 8, 20), practical=59.9,
                           theory_carried_from=course.first)
    assert result.is_passed is False


def test_both_failed_reexam_covers_both(make):
    course = failed_course(make, 55, rules.ABSENT)
    the_plan = plan(course, date(2026, 8, 20))
    assert the_plan.parts_to_sit == ("theory", "practical")
    assert the_plan.carried == ()
    _, result = reexam_for(make, course, date(2026, 8, 20), theory=61, practical=60)
    assert result.is_passed is True


@pytest.mark.parametrize(("reexam_on", "carried"), [
    (date(2027, 6, 9), True),    # the last day the theory pass is kept
    (date(2027, 6, 10), False),  # a day later it has expired
])
def test_carried_part_expiry_on_the_reexam_date(make, reexam_on, carried):
    course = failed_course(make, 72, 50)
    the_plan = plan(course, reexam_on)
    assert bool(the_plan.carried) is carried
    assert bool(the_plan.expired) is not carried
    assert the_plan.parts_to_sit == (("practical",) if carried else ("theory", "practical"))


def test_expired_carried_part_is_sat_again_and_the_notice_says_why(make, zh, app):
    app.config["ATTEMPT_LIMIT"] = 3
    course = failed_course(make, 72, 50)
    retraining_class = make.training_class(track=course.training_class.track, kind="retraining",
                                           starts_on=date(2027, 6, 1), ends_on=date(2027, 6, 30))
    make.enrolment(course.trainee, retraining_class, continues_id=course.id)
    exam = make.exam(retraining_class, kind="reexam", held_on=date(2027, 6, 20), place="二号考场")
    notice = exam_notices(exam.id).notices[0]
    assert notice.plan.parts_to_sit == ("theory", "practical")
    assert "理论和实操都要考" in notice.message
    assert "理论成绩只保留到 2027年6月9日" in notice.message
    # sat again: the combined result needs both new parts
    assert rules.combine_result(72, 50) is False


def test_attempt_limit_reached_closes_the_course(make):
    course = failed_course(make, 72, 50)
    follower, result = reexam_for(make, course, date(2026, 8, 20), practical=40,
                                  theory_carried_from=course.first)
    assert result.is_passed is False
    assert settle_courses([course.id], date(2026, 9, 1))[course.id] == "not_passed"
    db.session.commit()
    assert (course.status, course.closed_reason) == ("not_passed", "attempt_limit")
    assert follower.status == "not_passed"
    the_plan = plan(course, date(2026, 10, 1))
    assert the_plan.status == "limit_reached" and the_plan.attempts_left == 0
    listing = queries.retraining_list(today=date(2026, 9, 2))
    assert [e.course.id for e in listing.no_longer] == [course.id]
    assert listing.no_longer[0].reason == "limit_reached"
    with pytest.raises(DomainError) as error:
        queries.selected_entries([course.id], date(2026, 9, 2))
    assert error.value.details  # names the trainee who may no longer retake


# -- the list -----------------------------------------------------------------------------------


def test_list_groups_and_filters(make):
    track, other_track = make.track(), make.track()
    practical_failed = failed_course(make, 72, 50, track=track)
    both_failed = failed_course(make, 40, 40, track=other_track)
    passed = failed_course(make, 80, 80, track=track)
    expired = failed_course(make, 90, 30, track=track, held_on=date(2025, 5, 1))
    listing = queries.retraining_list(today=TODAY)
    assert {e.course.id for e in listing.may_retake} == {practical_failed.id, both_failed.id}
    assert [(e.course.id, e.reason) for e in listing.no_longer] == [(expired.id, "expired")]
    assert passed.id not in {e.course.id for e in listing.may_retake + listing.no_longer}
    entry = next(e for e in listing.may_retake if e.course.id == practical_failed.id)
    assert entry.parts_not_passed == ["practical"]
    assert entry.waiting_since == FIRST and entry.days_waiting == 21
    assert entry.selectable
    by_track = queries.retraining_list(track_id=other_track.id, today=TODAY)
    assert [e.course.id for e in by_track.may_retake] == [both_failed.id]
    by_class = queries.retraining_list(class_id=practical_failed.class_id, today=TODAY)
    assert [e.course.id for e in by_class.may_retake] == [practical_failed.id]
    assert by_class.no_longer == []


def test_unpublished_results_do_not_put_anyone_on_the_list(make):
    regular = make.training_class()
    course = make.enrolment(make.trainee(), regular)
    make.result(make.exam(regular), course, 10, 10, status="submitted")
    listing = queries.retraining_list(today=TODAY)
    assert listing.may_retake == [] and listing.no_longer == []


def _count_queries(function):
    statements = []

    def record(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        function()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_list_runs_a_fixed_number_of_queries(make):
    track = make.track()
    for _ in range(2):
        failed_course(make, 72, 50, track=track)
    db.session.expire_all()
    few = _count_queries(lambda: queries.retraining_list(today=TODAY))
    for _ in range(10):
        course = failed_course(make, 72, 50, track=track)
        reexam_for(make, course, date(2026, 6, 30), practical=10, theory_carried_from=course.first)
    db.session.expire_all()
    many = _count_queries(lambda: queries.retraining_list(today=TODAY))
    assert few == many


# -- retraining classes -------------------------------------------------------------------------


def class_values(**overrides):
    values = {"code": "R-1", "name": "二次培训班", "starts_on": date(2026, 7, 10),
              "ends_on": date(2026, 7, 24), "location": "二楼", "instructor_ids": [],
              "required_total_hours": 50, "required_classroom_hours": 27,
              "required_self_study_hours": 24, "capacity": 30, "fee": 0}
    values.update(overrides)
    return values


def create_class(values, course_ids, actor):
    """Open a retraining class for the chosen courses, as the new-class page does."""
    return operations.create_retraining_class(
        values, queries.selected_entries(course_ids, TODAY), actor, TODAY)


def enrol_in(class_id, course_ids, actor):
    """Add the chosen courses to a retraining class, as the enrol button does."""
    return operations.enrol_in_retraining_class(
        class_id, queries.selected_entries(course_ids, TODAY), actor, TODAY)


def test_create_retraining_class_enrols_the_selection(make):
    staff, teacher = make.user("staff"), make.user("instructor")
    track = make.track()
    first = failed_course(make, 72, 50, track=track)
    second = failed_course(make, 40, 40, track=track)
    second.course_attempt = 2
    db.session.commit()
    suggestion = queries.suggest_class(queries.selected_entries([first.id], TODAY), TODAY)
    assert (suggestion.required_total_hours, suggestion.required_classroom_hours,
            suggestion.required_self_study_hours) == (50, 27, 24)
    training_class = create_class(
        class_values(instructor_ids=[teacher.id]), [first.id, second.id], staff)
    assert training_class.kind == "retraining"
    assert (training_class.track_id, training_class.level) == (track.id, 5)
    assert [u.id for u in training_class.instructors] == [teacher.id]
    enrolments = {e.continues_id: e for e in training_class.enrolments}
    assert set(enrolments) == {first.id, second.id}
    assert enrolments[second.id].course_attempt == 2
    assert enrolments[first.id].course_enrolment_id == first.id
    listing = queries.retraining_list(today=TODAY)
    assert all(e.retraining is not None and not e.selectable for e in listing.may_retake)
    with pytest.raises(DomainError):  # already in a retraining class
        create_class(class_values(code="R-2"), [first.id], staff)


@pytest.mark.parametrize(("values", "field"), [
    ({"ends_on": date(2026, 7, 1)}, "ends_on"),
    ({"capacity": 1}, "capacity"),
    ({"instructor_ids": [999999]}, "instructor_ids"),
])
def test_create_retraining_class_refuses_bad_input_and_writes_nothing(make, values, field):
    staff = make.user("staff")
    track = make.track()
    courses = [failed_course(make, 72, 50, track=track) for _ in range(2)]
    with pytest.raises(DomainError) as error:
        create_class(class_values(**values), [c.id for c in courses], staff)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalars(select(TrainingClass).where(TrainingClass.kind == "retraining")).all() == []


def test_create_retraining_class_refuses_mixed_tracks_and_empty_selection(make):
    staff = make.user("staff")
    a, b = failed_course(make, 72, 50), failed_course(make, 72, 50)
    with pytest.raises(DomainError):
        create_class(class_values(), [a.id, b.id], staff)
    with pytest.raises(DomainError):
        create_class(class_values(), [], staff)
    existing = make.training_class(code="R-1")
    with pytest.raises(DomainError) as error:
        create_class(class_values(code=existing.code), [a.id], staff)
    assert error.value.field == "code"


def test_enrol_in_existing_retraining_class(make):
    staff = make.user("staff")
    track = make.track()
    a, b = failed_course(make, 72, 50, track=track), failed_course(make, 50, 72, track=track)
    training_class = create_class(class_values(), [a.id], staff)
    assert enrol_in(training_class.id, [b.id], staff) == 1
    assert {e.continues_id for e in training_class.enrolments} == {a.id, b.id}
    other = make.training_class(kind="retraining")
    c = failed_course(make, 72, 50, track=track)
    with pytest.raises(DomainError):  # another track
        enrol_in(other.id, [c.id], staff)


# -- starting again after the limit -------------------------------------------------------------


def test_restart_after_the_limit_counts_a_new_course(make):
    staff = make.user("staff")
    course = failed_course(make, 72, 50)
    reexam_for(make, course, date(2026, 6, 30), practical=40, theory_carried_from=course.first)
    settle_courses([course.id], TODAY)
    db.session.commit()
    new_class = make.training_class(track=course.training_class.track, starts_on=TODAY,
                                    ends_on=TODAY + timedelta(days=60))
    with pytest.raises(DomainError):  # a retraining class is not a new regular course
        operations.restart_course(course.id, make.training_class(kind="retraining").id, staff, TODAY)
    enrolment = operations.restart_course(course.id, new_class.id, staff, TODAY)
    assert (enrolment.course_attempt, enrolment.continues_id) == (2, None)
    assert queries.no_longer_entry(course.id, TODAY).restarted.id == enrolment.id
    with pytest.raises(DomainError):
        operations.restart_course(course.id, new_class.id, staff, TODAY)


def test_restart_after_expiry_closes_the_old_course(make):
    staff = make.user("staff")
    course = failed_course(make, 90, 30, held_on=date(2025, 5, 1))
    new_class = make.training_class(track=course.training_class.track, starts_on=TODAY,
                                    ends_on=TODAY + timedelta(days=60))
    operations.restart_course(course.id, new_class.id, staff, TODAY)
    db.session.expire_all()
    old = db.session.get(Enrolment, course.id)
    assert (old.status, old.closed_reason) == ("not_passed", "carry_over_expired")


def test_someone_who_may_retake_cannot_restart(make):
    staff = make.user("staff")
    course = failed_course(make, 72, 50)
    new_class = make.training_class(track=course.training_class.track, starts_on=TODAY)
    with pytest.raises(DomainError):
        operations.restart_course(course.id, new_class.id, staff, TODAY)


# -- the timeline -------------------------------------------------------------------------------


def test_timeline_shows_every_attempt_in_order(make, zh):
    course = failed_course(make, 72, 50)
    follower, _ = reexam_for(make, course, date(2026, 8, 20), practical=40,
                             theory_carried_from=course.first)
    settle_courses([course.id], date(2026, 8, 25))
    db.session.commit()
    new_class = make.training_class(track=course.training_class.track,
                                    starts_on=date(2026, 9, 1), ends_on=date(2026, 11, 1))
    restarted = make.enrolment(course.trainee, new_class, course_attempt=2)
    make.result(make.exam(new_class, held_on=date(2026, 11, 1)), restarted, 75, 80)
    entries = attempt_timeline(course.trainee_id)
    assert [(e.kind, e.course_attempt, e.attempt_no) for e in entries] == [
        ("enrolled", 1, None), ("exam", 1, 1), ("enrolled", 1, None), ("exam", 1, 2),
        ("closed", 1, None), ("enrolled", 2, None), ("exam", 2, 1)]
    assert entries[3].parts == {"theory": "72（保留）", "practical": "40"}
    assert entries[3].is_passed is False
    assert "考试次数已用完" in entries[4].summary
    assert entries[-1].is_passed is True
    assert [e.on for e in entries] == sorted(e.on for e in entries)


def test_only_staff_organise_retraining(make):
    instructor = make.user("instructor")
    course = failed_course(make, 72, 50)
    with pytest.raises(DomainError):
        create_class(class_values(), [course.id], instructor)
    db.session.rollback()
    assert db.session.scalars(select(TrainingClass).where(TrainingClass.kind == "retraining")).all() == []


# -- course results kept within a session until it writes --------------------------------------


def _counting_selects():
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", count)


def test_course_results_are_read_once_for_a_page_and_again_after_a_write(make):
    course = failed_course(make, 72, 50)
    db.session.commit()
    course_id, first_id = course.id, course.first.id
    seen, stop = _counting_selects()
    try:
        first = course_results([course_id])[course_id]
        again = course_results({course_id})[course_id]
        assert len(seen) == 1 and first == again and first is not again  # a copy of the list
        follower, reexam = reexam_for(make, course, date(2026, 8, 20), practical=70)
        after_write = course_results([course_id])[course_id]
        assert [r.id for r in after_write] == [first_id, reexam.id]
    finally:
        stop()


def test_course_results_see_unflushed_changes_and_a_rollback(make):
    course = failed_course(make, 72, 50)
    db.session.commit()
    assert [r.id for r in course_results([course.id])[course.id]] == [course.first.id]
    course.first.status = "submitted"  # pending, not flushed: the next read flushes and sees it
    assert course_results([course.id])[course.id] == []
    db.session.rollback()
    assert [r.id for r in course_results([course.id])[course.id]] == [course.first.id]


def test_results_a_page_read_already_are_kept_and_only_the_rest_is_read(make):
    from traincenter.exams.queries import trainee_results
    from traincenter.services.attempts import keep_course_results

    course = failed_course(make, 72, 50)
    follower, reexam = reexam_for(make, course, date(2026, 8, 20), practical=55)
    other = failed_course(make, 40, 45, trainee=course.trainee)
    db.session.commit()
    read = trainee_results(course.trainee_id)
    keep_course_results({course.id: [r for r in read if r.enrolment.course_enrolment_id
                                     == course.id]})
    seen, stop = _counting_selects()
    try:
        kept = course_results([course.id])[course.id]
        assert seen == [] and [r.id for r in kept] == [course.first.id, reexam.id]
        both = course_results([course.id, other.id])  # the other course is read, alone
        assert len(seen) == 1 and [r.id for r in both[other.id]] == [other.first.id]
    finally:
        stop()
    course.first.status = "submitted"  # unflushed changes: nothing is kept
    keep_course_results({course.id: [course.first]})
    assert [r.id for r in course_results([course.id])[course.id]] == [reexam.id]
