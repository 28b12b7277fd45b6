"""The load benchmark's simulated users, for Locust (run by ``benchmarks/load.py``).

    locust -f benchmarks/locustfile.py --headless -u 50 -r 50 -t 60s --csv OUT --host URL

``load.py`` writes the plan (who logs in with which password, which certificates and exams) to a
JSON file and passes it in ``LOAD_PLAN``; at the end this file writes every acknowledged save to
``LOAD_ACKS`` so that ``load.py`` can check each one against the database. Requests are named by
their kind (result, verify, roster, grid, save, login), which are the rows of Locust's CSV.

Without ``LOAD_PLAN`` (``locust -f … --list``) the classes load and do nothing.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import sys
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, events, task
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import PASSWORD, csrf_token, grid_form, parse_grid, saver_share, user_split  # noqa: E402

USERS = int(os.environ.get("LOAD_USERS", "50"))
SPLIT = user_split(USERS)  # result, verify, roster, save users, as in the old thread benchmark
THINK = (float(os.environ.get("LOAD_THINK_MIN", "0.2")),
         float(os.environ.get("LOAD_THINK_MAX", "1.0")))
HEADERS = {"Accept-Language": "zh-CN"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", **HEADERS}


class Shared:
    """What all users of this Locust process share: the plan and the saves acknowledged."""

    plan: dict = {}
    acknowledged: dict[int, str] = {}  # result id → its owner's last acknowledged theory score
    saves = 0
    conflicts = 0
    counters = {kind: itertools.count() for kind in ("result", "save")}


@events.test_start.add_listener
def _load_plan(**_):
    path = os.environ.get("LOAD_PLAN")
    if path:
        Shared.plan = json.loads(Path(path).read_text())


@events.test_stop.add_listener
def _write_acknowledged(environment, **_):
    """After every user has stopped: the saves acknowledged, and Locust's statistics as its CSV
    (``--csv`` rewrites its files once a second, so they can miss the last requests)."""
    path = os.environ.get("LOAD_ACKS")
    if not path:
        return
    Path(path).write_text(json.dumps({
        "acknowledged": {str(k): v for k, v in Shared.acknowledged.items()},
        "saves": Shared.saves, "conflicts": Shared.conflicts}))
    writer = StatsCSV(environment, PERCENTILES_TO_REPORT)
    for name, write in (("final_stats.csv", writer.requests_csv),
                        ("final_failures.csv", writer.failures_csv)):
        with (Path(path).parent / name).open("w", newline="") as file:
            write(csv.writer(file))


class Base(FastHttpUser):
    abstract = True
    wait_time = between(*THINK) if THINK[1] > 0 else constant(0)

    def get(self, kind: str, path: str):
        return self.client.get(path, name=kind, headers=HEADERS)

    def login(self, login: str) -> None:
        with self.client.get("/auth/login", name="login", headers=HEADERS,
                             catch_response=True) as page:
            token = csrf_token(page.text or "")
        body = urlencode({"login": login, "password": PASSWORD, "csrf_token": token})
        with self.client.post("/auth/login", name="login", data=body, headers=FORM,
                              allow_redirects=False, catch_response=True) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/auth/login" in location:
                response.failure(f"login of {login} failed: {response.status_code}")


class Trainee(Base):
    """A trainee logged in opens her results page or her home page."""

    fixed_count = SPLIT[0]

    def on_start(self):
        logins = Shared.plan.get("trainee_logins") or []
        if logins:
            self.login(logins[next(Shared.counters["result"]) % len(logins)])

    @task
    def results(self):
        self.get("result", "/me/results" if random.random() < 0.7 else "/me/")


class Citizen(Base):
    """Anyone checks a certificate: the verification page or the JSON API."""

    fixed_count = SPLIT[1]

    @task
    def verify(self):
        code = random.choice(Shared.plan.get("codes") or ["none"])
        self.get("verify", f"/verify/{code}" if random.random() < 0.8 else f"/api/v1/verify/{code}")


class RosterStaff(Base):
    """Staff page through the trainee roster."""

    fixed_count = SPLIT[2]

    def on_start(self):
        if Shared.plan:
            self.login(Shared.plan["staff_login"])

    @task
    def roster(self):
        self.get("roster", f"/trainees/?page={random.randint(1, Shared.plan.get('roster_pages', 1))}")


class GridStaff(Base):
    """Staff open an exam's score grid, change one row this user owns, and save the whole grid.

    No two users own the same row, but each posts the whole grid with every row's version, so a
    neighbour's newer save makes the post stale: a 409 conflict, which the user reloads.
    """

    fixed_count = SPLIT[3]

    def on_start(self):
        exams = Shared.plan.get("exams") or []
        if not exams:
            return
        index = next(Shared.counters["save"])
        self.exam_id, self.owner, self.owners = saver_share(index, SPLIT[3], exams)
        self.login(Shared.plan["staff_login"])

    @task
    def save(self):
        if not getattr(self, "exam_id", None):
            return
        path = f"/exams/{self.exam_id}/grid"
        page = self.get("grid", path)
        if page.status_code != 200:
            return
        text = page.text or ""
        rows = parse_grid(text)
        mine = sorted(r for r in rows
                      if r % self.owners == self.owner and "t" in rows[r] and not rows[r].get("ta"))
        if not mine:
            self.environment.events.request.fire(  # a failure, counted without a request
                request_type="POST", name="save", response_time=0, response_length=0, context={},
                exception=RuntimeError(f"exam {self.exam_id}: no editable row for saver "
                                       f"{self.owner}"))
            self.exam_id = None  # counted once; this user stops saving
            return
        target = random.choice(mine)
        value = rows[target].get("t", "")
        while value == rows[target].get("t", ""):  # always a real change
            value = f"{random.randint(300, 1000) / 10:.1f}".removesuffix(".0")
        form = grid_form(text, rows, target, value)
        with self.client.post(path, name="save", data=urlencode(form), headers=FORM,
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code == 302:
                Shared.acknowledged[target] = value  # no yield between the answer and this line
                Shared.saves += 1
                response.success()
            elif response.status_code == 409:
                Shared.conflicts += 1
                response.success()
            else:
                response.failure(f"POST {path}: {response.status_code}")
