"""Benchmark of the retraining list and its page (temporary SQLite file).

    .venv/bin/python benchmarks/retraining_list.py [--courses 3000]

Builds regular classes of 50 trainees with a published first exam in which about 40 % fail one
or both parts; a third of those already sat a re-exam in a retraining class (some failing it
again, which closes the course). Prints the number of SQL statements and the time of
``retraining_list`` and of the rendered page. Target: a fixed number of statements whatever the
size; the page well under a second for a center's realistic backlog (a few hundred waiting).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TRAINCENTER_ENV", "testing")

from sqlalchemy import event, insert  # noqa: E402

from traincenter import create_app  # noqa: E402
from traincenter.extensions import db  # noqa: E402
from traincenter.models import Enrolment, Exam, ExamResult, Track, Trainee, TrainingClass, User  # noqa: E402
from traincenter.retraining.queries import retraining_list  # noqa: E402
from traincenter.rules import DEFAULT_FEE, DEFAULT_PASS_MARKS, exam_passed, make_id_number  # noqa: E402

MARKS = {"pass_mark_theory": DEFAULT_PASS_MARKS.theory,
         "pass_mark_practical": DEFAULT_PASS_MARKS.practical}


def build(courses: int) -> None:
    """Bulk-insert the data set."""
    rng = random.Random(5)
    db.session.add(Track(id=1, code="GEN", name="一般家政服务"))
    db.session.flush()
    today = date.today()
    classes, trainees, enrolments, exams, results = [], [], [], [], []
    class_count = (courses + 49) // 50
    for c in range(1, class_count + 1):
        starts = today - timedelta(days=rng.randint(40, 300))
        classes.append({"id": c, "code": f"C{c}", "name": f"班{c}", "track_id": 1, "level": 5,
                        "kind": "regular", "provider_kind": "union", "provider_name": "工会",
                        "starts_on": starts, "ends_on": starts + timedelta(days=30), "fee": DEFAULT_FEE})
        exams.append({"id": c, "class_id": c, "kind": "first", "held_on": starts + timedelta(days=31),
                      "place": "考场", "published_at": today, **MARKS})
    next_class, next_exam, next_enrolment = class_count + 1, class_count + 1, courses + 1
    for n in range(1, courses + 1):
        c = (n - 1) // 50 + 1
        born = date(1970, 1, 1) + timedelta(days=n // 400)
        trainees.append({"id": n, "name": f"学员{n}", "gender": "F", "birth_on": born,
                         "id_number": make_id_number("110105", born, (n % 400) * 2, "F"),
                         "phone": f"139{n:08d}", "education": "junior", "origin": "rural"})
        enrolments.append({"id": n, "trainee_id": n, "class_id": c, "course_attempt": 1,
                           "status": "active", "enrolled_on": classes[c - 1]["starts_on"], "fee_amount": DEFAULT_FEE})
        theory = rng.choice([45, 72, 80, 85, 90])
        practical = rng.choice([40, 55, 75, 80, 88])
        passed = exam_passed(theory, practical)
        if passed:  # settled as passed when the results were published
            enrolments[-1]["status"] = "passed"
        results.append({"exam_id": c, "enrolment_id": n, "theory_score": theory,
                        "practical_score": practical, "status": "published",
                        "is_passed": passed})
        if not passed and n % 3 == 0:
            held = classes[c - 1]["starts_on"] + timedelta(days=60)
            classes.append({"id": next_class, "code": f"R{next_class}", "name": "二次", "track_id": 1,
                            "level": 5, "kind": "retraining", "provider_kind": "union",
                            "provider_name": "工会", "starts_on": held - timedelta(days=10),
                            "ends_on": held, "fee": 0})
            exams.append({"id": next_exam, "class_id": next_class, "kind": "reexam",
                          "held_on": held, "place": "考场", "published_at": today, **MARKS})
            enrolments.append({"id": next_enrolment, "trainee_id": n, "class_id": next_class,
                               "continues_id": n, "course_attempt": 1, "status": "active",
                               "enrolled_on": held - timedelta(days=10), "fee_amount": 0})
            results.append({"exam_id": next_exam, "enrolment_id": next_enrolment,
                            "theory_score": rng.choice([50, 70]), "practical_score": 50,
                            "status": "published", "is_passed": False, "attempt_no": 2})
            next_class, next_exam, next_enrolment = next_class + 1, next_exam + 1, next_enrolment + 1
    for model, rows in ((TrainingClass, classes), (Trainee, trainees), (Exam, exams),
                        (Enrolment, enrolments), (ExamResult, results)):
        db.session.execute(insert(model), rows)
    db.session.commit()


def measure(label: str, function) -> None:
    """Print statements and seconds of one call."""
    statements = []

    def listener(*_):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    started = time.perf_counter()
    value = function()
    elapsed = time.perf_counter() - started
    event.remove(db.engine, "before_cursor_execute", listener)
    print(f"{label}: {len(statements)} statements, {elapsed * 1000:.0f} ms{value or ''}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--courses", type=int, default=3000)
    options = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        build(options.courses)
        db.session.add(User(username="staff", display_name="教务", role="staff",
                            password_hash="x", must_change_password=False))
        db.session.commit()
        for _ in range(2):
            db.session.expire_all()
            measure("retraining_list", lambda: (lambda r: f" ({len(r.may_retake)} may retake, "
                                                          f"{len(r.no_longer)} may no longer)")(
                retraining_list()))
    with app.test_request_context("/retraining/", headers={"Accept-Language": "zh-CN"}):
        from flask import render_template

        from traincenter.retraining.queries import list_page, open_retraining_classes

        def page():
            html = render_template("retraining/index.html", track_id=None, class_id=None,
                                   search="", section="may_retake",
                                   open_classes=open_retraining_classes(),
                                   **list_page(None, None, "", "may_retake", 1))
            return f" ({len(html) // 1024} KiB, one page of the list)"

        for run in ("cold", "warm"):
            db.session.expire_all()
            measure(f"list page rendered ({run})", page)

if __name__ == "__main__":
    main()
