"""Load benchmark: gunicorn on loopback, demo data scaled to 20,000 trainees, 50 simulated users.

    .venv/bin/python benchmarks/load.py                 # SQLite and PostgreSQL, 20,000 trainees, 60 s
    .venv/bin/python benchmarks/load.py --db sqlite --trainees 2000 --duration 20
    .venv/bin/python benchmarks/load.py --db pg --pg-url postgresql+psycopg://postgres@127.0.0.1:5432

For each database it builds a fresh one (``flask db upgrade`` + ``flask demo seed --trainees N``),
gives a sample of trainee accounts and one staff account known passwords (through the models),
starts gunicorn on 127.0.0.1:<free port> with the production config, and runs a mixed workload
from ``--users`` threads for ``--duration`` seconds (then stops by itself):

  result    a trainee logged in opens her results page (/me/results) or home (/me/)
  verify    a citizen opens a certificate's verification page (/verify/<code>) or the JSON API
  roster    staff page through the trainee roster (/trainees/?page=N)
  grid      staff open an exam's score grid (GET)
  save      staff save that grid (POST with every row's version: compare-and-swap)

Every save changes one row "owned" by that simulated user (no two users own the same row, but they
post the whole grid, so a stale neighbour row gives a 409 conflict, as in real life). At the end,
every acknowledged save must be in the database: a row's stored score must equal its owner's last
acknowledged value; anything else is a LOST save. Prints requests/s, p50/p95/p99 per kind,
errors, conflicts and lost saves. Targets: zero errors, zero lost saves, p95 < 300 ms per kind.
Only loopback is contacted; nothing outside this machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = ROOT / ".venv" / "bin"
PASSWORD = "load-test-password-1"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
GRID_INPUT = re.compile(r'<input[^>]*name="([tp]a?|v)-(\d+)"[^>]*>')
VALUE = re.compile(r'value="([^"]*)"')
KINDS = ("result", "verify", "roster", "grid", "save")
TARGET_P95_MS = 300


# -- database preparation --------------------------------------------------------------------------
def _env(database_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(FLASK_APP="wsgi", DATABASE_URL=database_url, TRAINCENTER_ENV="production",
               SECRET_KEY=env.get("SECRET_KEY") or secrets.token_hex(32),
               VERIFY_RATE_LIMIT="1000000 per minute", RATELIMIT_STORAGE_URI="memory://",
               SESSION_COOKIE_SECURE="0")
    env.update(extra)
    return env


def build_database(database_url: str, trainees: int) -> float:
    """Migrate and seed; returns the seconds the seed took."""
    env = _env(database_url)
    flask = str(VENV_BIN / "flask")
    subprocess.run([flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run([flask, "demo", "seed", "--trainees", str(trainees)], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


@dataclass
class Plan:
    """Who logs in and what they open."""

    trainee_logins: list[str]
    staff_login: str
    codes: list[str]
    exams: list[int]
    roster_pages: int


def prepare(database_url: str, sample: int) -> Plan:
    """Known passwords for a sample of trainees and a staff account; pick codes and exams."""
    os.environ.update(_env(database_url))
    from sqlalchemy import func, select, update

    from traincenter import create_app
    from traincenter.auth.passwords import hash_password
    from traincenter.extensions import db
    from traincenter.models import Certificate, Enrolment, ExamResult, Trainee, User

    app = create_app("production", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        hashed = hash_password(PASSWORD)
        with_results = (select(User.id).join(Trainee, User.trainee_id == Trainee.id)
                        .join(Enrolment, Enrolment.trainee_id == Trainee.id)
                        .join(ExamResult, ExamResult.enrolment_id == Enrolment.id)
                        .where(ExamResult.status == "published", User.is_active_account.is_(True))
                        .distinct().order_by(User.id).limit(sample))
        ids = list(db.session.scalars(with_results))
        if not ids:
            raise SystemExit("the demo data has no trainee with a published result")
        db.session.execute(update(User).where(User.id.in_(ids))
                           .values(password_hash=hashed, must_change_password=False))
        staff = db.session.scalar(select(User).where(User.username == "loadstaff"))
        if staff is None:
            staff = User(username="loadstaff", display_name="压力测试教务", role="staff",
                         password_hash=hashed, must_change_password=False)
            db.session.add(staff)
        db.session.commit()
        logins = list(db.session.scalars(select(User.username).where(User.id.in_(ids))))
        codes = list(db.session.scalars(select(Certificate.verification_code)
                                        .order_by(func.random()).limit(500)))
        exam_sizes = db.session.execute(
            select(ExamResult.exam_id, func.count()).group_by(ExamResult.exam_id)
            .having(func.count() >= 10).order_by(ExamResult.exam_id.desc()).limit(6)).all()
        trainee_count = db.session.scalar(select(func.count()).select_from(Trainee))
        db.session.remove()
        db.engine.dispose()
    return Plan(logins, "loadstaff", codes, [exam_id for exam_id, _ in exam_sizes],
                max(1, trainee_count // 50))


# -- HTTP --------------------------------------------------------------------------------------
class Browser:
    """One simulated user: a keep-alive connection and a cookie jar."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | list | None = None):
        headers = {"Accept-Language": "zh-CN", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()  # the server closed an idle keep-alive connection
                if attempt:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            cookie_value = rest.split(";", 1)[0]
            if "Expires=Thu, 01 Jan 1970" in value or not cookie_value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = cookie_value
        return response.status, response.headers, data.decode("utf-8", "replace")

    def login(self, login: str) -> None:
        status, _, page = self.request("GET", "/auth/login")
        token = _csrf(page)
        status, headers, _ = self.request("POST", "/auth/login",
                                          {"login": login, "password": PASSWORD, "csrf_token": token})
        if status != 302 or "/auth/login" in headers.get("Location", ""):
            raise RuntimeError(f"login of {login} failed: {status}")


def _csrf(page: str) -> str:
    found = CSRF.search(page)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1) or found.group(2)


# -- the workload --------------------------------------------------------------------------------
@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    conflicts: int = 0
    acknowledged: dict[int, str] = field(default_factory=dict)  # result id → last saved theory
    saves: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.times[kind].append(seconds)
            if error:
                self.errors[kind].append(error)


def timed(stats: Stats, kind: str, browser: Browser, method: str, path: str, form=None,
          ok=(200,)):
    started = time.perf_counter()
    try:
        status, headers, body = browser.request(method, path, form)
    except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the run
        stats.record(kind, time.perf_counter() - started, f"{method} {path}: {error!r}")
        return None, None, ""
    error = None if status in ok else f"{method} {path}: {status}"
    stats.record(kind, time.perf_counter() - started, error)
    return status, headers, body


def parse_grid(page: str) -> dict[int, dict[str, str]]:
    """The grid's inputs: {result id: {"t": theory, "p": practical, "v": version, "ta"/"pa": "1"}}."""
    rows: dict[int, dict[str, str]] = defaultdict(dict)
    for match in GRID_INPUT.finditer(page):
        tag, prefix, result_id = match.group(0), match.group(1), int(match.group(2))
        if prefix in ("ta", "pa"):
            if "checked" in tag:
                rows[result_id][prefix] = "1"
            continue
        if "disabled" in tag or "readonly" in tag:
            continue
        value = VALUE.search(tag)
        rows[result_id][prefix] = value.group(1) if value else ""
    return {key: row for key, row in rows.items() if "v" in row}


def saver(browser: Browser, stats: Stats, exam_id: int, owner: int, owners: int, stop: float,
          think) -> None:
    """Open the grid, change one of the rows this user owns, save; on a conflict, reload."""
    while time.monotonic() < stop:
        status, _, page = timed(stats, "grid", browser, "GET", f"/exams/{exam_id}/grid")
        if status != 200:
            think()
            continue
        rows = parse_grid(page)
        mine = sorted(r for r in rows
                      if r % owners == owner and "t" in rows[r] and not rows[r].get("ta"))
        if not mine:
            stats.record("save", 0.0, f"exam {exam_id}: no editable row for saver {owner}")
            return
        target = random.choice(mine)
        new_value = f"{random.randint(300, 1000) / 10:.1f}".removesuffix(".0")
        form = [("csrf_token", _csrf(page)), ("reason", "压力测试：更正录入")]
        for result_id, row in rows.items():
            form.append((f"v-{result_id}", row["v"]))
            form.append((f"t-{result_id}", new_value if result_id == target else row.get("t", "")))
            form.append((f"p-{result_id}", row.get("p", "")))
            for flag in ("ta", "pa"):
                if row.get(flag):
                    form.append((f"{flag}-{result_id}", "1"))
        status, headers, _ = timed(stats, "save", browser, "POST", f"/exams/{exam_id}/grid", form,
                                   ok=(302, 409))
        if status == 302:
            with stats.lock:
                stats.acknowledged[target] = new_value
                stats.saves += 1
        elif status == 409:
            with stats.lock:
                stats.conflicts += 1
        think()


def run_load(port: int, plan: Plan, users: int, duration: float, think_range) -> tuple[Stats, float]:
    stats = Stats()
    n_save = max(1, users * 14 // 100) if plan.exams else 0
    n_roster = max(1, users * 16 // 100)
    n_verify = max(1, users * 20 // 100)
    n_result = max(1, users - n_save - n_roster - n_verify)
    holder: dict[str, float] = {}

    def start_clock() -> None:  # runs once all users are logged in, before any is released
        holder["start"] = time.monotonic()
        holder["stop"] = holder["start"] + duration

    barrier = threading.Barrier(n_save + n_roster + n_verify + n_result + 1, action=start_clock)

    def think():
        low, high = think_range
        if high > 0:
            time.sleep(random.uniform(low, high))

    def trainee(index: int) -> None:
        browser = Browser("127.0.0.1", port)
        login = plan.trainee_logins[index % len(plan.trainee_logins)]
        try:
            browser.login(login)
        except Exception as error:  # noqa: BLE001
            stats.record("result", 0.0, repr(error))
        barrier.wait()
        while time.monotonic() < holder["stop"]:
            path = "/me/results" if random.random() < 0.7 else "/me/"
            timed(stats, "result", browser, "GET", path)
            think()

    def citizen(_: int) -> None:
        browser = Browser("127.0.0.1", port)
        barrier.wait()
        while time.monotonic() < holder["stop"]:
            code = random.choice(plan.codes)
            path = f"/verify/{code}" if random.random() < 0.8 else f"/api/v1/verify/{code}"
            timed(stats, "verify", browser, "GET", path)
            think()

    def roster(_: int) -> None:
        browser = Browser("127.0.0.1", port)
        browser.login(plan.staff_login)
        barrier.wait()
        while time.monotonic() < holder["stop"]:
            page = random.randint(1, plan.roster_pages)
            timed(stats, "roster", browser, "GET", f"/trainees/?page={page}")
            think()

    def save(index: int) -> None:
        browser = Browser("127.0.0.1", port)
        browser.login(plan.staff_login)
        barrier.wait()
        exam_id = plan.exams[index % len(plan.exams)]
        owners = (n_save + len(plan.exams) - 1 - index % len(plan.exams)) // len(plan.exams)
        saver(browser, stats, exam_id, index // len(plan.exams), max(owners, 1), holder["stop"],
              think)

    threads = []
    for count, target in ((n_result, trainee), (n_verify, citizen), (n_roster, roster),
                          (n_save, save)):
        for index in range(count):
            threads.append(threading.Thread(target=_guard(target, barrier), args=(index,),
                                            daemon=True))
    for thread in threads:
        thread.start()
    barrier.wait(timeout=300)
    for thread in threads:
        thread.join(timeout=duration + 120)
    return stats, time.monotonic() - holder["start"]


def _guard(target, barrier):
    def run(index):
        try:
            target(index)
        except threading.BrokenBarrierError:
            pass
        except Exception:
            barrier.abort()
            raise
    return run


def lost_saves(database_url: str, stats: Stats) -> list[str]:
    """Acknowledged saves that are not in the database."""
    from sqlalchemy import select

    from traincenter import create_app
    from traincenter.extensions import db
    from traincenter.models import ExamResult

    app = create_app("production", SQLALCHEMY_DATABASE_URI=database_url)
    lost = []
    with app.app_context():
        rows = dict(db.session.execute(select(ExamResult.id, ExamResult.theory_score)
                                       .where(ExamResult.id.in_(list(stats.acknowledged)))).all())
        for result_id, value in stats.acknowledged.items():
            stored = rows.get(result_id)
            if stored is None or abs(float(stored) - float(value)) > 1e-6:
                lost.append(f"result {result_id}: saved {value}, stored {stored}")
        db.session.remove()
        db.engine.dispose()
    return lost


# -- gunicorn ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, workers: int, threads: int, log: Path):
    port = free_port()
    env = _env(database_url)
    process = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(threads), "--keep-alive", "30",
         "--timeout", "60", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/auth/login")
            if connection.getresponse().status == 200:
                return process, port
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(process) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# -- report -----------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def report(label: str, stats: Stats, elapsed: float, lost: list[str], seed_seconds: float,
           args) -> bool:
    total = sum(len(v) for v in stats.times.values())
    errors = sum(len(v) for v in stats.errors.values())
    print(f"\n== {label}: {args.trainees} trainees (seeded in {seed_seconds:.0f} s), "
          f"{args.users} users, {elapsed:.0f} s, gunicorn {args.workers}×{args.threads} gthread, "
          f"think {args.think_min}-{args.think_max} s")
    print(f"{'kind':8} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'errors':>7}")
    ok = True
    for kind in KINDS:
        times = [t * 1000 for t in stats.times.get(kind, [])]
        if not times:
            continue
        p95 = percentile(times, 95)
        ok &= p95 < TARGET_P95_MS
        print(f"{kind:8} {len(times):9d} {len(times) / elapsed:7.1f} {percentile(times, 50):8.1f} "
              f"{p95:8.1f} {percentile(times, 99):8.1f} {len(stats.errors.get(kind, [])):7d}")
    print(f"{'all':8} {total:9d} {total / elapsed:7.1f}")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end "
          f"(anything else running shares the cores with gunicorn and these {args.users} users)")
    print(f"errors: {errors}; acknowledged saves: {stats.saves}; conflicts (409, reloaded): "
          f"{stats.conflicts}; lost saves: {len(lost)}")
    for kind, messages in stats.errors.items():
        for message in messages[:5]:
            print(f"  error [{kind}] {message}")
    for message in lost[:10]:
        print(f"  LOST {message}")
    ok &= errors == 0 and not lost and stats.saves > 0
    print(f"targets (0 errors, 0 lost saves, p95 < {TARGET_P95_MS} ms per kind): "
          f"{'MET' if ok else 'NOT MET'}")
    return ok


def single_user(port: int, plan: Plan, repeat: int = 10) -> None:
    """Each kind of page, one request at a time: what a page costs before any queueing."""
    trainee, staff, citizen = (Browser("127.0.0.1", port) for _ in range(3))
    trainee.login(plan.trainee_logins[0])
    staff.login(plan.staff_login)
    exam_id = plan.exams[0] if plan.exams else None
    pages = [("result", trainee, "/me/results"), ("verify", citizen, f"/verify/{plan.codes[0]}"),
             ("roster", staff, "/trainees/?page=2")]
    if exam_id:
        pages.append(("grid", staff, f"/exams/{exam_id}/grid"))
    print("one user, one request at a time (median of "
          f"{repeat}): " + ", ".join(
              f"{kind} {statistics.median(_times(browser, path, repeat)):.0f} ms"
              for kind, browser, path in pages), flush=True)


def _times(browser: Browser, path: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        status, _, _ = browser.request("GET", path)
        times.append((time.perf_counter() - started) * 1000)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status}")
    return times


def run_one(label: str, database_url: str, args, cleanup, build: bool = True) -> bool:
    seed_seconds = 0.0
    if build:
        print(f"-- {label}: building the database ({args.trainees} trainees) …", flush=True)
        seed_seconds = build_database(database_url, args.trainees)
    else:
        print(f"-- {label}: using the existing database {database_url}", flush=True)
    plan = prepare(database_url, sample=max(args.users * 4, 200))
    log = Path(tempfile.mkdtemp(prefix="traincenter-load-log-")) / "gunicorn.log"
    process, port = start_gunicorn(database_url, args.workers, args.threads, log)
    try:
        single_user(port, plan)
        print(f"-- {label}: gunicorn on 127.0.0.1:{port}; {args.users} users for "
              f"{args.duration:.0f} s …", flush=True)
        stats, elapsed = run_load(port, plan, args.users, args.duration,
                                  (args.think_min, args.think_max))
    finally:
        stop_gunicorn(process)
        cleanup_log = log.read_text(errors="replace")
        if "Traceback" in cleanup_log:
            print(f"  gunicorn log has tracebacks: {log}")
    lost = lost_saves(database_url, stats)
    ok = report(label, stats, elapsed, lost, seed_seconds, args)
    cleanup()
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "pg", "both"), default="both")
    parser.add_argument("--pg", action="store_const", const="pg", dest="db",
                        help="PostgreSQL only (same as --db pg)")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                        help="server URL; a throw-away database is created and dropped")
    parser.add_argument("--trainees", type=int, default=20000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think-min", type=float, default=0.2,
                        help="seconds a user pauses between requests (min)")
    parser.add_argument("--think-max", type=float, default=1.0,
                        help="… (max); 0 and 0 = as fast as possible")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--sqlite-file", default=None,
                        help="run on this already seeded SQLite file (it is changed by the saves)")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, 600)  # bounded, whatever is asked
    ok = True
    if args.sqlite_file:
        url = f"sqlite:///{Path(args.sqlite_file).resolve()}"
        return 0 if run_one("SQLite", url, args, lambda: None, build=False) else 1
    if args.db in ("sqlite", "both"):
        folder = Path(tempfile.mkdtemp(prefix="traincenter-load-"))
        url = f"sqlite:///{folder / 'load.db'}"
        ok &= run_one("SQLite", url, args,
                      lambda: None if args.keep else shutil.rmtree(folder, ignore_errors=True))
    if args.db in ("pg", "both"):
        ok &= run_pg(args)
    return 0 if ok else 1


def run_pg(args) -> bool:
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(args.pg_url)
    name = f"tc_load_{os.getpid()}"
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    if urlsplit(admin).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark only talks to a PostgreSQL server on loopback")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        if args.keep:
            print(f"kept database {name}")
            return
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = server.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)
    try:
        return run_one("PostgreSQL", url, args, drop)
    except BaseException:
        drop()
        raise


if __name__ == "__main__":
    sys.exit(main())
