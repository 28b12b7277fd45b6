"""Row factories for tests. Every method commits and returns the new object.

Defaults give a valid, ordinary row; pass keyword arguments to change any column.
"""

from __future__ import annotations

import itertools
import secrets
from datetime import date, time, timedelta

from traincenter import rules, settings
from traincenter.auth.passwords import hash_password
from traincenter.exams.values import PartValue, combined
from traincenter.extensions import db
from traincenter.models import (
    Application,
    Attendance,
    BackgroundCheck,
    Certificate,
    CourseModule,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    FeedbackLink,
    FeeEntry,
    HealthCertificate,
    InsurancePolicy,
    JobOpening,
    Placement,
    SelfStudyLog,
    Track,
    Trainee,
    TrainingClass,
    TrainingSession,
    User,
)

PASSWORD = "password123"
_counter = itertools.count(1)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "秀英桂兰玉梅凤珍淑华红霞丽娟敏静芳燕"


def _n() -> int:
    return next(_counter)


class Factory:
    """``make.<noun>(**columns)`` builds and commits one row."""

    def _save(self, obj):
        db.session.add(obj)
        db.session.commit()
        return obj

    # -- people ---------------------------------------------------------------------------------
    def user(self, role: str = "staff", password: str = PASSWORD, **kw) -> User:
        n = _n()
        kw.setdefault("username", f"{role}{n}")
        kw.setdefault("display_name", f"{role.title()} {n}")
        kw.setdefault("must_change_password", False)
        return self._save(User(role=role, password_hash=hash_password(password), **kw))

    def id_number(self, birth_on: date | None = None, gender: str = "F") -> str:
        n = _n()
        birth_on = birth_on or date(1975, 1, 1) + timedelta(days=n * 37 % 9000)
        return rules.make_id_number("110105", birth_on, n * 2 + 1, gender)

    def trainee(self, with_login: bool = False, password: str = PASSWORD, **kw) -> Trainee:
        n = _n()
        gender = kw.pop("gender", "F")
        birth_on = kw.pop("birth_on", None)
        number = kw.pop("id_number", None) or self.id_number(birth_on, gender)
        info = rules.parse_id_number(number)
        kw.setdefault("name", SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)] + GIVEN[(n * 7) % len(GIVEN)])
        kw.setdefault("phone", f"139{n:08d}")
        kw.setdefault("education", "junior")
        kw.setdefault("origin", "rural")
        trainee = self._save(Trainee(id_number=info.number, birth_on=info.birth_on,
                                     gender=info.gender, **kw))
        if with_login:
            self._save(User(username=trainee.id_number, display_name=trainee.name, role="trainee",
                            password_hash=hash_password(password), must_change_password=False,
                            trainee_id=trainee.id))
        return trainee

    def trainee_user(self, **kw) -> User:
        """A trainee with a login; returns the User (``user.trainee`` is the Trainee)."""
        trainee = self.trainee(with_login=True, **kw)
        return trainee.user

    def application(self, **kw) -> Application:
        """An application from the public form (received, for a new track unless given)."""
        n = _n()
        number = kw.pop("id_number", None) or self.id_number()
        info = rules.parse_id_number(number)
        if "track" not in kw and "track_id" not in kw:
            kw["track"] = self.track()
        kw.setdefault("name", SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)])
        kw.setdefault("phone", f"137{n:08d}")
        kw.setdefault("education", "primary")
        kw.setdefault("origin", "rural")
        kw.setdefault("consents_to_processing", True)
        kw.setdefault("submitted_on", date.today())
        kw.setdefault("address_key", "test-address")
        return self._save(Application(id_number=info.number, birth_on=info.birth_on,
                                      gender=info.gender, **kw))

    # -- catalogue ------------------------------------------------------------------------------
    def track(self, **kw) -> Track:
        n = _n()
        kw.setdefault("code", f"T{n}")
        kw.setdefault("name", f"专业{n}")
        return self._save(Track(**kw))

    def module(self, **kw) -> CourseModule:
        kw.setdefault("name", f"模块{_n()}")
        return self._save(CourseModule(**kw))

    # -- training -------------------------------------------------------------------------------
    def training_class(self, instructors: list[User] | None = None, **kw) -> TrainingClass:
        n = _n()
        if "track" not in kw and "track_id" not in kw:
            kw["track"] = self.track()
        kw.setdefault("code", f"C{n}")
        kw.setdefault("name", f"家政服务员培训班{n}")
        kw.setdefault("provider_name", "市总工会")
        kw.setdefault("starts_on", date.today() - timedelta(days=30))
        kw.setdefault("ends_on", kw["starts_on"] + timedelta(days=45))
        kw.setdefault("fee", settings.default_fee())
        cls = TrainingClass(**kw)
        cls.instructors = list(instructors or [])
        return self._save(cls)

    def enrolment(self, trainee: Trainee | None = None, training_class: TrainingClass | None = None,
                  **kw) -> Enrolment:
        trainee = trainee or self.trainee()
        training_class = training_class or self.training_class()
        kw.setdefault("enrolled_on", training_class.starts_on)
        kw.setdefault("fee_amount", training_class.fee)
        return self._save(Enrolment(trainee=trainee, training_class=training_class, **kw))

    def session(self, training_class: TrainingClass, hours: float = 4, **kw) -> TrainingSession:
        if "module" not in kw and "module_id" not in kw:
            kw["module"] = self.module()
        kw.setdefault("held_on", training_class.starts_on)
        kw.setdefault("starts_at", time(9, 0))
        return self._save(TrainingSession(training_class=training_class, hours=hours, **kw))

    def attendance(self, session: TrainingSession, enrolment: Enrolment, status: str = "present",
                   **kw) -> Attendance:
        return self._save(Attendance(session=session, enrolment=enrolment, status=status, **kw))

    def self_study(self, enrolment: Enrolment, hours: float = 4, status: str = "verified",
                   **kw) -> SelfStudyLog:
        kw.setdefault("studied_on", enrolment.training_class.starts_on)
        kw.setdefault("content", "自学家庭保洁教材")
        return self._save(SelfStudyLog(enrolment=enrolment, hours=hours, status=status, **kw))

    def hours(self, enrolment: Enrolment, classroom: float = 80, self_study: float = 70) -> None:
        """Credit ``classroom`` hours (one attended session) and ``self_study`` verified hours."""
        if classroom:
            remaining = classroom
            while remaining > 0:
                chunk = min(remaining, 8)
                self.attendance(self.session(enrolment.training_class, hours=chunk), enrolment)
                remaining -= chunk
        if self_study:
            self.self_study(enrolment, hours=self_study if self_study <= 24 else 24)
            remaining = self_study - min(self_study, 24)
            while remaining > 0:
                chunk = min(remaining, 24)
                self.self_study(enrolment, hours=chunk)
                remaining -= chunk

    # -- exams ----------------------------------------------------------------------------------
    def exam(self, training_class: TrainingClass | None = None, kind: str = "first", **kw) -> Exam:
        training_class = training_class or self.training_class()
        # Held by default (scores are taken from the exam's day on): the class's last day, or
        # today while the class is still running.
        kw.setdefault("held_on", min(training_class.ends_on, date.today()))
        kw.setdefault("place", "培训中心考场")
        marks = settings.pass_marks()  # as scheduling does: the marks in force now
        kw.setdefault("pass_mark_theory", marks.theory)
        kw.setdefault("pass_mark_practical", marks.practical)
        return self._save(Exam(training_class=training_class, kind=kind, **kw))

    def result(self, exam: Exam, enrolment: Enrolment, theory=None, practical=None,
               status: str = "published", **kw) -> ExamResult:
        """A result; theory/practical may be numbers, None, or rules.ABSENT."""
        values = {}
        for part, value in (("theory", theory), ("practical", practical)):
            if value == rules.ABSENT:
                values[f"{part}_absent"] = True
            else:
                values[f"{part}_score"] = value
        values.update(kw)
        result = ExamResult(exam=exam, enrolment=enrolment, status=status, **values)
        db.session.add(result)
        result.is_passed = combined(
            result, PartValue(result.theory_score, bool(result.theory_absent)),
            PartValue(result.practical_score, bool(result.practical_absent)), exam.pass_marks)
        if status == "published" and exam.published_at is None:
            from traincenter.models.base import utcnow

            exam.published_at = utcnow()
        return self._save(result)

    # -- certificates and health ----------------------------------------------------------------
    def health(self, trainee: Trainee, issued_on: date | None = None, **kw) -> HealthCertificate:
        issued_on = issued_on or date.today() - timedelta(days=30)
        kw.setdefault("expires_on", rules.health_expiry_default(issued_on))
        kw.setdefault("number", f"JK{_n():06d}")
        kw.setdefault("issuer", "市疾病预防控制中心")
        return self._save(HealthCertificate(trainee=trainee, issued_on=issued_on, **kw))

    def background_check(self, trainee: Trainee, status: str = "passed", **kw) -> BackgroundCheck:
        kw.setdefault("checked_on", date.today() - timedelta(days=20))
        kw.setdefault("reference", f"WFZ{_n():06d}")
        kw.setdefault("issuer", "城关派出所")
        return self._save(BackgroundCheck(trainee=trainee, status=status, **kw))

    def insurance(self, trainee: Trainee, starts_on: date | None = None, **kw) -> InsurancePolicy:
        starts_on = starts_on or date.today() - timedelta(days=60)
        kw.setdefault("expires_on", rules.insurance_expiry_default(starts_on))
        kw.setdefault("insurer", "中国人民财产保险")
        kw.setdefault("policy_number", f"PZ{_n():08d}")
        return self._save(InsurancePolicy(trainee=trainee, starts_on=starts_on, **kw))

    def fee_entry(self, enrolment: Enrolment, amount: float = 1300, kind: str = "payment",
                  **kw) -> FeeEntry:
        """A ledger entry with the next receipt number of its year (no checks: use the
        operations to test the rules)."""
        from sqlalchemy import func, select

        kw.setdefault("happened_on", date.today())
        kw.setdefault("receipt_year", date.today().year)
        if kind != "waiver":
            kw.setdefault("payer", enrolment.fee_payer)
            kw.setdefault("method", "cash")
        if "receipt_sequence" not in kw:
            last = db.session.scalar(select(func.max(FeeEntry.receipt_sequence))
                                     .where(FeeEntry.receipt_year == kw["receipt_year"]))
            kw["receipt_sequence"] = (last or 0) + 1
        credit = rules.entry_credit(kind, rules.to_fen(amount)) / 100
        return self._save(FeeEntry(enrolment=enrolment, kind=kind, amount=amount, credit=credit,
                                   **kw))

    def certificate(self, result: ExamResult, **kw) -> Certificate:
        enrolment = result.enrolment
        training_class = enrolment.training_class
        n = _n()
        kw.setdefault("issued_on", date.today())
        kw.setdefault("number", rules.certificate_number(kw["issued_on"].year, training_class.track.code, n))
        kw.setdefault("verification_code", secrets.token_urlsafe(rules.VERIFICATION_CODE_BYTES))
        kw.setdefault("hours_completed", 150)
        return self._save(Certificate(
            trainee=enrolment.trainee, enrolment_id=enrolment.course_enrolment_id, result=result,
            track=training_class.track, level=training_class.level,
            theory_score=result.theory_score, practical_score=result.practical_score, **kw))

    def certified(self, **trainee_kw) -> Certificate:
        """A trainee who passed a published first exam and holds a certificate."""
        enrolment = self.enrolment(self.trainee(**trainee_kw))
        exam = self.exam(enrolment.training_class)
        return self.certificate(self.result(exam, enrolment, 80, 85))

    # -- placement ------------------------------------------------------------------------------
    def opening(self, **kw) -> JobOpening:
        kw.setdefault("employer_name", "幸福家政服务有限公司")
        kw.setdefault("employer_type", "company")
        kw.setdefault("job_type", "家庭保洁")
        kw.setdefault("place", "市区")
        return self._save(JobOpening(**kw))

    def placement(self, trainee: Trainee, **kw) -> Placement:
        kw.setdefault("employer_name", "张先生家")
        kw.setdefault("employer_type", "household")
        kw.setdefault("job_type", "家庭保洁")
        kw.setdefault("starts_on", date.today() - timedelta(days=10))
        return self._save(Placement(trainee=trainee, **kw))

    def feedback(self, placement: Placement, rating: int = 5, **kw) -> Feedback:
        kw.setdefault("given_on", date.today())
        return self._save(Feedback(placement=placement, rating=rating, **kw))

    def feedback_link(self, placement: Placement, **kw) -> FeedbackLink:
        kw.setdefault("token", secrets.token_urlsafe(24))
        return self._save(FeedbackLink(placement=placement, **kw))
