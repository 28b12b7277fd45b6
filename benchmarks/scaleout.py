"""Past one machine: two app instances behind nginx, one PostgreSQL, one Redis — on loopback.

    .venv/bin/python benchmarks/scaleout.py                  # 2,000 trainees, 50 users for 30 s
    .venv/bin/python benchmarks/scaleout.py --trainees 20000 --duration 60

Needs Debian's nginx (``apt-get install -y nginx``; only /usr/sbin/nginx is used, never the
system's service), PostgreSQL at ``--pg-url`` and Redis at ``--redis-url``, all on loopback.

It builds a throw-away PostgreSQL database, starts two gunicorn instances (A and B, separate
processes on two ports, the same SECRET_KEY, ``BEHIND_PROXY=1``, rate limits counted in Redis) and
nginx with ``deploy/nginx.conf`` (the production file; only its ports are changed) balancing
between them, and then shows, with figures, that across the two instances:

1. a save on A followed by a stale save of the same grid on B is a 409 conflict (and A's value
   stays in the database);
2. login throttling and rate limits count once: failed logins for one account alternating A, B
   lock it after LOGIN_MAX_FAILURES; login forms and verification lookups from one address,
   alternating A, B, are refused (429) after the limit, not after twice the limit;
3. a session started on A works on B (signed cookie + shared SECRET_KEY + the session token in
   the database), and logging out on B ends it on A too;
4. no save is lost under load: Locust (``benchmarks/locustfile.py``) through nginx, every
   acknowledged save is in the database, and both instances served the load.

Checks 1–3 talk to each instance directly (with an ``X-Forwarded-For`` address made up for each
check, so no two checks, and no earlier run, share a counter); the load goes through nginx. The
instances are started twice: first with small limits for check 2, then with the load
benchmark's settings for check 4. Everything it started (nginx, gunicorn, the database) is
stopped or dropped at the end, also on Ctrl-C or an error; exit status 0 when every check held.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load  # noqa: E402

ROOT = load.ROOT
NGINX = Path("/usr/sbin/nginx")
NGINX_SITE = ROOT / "deploy" / "nginx.conf"
UPSTREAM = re.compile(r"server 127\.0\.0\.1:800[12]")
LIMIT = 20  # the small per-address limits of check 2 (login forms and verifications per minute)
LOCK_AFTER = 5  # LOGIN_MAX_FAILURES in check 2


def render_nginx(site: str, listen: int, ports: tuple[int, int], folder: Path) -> str:
    """The whole nginx.conf to run ``site`` (deploy/nginx.conf) on loopback from ``folder``."""
    ports_left = list(ports)
    site, upstreams = UPSTREAM.subn(lambda _: f"server 127.0.0.1:{ports_left.pop(0)}", site)
    site, listens = re.subn(r"listen 80;", f"listen 127.0.0.1:{listen};", site)
    if upstreams != 2 or listens != 1:
        raise SystemExit(f"{NGINX_SITE} no longer has two upstream servers 127.0.0.1:8001/8002 "
                         "and one 'listen 80;' line: update render_nginx")
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    return (f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
            f"http {{\n    access_log {folder / 'access.log'};\n{temp}\n"
            + "\n".join(f"    {line}" if line else "" for line in site.splitlines()) + "\n}\n")


class Stack:
    """Start and stop what the scale-out needs; ``close`` stops everything it started."""

    def __init__(self, args, folder: Path):
        self.args, self.folder = args, folder
        self.secret = secrets.token_hex(32)
        self.instances: dict[str, tuple[subprocess.Popen, int, Path]] = {}
        self.nginx: subprocess.Popen | None = None
        self.drop_database = None
        self.url = ""

    def database(self) -> float:
        self.url, self.drop_database = load.pg_database(self.args.pg_url,
                                                        f"tc_scaleout_{os.getpid()}")
        return load.build_database(self.url, self.args.trainees)

    def start_instances(self, prefix: list[str], **env) -> None:
        self.stop_instances()
        for name in ("A", "B"):
            log = self.folder / f"gunicorn-{name}-{len(list(self.folder.glob('gunicorn-*')))}.log"
            process, port = load.start_gunicorn(
                self.url, self.args.workers, self.args.threads, log, prefix,
                SECRET_KEY=self.secret, BEHIND_PROXY="1",
                RATELIMIT_STORAGE_URI=self.args.redis_url, GUNICORN_CMD_ARGS=(
                    f"--access-logfile {self.folder / f'access-{name}.log'}"), **env)
            self.instances[name] = (process, port, log)

    def stop_instances(self) -> None:
        while self.instances:
            _, (process, _, log) = self.instances.popitem()
            load.stop_gunicorn(process)
            if "Traceback" in log.read_text(errors="replace"):
                print(f"  gunicorn log has tracebacks: {log}")

    def port(self, name: str) -> int:
        return self.instances[name][1]

    def start_nginx(self) -> int:
        listen = load.free_port()
        folder = self.folder / "nginx"
        folder.mkdir(mode=0o755)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / kind).mkdir(mode=0o777)
            (folder / kind).chmod(0o777)
        self.folder.chmod(0o755)
        config = folder / "nginx.conf"
        config.write_text(render_nginx(NGINX_SITE.read_text(), listen,
                                       (self.port("A"), self.port("B")), folder))
        test = subprocess.run([str(NGINX), "-t", "-q", "-e", str(folder / "error.log"),
                               "-p", str(folder), "-c", str(config)], capture_output=True, text=True)
        if test.returncode:
            raise SystemExit(f"nginx refused {config}:\n{test.stderr}")
        self.nginx = subprocess.Popen(
            [str(NGINX), "-e", str(folder / "error.log"), "-p", str(folder), "-c", str(config)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.nginx.poll() is not None:
                raise SystemExit(f"nginx exited: see {folder / 'error.log'}")
            try:
                status, _, _ = load.Browser("127.0.0.1", listen).request("GET", "/auth/login")
                if status == 200:
                    return listen
            except OSError:
                time.sleep(0.2)
        raise SystemExit("nginx did not answer within 15 s")

    def stop_nginx(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.nginx.pid, signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.nginx.pid, signal.SIGKILL)
                self.nginx.wait()
        self.nginx = None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.stop_nginx()
        with contextlib.suppress(Exception):
            self.stop_instances()
        if self.drop_database is not None and not self.args.keep:
            with contextlib.suppress(Exception):
                self.drop_database()


def address() -> str:
    """A client address made up for one check (198.18.0.0/15, the benchmarking range), so its
    counters start at zero."""
    number = random.randrange(1, 2 ** 17 - 1)
    return f"198.{18 + (number >> 16)}.{(number >> 8) & 255}.{number & 255}"


def client(stack: Stack, name: str, forwarded_for: str) -> load.Browser:
    return load.Browser("127.0.0.1", stack.port(name), {"X-Forwarded-For": forwarded_for})


class Checks:
    def __init__(self):
        self.results: list[tuple[str, bool, str]] = []

    def check(self, title: str, held: bool, figures: str) -> None:
        self.results.append((title, held, figures))
        print(f"  [{'held' if held else 'FAILED'}] {title}: {figures}", flush=True)


# -- 1. a stale save on B after a save on A -------------------------------------------------------
def check_conflict(stack: Stack, plan: load.Plan, checks: Checks) -> None:
    who = address()
    on_a, on_b = client(stack, "A", who), client(stack, "B", who)
    status = on_a.login(plan.staff_login)
    on_b.cookies = on_a.cookies  # the same browser, its next request balanced to B
    path = f"/exams/{plan.exams[0]}/grid"
    _, _, page_a = on_a.request("GET", path)
    _, _, page_b = on_b.request("GET", path)  # B shows the same versions: both pages are fresh
    rows = load.parse_grid(page_a)
    target = next(r for r in sorted(rows) if "t" in rows[r] and not rows[r].get("ta"))
    saved_a, saved_b = "91", "42"
    first, _, _ = on_a.request("POST", path, load.grid_form(page_a, rows, target, saved_a))
    second, _, _ = on_b.request("POST", path, load.grid_form(page_b, load.parse_grid(page_b),
                                                             target, saved_b))
    lost = load.lost_saves(stack.url, {target: saved_a})
    checks.check("stale save on B after a save on A is a conflict",
                 status == 302 and first == 302 and second == 409 and not lost,
                 f"staff login on A {status}; save on A {first}; the same grid, loaded before that "
                 f"save, saved on B {second}; the database holds A's value: {not lost}")


# -- 2. login throttling and rate limits ----------------------------------------------------------
def check_lockout(stack: Stack, plan: load.Plan, checks: Checks) -> None:
    """Failed logins for one account, alternating A and B: locked after LOCK_AFTER in all."""
    who = address()
    answers = []
    for attempt in range(LOCK_AFTER + 1):
        browser = client(stack, "AB"[attempt % 2], who)
        password = "wrong-password" if attempt < LOCK_AFTER else load.PASSWORD
        answers.append(browser.login(plan.trainee_logins[-1], password))
    # the right password after LOCK_AFTER failures spread over both: refused, the account is locked
    checks.check("login lockout counts once across A and B",
                 answers[:LOCK_AFTER] == [200] * LOCK_AFTER and answers[-1] == 429,
                 f"LOGIN_MAX_FAILURES={LOCK_AFTER}; wrong passwords alternating A, B answered "
                 f"{answers[:LOCK_AFTER]} (form shown again); then the right password on "
                 f"{'AB'[LOCK_AFTER % 2]} answered {answers[-1]} (locked)")


def _alternate_until_refused(stack: Stack, send) -> tuple[int, str | None]:
    """Send from one made-up address, alternating A and B, until a 429: (answered, refused on)."""
    who = address()
    browsers = {name: client(stack, name, who) for name in "AB"}
    accepted = 0
    for attempt in range(2 * LIMIT + 2):
        name = "AB"[attempt % 2]
        status = send(browsers[name], attempt)
        if status == 429:
            return accepted, name
        accepted += status in (200, 302)
    return accepted, None


def check_login_rate(stack: Stack, checks: Checks) -> None:
    """Login forms from one address, alternating A and B, are capped at LIMIT per minute in all."""
    accepted, refused_on = _alternate_until_refused(
        stack, lambda browser, _: browser.login(f"nobody-{secrets.token_hex(4)}", "wrong-password"))
    checks.check("the login rate limit counts once across A and B",
                 accepted == LIMIT and refused_on is not None,
                 f"LOGIN_ADDRESS_REQUESTS_PER_MINUTE={LIMIT}; login forms from one address, "
                 f"alternating A, B: {accepted} answered, the next refused with 429 on {refused_on} "
                 f"(with a counter per instance {2 * LIMIT} would have been answered)")


def check_verify_rate(stack: Stack, plan: load.Plan, checks: Checks) -> None:
    """Verification lookups from one address, alternating A and B, are capped once in all."""
    accepted, refused_on = _alternate_until_refused(
        stack, lambda browser, attempt: browser.request(
            "GET", f"/verify/{plan.codes[attempt % len(plan.codes)]}")[0])
    checks.check("the verification rate limit counts once across A and B",
                 accepted == LIMIT and refused_on is not None,
                 f"VERIFY_RATE_LIMIT={LIMIT} per minute; lookups from one address alternating "
                 f"A, B: {accepted} answered, the next refused with 429 on {refused_on}")


# -- 3. a session started on A works on B --------------------------------------------------------
def check_session(stack: Stack, plan: load.Plan, checks: Checks) -> None:
    who = address()
    on_a, on_b = client(stack, "A", who), client(stack, "B", who)
    status = on_a.login(plan.trainee_logins[0])
    on_b.cookies = dict(on_a.cookies)
    seen_b, _, _ = on_b.request("GET", "/me/results")
    seen_a, _, _ = on_a.request("GET", "/me/results")
    _, _, home = on_b.request("GET", "/me/")
    out, _, _ = on_b.request("POST", "/auth/logout", {"csrf_token": load.csrf_token(home)})
    after_a, headers, _ = on_a.request("GET", "/me/results")  # A still has the old cookie
    ended = after_a == 302 and "/auth/login" in headers.get("Location", "")
    checks.check("a session started on A works on B",
                 status == 302 and seen_b == 200 and seen_a == 200 and out == 302 and ended,
                 f"login on A {status}; /me/results with that cookie on B {seen_b}, on A {seen_a}; "
                 f"logout on B {out}; then the old cookie on A {after_a} to the login page")


# -- 4. no lost saves under load through nginx ---------------------------------------------------
def check_load(stack: Stack, plan: load.Plan, listen: int, generator_prefix, checks: Checks):
    for name in "AB":
        (stack.folder / f"access-{name}.log").write_text("")
    result = load.run_locust(f"http://127.0.0.1:{listen}", plan, stack.args.users,
                             stack.args.duration, (stack.args.think_min, stack.args.think_max),
                             generator_prefix,
                             [process.pid for process, _, _ in stack.instances.values()])
    lost = load.lost_saves(stack.url, result.acknowledged)
    served = {name: len((stack.folder / f"access-{name}.log").read_text().splitlines())
              for name in "AB"}
    load.report("through nginx", result, lost,
                f"{stack.args.trainees} trainees, {stack.args.users} users, "
                f"{stack.args.duration:.0f} s, 2 instances × gunicorn {stack.args.workers}×"
                f"{stack.args.threads} gthread, think {stack.args.think_min}-"
                f"{stack.args.think_max} s")
    errors = sum(int(row["Failure Count"]) for name, row in result.rows.items()
                 if name != "Aggregated")
    checks.check("no lost saves under load through nginx",
                 not lost and errors == 0 and result.saves > 0 and min(served.values()) > 0,
                 f"{result.saves} acknowledged saves, {result.conflicts} conflicts (409), "
                 f"{len(lost)} lost, {errors} errors; requests served by A {served['A']}, "
                 f"by B {served['B']}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--trainees", type=int, default=2000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--think-min", type=float, default=0.2)
    parser.add_argument("--think-max", type=float, default=1.0)
    parser.add_argument("--no-pin", dest="pin", action="store_false",
                        help="do not put the instances on CPU 0 and Locust on CPU 1")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args(argv)
    args.duration = min(args.duration, 600)
    if not NGINX.exists():
        raise SystemExit(f"{NGINX} is missing: install Debian's nginx package "
                         "(sudo apt-get install -y nginx); this script starts its own nginx on "
                         "loopback and never touches the system's service")
    if not (load.VENV_BIN / "locust").exists():
        raise SystemExit("Locust is missing: .venv/bin/pip install -r requirements-dev.txt")
    import redis

    try:
        redis.Redis.from_url(args.redis_url, socket_timeout=3).ping()
    except redis.RedisError as error:
        raise SystemExit(f"Redis does not answer at {args.redis_url}: {error}") from None

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    folder = Path(tempfile.mkdtemp(prefix="traincenter-scaleout-"))
    stack = Stack(args, folder)
    checks = Checks()
    server_prefix, generator_prefix = load.pinning(args.pin)
    started = time.monotonic()
    try:
        print(f"-- PostgreSQL: building a database with {args.trainees} trainees …", flush=True)
        seeded = stack.database()
        plan = load.prepare(stack.url, sample=max(args.users * 4, 200))
        print(f"   seeded in {seeded:.0f} s; Redis at {args.redis_url}; nginx {NGINX}", flush=True)

        stack.start_instances(server_prefix, VERIFY_RATE_LIMIT=f"{LIMIT} per minute",
                              LOGIN_ADDRESS_REQUESTS_PER_MINUTE=str(LIMIT),
                              LOGIN_MAX_FAILURES=str(LOCK_AFTER))
        print(f"-- checks 1–3: instance A on 127.0.0.1:{stack.port('A')}, B on "
              f"127.0.0.1:{stack.port('B')} (same SECRET_KEY, rate limits in Redis)", flush=True)
        check_conflict(stack, plan, checks)
        check_lockout(stack, plan, checks)
        check_login_rate(stack, checks)
        check_verify_rate(stack, plan, checks)
        check_session(stack, plan, checks)

        stack.start_instances(server_prefix, LOGIN_MAX_FAILURES=str(LOCK_AFTER))
        listen = stack.start_nginx()
        print(f"-- check 4: nginx on 127.0.0.1:{listen} ({NGINX_SITE.relative_to(ROOT)}) → A "
              f"127.0.0.1:{stack.port('A')}, B 127.0.0.1:{stack.port('B')}; Locust: "
              f"{args.users} users for {args.duration:.0f} s …", flush=True)
        check_load(stack, plan, listen, generator_prefix, checks)
    finally:
        stack.close()
        shutil.rmtree(folder, ignore_errors=True)
    held = all(ok for _, ok, _ in checks.results)
    print(f"\n{sum(ok for _, ok, _ in checks.results)} of {len(checks.results)} checks held "
          f"({time.monotonic() - started:.0f} s); load average "
          + " / ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0 if held else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted: nginx, both instances and the database were stopped and dropped",
              file=sys.stderr)
        sys.exit(130)
