"""Time the import of a 10,000-row score sheet against openpyxl alone reading the same file.

    .venv/bin/python benchmarks/score_import.py [--rows 10000]

Builds an exam with N candidates on a temporary SQLite database, writes the score sheet the
way the template does, then times (1) openpyxl reading every cell of the file in read-only mode
and (2) the whole import (``exams.sheets.import_scores``: read, validate every row, compare-and-
swap every result, write the history, commit). Prints both and ends with ``ratio: N``
(import ÷ read; target ≤ 3).

Both are measured as CPU time of this process (``time.process_time``), which is what the work
costs; wall-clock figures are printed beside them, but on a shared machine they mostly measure
the other processes. The import runs on the same file bytes; openpyxl's read is the best of 3.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TRAINCENTER_ENV", "testing")


def build(rows: int):
    """An app on a fresh SQLite file with one exam of ``rows`` draft candidates."""
    from sqlalchemy import insert, select

    from traincenter import create_app, rules
    from traincenter.extensions import db
    from traincenter.models import (
        Enrolment,
        Exam,
        ExamResult,
        Track,
        Trainee,
        TrainingClass,
        User,
    )

    folder = Path(tempfile.mkdtemp(prefix="tc-bench-"))
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.db'}",
                     MAX_IMPORT_ROWS=max(rows, 20000), MAX_CONTENT_LENGTH=50 * 1024 * 1024)
    context = app.app_context()
    context.push()
    db.create_all()
    admin = User(username="bench-admin", display_name="Bench", role="admin", password_hash="x",
                 must_change_password=False)
    track = Track(code="GEN", name="一般家政服务")
    start = date.today() - timedelta(days=60)
    training_class = TrainingClass(code="B1", name="基准班", track=track, provider_name="市总工会",
                                   starts_on=start, ends_on=start + timedelta(days=45), fee=rules.DEFAULT_FEE)
    db.session.add_all([admin, track, training_class])
    db.session.flush()
    exam = Exam(training_class=training_class, held_on=training_class.ends_on, place="考场",
                kind="first", pass_mark_theory=rules.DEFAULT_PASS_MARKS.theory,
                pass_mark_practical=rules.DEFAULT_PASS_MARKS.practical)
    db.session.add(exam)
    db.session.flush()
    people = []
    for n in range(rows):
        birth = date(1965, 1, 1) + timedelta(days=n // 500)
        number = rules.make_id_number("110105", birth, (n % 500) * 2, "F")
        people.append({"name": f"学员{n:05d}", "id_number": number, "gender": "F",
                       "birth_on": birth, "education": "junior", "origin": "rural"})
    db.session.execute(insert(Trainee), people)
    trainee_ids = db.session.scalars(select(Trainee.id).order_by(Trainee.id)).all()
    db.session.execute(insert(Enrolment), [
        {"trainee_id": t, "class_id": training_class.id, "enrolled_on": start, "fee_amount": rules.DEFAULT_FEE}
        for t in trainee_ids])
    enrolment_ids = db.session.scalars(select(Enrolment.id).order_by(Enrolment.id)).all()
    db.session.execute(insert(ExamResult), [
        {"exam_id": exam.id, "enrolment_id": e, "status": "draft", "version": 1, "attempt_no": 1}
        for e in enrolment_ids])
    db.session.commit()
    return app, context, exam, admin, people


def sheet(people) -> bytes:
    """The filled-in score sheet, written like the template (IDs as text)."""
    from traincenter.spreadsheets import SheetSpec, write_xlsx

    random.seed(4)
    rows = []
    for person in people:
        cells = []
        for _ in range(2):
            roll = random.random()
            cells.append("缺考" if roll < 0.02 else round(random.uniform(35, 99), 1))
        rows.append((person["id_number"], person["name"], *cells))
    return write_xlsx(SheetSpec("成绩", ("身份证号", "姓名", "理论成绩", "实操成绩"), rows,
                                text_columns=("身份证号",)))


def openpyxl_read(data: bytes) -> int:
    """openpyxl alone: open read-only and touch every cell value."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    count = 0
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        count += sum(1 for value in row if value is not None)
    workbook.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    from sqlalchemy import func, select

    from traincenter.exams.sheets import import_scores
    from traincenter.extensions import db
    from traincenter.models import ScoreChange

    started = time.perf_counter()
    app, context, exam, admin, people = build(args.rows)
    data = sheet(people)
    print(f"rows: {args.rows}  file: {len(data) / 1024:.0f} KiB  "
          f"setup: {time.perf_counter() - started:.1f} s")
    reads = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        openpyxl_read(data)
        reads.append((time.process_time() - cpu, time.perf_counter() - wall))
    read_cpu, read_wall = min(reads)
    wall, cpu = time.perf_counter(), time.process_time()
    read, changed = import_scores(exam, data, admin, "scores.xlsx")
    import_cpu, import_wall = time.process_time() - cpu, time.perf_counter() - wall
    history = db.session.scalar(select(func.count(ScoreChange.id)))
    print(f"openpyxl read only: {read_cpu:.3f} s CPU ({read_wall:.3f} s wall), best of 3")
    print(f"import: {import_cpu:.3f} s CPU ({import_wall:.3f} s wall)  ({read} rows read, "
          f"{changed} results changed, {history} history rows)")
    context.pop()
    print(f"wall-clock ratio: {import_wall / read_wall:.2f}")
    print(f"ratio: {import_cpu / read_cpu:.2f}")


if __name__ == "__main__":
    main()
