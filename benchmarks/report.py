"""Benchmark of the annual report on 100,000 trainees (temporary SQLite file).

    .venv/bin/python benchmarks/report.py [--trainees 100000]

Builds trainees over three years with classes, attendance, self-study, first exams, re-exams,
certificates, health certificates, placements and feedback (bulk inserts), then prints: the time
of the bare SQL aggregate queries the report runs, the time to compute the report's data, the
time per chart and per export format, the time to open the page ``/reports/annual/<year>`` as
staff (cold: the figures are counted and kept; warm: kept figures, the page and its eight chart
pictures), and the peak memory. Targets: data ≤ 2× bare queries; the four exports together
≤ 15 s; a warm open (page and charts) ≤ 1 s; peak memory < 1 GiB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TRAINCENTER_ENV", "testing")

from sqlalchemy import insert  # noqa: E402

from traincenter import create_app, rules  # noqa: E402
from traincenter.extensions import db  # noqa: E402
from traincenter.models import (  # noqa: E402
    Attendance,
    Certificate,
    CourseModule,
    Enrolment,
    Exam,
    ExamResult,
    Feedback,
    HealthCertificate,
    Placement,
    SelfStudyLog,
    Track,
    Trainee,
    TrainingClass,
    TrainingSession,
)


def build(trainees: int, year: int, seed: int = 8) -> None:
    rng = random.Random(seed)
    years = (year - 2, year - 1, year)
    tracks = [("GEN", "一般家政服务"), ("YY", "育婴师"), ("YL", "养老护理"), ("YS", "母婴护理")]
    db.session.execute(insert(Track), [{"id": i + 1, "code": c, "name": n, "sort_order": i}
                                       for i, (c, n) in enumerate(tracks)])
    db.session.execute(insert(CourseModule), [{"id": 1, "name": "职业道德", "is_compulsory": True}])
    per_class = 50
    classes, trainee_rows, enrolments, sessions, attendance, logs = [], [], [], [], [], []
    exams, results, certificates, health, placements, feedback = [], [], [], [], [], []
    class_count = trainees // per_class
    for c in range(1, class_count + 1):
        y = years[c * len(years) // (class_count + 1)]
        start = date(y, 1, 1) + timedelta(days=rng.randrange(0, 300))
        classes.append({"id": c, "code": f"C{c}", "name": f"班{c}", "track_id": c % 4 + 1,
                        "level": (5, 5, 4, 3)[c % 4], "kind": "regular",
                        "provider_kind": ("union", "company")[c % 2],
                        "provider_name": ("市总工会", "幸福家政公司", "巾帼家政")[c % 3],
                        "starts_on": start, "ends_on": start + timedelta(days=45), "fee": rules.DEFAULT_FEE})
        for s in range(2):
            sid = len(sessions) + 1
            sessions.append({"id": sid, "class_id": c, "module_id": 1, "held_on": start + timedelta(days=s),
                             "starts_at": clock(9), "hours": 4, "form": "lecture"})
        exams.append({"id": c, "class_id": c, "kind": "first", "held_on": start + timedelta(days=50),
                      "place": "考场", "published_at": None})
    retraining_class = class_count + 1
    classes.append({"id": retraining_class, "code": "R1", "name": "二次培训班", "track_id": 1, "level": 5,
                    "kind": "retraining", "provider_kind": "union", "provider_name": "市总工会",
                    "starts_on": date(year, 11, 1), "ends_on": date(year, 11, 20), "fee": 0})
    reexam_id = class_count + 1
    exams.append({"id": reexam_id, "class_id": retraining_class, "kind": "reexam",
                  "held_on": date(year, 11, 25), "place": "考场", "published_at": None})
    result_id = 0
    for t in range(1, trainees + 1):
        c = (t - 1) // per_class + 1
        if c > class_count:
            c = class_count
        cls = classes[c - 1]
        trainee_rows.append({"id": t, "name": f"学员{t}", "id_number": f"{t:018d}",
                             "gender": "F" if rng.random() < 0.93 else "M",
                             "birth_on": date(1955, 1, 1) + timedelta(days=rng.randrange(0, 16000)),
                             "education": rng.choice(rules.EDUCATION_LEVELS), "origin": rng.choice(rules.ORIGINS)})
        enrolments.append({"id": t, "trainee_id": t, "class_id": c, "enrolled_on": cls["starts_on"],
                           "fee_payer": rng.choice(rules.FEE_PAYERS), "fee_amount": rules.DEFAULT_FEE})
        for s in (2 * c - 1, 2 * c):
            attendance.append({"session_id": s, "enrolment_id": t,
                               "status": rng.choice(("present", "present", "late", "absent"))})
        logs.append({"enrolment_id": t, "studied_on": cls["starts_on"] + timedelta(days=3), "hours": 6,
                     "content": "自学", "status": rng.choice(("verified", "verified", "pending"))})
        theory, practical = round(rng.uniform(35, 100), 1), round(rng.uniform(35, 100), 1)
        absent = rng.random() < 0.03
        passed = rules.exam_passed(None if absent else theory, practical, theory_absent=absent)
        result_id += 1
        results.append({"id": result_id, "exam_id": c, "enrolment_id": t, "attempt_no": 1,
                        "theory_score": None if absent else theory, "theory_absent": absent,
                        "practical_score": practical, "practical_absent": False,
                        "is_passed": passed, "status": "published"})
        issued = cls["starts_on"] + timedelta(days=60)
        if not passed and cls["starts_on"].year == year and rng.random() < 0.3:
            enrolments.append({"id": trainees + t, "trainee_id": t, "class_id": retraining_class,
                               "continues_id": t, "enrolled_on": date(year, 11, 1), "fee_amount": 0})
            result_id += 1
            passed = rng.random() < 0.7
            results.append({"id": result_id, "exam_id": reexam_id, "enrolment_id": trainees + t,
                            "attempt_no": 2, "theory_score": 70.0, "theory_absent": False,
                            "practical_score": 72.0, "practical_absent": False, "is_passed": passed,
                            "status": "published"})
            issued = date(year, 12, 5)
        if passed:
            certificates.append({"number": f"N{t}", "verification_code": f"V{t}", "trainee_id": t,
                                 "enrolment_id": t, "result_id": result_id, "track_id": cls["track_id"],
                                 "level": cls["level"], "hours_completed": 150, "issued_on": issued})
            health.append({"trainee_id": t, "number": f"H{t}", "issuer": "疾控中心",
                           "issued_on": issued - timedelta(days=5), "expires_on": issued + timedelta(days=360)})
            if rng.random() < 0.7:
                pid = len(placements) + 1
                placements.append({"id": pid, "trainee_id": t, "employer_name": "雇主", "employer_type": "household",
                                   "job_type": "家庭保洁", "starts_on": issued + timedelta(days=rng.randrange(-5, 30)),
                                   "contract_registered": rng.random() < 0.5})
                if rng.random() < 0.5:
                    feedback.append({"placement_id": pid, "rating": rng.choice((2, 3, 4, 4, 5, 5)),
                                     "given_on": issued + timedelta(days=40)})
    for exam in exams:
        exam["published_at"] = exam["held_on"]
        exam["pass_mark_theory"] = rules.DEFAULT_PASS_MARKS.theory  # exams keep their marks (0003)
        exam["pass_mark_practical"] = rules.DEFAULT_PASS_MARKS.practical
    for model, rows in ((TrainingClass, classes), (Trainee, trainee_rows), (Enrolment, enrolments),
                        (TrainingSession, sessions), (Attendance, attendance), (SelfStudyLog, logs),
                        (Exam, exams), (ExamResult, results), (Certificate, certificates),
                        (HealthCertificate, health), (Placement, placements), (Feedback, feedback)):
        for offset in range(0, len(rows), 20000):
            db.session.execute(insert(model), rows[offset:offset + 20000])
    db.session.commit()
    print(f"built: {len(trainee_rows):,} trainees, {len(enrolments):,} enrolments, {len(attendance):,} attendance, "
          f"{len(results):,} results, {len(certificates):,} certificates, {len(placements):,} placements, "
          f"{len(feedback):,} feedback")


def timed(label: str, fn, *args, **kwargs):
    start = time.perf_counter()
    value = fn(*args, **kwargs)
    elapsed = time.perf_counter() - start
    print(f"{label:<40} {elapsed * 1000:9.1f} ms")
    return value, elapsed


def page_open(app, year: int) -> None:
    """Open the report page as staff: cold (figures counted and kept), then warm, with its charts."""
    import re

    from traincenter.auth.passwords import hash_password
    from traincenter.models import User

    db.session.add(User(username="bench", display_name="Bench", role="staff",
                        password_hash=hash_password("bench-password"), must_change_password=False))
    db.session.commit()
    client = app.test_client()
    assert client.post("/auth/login", data={"login": "bench", "password": "bench-password"}).status_code == 302
    headers = {"Accept-Language": "zh-CN"}

    def open_page(label: str) -> float:
        began = time.perf_counter()
        page = client.get(f"/reports/annual/{year}", headers=headers)
        assert page.status_code == 200
        html_ms = (time.perf_counter() - began) * 1000
        for src in re.findall(r'src="(/reports/annual/[^"]+\.png)"', page.get_data(as_text=True)):
            assert client.get(src, headers=headers).status_code == 200
        total_ms = (time.perf_counter() - began) * 1000
        print(f"{label:<40} {html_ms:9.1f} ms page, {total_ms:9.1f} ms with its charts")
        return total_ms

    open_page("page open, cold (count and keep)")
    open_page("page open, warm")
    warm = min(open_page("page open, warm") for _ in range(3))
    print(f"{'warm open (best of 3, page + charts)':<40} {warm:9.1f} ms  (target ≤ 1000)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=100_000)
    args = parser.parse_args()
    year = date.today().year - 1
    folder = tempfile.mkdtemp(prefix="tc-report-bench-")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.db")
    from flask_babel import force_locale

    from traincenter.reports import aggregates, charts, data, export

    with app.app_context():
        db.create_all()
        timed("build data set", build, args.trainees, year)
        as_of = date.today()

        def bare() -> None:
            for y in (year, year - 1):
                for statement in aggregates.statements(y, as_of).values():
                    db.session.execute(statement).all()
            data.tracks(db.session)

        per_statement: dict[str, float] = {}
        for statement_name, statement in aggregates.statements(year, as_of).items():
            began = time.perf_counter()
            db.session.execute(statement).all()
            per_statement[statement_name] = time.perf_counter() - began
        slowest = sorted(per_statement.items(), key=lambda item: -item[1])[:5]
        print("slowest aggregates (one year): " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest))
        bare()  # warm the page cache once so both measurements read from memory
        _, bare_s = timed("bare SQL aggregates (2 years)", bare)
        figures, data_s = timed("report data (queries + pandas)", data.annual_figures, db.session, year, as_of)
        print(f"{'data / bare':<40} {data_s / bare_s:9.2f} ×  (target ≤ 2)")
        with app.test_request_context(), force_locale("zh_Hans_CN"):
            pngs = {}
            chart_total = 0.0
            for name, (_fn, caption) in charts.CHARTS.items():
                image, elapsed = timed(f"chart {name}", charts.render, name, figures)
                pngs[name] = (str(caption), image)
                chart_total += elapsed
            export_total = 0.0
            content = export.Content(figures, {}, False, "培训中心", pngs)
            for fmt in export.FORMATS:
                _, elapsed = timed(f"export {fmt}", export.export, fmt, content)
                export_total += elapsed
        print(f"{'charts total':<40} {chart_total * 1000:9.1f} ms")
        print(f"{'four exports (charts shared)':<40} {export_total * 1000:9.1f} ms")
        print(f"{'four exports incl. charts':<40} {(export_total + chart_total) * 1000:9.1f} ms  (target ≤ 15000)")
        page_open(app, year)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS, whole run)':<40} {peak:9.1f} MiB  (target < 1024)")
    print(f"headline {year}: trained={figures['trained']:,} takers={figures['exam_takers']:,} "
          f"first={figures['first_attempt_pass_rate']:.3f} final={figures['final_pass_rate']:.3f} "
          f"certified={figures['certified']:,} placed={figures['placed']:,}")


if __name__ == "__main__":
    main()
