"""Load benchmark on Locust: gunicorn on loopback, demo data scaled to 20,000 trainees, 50 users.

    .venv/bin/python benchmarks/load.py                 # SQLite and PostgreSQL, 20,000 trainees, 60 s
    .venv/bin/python benchmarks/load.py --db sqlite --trainees 2000 --duration 20
    .venv/bin/python benchmarks/load.py --db pg --pg-url postgresql+psycopg://postgres@127.0.0.1:5432

For each database it builds a fresh one (``flask db upgrade`` + ``flask demo seed --trainees N``),
gives a sample of trainee accounts and one staff account known passwords (through the models),
starts gunicorn on 127.0.0.1:<free port> with the production config, and runs Locust headless
(``benchmarks/locustfile.py``, CSV statistics; it stops by itself) with a mixed workload. The
``--users`` users arrive over ``--ramp`` seconds (10; each logs in as it arrives: a login is a
deliberately slow scrypt hash, and fifty of them in the same second held one core for several
seconds), then ``--duration`` seconds are measured (Locust's ``--reset-stats``):

  result    a trainee logged in opens her results page (/me/results) or home (/me/)
  verify    a citizen opens a certificate's verification page (/verify/<code>) or the JSON API
  roster    staff page through the trainee roster (/trainees/?page=N)
  grid      staff open an exam's score grid (GET)
  save      staff save that grid (POST with every row's version: compare-and-swap)
  login     each user's login (GET form + POST), once as it arrives (during the ramp: rarely measured)

Every save changes one row "owned" by that simulated user (no two users own the same row, but they
post the whole grid, so a stale neighbour row gives a 409 conflict, as in real life). At the end,
every acknowledged save must be in the database: a row's stored score must equal its owner's last
acknowledged value; anything else is a LOST save. Prints requests/s, p50/p95/p99 per kind (Locust's
percentiles: above 100 ms rounded to 2 significant digits), errors, conflicts and lost saves, the
CPU time gunicorn and the load generator each used, and the load average. Targets: zero errors,
zero lost saves, p95 <= 300 ms per kind.

With two or more CPUs, gunicorn runs under ``taskset -c 0`` and Locust under ``taskset -c 1``
(``--no-pin`` lets both use every CPU), so the generator does not take the server's CPU.
Only loopback is contacted; nothing outside this machine.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = ROOT / ".venv" / "bin"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
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
    """Who logs in and what they open (written to JSON for the locustfile)."""

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
    from traincenter.models import Certificate, Enrolment, Exam, ExamResult, Trainee, User

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
        # the latest exams already held (scores of an exam can be entered from its day on)
        exam_sizes = db.session.execute(
            select(ExamResult.exam_id, func.count())
            .join(Exam, Exam.id == ExamResult.exam_id)
            .where(Exam.held_on < date.today(), ExamResult.theory_carried_from_id.is_(None))
            .group_by(ExamResult.exam_id)
            .having(func.count() >= 10).order_by(ExamResult.exam_id.desc()).limit(6)).all()
        trainee_count = db.session.scalar(select(func.count()).select_from(Trainee))
        db.session.remove()
        db.engine.dispose()
    return Plan(logins, "loadstaff", codes, [exam_id for exam_id, _ in exam_sizes],
                max(1, trainee_count // 50))


# -- what the users do (shared with the locustfile) -----------------------------------------------
def user_split(users: int) -> tuple[int, int, int, int]:
    """How many users of each kind: (result, verify, roster, save) — 50 users give 25/10/8/7."""
    n_save = max(1, users * 14 // 100)
    n_roster = max(1, users * 16 // 100)
    n_verify = max(1, users * 20 // 100)
    return max(1, users - n_save - n_roster - n_verify), n_verify, n_roster, n_save


def saver_share(index: int, savers: int, exams: list[int]) -> tuple[int, int, int]:
    """The saver ``index``'s exam, its owner number there and how many savers share that exam:
    it owns the rows whose id modulo the share count is its owner number."""
    exam_count = len(exams)
    owners = (savers + exam_count - 1 - index % exam_count) // exam_count
    return exams[index % exam_count], index // exam_count, max(owners, 1)


def csrf_token(page: str) -> str:
    found = CSRF.search(page)
    if not found:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1) or found.group(2)


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


def grid_form(page: str, rows: dict[int, dict[str, str]], target: int, value: str) -> list:
    """The score grid's form as the page showed it, with ``target``'s theory score set to ``value``
    (every row's version goes with it: the save is a compare-and-swap of the whole grid)."""
    form = [("csrf_token", csrf_token(page)), ("reason", "压力测试：更正录入")]
    for result_id, row in rows.items():
        form.append((f"v-{result_id}", row["v"]))
        form.append((f"t-{result_id}", value if result_id == target else row.get("t", "")))
        form.append((f"p-{result_id}", row.get("p", "")))
        form.extend((f"{flag}-{result_id}", "1") for flag in ("ta", "pa") if row.get(flag))
    return form


# -- a plain HTTP client (one user, one request at a time) ---------------------------------------
class Browser:
    """One user: a keep-alive connection and a cookie jar."""

    def __init__(self, host: str, port: int, headers: dict | None = None):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.headers = dict(headers or {})

    def request(self, method: str, path: str, form: dict | list | None = None):
        headers = {"Accept-Language": "zh-CN", "Host": f"{self.host}:{self.port}", **self.headers}
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

    def login(self, login: str, password: str = PASSWORD) -> int:
        """Log in; returns the status of the POST (302 = in)."""
        _, _, page = self.request("GET", "/auth/login")
        status, headers, _ = self.request("POST", "/auth/login", {
            "login": login, "password": password, "csrf_token": csrf_token(page)})
        if status == 302 and "/auth/login" in headers.get("Location", ""):
            return 200
        return status


# -- the load, on Locust ----------------------------------------------------------------------------
def pinning(pin: bool) -> tuple[list[str], list[str]]:
    """``taskset`` prefixes for (server, generator): CPU 0 and CPU 1 when there are two or more."""
    if pin and (os.cpu_count() or 1) >= 2 and shutil.which("taskset"):
        return ["taskset", "-c", "0"], ["taskset", "-c", "1"]
    return [], []


@dataclass
class LoadResult:
    rows: dict[str, dict]            # kind → Locust's CSV row
    failures: list[str]              # "kind: error × n"
    acknowledged: dict[int, str]     # result id → last acknowledged theory score
    saves: int
    conflicts: int
    elapsed: float
    generator_cpu: float             # seconds of CPU the Locust process used (user + system)
    server_cpu: float | None         # seconds of CPU gunicorn used during the run (all processes)
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def process_cpu(pids: list[int]) -> float | None:
    """User + system CPU seconds of processes and all their children (psutil, a Locust
    dependency)."""
    if not pids:
        return None
    try:
        import psutil
    except ImportError:
        return None
    try:
        total = 0.0
        for pid in pids:
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                times = process.cpu_times()
                total += times.user + times.system
        return total
    except psutil.Error:
        return None


def run_locust(host_url: str, plan: Plan, users: int, duration: float, think: tuple[float, float],
               generator_prefix: list[str], server_pids: list[int] = (),
               ramp: float = 0) -> LoadResult:
    """Run Locust headless against ``host_url``; read its CSV statistics and acknowledged saves.

    With ``ramp`` seconds, the users arrive over that time (each logs in as it arrives) and the
    statistics start once all of them are running (Locust's ``--reset-stats``), for ``duration``
    seconds more."""
    folder = Path(tempfile.mkdtemp(prefix="traincenter-locust-"))
    (folder / "plan.json").write_text(json.dumps(asdict(plan)))
    env = dict(os.environ, LOAD_PLAN=str(folder / "plan.json"), LOAD_ACKS=str(folder / "acks.json"),
               LOAD_USERS=str(users), LOAD_THINK_MIN=str(think[0]), LOAD_THINK_MAX=str(think[1]))
    command = [*generator_prefix, str(VENV_BIN / "locust"), "-f", str(LOCUSTFILE), "--headless",
               "-u", str(users), "-r", f"{users / ramp if ramp > 0 else users:g}",
               "-t", f"{int(duration + ramp)}s", *(["--reset-stats"] if ramp > 0 else []),
               "--stop-timeout", "5",
               "--csv", str(folder / "load"), "--host", host_url, "--only-summary",
               "--loglevel", "WARNING"]
    load_before = os.getloadavg()
    server_before = process_cpu(list(server_pids))
    started = time.monotonic()
    with (folder / "locust.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.terminate()
            process.wait()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    server_after = process_cpu(list(server_pids))
    try:  # the CSVs the locustfile wrote after every user stopped (the same as Locust's --csv)
        with (folder / "final_stats.csv").open(newline="") as stats:
            rows = {row["Name"]: row for row in csv.DictReader(stats)}
        acks = json.loads((folder / "acks.json").read_text())
    except FileNotFoundError:
        raise SystemExit(f"Locust left no statistics (exit {process.returncode}): see "
                         f"{folder / 'locust.log'}") from None
    failures = []
    with (folder / "final_failures.csv").open(newline="") as failed:
        for row in csv.DictReader(failed):
            failures.append(f"{row['Name']}: {row['Error']} × {row['Occurrences']}")
    shutil.rmtree(folder, ignore_errors=True)
    return LoadResult(
        rows=rows, failures=failures,
        acknowledged={int(k): v for k, v in acks["acknowledged"].items()},
        saves=acks["saves"], conflicts=acks["conflicts"], elapsed=elapsed,
        generator_cpu=usage.ru_utime + usage.ru_stime,
        server_cpu=None if server_before is None or server_after is None
        else server_after - server_before,
        load_before=load_before, load_after=os.getloadavg())


def compare_saves(acknowledged: dict[int, str], stored: dict[int, object]) -> list[str]:
    """Acknowledged saves whose row does not hold the acknowledged value: the lost saves."""
    lost = []
    for result_id, value in sorted(acknowledged.items()):
        kept = stored.get(result_id)
        if kept is None or abs(float(kept) - float(value)) > 1e-6:
            lost.append(f"result {result_id}: saved {value}, stored {kept}")
    return lost


def lost_saves(database_url: str, acknowledged: dict[int, str]) -> list[str]:
    """Acknowledged saves that are not in the database."""
    from sqlalchemy import select

    from traincenter import create_app
    from traincenter.extensions import db
    from traincenter.models import ExamResult

    app = create_app("production", SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        stored = dict(db.session.execute(select(ExamResult.id, ExamResult.theory_score)
                                         .where(ExamResult.id.in_(list(acknowledged)))).all())
        db.session.remove()
        db.engine.dispose()
    return compare_saves(acknowledged, stored)


# -- gunicorn ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(database_url: str, workers: int, threads: int, log: Path,
                   prefix: list[str] | None = None, port: int | None = None, **env_extra):
    """gunicorn (gthread) on 127.0.0.1:<port>, in its own process group; waits until it answers."""
    port = port or free_port()
    env = _env(database_url, **env_extra)
    process = subprocess.Popen(
        [*(prefix or []), str(VENV_BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads),
         "--keep-alive", "30", "--timeout", "60", "wsgi:app"],
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
    stop_gunicorn(process)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_gunicorn(process) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# -- report -----------------------------------------------------------------------------------
def _ms(row: dict, column: str) -> float:
    value = row.get(column, "")
    return float(value) if value not in ("", "N/A") else float("nan")


def report(label: str, result: LoadResult, lost: list[str], heading: str) -> bool:
    """Print the table; True when every target is met."""
    print(f"\n== {label}: {heading}")
    print(f"{'kind':8} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'errors':>7}")
    ok = True
    errors = 0
    for kind in (*KINDS, "login"):
        row = result.rows.get(kind)
        if not row:
            continue
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        errors += failed
        p95 = _ms(row, "95%")
        if kind in KINDS:
            ok &= p95 <= TARGET_P95_MS
        print(f"{kind:8} {count:9d} {float(row['Requests/s']):7.1f} {_ms(row, '50%'):8.0f} "
              f"{p95:8.0f} {_ms(row, '99%'):8.0f} {_ms(row, 'Max Response Time'):8.0f} "
              f"{failed:7d}")
    total = result.rows.get("Aggregated")
    if total:
        print(f"{'all':8} {int(total['Request Count']):9d} {float(total['Requests/s']):7.1f}")
    server = "unknown" if result.server_cpu is None else f"{result.server_cpu:.1f} s"
    print(f"CPU used during the run ({result.elapsed:.0f} s): gunicorn {server}, load generator "
          f"(Locust) {result.generator_cpu:.1f} s; machine: {os.cpu_count()} CPUs, load average "
          f"{result.load_before[0]:.2f} before, {result.load_after[0]:.2f} / "
          f"{result.load_after[1]:.2f} / {result.load_after[2]:.2f} after")
    print(f"errors: {errors}; acknowledged saves: {result.saves}; conflicts (409, reloaded): "
          f"{result.conflicts}; lost saves: {len(lost)}")
    for message in result.failures[:10]:
        print(f"  error {message}")
    for message in lost[:10]:
        print(f"  LOST {message}")
    ok &= errors == 0 and not lost and result.saves > 0
    print(f"targets (0 errors, 0 lost saves, p95 <= {TARGET_P95_MS} ms per kind): "
          f"{'MET' if ok else 'NOT MET'}", flush=True)
    return ok


def single_user(port: int, plan: Plan, repeat: int = 10) -> None:
    """Each kind of page, one request at a time: what a page costs before any queueing."""
    trainee, staff, citizen = (Browser("127.0.0.1", port) for _ in range(3))
    trainee.login(plan.trainee_logins[0])
    staff.login(plan.staff_login)
    pages = [("result", trainee, "/me/results"), ("verify", citizen, f"/verify/{plan.codes[0]}"),
             ("roster", staff, "/trainees/?page=2")]
    if plan.exams:
        pages.append(("grid", staff, f"/exams/{plan.exams[0]}/grid"))
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
    seed_seconds = None
    if build:
        print(f"-- {label}: building the database ({args.trainees} trainees) …", flush=True)
        seed_seconds = build_database(database_url, args.trainees)
        print(f"-- {label}: seeded in {seed_seconds:.0f} s", flush=True)
    else:
        print(f"-- {label}: using the existing database {database_url}", flush=True)
    plan = prepare(database_url, sample=max(args.users * 4, 200))
    server_prefix, generator_prefix = pinning(args.pin)
    log = Path(tempfile.mkdtemp(prefix="traincenter-load-log-")) / "gunicorn.log"
    process, port = start_gunicorn(database_url, args.workers, args.threads, log, server_prefix)
    try:
        single_user(port, plan)
        print(f"-- {label}: gunicorn on 127.0.0.1:{port}{' (CPU 0)' if server_prefix else ''}; "
              f"Locust{' (CPU 1)' if generator_prefix else ''}: {args.users} users arriving "
              f"over {args.ramp:.0f} s, then {args.duration:.0f} s measured …", flush=True)
        result = run_locust(f"http://127.0.0.1:{port}", plan, args.users, args.duration,
                            (args.think_min, args.think_max), generator_prefix, [process.pid],
                            ramp=args.ramp)
    finally:
        stop_gunicorn(process)
        if "Traceback" in log.read_text(errors="replace"):
            print(f"  gunicorn log has tracebacks: {log}")
        else:
            shutil.rmtree(log.parent, ignore_errors=True)
    lost = lost_saves(database_url, result.acknowledged)
    seeded = "" if seed_seconds is None else f" (seeded in {seed_seconds:.0f} s)"
    pinned = "gunicorn on CPU 0, Locust on CPU 1" if server_prefix else "not pinned"
    ok = report(label, result, lost,
                f"{args.trainees} trainees{seeded}, {args.users} users (arriving over "
                f"{args.ramp:.0f} s, not measured), {args.duration:.0f} s, "
                f"gunicorn {args.workers}×{args.threads} gthread, think {args.think_min}-"
                f"{args.think_max} s, {pinned}")
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
    parser.add_argument("--ramp", type=float, default=10,
                        help="seconds over which the users arrive and log in; the statistics "
                             "start after it (0: all at once, measured from the first request)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think-min", type=float, default=0.2,
                        help="seconds a user pauses between requests (min)")
    parser.add_argument("--think-max", type=float, default=1.0,
                        help="… (max); 0 and 0 = as fast as possible")
    parser.add_argument("--no-pin", dest="pin", action="store_false",
                        help="let gunicorn and Locust share every CPU (default: taskset, CPU 0 "
                             "for gunicorn and CPU 1 for Locust, when there are 2+ CPUs)")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--sqlite-file", default=None,
                        help="run on this already seeded SQLite file (it is changed by the saves)")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, 600)  # bounded, whatever is asked
    if not (VENV_BIN / "locust").exists():
        raise SystemExit("Locust is missing: .venv/bin/pip install -r requirements-dev.txt")
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


def pg_database(server_url: str, name: str):
    """Create database ``name`` on a loopback PostgreSQL; returns (its URL, a function dropping it)."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(server_url)
    admin = server.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    if urlsplit(admin).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the benchmark only talks to a PostgreSQL server on loopback")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    url = server.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False)
    return url, drop


def run_pg(args) -> bool:
    name = f"tc_load_{os.getpid()}"
    url, drop_database = pg_database(args.pg_url, name)

    def drop():
        if args.keep:
            print(f"kept database {name}")
        else:
            drop_database()

    try:
        return run_one("PostgreSQL", url, args, drop)
    except BaseException:
        drop()
        raise


if __name__ == "__main__":
    sys.exit(main())
