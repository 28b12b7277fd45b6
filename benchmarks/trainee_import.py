"""Time the roster import and count the statements of the roster and attendance pages.

    .venv/bin/python benchmarks/trainee_import.py [--rows 1000] [--hash scrypt|fast]

Builds a fresh SQLite database, writes an .xlsx roster of N good rows (every row enrolled in one
class), then times ``trainees.roster.check_roster`` (read + validate every row + the database
checks) and ``trainees.operations.import_roster`` (trainees, logins with hashed one-time passwords, enrolments, one
commit). Password hashing dominates the import: ``--hash scrypt`` uses the production setting
(an import hashes its one-time passwords with the lighter scrypt factor of
``auth.passwords.INITIAL_PASSWORD_HASH_METHOD``), ``--hash fast`` the test suite's cheap
parameters, so the two figures show what is hashing and what is the rest. Then it prints how many SQL statements the class roster page and a session's
attendance register run for classes of 6, 60 and 600 trainees (they must not grow).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TRAINCENTER_ENV", "testing")


def _roster(rows: int, class_code: str) -> bytes:
    import openpyxl

    from traincenter import rules

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号", "手机号", "学历", "来源", "是否同意公示", "班级编号"])
    start = date(1960, 1, 1)
    for n in range(rows):
        number = rules.make_id_number("110105", start + timedelta(days=n % 15000), n, "F")
        sheet.append([f"学员{n}", number, f"139{n:08d}", "初中", "农村", "是", class_code])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--hash", choices=("scrypt", "fast"), default="scrypt")
    args = parser.parse_args()

    from sqlalchemy import event

    from traincenter import create_app, rules
    from traincenter.extensions import db
    from traincenter.models import Track, TrainingClass, User

    folder = Path(tempfile.mkdtemp(prefix="tc-bench-"))
    overrides = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                 "MAX_IMPORT_ROWS": max(args.rows, 20000), "MAX_CONTENT_LENGTH": 100 * 2**20}
    if args.hash == "scrypt":
        overrides["PASSWORD_HASH_METHOD"] = "scrypt"
    app = create_app("testing", **overrides)
    with app.app_context():
        db.create_all()
        track = Track(code="GEN", name="一般家政服务")
        staff = User(username="staff", display_name="教务", role="staff", password_hash="x")
        today = date.today()
        cls = TrainingClass(code="BENCH", name="基准班", track=track, provider_name="市总工会",
                            starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=30),
                            capacity=args.rows + 10, fee=rules.DEFAULT_FEE)
        db.session.add_all([track, staff, cls])
        db.session.commit()

        from traincenter.trainees.operations import import_roster
        from traincenter.trainees.roster import check_roster

        data = _roster(args.rows, "BENCH")
        started, cpu = time.perf_counter(), time.process_time()
        check = check_roster(data, "roster.xlsx")
        print(f"check {args.rows} rows: {time.perf_counter() - started:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU, ok={check.ok}")
        started, cpu = time.perf_counter(), time.process_time()
        import_roster(check, staff)
        print(f"import {args.rows} rows ({args.hash} hashing): "
              f"{time.perf_counter() - started:.2f} s wall, {time.process_time() - cpu:.2f} s CPU")

    _statement_counts(app, event)


def _statement_counts(app, event) -> None:
    """Statements of the roster and register pages for 6, 60 and 600 trainees."""
    from datetime import time as clock

    from traincenter import rules
    from traincenter.extensions import db
    from traincenter.models import (
        Attendance,
        CourseModule,
        Enrolment,
        Trainee,
        TrainingClass,
        TrainingSession,
        User,
    )
    from traincenter.models.catalog import Track

    with app.app_context():
        from traincenter.auth.passwords import hash_password

        teacher = User(username="teacher", display_name="教员", role="instructor",
                       password_hash=hash_password("password123"), must_change_password=False)
        module = CourseModule(name="家庭保洁")
        track = db.session.query(Track).first()
        db.session.add_all([teacher, module])
        today = date.today()
        pages = []
        for size in (6, 60, 600):
            cls = TrainingClass(code=f"Q{size}", name=f"班{size}", track=track,
                                provider_name="市总工会", starts_on=today - timedelta(days=5),
                                ends_on=today + timedelta(days=30), capacity=size, fee=rules.DEFAULT_FEE)
            cls.instructors = [teacher]
            session = TrainingSession(training_class=cls, module=module, held_on=today,
                                      starts_at=clock(9), hours=4)
            db.session.add_all([cls, session])
            trainees = db.session.query(Trainee).filter(Trainee.id_number.like("1101%")) \
                .order_by(Trainee.id).limit(size).all()
            for trainee in trainees:
                enrolment = Enrolment(trainee=trainee, training_class=cls, enrolled_on=today,
                                      fee_amount=cls.fee)
                db.session.add_all([enrolment, Attendance(session=session, enrolment=enrolment,
                                                          status="present")])
            db.session.commit()
            pages.append((size, cls.id, session.id))
    client = app.test_client()
    client.post("/auth/login", data={"login": "teacher", "password": "password123"})
    with app.app_context():
        from traincenter.extensions import db

        engine = db.engine
    for size, class_id, session_id in pages:
        for name, url in (("roster", f"/training/classes/{class_id}"),
                          ("register", f"/training/sessions/{session_id}")):
            statements = []

            def before(_conn, _cursor, statement, *_args, _s=statements):
                _s.append(statement)

            client.get(url)
            event.listen(engine, "before_cursor_execute", before)
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            event.remove(engine, "before_cursor_execute", before)
            print(f"{name} page, {size} trainees: {len(statements)} statements, "
                  f"{elapsed * 1000:.0f} ms, HTTP {response.status_code}")


if __name__ == "__main__":
    main()
