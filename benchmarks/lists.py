"""Benchmark of every list page on the 20,000-trainee demo database.

    .venv/bin/python benchmarks/lists.py [--db instance/bench-lists-20000.db] [--runs 5]

Reuses the SQLite file given by ``--db`` when it exists; otherwise creates it with
``flask db upgrade`` and ``flask demo seed --trainees 20000`` (about a minute). Then, logged in
as the demo accounts, it requests each list page (first page, and a filtered or later page)
through the test client and prints, per page: the HTML size, the number of SQL statements and
the median time of ``--runs`` requests. Targets: at most 100 KB of HTML per page and the same
number of statements whatever the size of the data (tests/test_lists.py proves the latter).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TRAINCENTER_ENV", "development")

from sqlalchemy import event, func, select  # noqa: E402

from traincenter import create_app  # noqa: E402
from traincenter.demo.people import DEMO_ACCOUNTS, TRAINEE_ACCOUNT  # noqa: E402
from traincenter.extensions import db  # noqa: E402
from traincenter.models import Enrolment, ExamResult, ScoreChange, Trainee  # noqa: E402

PASSWORDS = {username: password for username, password, _role, _name in DEMO_ACCOUNTS}
PASSWORDS[TRAINEE_ACCOUNT[0]] = TRAINEE_ACCOUNT[1]
LIMIT_KB = 100


def ensure_database(path: Path, trainees: int) -> None:
    """Create and seed the database file unless it exists."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{path.resolve()}", FLASK_APP="wsgi")
    flask = str(Path(sys.executable).with_name("flask"))
    print(f"Seeding {path} with {trainees} trainees (about a minute) …", flush=True)
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([flask, "demo", "seed", "--trainees", str(trainees), "--lang", "en"],
                   cwd=ROOT, env=env, check=True)


def busiest_ids() -> dict[str, int]:
    """The exam and the trainee with the longest change histories (the worst cases)."""
    exam_id = db.session.execute(
        select(ExamResult.exam_id, func.count(ScoreChange.id).label("n"))
        .join(ScoreChange, ScoreChange.result_id == ExamResult.id)
        .group_by(ExamResult.exam_id).order_by(func.count(ScoreChange.id).desc()).limit(1)
    ).first()[0]
    trainee_id = db.session.execute(
        select(Enrolment.trainee_id, func.count(ScoreChange.id))
        .join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
        .join(ScoreChange, ScoreChange.result_id == ExamResult.id)
        .group_by(Enrolment.trainee_id).order_by(func.count(ScoreChange.id).desc()).limit(1)
    ).first()[0]
    name = db.session.scalar(select(Trainee.name).where(Trainee.id == trainee_id))
    return {"exam": exam_id, "trainee": trainee_id, "name": name}


def pages(ids: dict) -> list[tuple[str, str]]:
    """(account, URL) of every list page, first pages and a filtered or later page."""
    return [
        ("staff", "/"),
        ("staff", "/exams/"),
        ("staff", "/exams/?status=published&page=3"),
        ("staff", "/retraining/"),
        ("staff", "/retraining/?section=no_longer&page=2"),
        ("staff", "/certificates/"),
        ("staff", "/certificates/?status=valid&page=50"),
        ("staff", "/certificates/health"),
        ("staff", "/certificates/health?state=missing&page=2"),
        ("staff", "/certificates/review"),
        ("staff", "/certificates/classes"),
        ("staff", "/placement/placements"),
        ("staff", "/placement/placements?page=20"),
        ("staff", "/placement/"),
        ("staff", "/placement/?status=open"),
        ("staff", "/training/classes"),
        ("staff", "/training/classes?page=5"),
        ("staff", "/training/self-study"),
        ("staff", "/trainees/"),
        ("staff", f"/trainees/?q={ids['name'][:1]}"),
        ("staff", f"/exams/{ids['exam']}/history"),
        ("staff", f"/exams/trainees/{ids['trainee']}/history"),
        ("staff", "/applications/"),
        ("staff", "/applications/?status=accepted&page=2"),
        ("staff", "/fees/"),
        ("staff", "/fees/?page=5"),
        ("staff", "/fees/journal"),
        ("staff", "/audit/"),
        ("staff", "/trainees/?page=200"),
        ("admin", "/auth/users"),
        ("admin", "/auth/users?role=trainee&page=10"),
        ("teacher", "/"),
        ("teacher", "/exams/"),
        ("teacher", "/training/classes"),
        ("teacher", "/placement/my-trainees"),
        (None, "/registry"),
    ]


def measure(client, url: str, runs: int) -> tuple[int, int, float, int]:
    """(bytes of HTML, SQL statements, median seconds, status) of ``url``."""
    statements = [0]

    def count(*_args):
        statements[0] += 1

    client.get(url)  # warm-up (templates compiled, caches filled)
    times, size, status = [], 0, 0
    for run in range(runs):
        if run == 0:
            event.listen(db.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if run == 0:
            event.remove(db.engine, "before_cursor_execute", count)
        size, status = len(response.data), response.status_code
    return size, statements[0], statistics.median(times), status


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "instance" / "bench-lists-20000.db"))
    parser.add_argument("--trainees", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    path = Path(options.db)
    ensure_database(path, options.trainees)
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path.resolve()}",
                     RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False)
    clients = {}
    with app.app_context():
        ids = busiest_ids()
        trainees = db.session.scalar(select(func.count(Trainee.id)))
    print(f"{trainees} trainees in {path}; {options.runs} runs per page (median).")
    print(f"{'account':8} {'page':52} {'KB':>6} {'SQL':>4} {'ms':>6}")
    over = []
    for account, url in pages(ids):
        if account not in clients:
            client = app.test_client()
            if account is not None:
                response = client.post("/auth/login", data={
                    "login": account, "password": PASSWORDS[account]},
                    headers={"Accept-Language": "zh-CN"})
                assert response.status_code == 302, f"login {account} failed"
            clients[account] = client
        with app.app_context():
            size, statements, seconds, status = measure(clients[account], url, options.runs)
        flag = "" if status == 200 else f"  HTTP {status}"
        if size > LIMIT_KB * 1000:
            over.append(url)
            flag += f"  over {LIMIT_KB} KB"
        print(f"{account or '-':8} {url[:52]:52} {size / 1000:6.1f} {statements:4d} "
              f"{seconds * 1000:6.0f}{flag}")
    print("every page within the limit" if not over else f"{len(over)} pages over {LIMIT_KB} KB")


if __name__ == "__main__":
    main()
