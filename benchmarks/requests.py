"""What one request costs, one at a time, on the 20,000-trainee demo database (issue 15, item 1).

    .venv/bin/python benchmarks/requests.py [--db instance/bench-lists-20000.db] [--runs 40]
    .venv/bin/python benchmarks/requests.py --profile docs/profiles   # + pyinstrument, per kind

Reuses the SQLite file given by ``--db`` when it exists (the one ``benchmarks/lists.py`` builds);
otherwise creates it with ``flask db upgrade`` and ``flask demo seed --trainees 20000`` (a few
minutes). ``--fresh`` builds it again. The app is built with the **production** config (a random
SECRET_KEY, CSRF on, the verification rate limit raised so that the benchmark is not refused)
and driven in process through Flask's test client, so the figures are the application's own
cost without a server or a network. One trainee with published results and one staff account
get a known password (written through the models) and log in through the login form.

The five kinds of request of the load test (benchmarks/load.py):

  result    the trainee's /me/results and /me/ (alternately)
  verify    /verify/<code> and /api/v1/verify/<code> (alternately, random certificates)
  roster    staff /trainees/?page=N (random N over every page)
  grid      staff GET of the score grid of the exam with the most candidates
  save      staff POST of that grid, one score changed (compare-and-swap versions from the page)

Prints, per kind: median and p90 in ms (wall clock), the median CPU time of the thread (steadier
than the wall clock when other work shares the cores), SQL statements per request, KB sent; and
the median of a bare Flask page (``Flask(__name__)`` with one route returning a short text)
measured in the same run, as the floor of what a request through the test client costs here. Targets
(medians): verify ≤ 4 ms, result ≤ 8 ms, roster ≤ 10 ms, grid ≤ 12 ms, save ≤ 15 ms.

``--database-url URL`` measures an already seeded database instead (PostgreSQL, say: create
it, then ``DATABASE_URL=URL flask db upgrade`` and ``DATABASE_URL=URL flask demo seed --trainees
20000``); the saves change its scores as they do the SQLite file's.

``--profile DIR`` also runs each kind under pyinstrument (``--profile-runs`` requests) and writes
``DIR/<kind>.txt``: the functions with the most own time and the most total time (flat lists),
and prints the first lines of each.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import os
import random
import re
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
# This file's name shadows the ``requests`` package for anything that imports it: keep the
# benchmarks folder off the import path, and load benchmarks/lists.py by its file name.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))
# config.py reads the environment when imported: set it first.
os.environ.update(TRAINCENTER_ENV="production", SECRET_KEY=secrets.token_hex(32),
                  VERIFY_RATE_LIMIT="1000000 per minute", RATELIMIT_STORAGE_URI="memory://",
                  SESSION_COOKIE_SECURE="0")

from flask import Flask  # noqa: E402
from sqlalchemy import event, func, select, update  # noqa: E402
from werkzeug.datastructures import MultiDict  # noqa: E402

from traincenter import create_app  # noqa: E402
from traincenter.auth.passwords import hash_password  # noqa: E402
from traincenter.extensions import db  # noqa: E402
from traincenter.models import (  # noqa: E402
    Certificate,
    Enrolment,
    ExamResult,
    Trainee,
    User,
)


def _ensure_database(path: Path, trainees: int) -> None:
    """benchmarks/lists.py builds the same file: use its builder."""
    spec = importlib.util.spec_from_file_location("bench_lists", HERE / "lists.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.ensure_database(path, trainees)


PASSWORD = "bench-requests-password-1"
STAFF = "benchstaff"
KINDS = ("result", "verify", "roster", "grid", "save")
TARGETS_MS = {"verify": 4, "result": 8, "roster": 10, "grid": 12, "save": 15}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
GRID_INPUT = re.compile(r'<input[^>]*name="([tp]a?|v)-(\d+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')


def prepare(app) -> dict:
    """Known passwords for a trainee and a staff account; the codes, exam and pages to open."""
    with app.app_context():
        hashed = hash_password(PASSWORD)
        trainee_user = db.session.scalar(
            select(User.id).join(Trainee, User.trainee_id == Trainee.id)
            .join(Enrolment, Enrolment.trainee_id == Trainee.id)
            .join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
            .where(ExamResult.status == "published", User.is_active_account.is_(True))
            .order_by(User.id).limit(1))
        db.session.execute(update(User).where(User.id == trainee_user)
                           .values(password_hash=hashed, must_change_password=False))
        if db.session.scalar(select(User.id).where(User.username == STAFF)) is None:
            db.session.add(User(username=STAFF, display_name="基准测试教务", role="staff",
                                password_hash=hashed, must_change_password=False))
        else:
            db.session.execute(update(User).where(User.username == STAFF)
                               .values(password_hash=hashed, must_change_password=False))
        db.session.commit()
        login = db.session.scalar(select(User.username).where(User.id == trainee_user))
        codes = list(db.session.scalars(select(Certificate.verification_code)
                                        .order_by(func.random()).limit(200)))
        exam_id = db.session.execute(
            select(ExamResult.exam_id, func.count()).group_by(ExamResult.exam_id)
            .order_by(func.count().desc(), ExamResult.exam_id.desc()).limit(1)).first()[0]
        candidates = db.session.scalar(select(func.count()).where(ExamResult.exam_id == exam_id))
        trainees = db.session.scalar(select(func.count()).select_from(Trainee))
        db.session.remove()
    return {"login": login, "codes": codes, "exam": exam_id, "candidates": candidates,
            "trainees": trainees, "roster_pages": max(1, -(-trainees // 50))}


def log_in(app, login: str):
    client = app.test_client()
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    response = client.post("/auth/login", data={"login": login, "password": PASSWORD,
                                                "csrf_token": _csrf(page)},
                           headers={"Accept-Language": "zh-CN"})
    if response.status_code != 302 or "/auth/login" in response.headers.get("Location", ""):
        raise SystemExit(f"login of {login} failed: {response.status_code}")
    return client


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if not found:
        raise SystemExit("no CSRF token on the page")
    return found.group(1) or found.group(2)


def grid_form(page: str, rng: random.Random) -> list[tuple[str, str]]:
    """The grid's form as the browser sends it, with one editable theory score changed."""
    rows: dict[int, dict[str, str]] = {}
    for match in GRID_INPUT.finditer(page):
        tag, prefix, result_id = match.group(0), match.group(1), int(match.group(2))
        row = rows.setdefault(result_id, {})
        if prefix in ("ta", "pa"):
            if "checked" in tag:
                row[prefix] = "1"
            continue
        if "disabled" in tag or "readonly" in tag:
            continue
        value = VALUE.search(tag)
        row[prefix] = value.group(1) if value else ""
    rows = {key: row for key, row in rows.items() if "v" in row}
    editable = sorted(r for r, row in rows.items() if "t" in row and not row.get("ta"))
    if not editable:
        raise SystemExit("the grid has no editable row")
    target = rng.choice(editable)
    new_value = rows[target]["t"]
    while new_value == rows[target]["t"]:  # a real change: the file keeps earlier runs' values
        new_value = f"{rng.randint(300, 1000) / 10:.1f}".removesuffix(".0")
    form = [("csrf_token", _csrf(page)), ("reason", "基准测试：更正录入")]
    for result_id, row in rows.items():
        form.append((f"v-{result_id}", row["v"]))
        form.append((f"t-{result_id}", new_value if result_id == target else row.get("t", "")))
        form.append((f"p-{result_id}", row.get("p", "")))
        for flag in ("ta", "pa"):
            if row.get(flag):
                form.append((f"{flag}-{result_id}", "1"))
    return form


def requesters(app, plan: dict, rng: random.Random) -> dict:
    """One function per kind; each makes one request and returns the response."""
    trainee = log_in(app, plan["login"])
    staff = log_in(app, STAFF)
    headers = {"Accept-Language": "zh-CN"}
    grid_url = f"/exams/{plan['exam']}/grid"
    turn = {"result": 0, "verify": 0}

    def result():
        turn["result"] += 1
        return trainee.get("/me/results" if turn["result"] % 2 else "/me/", headers=headers)

    def verify():
        turn["verify"] += 1
        code = rng.choice(plan["codes"])
        url = f"/verify/{code}" if turn["verify"] % 2 else f"/api/v1/verify/{code}"
        return app.test_client().get(url, headers=headers)

    def roster():
        return staff.get(f"/trainees/?page={rng.randint(1, plan['roster_pages'])}", headers=headers)

    def grid():
        return staff.get(grid_url, headers=headers)

    pending: list = []

    def prepare_save():
        """The form to post (read from a GET that is not timed)."""
        pending[:] = grid_form(staff.get(grid_url, headers=headers).get_data(as_text=True), rng)

    def save():
        response = staff.post(grid_url, data=MultiDict(pending), headers=headers)
        if response.status_code != 302:
            raise SystemExit(f"grid save answered {response.status_code}")
        return response

    return {"result": (result, None), "verify": (verify, None), "roster": (roster, None),
            "grid": (grid, None), "save": (save, prepare_save)}


def bare_app() -> Flask:
    bare = Flask("bare")

    @bare.route("/")
    def index():
        return "ok"

    return bare


def measure(app, call, before, runs: int, counting: bool = True):
    """Timings (s) of ``runs`` calls, statements of the last call, bytes of the last response."""
    statements = [0]

    def count(*_args):
        statements[0] += 1

    times, cpu = [], []
    size = 0
    for _ in range(runs):
        if before:
            before()
        statements[0] = 0
        if counting:
            with app.app_context():
                event.listen(db.engine, "before_cursor_execute", count)
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = call()
        times.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - started_cpu)
        if counting:
            with app.app_context():
                event.remove(db.engine, "before_cursor_execute", count)
        if response.status_code not in (200, 302):
            raise SystemExit(f"answered {response.status_code}")
        size = len(response.data)
    return times, cpu, statements[0], size


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def profile(call, before, runs: int, path: Path, show: int) -> None:
    from pyinstrument import Profiler
    from pyinstrument.renderers import ConsoleRenderer

    profiler = Profiler(interval=0.0002)
    for _ in range(runs):
        if before:
            before()
        profiler.start()
        call()
        profiler.stop()
    session = profiler.last_session
    own = ConsoleRenderer(flat=True, flat_time="self", show_all=False,
                          time="percent_of_total").render(session)
    total = ConsoleRenderer(flat=True, flat_time="total", show_all=False,
                            time="percent_of_total").render(session)
    path.write_text(f"# {runs} requests\n\n## own time\n{own}\n## total time\n{total}",
                    encoding="utf-8")
    lines = [line for line in own.splitlines() if line.strip() and "%" in line]
    print(f"  {path.name}: own time, top {show}")
    for line in lines[:show]:
        print("   ", line.rstrip())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(ROOT / "instance" / "bench-lists-20000.db"))
    parser.add_argument("--database-url", help="an already seeded database instead of --db "
                        "(PostgreSQL: postgresql+psycopg://postgres@127.0.0.1:5432/NAME)")
    parser.add_argument("--trainees", type=int, default=20000)
    parser.add_argument("--fresh", action="store_true", help="build the database again")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--profile", metavar="DIR", help="write pyinstrument top entries here")
    parser.add_argument("--profile-runs", type=int, default=100)
    parser.add_argument("--show", type=int, default=12, help="profile lines printed per kind")
    options = parser.parse_args()
    if options.database_url:
        url = where = options.database_url  # seeded already (see the module's docstring)
        where = re.sub(r"//[^@/]*@", "//", url)  # no password in the output
    else:
        path = Path(options.db)
        if options.fresh and path.exists():
            path.unlink()
        _ensure_database(path, options.trainees)
        url, where = f"sqlite:///{path.resolve()}", str(path)
    app = create_app("production", SQLALCHEMY_DATABASE_URI=url)
    plan = prepare(app)
    gc.freeze()  # as wsgi.py does once the app is built
    rng = random.Random(15)
    calls = requesters(app, plan, rng)
    kinds = [kind for kind in options.kinds.split(",") if kind]
    print(f"{plan['trainees']} trainees in {where}; production config, test client, "
          f"{options.runs} requests per kind one at a time; grid = exam {plan['exam']} "
          f"({plan['candidates']} candidates); load average {os.getloadavg()[0]:.2f}")

    bare = bare_app().test_client()
    for _ in range(20):
        bare.get("/")
    bare_times, bare_cpu = [], []
    for _ in range(max(options.runs, 100)):
        started, started_cpu = time.perf_counter(), time.thread_time()
        bare.get("/")
        bare_times.append(time.perf_counter() - started)
        bare_cpu.append(time.thread_time() - started_cpu)

    print(f"{'kind':8} {'median ms':>10} {'p90 ms':>8} {'CPU ms':>8} {'target':>7} {'SQL':>4} "
          f"{'KB':>6}")
    missed = []
    for kind in kinds:
        call, before = calls[kind]
        measure(app, call, before, 5, counting=False)  # warm-up: templates, caches
        times, cpu, statements, size = measure(app, call, before, options.runs)
        median = statistics.median(times) * 1000
        flag = ""
        if median > TARGETS_MS[kind]:
            missed.append(kind)
            flag = "  over"
        print(f"{kind:8} {median:10.2f} {percentile(times, 0.9) * 1000:8.2f} "
              f"{statistics.median(cpu) * 1000:8.2f} {TARGETS_MS[kind]:7d} {statements:4d} "
              f"{size / 1000:6.1f}{flag}")
    print(f"{'bare':8} {statistics.median(bare_times) * 1000:10.2f} "
          f"{percentile(bare_times, 0.9) * 1000:8.2f} {statistics.median(bare_cpu) * 1000:8.2f}"
          "   (Flask(__name__), one route, same run)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print("every target met" if not missed else f"over target: {', '.join(missed)}")

    if options.profile:
        folder = Path(options.profile)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"pyinstrument, {options.profile_runs} requests per kind → {folder}/<kind>.txt")
        for kind in kinds:
            call, before = calls[kind]
            profile(call, before, options.profile_runs, folder / f"{kind}.txt", options.show)


if __name__ == "__main__":
    main()
