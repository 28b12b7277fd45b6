"""Placement: fitness for duty, openings, matching, recommendations, placements, pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from traincenter import rules
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import JobOpening, Placement, Recommendation
from traincenter.placement import matching, operations

from .conftest import login
from .permissions import ROLES
from .permissions.placement import EXPECTED
from .test_permissions import matrix_failures
from .world import build_world

TODAY = date.today()


class CountQueries:
    """Counts the SQL statements run inside the ``with`` block."""

    def __enter__(self):
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._hit)
        return self

    def _hit(self, *args, **kwargs):
        self.count += 1

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._hit)


def fit_worker(make, track=None, health_days_ago: int = 10, **trainee_kw):
    """A certified trainee (of ``track`` when given) with a health certificate."""
    cert = make.certified(**trainee_kw)
    if track is not None:
        cert.track = track
        db.session.commit()
    if health_days_ago is not None:
        make.health(cert.trainee, issued_on=TODAY - timedelta(days=health_days_ago))
    return cert


def placement_data(trainee, **overrides):
    data = {"trainee": trainee, "employer_name": "李女士家", "employer_type": "household",
            "job_type": "住家保姆", "place": "东城区", "starts_on": TODAY, "ends_on": None,
            "monthly_wage": 5200.0, "contract_registered": False, "contract_registered_on": None}
    data.update(overrides)
    return data


# -- the permission matrix of this area -----------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_placement_routes_answer_each_role_as_listed(app, make, role):
    failures = matrix_failures(app, make, role, endpoints=set(EXPECTED))
    assert not failures, "\n".join(failures)


# -- fit for duty ---------------------------------------------------------------------------


@pytest.mark.parametrize("case, reason", [
    ("no_health", "no_health"),
    ("expired", "health_expired"),
    ("revoked", "revoked"),
    ("no_certificate", "no_certificate"),
])
def test_placement_refused_when_not_fit_for_duty(make, case, reason):
    staff = make.user("staff")
    if case == "no_certificate":
        trainee = make.trainee()
        make.health(trainee)
    else:
        cert = fit_worker(make, health_days_ago=None if case == "no_health" else 10)
        trainee = cert.trainee
        if case == "expired":
            make.health(trainee, issued_on=TODAY - timedelta(days=400),
                        expires_on=TODAY - timedelta(days=35))
            for health in trainee.health_certificates:
                if health.expires_on > TODAY:
                    db.session.delete(health)
            db.session.commit()
        if case == "revoked":
            cert.revoked_at = datetime(2026, 1, 1)
            cert.revocation_reason = "成绩更正"
            db.session.commit()
    with pytest.raises(DomainError) as refused:
        operations.create_placement(placement_data(trainee), staff)
    assert refused.value.field == "worker"
    assert rules.duty_status  # the reason shown is the rules' reason label
    from traincenter.i18n import label

    assert label("duty_reason", reason) in str(refused.value)
    assert db.session.scalar(select(func.count(Placement.id))) == 0


def test_yellow_worker_is_placed_with_a_warning(client, make, login_as):
    login_as("staff")
    cert = make.certified()
    make.health(cert.trainee, issued_on=TODAY - timedelta(days=350),
                expires_on=TODAY + timedelta(days=10))
    response = client.post("/placement/placements/new", data={
        "worker": cert.trainee.id_number, "employer_name": "李女士家",
        "employer_type": "household", "job_type": "住家保姆", "starts_on": TODAY.isoformat(),
        "monthly_wage": "5200",
    }, follow_redirects=True, headers={"Accept-Language": "zh-CN"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "flash-warning" in html and rules.chinese_date(TODAY + timedelta(days=10)) in html
    assert db.session.scalar(select(func.count(Placement.id))) == 1


def test_red_worker_refused_through_the_form_in_chinese(client, make, login_as):
    login_as("staff")
    cert = fit_worker(make, health_days_ago=None)
    response = client.post("/placement/placements/new", data={
        "worker": cert.number, "employer_name": "李女士家", "employer_type": "household",
        "job_type": "住家保姆", "starts_on": TODAY.isoformat(),
    }, headers={"Accept-Language": "zh-CN"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "不能上岗" in html or "没有健康证" in html
    assert db.session.scalar(select(func.count(Placement.id))) == 0


def test_fitness_is_judged_on_the_start_date(make):
    staff = make.user("staff")
    cert = fit_worker(make, health_days_ago=None)
    make.health(cert.trainee, issued_on=TODAY - timedelta(days=100),
                expires_on=TODAY + timedelta(days=100))
    later = TODAY + timedelta(days=120)  # the health certificate has run out by then
    with pytest.raises(DomainError):
        operations.create_placement(placement_data(cert.trainee, starts_on=later), staff)
    placement, status = operations.create_placement(placement_data(cert.trainee), staff)
    assert placement.id and status.colour == rules.GREEN


# -- placement form checks ------------------------------------------------------------------


@pytest.mark.parametrize("overrides, field", [
    ({"ends_on": TODAY - timedelta(days=1)}, "ends_on"),
    ({"monthly_wage": -1.0}, "monthly_wage"),
    ({"monthly_wage": 1_000_000.0}, "monthly_wage"),
    ({"contract_registered": True}, "contract_registered_on"),
    ({"contract_registered_on": TODAY + timedelta(days=1)}, "contract_registered_on"),
    ({"employer_type": "embassy"}, "employer_type"),
])
def test_bad_placement_input_is_refused_and_changes_nothing(make, overrides, field):
    staff = make.user("staff")
    cert = fit_worker(make)
    with pytest.raises(DomainError) as refused:
        operations.create_placement(placement_data(cert.trainee, **overrides), staff)
    assert refused.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(func.count(Placement.id))) == 0


def test_registration_date_marks_the_contract_registered(make):
    staff = make.user("staff")
    cert = fit_worker(make)
    placement, _ = operations.create_placement(
        placement_data(cert.trainee, contract_registered_on=TODAY), staff)
    assert placement.contract_registered is True


def test_ends_before_start_refused_through_the_form(client, make, login_as):
    login_as("staff")
    cert = fit_worker(make)
    response = client.post("/placement/placements/new", data={
        "worker": cert.trainee.id_number, "employer_name": "李女士家",
        "employer_type": "household", "job_type": "保洁", "starts_on": "2026-03-10",
        "ends_on": "2026-03-01",
    }, headers={"Accept-Language": "zh-CN"})
    assert "结束日期早于开始日期" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Placement.id))) == 0


def test_unknown_worker_and_bad_date_get_clear_messages(client, make, login_as):
    login_as("staff")
    response = client.post("/placement/placements/new", data={
        "worker": "110105199001011234", "employer_name": "李女士家",
        "employer_type": "household", "job_type": "保洁", "starts_on": "2026-13-45",
    }, headers={"Accept-Language": "zh-CN"})
    html = response.get_data(as_text=True)
    assert "请输入日期" in html
    response = client.post("/placement/placements/new", data={
        "worker": "110105199001011234", "employer_name": "李女士家",
        "employer_type": "household", "job_type": "保洁", "starts_on": TODAY.isoformat(),
    }, headers={"Accept-Language": "zh-CN"})
    assert "没有学员" in response.get_data(as_text=True)


def test_edit_placement_ends_the_job_and_records_the_contract(client, make, login_as):
    login_as("staff")
    cert = fit_worker(make)
    placement = make.placement(cert.trainee, starts_on=TODAY - timedelta(days=60))
    response = client.post(f"/placement/placements/{placement.id}/edit", data={
        "employer_name": placement.employer_name, "employer_type": "household",
        "job_type": "保洁", "starts_on": placement.starts_on.isoformat(),
        "ends_on": TODAY.isoformat(), "contract_registered": "y",
        "contract_registered_on": (TODAY - timedelta(days=50)).isoformat(),
    })
    assert response.status_code == 302
    db.session.expire_all()
    placement = db.session.get(Placement, placement.id)
    assert placement.ends_on == TODAY and placement.contract_registered
    assert placement.trainee_id == cert.trainee_id


# -- matching -------------------------------------------------------------------------------


def test_matching_lists_fit_certified_unplaced_workers_of_the_track(make):
    track, other_track = make.track(), make.track()
    green = fit_worker(make, track)
    yellow = fit_worker(make, track, health_days_ago=None)
    make.health(yellow.trainee, issued_on=TODAY - timedelta(days=350),
                expires_on=TODAY + timedelta(days=5))
    fit_worker(make, track, health_days_ago=None)  # no health certificate: red
    revoked = fit_worker(make, track)
    revoked.revoked_at = datetime(2026, 1, 1)
    placed = fit_worker(make, track)
    make.placement(placed.trainee, ends_on=None)
    ending_later = fit_worker(make, track)
    make.placement(ending_later.trainee, ends_on=TODAY)
    experienced = fit_worker(make, track)
    make.placement(experienced.trainee, starts_on=TODAY - timedelta(days=400),
                   ends_on=TODAY - timedelta(days=35))
    other = fit_worker(make, other_track)
    already = fit_worker(make, track)
    opening = make.opening(track=track)
    db.session.add(Recommendation(opening=opening, trainee=already.trainee))
    db.session.commit()

    matches = matching.candidates(opening, TODAY)
    found = {c.trainee.id: c for c in matches.candidates}
    assert set(found) == {green.trainee_id, yellow.trainee_id, experienced.trainee_id}
    assert found[yellow.trainee_id].status.colour == rules.YELLOW
    assert matches.candidates[-1].trainee.id == yellow.trainee_id  # green first
    assert found[experienced.trainee_id].jobs == 1
    assert found[experienced.trainee_id].months == pytest.approx(366 / 30.44, abs=0.1)
    assert found[green.trainee_id].certificate.theory_score == 80
    assert matches.not_fit == 2  # no health certificate; revoked
    assert other.trainee_id not in found and placed.trainee_id not in found
    assert ending_later.trainee_id not in found


def test_matching_runs_a_fixed_number_of_queries(make):
    track = make.track()
    opening = make.opening(track=track)
    fit_worker(make, track)
    db.session.expire_all()
    with CountQueries() as few:
        matching.candidates(db.session.get(JobOpening, opening.id), TODAY)
    for _ in range(6):
        cert = fit_worker(make, track)
        make.placement(cert.trainee, starts_on=TODAY - timedelta(days=90),
                       ends_on=TODAY - timedelta(days=30))
    db.session.expire_all()
    with CountQueries() as many:
        assert len(matching.candidates(db.session.get(JobOpening, opening.id), TODAY).candidates) == 7
    assert many.count == few.count


def test_recommend_then_decline_then_hire(client, make, login_as):
    login_as("staff")
    track = make.track()
    first, second = fit_worker(make, track), fit_worker(make, track)
    opening = make.opening(track=track, positions=1, starts_on=TODAY, monthly_wage=4800)
    page = client.get(f"/placement/openings/{opening.id}").get_data(as_text=True)
    assert first.trainee.name in page and second.trainee.name in page
    response = client.post(f"/placement/openings/{opening.id}/recommend",
                           data={"trainee_id": [first.trainee_id, second.trainee_id]})
    assert response.status_code == 302
    recs = {r.trainee_id: r for r in db.session.scalars(select(Recommendation))}
    assert len(recs) == 2 and all(r.outcome == "pending" for r in recs.values())
    # Recommending the same worker twice is refused and changes nothing.
    client.post(f"/placement/openings/{opening.id}/recommend", data={"trainee_id": [first.trainee_id]})
    assert db.session.scalar(select(func.count(Recommendation.id))) == 2

    client.post(f"/placement/recommendations/{recs[second.trainee_id].id}/outcome",
                data={"outcome": "declined_by_worker", "note": "离家太远"})
    # "hired" cannot be posted as an outcome: it comes with a placement.
    client.post(f"/placement/recommendations/{recs[first.trainee_id].id}/outcome",
                data={"outcome": "hired"})
    db.session.expire_all()
    assert db.session.get(Recommendation, recs[second.trainee_id].id).outcome == "declined_by_worker"
    assert db.session.get(Recommendation, recs[first.trainee_id].id).outcome == "pending"

    rec_id = recs[first.trainee_id].id
    form = client.get(f"/placement/placements/new?recommendation_id={rec_id}").get_data(as_text=True)
    assert first.trainee.id_number in form and opening.employer_name in form
    assert 'value="4800' in form and f'value="{TODAY.isoformat()}"' in form  # the opening's terms
    response = client.post(f"/placement/placements/new?recommendation_id={rec_id}", data={
        "worker": first.trainee.id_number, "employer_name": opening.employer_name,
        "employer_type": opening.employer_type, "job_type": opening.job_type,
        "starts_on": TODAY.isoformat(), "monthly_wage": "4800",
    })
    assert response.status_code == 302
    db.session.expire_all()
    placement = db.session.scalar(select(Placement))
    assert placement.recommendation_id == rec_id and placement.opening_id == opening.id
    assert db.session.get(Recommendation, rec_id).outcome == "hired"
    assert db.session.get(JobOpening, opening.id).status == "filled"


def test_recommending_a_red_worker_is_refused(make):
    staff = make.user("staff")
    track = make.track()
    red = fit_worker(make, track, health_days_ago=None)
    opening = make.opening(track=track)
    with pytest.raises(DomainError):
        operations.recommend_workers(opening, [red.trainee_id], staff)
    assert db.session.scalar(select(func.count(Recommendation.id))) == 0


def test_only_staff_may_write_placement_records(make):
    instructor = make.user("instructor")
    cert = fit_worker(make)
    with pytest.raises(DomainError):
        operations.create_opening({"employer_type": "household"}, instructor)
    with pytest.raises(DomainError):
        operations.create_placement(placement_data(cert.trainee), instructor)
    assert db.session.scalar(select(func.count(Placement.id))) == 0


# -- openings -------------------------------------------------------------------------------


def test_opening_form_saves_and_refuses_bad_dates(client, make, login_as):
    login_as("staff")
    track = make.track()
    data = {"employer_name": "阳光养老院", "employer_type": "elderly_care", "job_type": "护理员",
            "track_id": track.id, "place": "西城区", "monthly_wage": "4500", "positions": "3",
            "starts_on": "2026-12-01", "ends_on": "2026-11-01"}
    response = client.post("/placement/openings/new", data=data,
                           headers={"Accept-Language": "zh-CN"})
    assert "结束日期早于开始日期" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(JobOpening.id))) == 0
    data["ends_on"] = ""
    assert client.post("/placement/openings/new", data=data).status_code == 302
    opening = db.session.scalar(select(JobOpening))
    assert opening.positions == 3 and opening.monthly_wage == 4500 and opening.status == "open"
    data["status"] = "closed"
    assert client.post(f"/placement/openings/{opening.id}/edit", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(JobOpening, opening.id).status == "closed"


def test_list_pages_run_a_fixed_number_of_queries(client, make, login_as):
    login_as("staff")

    def counts():
        with CountQueries() as openings:
            assert client.get("/placement/").status_code == 200
        with CountQueries() as placements:
            assert client.get("/placement/placements").status_code == 200
        return openings.count, placements.count

    def add_rows(n):
        for _ in range(n):
            cert = fit_worker(make)
            placement = make.placement(cert.trainee)
            make.feedback(placement, rating=4)
            make.opening(track=cert.track)

    add_rows(1)
    few = counts()
    add_rows(8)
    assert counts() == few


# -- pages of instructors and trainees -------------------------------------------------------


def test_instructor_sees_only_their_trainees_jobs(client, make):
    world = build_world(make)
    other_placement = make.placement(world["other_trainee"], employer_name="秘密雇主")
    make.feedback(other_placement, rating=2)
    login(client, world["instructor"])
    html = client.get("/placement/my-trainees").get_data(as_text=True)
    assert world["trainee"].name in html
    assert world["other_trainee"].name not in html
    assert world["placement"].job_type in html
    assert world["placement"].employer_name not in html  # employers stay with the staff


def test_trainee_sees_own_placements_only(client, make):
    world = build_world(make)
    make.placement(world["other_trainee"], employer_name="别人的雇主")
    login(client, world["trainee_user"])
    response = client.get("/me/placements", headers={"Accept-Language": "zh-CN"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert world["placement"].employer_name in html and "别人的雇主" not in html
    assert "我的工作" in html


def test_staff_pages_render_in_chinese(client, make):
    world = build_world(make)
    login(client, world["staff"])
    for url, words in [
        ("/placement/", "招工信息"),
        (f"/placement/openings/{world['opening'].id}", "推荐"),
        ("/placement/placements", "上岗记录"),
        (f"/placement/placements/{world['placement'].id}", "badge-green"),
        (f"/placement/placements/{world['placement'].id}", "客户评价"),
        ("/placement/figures", "上岗率"),
    ]:
        response = client.get(url, headers={"Accept-Language": "zh-CN"})
        assert response.status_code == 200, url
        assert words in response.get_data(as_text=True), url


def test_opening_page_shows_the_duty_colour_words(client, make, login_as):
    login_as("staff")
    track = make.track()
    cert = fit_worker(make, track)
    opening = make.opening(track=track)
    html = client.get(f"/placement/openings/{opening.id}", headers={"Accept-Language": "zh-CN"})
    assert cert.trainee.name in html.get_data(as_text=True)
    assert "badge-green" in html.get_data(as_text=True)


def test_matching_keeps_the_best_when_limited(make):
    track = make.track()
    fit_worker(make, track)
    best = make.certified()
    best.track, best.theory_score = track, 99
    db.session.commit()
    make.health(best.trainee, issued_on=TODAY - timedelta(days=5))
    matches = matching.candidates(make.opening(track=track), TODAY, limit=1)
    assert matches.total == 2 and [c.trainee.id for c in matches.candidates] == [best.trainee_id]


def test_a_second_job_in_the_same_period_is_saved_with_a_warning(client, make, login_as):
    login_as("staff")
    cert = fit_worker(make)
    make.placement(cert.trainee, starts_on=TODAY - timedelta(days=30), ends_on=None)
    data = {"worker": cert.trainee.id_number, "employer_name": "赵家", "employer_type": "household",
            "job_type": "钟点工", "starts_on": TODAY.isoformat()}
    html = client.post("/placement/placements/new", data=data, follow_redirects=True,
                       headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "同一时间段还有另一份工作" in html
    assert db.session.scalar(select(func.count(Placement.id))) == 2
    data["worker"] = fit_worker(make).trainee.id_number  # a worker without another job
    html = client.post("/placement/placements/new", data=data,
                       follow_redirects=True).get_data(as_text=True)
    assert "flash-warning" not in html


def test_instructor_page_runs_a_fixed_number_of_queries(client, make):
    instructor = make.user("instructor")
    training_class = make.training_class(instructors=[instructor])

    def add(n):
        for _ in range(n):
            enrolment = make.enrolment(make.trainee(), training_class)
            make.feedback(make.placement(enrolment.trainee), rating=5)

    login(client, instructor)
    add(1)
    with CountQueries() as few:
        assert client.get("/placement/my-trainees").status_code == 200
    add(6)
    with CountQueries() as many:
        assert client.get("/placement/my-trainees").status_code == 200
    assert many.count == few.count
