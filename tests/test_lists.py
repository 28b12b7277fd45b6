"""Every list page: paged, filtered and searched in a fixed number of SQL statements, with its
total; the dashboards' tiles count exactly what the lists they link to show."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from traincenter.extensions import db
from traincenter.models import ScoreChange
from traincenter.paging import PER_PAGE, page_of
from traincenter.services import audit

from .conftest import login

ZH = {"Accept-Language": "zh-CN"}
TODAY = date.today()


class World:
    """A teacher's class with a published exam, and ``grow(n)`` adding n of every kind of row:
    trainees (half failed, half certified with a health certificate and a job), score changes,
    self-study to check, openings, classes with exams being entered, accounts, applications,
    fee payments (an enrolment paid in part stays outstanding) and audited corrections."""

    def __init__(self, make):
        self.make = make
        self.staff, self.admin = make.user("staff"), make.user("admin")
        self.teacher = make.user("instructor")
        self.track = make.track(code="GEN", name="一般家政服务")
        self.cls = make.training_class(track=self.track, instructors=[self.teacher], code="MAIN-1")
        self.exam = make.exam(self.cls)
        self.first = self._candidate(0)
        for index in (1, 2, 3):  # every kind of row is there from the start
            self._candidate(index)

    def _candidate(self, index: int):
        enrolment = self.make.enrolment(self.make.trainee(name="王秀英"), self.cls)
        passed = index % 2 == 0
        result = self.make.result(self.exam, enrolment, 80 if passed else 50, 75)
        if passed:
            certificate = self.make.certificate(result)
            if index % 4 == 0:
                self.make.health(certificate.trainee, issued_on=TODAY - timedelta(days=355))
            placement = self.make.placement(certificate.trainee)
            self.make.feedback(placement, rating=4)
        self.make.self_study(enrolment, hours=2, status="pending")
        return result

    def _change(self, result, field: str = "theory"):
        db.session.add(ScoreChange(result=result, field=field, old_value=None, new_value="70",
                                   source="grid", changed_by=self.staff))
        db.session.commit()

    def grow(self, count: int) -> None:
        for index in range(count):
            result = self._candidate(index + 4)
            self._change(result)
            self._change(self.first, "practical")
            self.make.opening(track=self.track)
            other = self.make.training_class(track=self.track, instructors=[self.teacher])
            draft = self.make.enrolment(self.make.trainee(), other)
            self.make.result(self.make.exam(other), draft, 70, None, status="draft")
            self.make.user("instructor")
            self.make.application(track=self.track)
            self.make.fee_entry(draft, amount=100)
            audit.record(self.staff, "exam.moved", "exam", self.exam.id,
                         reason="日期有误", trainee_id=draft.trainee_id)
            db.session.commit()


def statements(client, url: str) -> int:
    """SQL statements of one request of ``url`` (after a warm-up request)."""
    assert client.get(url).status_code == 200, url
    seen = []

    def count(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(url, headers=ZH)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, url
    return len(seen)


STAFF_LISTS = [
    "/", "/exams/", "/exams/?status=published&q=MAIN", "/retraining/",
    "/retraining/?section=no_longer&q=王", "/certificates/", f"/certificates/?status=valid&year={TODAY.year}",
    "/certificates/health", "/certificates/health?state=missing", "/certificates/classes?q=MAIN",
    "/placement/placements", "/placement/?q=幸福", "/training/classes", "/training/classes?state=running",
    "/training/self-study", "/trainees/", "/trainees/?q=王&status=active",
    "/exams/{exam}/history", "/exams/{exam}/history?field=theory&q=王",
    "/exams/trainees/{trainee}/history", "/exams/trainees/{trainee}/history?source=grid",
    "/certificates/review", "/placement/placements?page=2",
    "/applications/", "/applications/?status=received&q=1", "/fees/", "/fees/journal",
    "/audit/", "/audit/?kind=exam&id={exam}",
]
TEACHER_LISTS = ["/", "/exams/", "/exams/?status=entering", "/training/classes",
                 "/training/self-study", "/placement/my-trainees?q=王"]
ADMIN_LISTS = ["/auth/users", "/auth/users?role=instructor&state=active&q=instructor"]


@pytest.mark.slow
def test_every_list_runs_a_fixed_number_of_statements(app, make):
    world = World(make)
    clients = {}
    for role, user in (("staff", world.staff), ("teacher", world.teacher), ("admin", world.admin)):
        clients[role] = app.test_client()
        login(clients[role], user)
    clients["public"] = app.test_client()
    urls = ([("staff", url) for url in STAFF_LISTS] + [("teacher", url) for url in TEACHER_LISTS]
            + [("admin", url) for url in ADMIN_LISTS] + [("public", "/registry")])
    ids = {"exam": world.exam.id, "trainee": world.first.enrolment.trainee_id}

    def measure():
        return {url: statements(clients[role], url.format(**ids)) for role, url in urls}

    world.grow(1)
    few = measure()
    world.grow(5)
    many = measure()
    assert {url: n for url, n in many.items() if n != few[url]} == {}
    assert max(many.values()) <= 20  # no page loads rows one by one


@pytest.mark.slow
def test_a_full_page_of_every_list_stays_under_100_kb(app, make):
    """A whole page of rows (PER_PAGE of each kind) in the largest of these lists, in Chinese:
    at most 100 KB of HTML."""
    world = World(make)
    world.grow(PER_PAGE + 1)
    clients = {}
    for role, user in (("staff", world.staff), ("teacher", world.teacher), ("admin", world.admin)):
        clients[role] = app.test_client()
        login(clients[role], user)
    clients["public"] = app.test_client()
    ids = {"exam": world.exam.id, "trainee": world.first.enrolment.trainee_id}
    urls = ([("staff", url) for url in STAFF_LISTS] + [("teacher", url) for url in TEACHER_LISTS]
            + [("admin", url) for url in ADMIN_LISTS] + [("public", "/registry")])
    sizes = {}
    for role, url in urls:
        response = clients[role].get(url.format(**ids), headers=ZH)
        assert response.status_code == 200, url
        sizes[url] = len(response.data)
    assert {url: size for url, size in sizes.items() if size > 100_000} == {}


def test_a_list_pages_with_its_filters_kept(client, make, login_as):
    login_as("staff")
    track = make.track()
    for index in range(PER_PAGE + 3):
        make.opening(track=track, employer_name=f"雇主{index:03d}")
    make.opening(employer_name="别的方向的雇主")
    first = client.get(f"/placement/?track={track.id}", headers=ZH).get_data(as_text=True)
    assert f"共 {PER_PAGE + 3} 条" in first and f"显示第 1–{PER_PAGE} 条" in first
    assert f"track={track.id}" in first and "page=2" in first
    assert "别的方向的雇主" not in first
    second = client.get(f"/placement/?track={track.id}&page=2", headers=ZH).get_data(as_text=True)
    assert f"显示第 {PER_PAGE + 1}–{PER_PAGE + 3} 条" in second and "雇主000" in second
    beyond = client.get(f"/placement/?track={track.id}&page=999", headers=ZH).get_data(as_text=True)
    assert "雇主000" in beyond  # a page beyond the last shows the last
    assert "清除筛选" in first
    assert "清除筛选" not in client.get("/placement/", headers=ZH).get_data(as_text=True)


def test_page_of_a_list_in_memory():
    page = page_of(list(range(120)), 3)
    assert (page.items, page.total, page.pages, page.first, page.last) == (
        list(range(100, 120)), 120, 3, 101, 120)
    assert page.has_prev and not page.has_next
    empty = page_of([], 5)
    assert (empty.page, empty.pages, empty.first, empty.last) == (1, 1, 0, 0)


def _names(client, url: str) -> str:
    response = client.get(url, headers=ZH)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_exam_list_filters_by_status_kind_year_and_class(client, make, login_as):
    login_as("staff")
    published = make.exam(make.training_class(code="PUB-1"))
    make.result(published, make.enrolment(training_class=published.training_class), 80, 80)
    entering = make.exam(make.training_class(code="ENT-1"), held_on=date(2024, 5, 1))
    make.result(entering, make.enrolment(training_class=entering.training_class), 70, None,
                status="draft")
    submitted = make.exam(make.training_class(code="SUB-1"), kind="reexam")
    make.result(submitted, make.enrolment(training_class=submitted.training_class), 70, 70,
                status="submitted")
    make.exam(make.training_class(code="NONE-1"))
    for status, code in (("published", "PUB-1"), ("entering", "ENT-1"), ("submitted", "SUB-1"),
                         ("empty", "NONE-1")):
        html = _names(client, f"/exams/?status={status}")
        assert code in html and "共 1 条" in html, status
    assert "ENT-1" in _names(client, "/exams/?year=2024")
    assert "SUB-1" not in _names(client, "/exams/?year=2024")
    assert "共 1 条" in _names(client, "/exams/?kind=reexam")
    assert "共 1 条" in _names(client, "/exams/?q=NONE")
    assert "共 4 条" in _names(client, "/exams/?status=bogus&kind=bogus")
    # A NUL character is refused before any view reads it (web.refuse_nul_characters).
    assert client.get("/exams/?kind=%00", headers=ZH).status_code == 400


def test_class_list_filters_by_state_and_instructor_sees_own(client, other_client, make,
                                                             login_as):
    teacher = make.user("instructor")
    make.training_class(code="RUN-1", instructors=[teacher])
    make.training_class(code="OLD-1", starts_on=TODAY - timedelta(days=400))
    make.training_class(code="NEW-1", starts_on=TODAY + timedelta(days=10), kind="retraining")
    login_as("staff")
    assert "RUN-1" in _names(client, "/training/classes?state=running")
    assert "OLD-1" not in _names(client, "/training/classes?state=running")
    assert "OLD-1" in _names(client, "/training/classes?state=finished")
    upcoming = _names(client, "/training/classes?state=upcoming&kind=retraining")
    assert "NEW-1" in upcoming and "共 1 条" in upcoming
    assert "OLD-1" in _names(client, f"/training/classes?year={TODAY.year - 1}")
    login(other_client, teacher)
    mine = _names(other_client, "/training/classes")
    assert "RUN-1" in mine and "OLD-1" not in mine and "共 1 条" in mine


def test_accounts_list_filters_and_leaves_out_trainee_logins(client, make, login_as):
    login_as("admin")
    make.user("instructor", display_name="刘桂芳老师")
    make.user("staff", display_name="教务 周敏", is_active_account=False)
    make.trainee_user()
    assert "刘桂芳老师" in _names(client, "/auth/users?q=桂芳")
    assert "教务 周敏" not in _names(client, "/auth/users?q=桂芳")
    assert "教务 周敏" in _names(client, "/auth/users?state=deactivated")
    assert "共 1 条" in _names(client, "/auth/users?role=instructor")
    assert "共 3 条" in _names(client, "/auth/users?role=trainee")  # not a choice: all accounts


def test_histories_filter_by_field_source_and_trainee(client, make, login_as):
    staff = login_as("staff")
    exam = make.exam()
    results = [make.result(exam, make.enrolment(make.trainee(name=name), exam.training_class),
                           70, 70) for name in ("王秀英", "李桂兰")]
    for result, field, source in ((results[0], "theory", "grid"), (results[0], "status", "workflow"),
                                  (results[1], "practical", "import")):
        db.session.add(ScoreChange(result=result, field=field, new_value="1", source=source,
                                   changed_by=staff))
    db.session.commit()
    assert "共 3 条" in _names(client, f"/exams/{exam.id}/history")
    assert "共 2 条" in _names(client, f"/exams/{exam.id}/history?q=王秀")
    assert "共 1 条" in _names(client, f"/exams/{exam.id}/history?field=practical")
    trainee_id = results[0].enrolment.trainee_id
    assert "共 2 条" in _names(client, f"/exams/trainees/{trainee_id}/history")
    assert "共 1 条" in _names(client, f"/exams/trainees/{trainee_id}/history?source=workflow")


def test_openings_placements_and_certificates_search(client, make, login_as):
    login_as("staff")
    make.opening(employer_name="阳光养老院", place="西城区")
    make.opening(employer_name="幸福家政")
    assert "阳光养老院" in _names(client, "/placement/?q=西城")
    assert "幸福家政" not in _names(client, "/placement/?q=西城")
    old = make.certified(name="欧阳春燕")
    old.issued_on = date(TODAY.year - 1, 3, 1)
    db.session.commit()
    make.certified(name="王丽娟")
    html = _names(client, f"/certificates/?year={TODAY.year - 1}")
    assert "欧阳春燕" in html and "王丽娟" not in html and "共 1 条" in html


def test_instructor_trainees_jobs_are_paged_and_searchable(client, make):
    teacher = make.user("instructor")
    mine = make.training_class(instructors=[teacher], code="MY-1")
    other = make.training_class(instructors=[teacher], code="MY-2")
    make.enrolment(make.trainee(name="周凤珍"), mine)
    make.enrolment(make.trainee(name="吴德兰"), other)
    make.enrolment(make.trainee(name="郑别人"))
    login(client, teacher)
    html = _names(client, "/placement/my-trainees")
    assert "周凤珍" in html and "吴德兰" in html and "郑别人" not in html and "共 2 条" in html
    assert "吴德兰" not in _names(client, f"/placement/my-trainees?class={mine.id}")
    assert "周凤珍" not in _names(client, "/placement/my-trainees?q=德兰")


TILE = re.compile(r'<a class="tile[^"]*" href="([^"]+)"><span class="tile-value">([^<]+)</span>')
TOTAL = re.compile(r"共 (\d+) 条|找到 (\d+) 名学员")


@pytest.mark.parametrize("role", ["staff", "teacher"])
def test_every_dashboard_tile_counts_what_its_list_shows(app, make, role):
    world = World(make)
    world.grow(3)
    make.training_class(track=world.track, instructors=[world.teacher],
                        starts_on=TODAY - timedelta(days=400))  # finished: in "all", not running
    client = app.test_client()
    login(client, world.staff if role == "staff" else world.teacher)
    html = client.get("/", headers=ZH).get_data(as_text=True)
    tiles = TILE.findall(html)
    assert len(tiles) >= (11 if role == "staff" else 4)
    checked = 0
    for href, value in tiles:
        if not value.isdigit():
            continue  # the pass rate links to the year's published exams
        target = client.get(href.replace("&amp;", "&"), headers=ZH).get_data(as_text=True)
        found = TOTAL.search(target)
        assert found, href
        assert int(found.group(1) or found.group(2)) == int(value), href
        checked += 1
    assert checked == len(tiles) - (1 if role == "staff" else 0)


def test_staff_see_this_years_figures_and_chart(client, make, login_as):
    login_as("staff")
    certificate = make.certified()
    make.placement(certificate.trainee, starts_on=TODAY)
    html = client.get("/", headers=ZH).get_data(as_text=True)
    assert f"{TODAY.year}年至今" in html and "<svg" in html and 'class="bar-second"' in html
    assert f"/placement/placements?year={TODAY.year}" in html
    assert "style=" not in html
