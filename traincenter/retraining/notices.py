"""Notices for a retraining class or a re-exam: name, phone and a message text per trainee.

Each message is built from the data (class start and place, re-exam date and place, which parts
to sit, the carried-over score and until when it is kept) with the sentences of ``wording``.
Exports go through ``traincenter.spreadsheets`` (formula neutralisation, text columns, CSV as
UTF-8 with BOM); the printable sheet is a template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import rules, settings, spreadsheets
from ..extensions import db
from ..models import Enrolment, Exam, ExamResult, Trainee, TrainingClass
from ..services.attempts import course_results, plan_for
from . import wording


@dataclass(frozen=True)
class Notice:
    """What one trainee is told."""

    trainee: Trainee
    enrolment: Enrolment
    plan: rules.AttemptPlan
    message: str


@dataclass(frozen=True)
class NoticeSet:
    """The notices of one retraining class or re-exam."""

    training_class: TrainingClass
    exam: Exam | None
    notices: list[Notice]

    @property
    def slug(self) -> str:
        """Part of the download's file name."""
        if self.exam is not None:
            return f"{self.training_class.code}-{self.exam.held_on:%Y%m%d}"
        return self.training_class.code


def next_reexam(class_id: int) -> Exam | None:
    """The earliest unpublished re-exam of a class."""
    return db.session.scalars(
        select(Exam).where(Exam.class_id == class_id, Exam.kind == "reexam",
                           Exam.published_at.is_(None))
        .order_by(Exam.held_on, Exam.id).limit(1)
    ).first()


def _message(trainee: Trainee, training_class: TrainingClass | None, exam: Exam | None,
             plan: rules.AttemptPlan) -> str:
    """Greeting, retraining class, re-exam, carried and expired parts, signature."""
    sentences = [wording.notice_greeting(trainee.name)]
    if training_class is not None:
        sentences.append(wording.retraining_class(training_class.starts_on,
                                                  training_class.location))
    if exam is not None:
        sentences.append(wording.reexam(exam.held_on, exam.place, plan.parts_to_sit))
        sentences += [wording.expired_sit_both(item.part, item.valid_until)
                      for item in plan.expired]
    else:
        sentences.append(wording.reexam_not_scheduled(plan.parts_to_sit))
    sentences += [wording.carried(item.part, item.score, item.valid_until)
                  for item in plan.carried]
    sentences.append(wording.notice_signature(settings.center_name()))
    return "".join(sentences)


def _build(training_class: TrainingClass, exam: Exam | None, enrolments: list[Enrolment],
           include_class: bool) -> NoticeSet:
    """Plans against the exam date (or today) from published results of earlier exams."""
    on = exam.held_on if exam is not None else date.today()
    results = course_results(e.course_enrolment_id for e in enrolments)
    notices = []
    for enrolment in enrolments:
        earlier = [r for r in results[enrolment.course_enrolment_id]
                   if exam is None or r.exam_id != exam.id]
        plan = plan_for(earlier, on)
        notices.append(Notice(enrolment.trainee, enrolment, plan, _message(
            enrolment.trainee, training_class if include_class else None, exam, plan)))
    notices.sort(key=lambda notice: (notice.trainee.sort_key, notice.enrolment.id))
    return NoticeSet(training_class, exam, notices)


def class_notices(class_id: int, *, include_closed: bool = False) -> NoticeSet | None:
    """Notices for the trainees of a retraining class (None when there is no such class).

    Only trainees still in training are notified; ``include_closed`` adds those whose course has
    since been passed or closed (the class page lists everyone but the withdrawn).
    """
    training_class = db.session.get(TrainingClass, class_id)
    if training_class is None or training_class.kind != "retraining":
        return None
    statuses = ("active", "passed", "not_passed") if include_closed else ("active",)
    enrolments = db.session.scalars(
        select(Enrolment).where(Enrolment.class_id == class_id, Enrolment.status.in_(statuses))
        .options(selectinload(Enrolment.trainee))
    ).all()
    return _build(training_class, next_reexam(class_id), list(enrolments), include_class=True)


def exam_notices(exam_id: int) -> NoticeSet | None:
    """Notices for the candidates of a re-exam (its class's trainees while it has none)."""
    exam = db.session.get(Exam, exam_id)
    if exam is None or exam.kind != "reexam":
        return None
    enrolments = db.session.scalars(
        select(Enrolment).join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
        .where(ExamResult.exam_id == exam_id).options(selectinload(Enrolment.trainee))
    ).all()
    if not enrolments:
        enrolments = db.session.scalars(
            select(Enrolment).where(Enrolment.class_id == exam.class_id,
                                    Enrolment.status == "active")
            .options(selectinload(Enrolment.trainee))
        ).all()
    return _build(exam.training_class, exam, list(enrolments), include_class=False)


def _table(notice_set: NoticeSet) -> tuple[list[str], list[list[str]]]:
    headers = [gettext("Name"), gettext("Mobile phone"), gettext("Message")]
    rows = [[n.trainee.name, n.trainee.phone or "", n.message] for n in notice_set.notices]
    return headers, rows


def notices_xlsx(notice_set: NoticeSet) -> bytes:
    """The notice list as an .xlsx workbook (phone kept as text)."""
    headers, rows = _table(notice_set)
    return spreadsheets.write_xlsx(spreadsheets.SheetSpec(
        gettext("Notices"), headers, rows, text_columns=(1,), widths={0: 12, 1: 16, 2: 90}))


def notices_csv(notice_set: NoticeSet) -> bytes:
    """The notice list as CSV, UTF-8 with BOM so Excel shows the Chinese."""
    headers, rows = _table(notice_set)
    return spreadsheets.write_csv(headers, rows)
