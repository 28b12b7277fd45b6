"""Background checks (背景核查) and liability insurance (从业责任保险): recorded by staff, counted
toward the green / yellow / red status once on file, reminded before the insurance runs out, and
shown to the public as a status and a valid-until date only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from traincenter import rules
from traincenter.certificates import clearances, watchlist
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import AuditEvent, BackgroundCheck, InsurancePolicy
from traincenter.placement.operations import check_fit_for_duty
from traincenter.services import fitness

from .conftest import login

TODAY = date.today()


def _healthy_worker(make, **trainee_kw):
    certificate = make.certified(**trainee_kw)
    make.health(certificate.trainee, issued_on=TODAY - timedelta(days=10))
    return certificate


def _duty(trainee_id):
    status = fitness.duty_status(trainee_id)
    return status.colour, status.reason


def test_without_either_on_file_the_status_is_as_before(make):
    certificate = _healthy_worker(make)
    assert _duty(certificate.trainee_id) == ("green", "ok")


def test_staff_record_a_background_check_and_the_colour_follows_the_latest(client, make):
    certificate = _healthy_worker(make, name="陈玉梅")
    trainee_id = certificate.trainee_id
    login(client, make.user("staff"))
    form = client.get(f"/certificates/trainees/{trainee_id}/background").get_data(as_text=True)
    assert "登记背景核查" in form and "陈玉梅" in form
    page = client.post(f"/certificates/trainees/{trainee_id}/background", data={
        "status": "pending", "checked_on": (TODAY - timedelta(days=5)).isoformat(),
        "reference": "", "issuer": "城关派出所"}, follow_redirects=True).get_data(as_text=True)
    assert "已为陈玉梅登记背景核查" in page and "背景核查办理中" in page
    assert _duty(trainee_id) == ("yellow", "background_pending")
    client.post(f"/certificates/trainees/{trainee_id}/background", data={
        "status": "failed", "checked_on": TODAY.isoformat()})
    assert _duty(trainee_id) == ("red", "background_failed")
    client.post(f"/certificates/trainees/{trainee_id}/background", data={
        "status": "passed", "checked_on": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=180)).isoformat(), "reference": "WFZ2026001"})
    assert _duty(trainee_id) == ("green", "ok")
    page = client.get(f"/certificates/trainees/{trainee_id}").get_data(as_text=True)
    assert "WFZ2026001" in page and "（以此为准）" in page


def test_a_red_background_check_stops_a_placement(make):
    certificate = _healthy_worker(make)
    make.background_check(certificate.trainee, status="failed")
    with pytest.raises(DomainError, match="背景核查未通过"):
        check_fit_for_duty(certificate.trainee_id, TODAY)


@pytest.mark.parametrize(("data", "message"), [
    ({"checked_on": (TODAY + timedelta(days=1)).isoformat()}, "日期不能晚于今天"),
    ({"valid_until": (TODAY - timedelta(days=30)).isoformat()}, "有效期不能早于核查日期"),
    ({"status": "pending", "valid_until": (TODAY + timedelta(days=30)).isoformat()},
     "只有通过的核查才有有效期"),
    ({"checked_on": ""}, "请填写核查日期"),
])
def test_a_wrong_background_check_is_refused(client, make, data, message):
    trainee = make.trainee()
    login(client, make.user("staff"))
    form = {"status": "passed", "checked_on": (TODAY - timedelta(days=2)).isoformat(), **data}
    page = client.post(f"/certificates/trainees/{trainee.id}/background", data=form)
    assert page.status_code == 200 and message in page.get_data(as_text=True)
    assert db.session.scalar(select(BackgroundCheck.id)) is None


def test_staff_record_insurance_which_runs_a_year_by_default(client, make):
    certificate = _healthy_worker(make, name="刘淑华")
    trainee_id = certificate.trainee_id
    login(client, make.user("staff"))
    starts = TODAY - timedelta(days=340)
    page = client.post(f"/certificates/trainees/{trainee_id}/insurance", data={
        "insurer": "中国人民财产保险", "policy_number": "PZ2026-0001",
        "starts_on": starts.isoformat()}, follow_redirects=True).get_data(as_text=True)
    assert "已为刘淑华登记保险" in page
    policy = db.session.scalar(select(InsurancePolicy))
    assert policy.expires_on == rules.insurance_expiry_default(starts)
    assert (policy.expires_on - starts).days in (364, 365)
    assert _duty(trainee_id) == ("yellow", "insurance_expiring")
    again = client.post(f"/certificates/trainees/{trainee_id}/insurance", data={
        "insurer": "中国人民财产保险", "policy_number": "PZ2026-0001",
        "starts_on": TODAY.isoformat()}).get_data(as_text=True)
    assert "这份保单已经登记过了" in again
    client.post(f"/certificates/trainees/{trainee_id}/insurance", data={
        "insurer": "中国平安", "policy_number": "PA-77", "starts_on": TODAY.isoformat()})
    assert _duty(trainee_id) == ("green", "ok")  # the policy that runs longest counts


def test_lapsed_insurance_is_red_and_a_future_policy_alone_counts_for_nothing(make):
    certificate = _healthy_worker(make)
    trainee = certificate.trainee
    make.insurance(trainee, starts_on=TODAY + timedelta(days=10))
    assert _duty(trainee.id) == ("green", "ok")  # not yet started: nothing on file yet
    make.insurance(trainee, starts_on=TODAY - timedelta(days=400),
                   expires_on=TODAY - timedelta(days=1))
    assert _duty(trainee.id) == ("red", "insurance_expired")


def test_mistaken_entries_can_be_removed(client, make):
    trainee = make.trainee()
    check = make.background_check(trainee, status="failed")
    policy = make.insurance(trainee)
    login(client, make.user("staff"))
    page = client.post(f"/certificates/background/{check.id}/delete",
                       follow_redirects=True).get_data(as_text=True)
    assert "背景核查记录已删除" in page
    page = client.post(f"/certificates/insurance/{policy.id}/delete",
                       follow_redirects=True).get_data(as_text=True)
    assert "保单记录已删除" in page
    assert db.session.scalar(select(BackgroundCheck.id)) is None
    assert client.post("/certificates/insurance/424242/delete").status_code == 404
    # Each removal is kept in the audit trail with what was removed.
    events = {e.action: e for e in db.session.scalars(select(AuditEvent))}
    assert events["background_check.deleted"].details["status"] == "failed"
    assert events["insurance_policy.deleted"].details["policy_number"] == policy.policy_number
    assert {e.trainee_id for e in events.values()} == {trainee.id}
    page = client.get("/audit/?kind=insurance_policy").get_data(as_text=True)
    assert "删除保单记录" in page and "删除背景核查记录" not in page


def test_only_staff_record_them(make):
    trainee = make.trainee()
    instructor = make.user("instructor")
    with pytest.raises(DomainError):
        clearances.record_background(
            clearances.BackgroundEntry(trainee.id, "passed", TODAY), instructor)
    with pytest.raises(DomainError):
        clearances.record_insurance(
            clearances.InsuranceEntry(trainee.id, "人保", "X1", TODAY), instructor)


# --- reminders -----------------------------------------------------------------------------------


def test_insurance_reminders_at_30_and_7_days(client, make):
    names = {}
    for name, days_left in (("三十天", 30), ("七天", 7), ("二十天", 20), ("过期", -3),
                            ("很久", 200)):
        certificate = _healthy_worker(make, name=name)
        make.insurance(certificate.trainee, starts_on=TODAY - timedelta(days=300),
                       expires_on=TODAY + timedelta(days=days_left))
        names[name] = certificate.trainee_id
    uninsured = _healthy_worker(make, name="未投保")
    lists = watchlist.insurance_watchlist(TODAY)
    assert [row.trainee.name for row in lists["expiring"]] == ["七天", "二十天", "三十天"]
    assert [row.trainee.name for row in lists["expired"]] == ["过期"]
    reminders = watchlist.insurance_reminders(TODAY)
    assert [(row.trainee.name, row.reminder) for row in reminders] == [
        ("七天", 7), ("二十天", 30), ("三十天", 30)]  # as for health certificates
    login(client, make.user("staff"))
    page = client.get("/certificates/insurance").get_data(as_text=True)
    assert "七天" in page and "过期" in page and "未投保" not in page and "很久" not in page
    csv = client.get("/certificates/insurance/reminders.csv")
    text = csv.data.decode("utf-8-sig")
    assert csv.status_code == 200 and "七天" in text and "很久" not in text and "过期" not in text
    assert uninsured.trainee_id not in names.values()


def test_the_insurance_list_runs_a_fixed_number_of_queries(client, make):
    def add(count):
        for index in range(count):
            certificate = _healthy_worker(make)
            make.insurance(certificate.trainee, starts_on=TODAY - timedelta(days=360),
                           expires_on=TODAY + timedelta(days=index % 40 - 5))
            make.background_check(certificate.trainee, status="pending")

    add(3)
    login(client, make.user("staff"))
    client.get("/certificates/insurance")
    counts = []
    for more in (0, 15):
        add(more)
        statements = []
        listener = lambda *args, statements=statements: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        assert client.get("/certificates/insurance").status_code == 200
        event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- what the public sees ------------------------------------------------------------------------


def test_the_public_sees_a_status_and_a_date_never_the_documents(client, make):
    certificate = _healthy_worker(make)
    trainee = certificate.trainee
    make.background_check(trainee, status="passed", valid_until=TODAY + timedelta(days=100),
                          reference="WFZ-SECRET-1", issuer="城关派出所")
    make.insurance(trainee, policy_number="PZ-SECRET-2", insurer="某某保险",
                   starts_on=TODAY - timedelta(days=10))
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "背景核查" in page and "已核查，有效期至" in page
    assert "从业责任保险" in page and "已投保，有效期至" in page
    for secret in ("WFZ-SECRET-1", "城关派出所", "PZ-SECRET-2", "某某保险"):
        assert secret not in page
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").json
    assert body["background_check"] == "cleared" and body["liability_insurance"] == "valid"
    assert body["liability_insurance_valid_until"] == rules.insurance_expiry_default(
        TODAY - timedelta(days=10)).isoformat()
    assert body["background_check_valid_until"] == (TODAY + timedelta(days=100)).isoformat()
    assert "PZ-SECRET-2" not in str(body) and "WFZ-SECRET-1" not in str(body)


def test_the_public_is_not_told_a_check_failed(client, make):
    certificate = _healthy_worker(make)
    make.background_check(certificate.trainee, status="failed", note="有前科")
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "不可上岗" in page and "无有效背景核查" in page and "无有效核查记录" in page
    assert "未通过" not in page and "有前科" not in page
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").json
    assert body["duty_reason"] == "background_not_cleared"
    assert body["background_check"] == "not_cleared"


def test_nothing_about_them_shows_when_none_is_on_file(client, make):
    certificate = _healthy_worker(make)
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert "背景核查" not in page and "从业责任保险" not in page
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").json
    assert body["background_check"] is None and body["liability_insurance"] is None
