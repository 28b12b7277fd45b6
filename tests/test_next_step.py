"""The trainee's next step in plain words (traincenter.services.next_step)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from traincenter import rules
from traincenter.retraining.next_step import course_steps, describe_next_step

TODAY = date(2026, 11, 20)
FIRST_EXAM = date(2026, 10, 15)


@pytest.fixture
def zh(app):
    """Run the test body as a Chinese request."""
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        yield


@pytest.fixture
def course(make):
    """A trainee's regular enrolment whose first exam was on FIRST_EXAM."""
    track = make.track(name="育婴师")
    regular = make.training_class(track=track, starts_on=date(2026, 8, 1),
                                  ends_on=date(2026, 10, 10))
    enrolment = make.enrolment(make.trainee(), regular)
    enrolment.exam = make.exam(regular, held_on=FIRST_EXAM, place="中心考场")
    return enrolment


def retraining_of(make, course, starts_on=date(2026, 12, 3), location="中心二楼教室"):
    """A retraining class with the course's trainee enrolled, continuing the course."""
    training_class = make.training_class(
        track=course.training_class.track, kind="retraining", starts_on=starts_on,
        ends_on=starts_on + timedelta(days=10), location=location)
    return make.enrolment(course.trainee, training_class, continues_id=course.id,
                          course_attempt=course.course_attempt)


def test_nothing_to_say_without_published_results(make, course, zh):
    make.result(course.exam, course, 40, 40, status="submitted")
    assert describe_next_step(course.trainee_id, TODAY) == []


def test_nothing_to_say_once_passed(make, course, zh):
    make.result(course.exam, course, 80, 75)
    assert describe_next_step(course.trainee_id, TODAY) == []


def test_practical_failed_with_retraining_and_reexam_scheduled(make, course, zh):
    make.result(course.exam, course, 72, 50)
    retraining = retraining_of(make, course)
    make.exam(retraining.training_class, kind="reexam", held_on=date(2026, 12, 20),
              place="中心考场")
    assert describe_next_step(course.trainee_id, TODAY) == [
        "您的实操考核未通过。",
        "二次培训：2026年12月3日起，地点：中心二楼教室。",
        "补考：2026年12月20日，地点：中心考场，只考实操。",
        "理论成绩 72 分保留至 2027年10月14日。",
        "这次补考是本次课程的最后一次机会。",
    ]


def test_both_failed_nothing_arranged_yet(make, course, zh):
    make.result(course.exam, course, 55.5, 40)
    assert describe_next_step(course.trainee_id, TODAY) == [
        "您的理论考试和实操考核未通过。",
        "培训中心会安排您参加二次培训，并通知您时间。",
        "补考时间还没定，定了会通知您。补考时理论和实操都要考。",
        "这次补考是本次课程的最后一次机会。",
    ]


def test_absent_part_is_called_absent_not_failed(make, course, zh):
    make.result(course.exam, course, 65, rules.ABSENT)
    sentences = describe_next_step(course.trainee_id, TODAY)
    assert sentences[0] == "您实操考核缺考。"
    assert "理论成绩 65 分保留至 2027年10月14日。" in sentences


def test_carried_part_expired_before_the_scheduled_reexam(make, course, zh, app):
    app.config["ATTEMPT_LIMIT"] = 3
    make.result(course.exam, course, 72, 50)
    retraining = retraining_of(make, course, starts_on=date(2027, 9, 1))
    make.exam(retraining.training_class, kind="reexam", held_on=date(2027, 10, 20), place="考场")
    sentences = describe_next_step(course.trainee_id, TODAY)
    assert "补考：2027年10月20日，地点：考场，理论和实操都要考。" in sentences
    assert ("您的理论成绩只保留到 2027年10月14日，补考时已过期，所以理论和实操都要考。"
            in sentences)
    assert not any("保留至" in sentence for sentence in sentences)


def test_carried_part_expired_without_reexam_means_start_again(make, course, zh):
    make.result(course.exam, course, 72, 50)
    later = date(2027, 11, 1)
    steps = course_steps(course.trainee_id, later)
    assert not steps[0].may_retake
    assert describe_next_step(course.trainee_id, later) == [
        "您的实操考核未通过。",
        "您的理论成绩只保留到 2027年10月14日，已经过期，本次课程不能再补考。",
        "您可以报名参加新的常规培训班，重新学习，理论和实操都要考。",
    ]


def test_attempt_limit_reached(make, course, zh):
    first = make.result(course.exam, course, 72, 50)
    retraining = retraining_of(make, course)
    reexam = make.exam(retraining.training_class, kind="reexam", held_on=date(2026, 11, 10))
    make.result(reexam, retraining, None, 45, attempt_no=2, theory_carried_from=first)
    sentences = describe_next_step(course.trainee_id, TODAY)
    assert sentences == [
        "您的实操考核未通过。",
        "本次课程的 2 次考试机会已用完，课程已结束。",
        "您可以报名参加新的常规培训班，重新学习，理论和实操都要考。",
    ]


def test_reexam_held_but_not_published(make, course, zh):
    first = make.result(course.exam, course, 72, 50)
    retraining = retraining_of(make, course)
    reexam = make.exam(retraining.training_class, kind="reexam", held_on=date(2026, 11, 18))
    make.result(reexam, retraining, None, 70, attempt_no=2, theory_carried_from=first,
                status="submitted")
    sentences = describe_next_step(course.trainee_id, TODAY)
    assert "您的补考成绩还没有公布。" in sentences
    assert not any(sentence.startswith("补考：") for sentence in sentences)


def test_new_regular_class_after_closed_course_starts_afresh(make, course, zh):
    first = make.result(course.exam, course, 72, 50)
    retraining = retraining_of(make, course)
    reexam = make.exam(retraining.training_class, kind="reexam", held_on=date(2026, 11, 10))
    make.result(reexam, retraining, None, 45, attempt_no=2, theory_carried_from=first)
    new_class = make.training_class(track=course.training_class.track, starts_on=TODAY)
    make.enrolment(course.trainee, new_class, course_attempt=2)
    assert describe_next_step(course.trainee_id, TODAY) == []


def test_english_sentences_follow_the_locale(make, course, app):
    make.result(course.exam, course, 72, 50)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        sentences = describe_next_step(course.trainee_id, TODAY)
    assert sentences[0] == "Your practical exam did not pass."
    assert "Your theory score of 72 is kept until October 14, 2027." in sentences


def test_each_track_is_named_when_there_are_two(make, course, zh):
    make.result(course.exam, course, 72, 50)
    other_class = make.training_class(track=make.track(name="养老护理"))
    other = make.enrolment(course.trainee, other_class)
    make.result(make.exam(other_class, held_on=FIRST_EXAM), other, 30, 80)
    sentences = describe_next_step(course.trainee_id, TODAY)
    assert "【育婴师】您的实操考核未通过。" in sentences
    assert "【养老护理】您的理论考试未通过。" in sentences


def test_the_enrolments_a_page_holds_give_the_same_steps(make, course, zh):
    """The home page hands over the trainee's enrolments (withdrawn ones included) instead of
    having them read again: the same sentences either way."""
    make.result(course.exam, course, 72, 50)
    retraining = retraining_of(make, course)
    make.exam(retraining.training_class, kind="reexam", held_on=date(2026, 12, 20), place="考场")
    other_track = make.training_class(track=make.track(name="养老护理员"))
    make.enrolment(course.trainee, other_track, status="withdrawn")
    read = describe_next_step(course.trainee_id, TODAY)
    held = describe_next_step(course.trainee_id, TODAY, enrolments=list(course.trainee.enrolments))
    assert held == read and any("2026年12月20日" in sentence for sentence in read)


def test_a_passed_course_heads_for_no_reexam(make, course, zh):
    """Even with a retraining enrolment and a re-exam still on the books."""
    make.result(course.exam, course, 72, 80)
    retraining = retraining_of(make, course)
    make.exam(retraining.training_class, kind="reexam", held_on=date(2026, 12, 20))
    [step] = course_steps(course.trainee_id, TODAY)
    assert step.plan.status == "passed" and step.reexam is None
    assert describe_next_step(course.trainee_id, TODAY) == []
