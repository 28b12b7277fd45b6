"""``flask demo seed``: deterministic, consistent with the rules, every walk-through situation."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from traincenter import rules
from traincenter.demo import seed_demo
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import (
    Attendance,
    Certificate,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    FeedbackLink,
    HealthCertificate,
    Placement,
    ScoreChange,
    SelfStudyLog,
    Track,
    Trainee,
    TrainingClass,
    User,
)
from traincenter.services import attempts, fitness, progress

from .conftest import _clean

SMALL = 60


def quiet(_message: str) -> None:
    """Swallow the progress lines."""


@pytest.fixture
def seeded():
    """A small demo data set; returns the summary."""
    return seed_demo(trainees=SMALL, echo=quiet)


def situation_trainee(summary: str, words: str) -> Trainee:
    """The trainee the summary names after ``words``."""
    match = re.search(re.escape(words) + r"[^#]*#(\d+)", summary)
    assert match, summary
    return db.session.get(Trainee, int(match.group(1)))


def course_of(trainee: Trainee) -> Enrolment:
    """The trainee's regular enrolment."""
    return db.session.scalars(select(Enrolment).where(
        Enrolment.trainee_id == trainee.id, Enrolment.continues_id.is_(None))).one()


def results_of(course: Enrolment, published_only: bool = True) -> list[ExamResult]:
    return attempts.course_results([course.id], published_only=published_only)[course.id]


def digest() -> str:
    """A fingerprint of the people, scores and certificates in the database."""
    parts = []
    for row in db.session.execute(select(Trainee.id, Trainee.id_number, Trainee.name, Trainee.phone)
                                  .order_by(Trainee.id)):
        parts.append(repr(tuple(row)))
    for row in db.session.execute(select(ExamResult.id, ExamResult.theory_score,
                                         ExamResult.practical_score, ExamResult.is_passed,
                                         ExamResult.theory_carried_from_id)
                                  .order_by(ExamResult.id)):
        parts.append(repr(tuple(row)))
    for row in db.session.execute(select(Certificate.number, Certificate.verification_code)
                                  .order_by(Certificate.id)):
        parts.append(repr(tuple(row)))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_seed_creates_every_kind_of_row(seeded):
    assert db.session.scalar(select(func.count()).select_from(Trainee)) == SMALL
    assert {t.code for t in db.session.scalars(select(Track))} >= {"GEN", "YY", "YL", "YS"}
    classes = db.session.scalars(select(TrainingClass)).all()
    assert {c.track.code for c in classes if c.kind == "regular"} >= {"GEN", "YY", "YL", "YS"}
    assert any(c.kind == "retraining" for c in classes)
    years = {c.starts_on.year for c in classes}
    assert years >= {date.today().year - 2, date.today().year - 1, date.today().year}
    for model in (Attendance, SelfStudyLog, Exam, ExamResult, ScoreChange, Certificate,
                  HealthCertificate, Placement, Feedback, FeedbackLink):
        assert db.session.scalar(select(func.count()).select_from(model)) > 0, model
    assert "#" in seeded and "trainee / demo-trainee-2026" in seeded


def test_trainees_look_real(seeded):
    trainees = db.session.scalars(select(Trainee)).all()
    for trainee in trainees:
        parsed = rules.parse_id_number(trainee.id_number)
        assert (parsed.birth_on, parsed.gender) == (trainee.birth_on, trainee.gender)
        assert trainee.id_number.startswith("430")  # one city and its counties
        assert rules.is_valid_phone(trainee.phone)
        assert trainee.user is not None and trainee.user.role == "trainee"
    assert len({t.phone for t in trainees}) == len(trainees)
    women = sum(t.gender == "F" for t in trainees)
    assert women > len(trainees) * 0.75
    bands = [rules.age_band(t.birth_on, date.today()) for t in trainees]
    assert bands.count("60+") > 0 and bands.count("50-59") > 0
    assert len({t.education for t in trainees}) >= 3 and len({t.origin for t in trainees}) == 3
    logins = db.session.scalars(select(User).where(User.role == "trainee",
                                                   User.username != "trainee")).all()
    assert all(u.username == u.trainee.id_number and u.must_change_password for u in logins)


def test_results_follow_the_rules(seeded, app):
    results = db.session.scalars(select(ExamResult)).all()
    assert any(r.is_passed is False for r in results) and any(r.is_passed for r in results)
    for result in results:
        carried = {}
        for part in rules.PARTS:
            source = getattr(result, f"{part}_carried_from")
            if source is None:
                continue
            # A carried part points at a published pass of the same course, still valid.
            assert source.status == "published"
            assert rules.part_passed(getattr(source, f"{part}_score"),
                                     getattr(source, f"{part}_absent"),
                                     source.exam.pass_marks.of(part))
            assert source.enrolment.course_enrolment_id == result.enrolment.course_enrolment_id
            assert rules.carry_over_valid(source.exam.held_on, result.exam.held_on)
            assert getattr(result, f"{part}_score") is None
            carried[f"carried_{part}"] = getattr(source, f"{part}_score")
        expected = rules.combine_result(
            result.theory_score, result.practical_score, theory_absent=result.theory_absent,
            practical_absent=result.practical_absent, **carried, marks=result.exam.pass_marks)
        assert result.is_passed == expected, result.id
        if result.exam.kind == "reexam":
            assert result.enrolment.continues_id is not None
        if result.status == "published":
            assert result.exam.published_at is not None
    scored = [r for r in results if r.theory_score is not None or r.theory_absent]
    history = {c.result_id for c in db.session.scalars(
        select(ScoreChange).where(ScoreChange.source == "seed"))}
    assert {r.id for r in scored} <= history
    statuses = {r.status for r in results}
    assert statuses == {"draft", "submitted", "published"}


def test_statuses_are_what_settle_courses_gives(seeded):
    courses = db.session.scalars(select(Enrolment).where(Enrolment.continues_id.is_(None))).all()
    before = {c.id: c.status for c in courses}
    statuses = attempts.settle_courses(before)
    for course_id, status in statuses.items():
        assert before[course_id] in (status, "withdrawn")
    assert not db.session.dirty
    assert {"active", "passed", "not_passed", "withdrawn"} <= set(before.values())
    # Most trainees of past classes are eligible for the exam, some are not.
    past = [c for c in courses if c.training_class.ends_on < date.today()]
    eligible = progress.eligibility_for(past)
    share = sum(e.is_eligible for e in eligible.values()) / len(eligible)
    assert 0.6 < share < 1


def test_certificates_and_health(seeded):
    certificates = db.session.scalars(select(Certificate)).all()
    for certificate in certificates:
        assert len(certificate.verification_code) >= 16
        assert re.fullmatch(r"[A-Za-z0-9_-]+", certificate.verification_code)
        assert certificate.result.enrolment.trainee_id == certificate.trainee_id
        if certificate.needs_review:
            assert certificate.result.is_passed is False
            continue
        assert certificate.result.is_passed and certificate.result.status == "published"
        assert certificate.issued_on >= certificate.result.exam.held_on
    assert len({c.verification_code for c in certificates}) == len(certificates)
    assert sum(c.is_revoked for c in certificates) >= 2
    assert sum(c.needs_review for c in certificates) == 1
    for health in db.session.scalars(select(HealthCertificate)):
        assert health.expires_on > health.issued_on
    colours = {s.colour for s in fitness.duty_statuses(c.trainee_id for c in certificates).values()}
    assert {"green", "red"} <= colours
    for placement in db.session.scalars(select(Placement)):
        assert placement.trainee.certificates
        assert placement.ends_on is None or placement.ends_on >= placement.starts_on
    ratings = db.session.scalars(select(Feedback.rating)).all()
    assert rules.satisfaction_rate(ratings) > 0.6
    assert db.session.scalar(select(func.count()).select_from(FeedbackLink)
                             .where(FeedbackLink.used_at.is_(None))) >= 1


def test_every_retraining_situation_is_there(seeded):
    today = date.today()
    # Theory passed, practical failed, re-exam of the practical only scheduled.
    course = course_of(situation_trainee(seeded, "已安排只补考实操"))
    plan = attempts.plan_for(results_of(course), today)
    assert plan.status == "retake" and plan.parts_to_sit == ("practical",)
    scheduled = [r for r in results_of(course, published_only=False) if r.status == "draft"]
    assert scheduled and scheduled[0].exam.held_on > today and scheduled[0].exam.kind == "reexam"
    assert scheduled[0].theory_carried_from_id is not None
    assert scheduled[0].practical_carried_from_id is None
    # Both failed: both parts at the scheduled re-exam.
    course = course_of(situation_trainee(seeded, "已安排两科补考"))
    reexam = [r for r in results_of(course, published_only=False) if r.status == "draft"][0]
    assert attempts.plan_for(results_of(course), reexam.exam.held_on).parts_to_sit == (
        "theory", "practical")
    # A passed part that expired before the scheduled re-exam.
    course = course_of(situation_trainee(seeded, "保留期已过"))
    reexam = [r for r in results_of(course, published_only=False) if r.status == "draft"][0]
    plan = attempts.plan_for(results_of(course), reexam.exam.held_on)
    assert plan.parts_to_sit == ("theory", "practical")
    assert [item.part for item in plan.expired] == ["theory"]
    assert reexam.theory_carried_from_id is None
    # Attempt limit reached: closed, not passed.
    course = course_of(situation_trainee(seeded, "考试次数已用完"))
    assert attempts.plan_for(results_of(course), today).status == "limit_reached"
    assert course.status == "not_passed" and course.closed_reason == "attempt_limit"


def test_teacher_teaches_a_class_running_now(seeded):
    teacher = db.session.scalar(select(User).where(User.username == "teacher"))
    today = date.today()
    taught = db.session.scalars(select(TrainingClass).where(
        TrainingClass.instructors.any(User.id == teacher.id))).all()
    assert len(taught) >= 3
    assert any(c.starts_on <= today <= c.ends_on and c.kind == "regular" for c in taught)
    draft = [r for c in taught for e in c.exams for r in e.results if r.status == "draft"]
    assert draft, "the instructor has scores to enter"


@pytest.mark.parametrize("username,password", [
    ("admin", "demo-admin-2026"), ("staff", "demo-staff-2026"),
    ("teacher", "demo-teacher-2026"), ("trainee", "demo-trainee-2026"),
])
def test_demo_accounts_log_in(seeded, client, username, password):
    response = client.post("/auth/login", data={"login": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_demo_trainee_has_a_published_result_and_a_certificate(seeded, client):
    user = db.session.scalar(select(User).where(User.username == "trainee"))
    assert user.role == "trainee" and not user.must_change_password
    trainee = user.trainee
    assert trainee.certificates and not trainee.certificates[0].is_revoked
    assert fitness.duty_status(trainee.id).colour == "green"
    # The trainee may also log in with the ID number.
    response = client.post("/auth/login",
                           data={"login": trainee.id_number, "password": "demo-trainee-2026"})
    assert response.status_code == 302


def test_if_empty_is_idempotent(seeded, runner):
    counts = db.session.scalar(select(func.count()).select_from(ExamResult))
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0 and "未添加演示数据" in result.output  # Chinese by default
    result = runner.invoke(args=["demo", "seed", "--if-empty", "--lang", "en"])
    assert result.exit_code == 0 and "no demo data added" in result.output
    with pytest.raises(DomainError):
        seed_demo(trainees=SMALL, echo=quiet)
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ExamResult)) == counts
    assert db.session.scalar(select(func.count()).select_from(Trainee)) == SMALL


def test_too_few_trainees_is_refused():
    with pytest.raises(DomainError):
        seed_demo(trainees=5, echo=quiet)
    assert db.session.scalar(select(func.count()).select_from(Trainee)) == 0


def test_command_line_and_determinism(app, runner):
    result = runner.invoke(args=["demo", "seed", "--trainees", str(SMALL)])
    assert result.exit_code == 0, result.output
    assert "演示数据已创建" in result.output
    first = digest()
    db.session.remove()  # end this test's transaction before the tables are emptied
    _clean(app)
    seed_demo(trainees=SMALL, echo=quiet)
    assert digest() == first


def test_rows_added_after_seeding_get_fresh_ids(seeded, make):
    # The seed hands out ids itself; the app's own inserts must continue after them.
    certificate = make.certified()
    make.health(certificate.trainee)
    make.feedback(make.placement(certificate.trainee))
    assert certificate.trainee_id > SMALL
    assert db.session.scalar(select(func.count()).select_from(Trainee)) == SMALL + 1
