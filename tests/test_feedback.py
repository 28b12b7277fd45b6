"""Customer feedback: staff entries, the single-use employer link and QR code, and the figures."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import Feedback, FeedbackLink
from traincenter.placement import feedback as customer_feedback
from traincenter.placement import figures

TODAY = date.today()
ZH = {"Accept-Language": "zh-CN"}


def feedback_count(placement_id=None) -> int:
    query = select(func.count(Feedback.id))
    if placement_id is not None:
        query = query.where(Feedback.placement_id == placement_id)
    return db.session.scalar(query)


@pytest.fixture
def placed(make):
    """A placement of a worker called 王秀英."""
    trainee = make.trainee(name="王秀英")
    return make.placement(trainee, job_type="住家保姆")


# -- the employer's link ----------------------------------------------------------------------


def test_feedback_link_works_once(client, make, placed):
    link = make.feedback_link(placed)
    page = client.get(f"/placement/feedback/{link.token}", headers=ZH)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "王*英" in html and "王秀英" not in html  # masked name only
    assert placed.trainee.id_number not in html and (placed.trainee.phone or "x") not in html

    response = client.post(f"/placement/feedback/{link.token}",
                           data={"rating": "4", "comment": "做饭好吃", "given_by": "李女士"},
                           headers=ZH)
    assert response.status_code == 200 and "感谢您的评价" in response.get_data(as_text=True)
    db.session.expire_all()
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.placement_id, feedback.rating, feedback.channel) == (placed.id, 4, "link")
    assert feedback.comment == "做饭好吃" and feedback.given_on == TODAY
    link = db.session.get(FeedbackLink, link.id)
    assert link.used_at is not None and link.feedback_id == feedback.id

    again = client.get(f"/placement/feedback/{link.token}", headers=ZH)
    assert again.status_code == 410 and "已经用过" in again.get_data(as_text=True)
    resend = client.post(f"/placement/feedback/{link.token}", data={"rating": "1"}, headers=ZH)
    assert resend.status_code == 410
    assert feedback_count() == 1


def test_feedback_link_works_only_for_its_placement(client, make, placed):
    other = make.placement(make.trainee(), job_type="钟点工")
    link = make.feedback_link(placed)
    make.feedback_link(other)
    client.post(f"/placement/feedback/{link.token}",
                data={"rating": "2", "placement_id": str(other.id)})
    assert feedback_count(placed.id) == 1
    assert feedback_count(other.id) == 0


def test_unknown_token_gives_a_clear_404_page(client):
    response = client.get("/placement/feedback/" + "x" * 32, headers=ZH)
    assert response.status_code == 404
    assert "评价链接不存在" in response.get_data(as_text=True)
    assert client.post("/placement/feedback/nope", data={"rating": "5"}).status_code == 404
    assert feedback_count() == 0


def test_expired_link_is_refused(client, make, placed):
    link = make.feedback_link(placed, expires_on=TODAY - timedelta(days=1))
    response = client.post(f"/placement/feedback/{link.token}", data={"rating": "5"}, headers=ZH)
    assert response.status_code == 410 and "已过期" in response.get_data(as_text=True)
    assert feedback_count() == 0
    still_valid = make.feedback_link(placed, expires_on=TODAY)
    assert client.get(f"/placement/feedback/{still_valid.token}").status_code == 200


@pytest.mark.parametrize("rating", ["", "0", "6", "abc"])
def test_link_form_without_a_valid_rating_saves_nothing(client, make, placed, rating):
    link = make.feedback_link(placed)
    response = client.post(f"/placement/feedback/{link.token}", data={"rating": rating}, headers=ZH)
    assert response.status_code == 200 and "请选择 1 到 5 分" in response.get_data(as_text=True)
    assert feedback_count() == 0
    db.session.expire_all()
    assert db.session.get(FeedbackLink, link.id).used_at is None


def test_a_used_link_cannot_be_claimed_twice_by_a_stale_copy(make, placed):
    link = make.feedback_link(placed)
    stale = customer_feedback.usable_link(link.token)
    assert stale.placement.id == placed.id
    db.session.expunge(stale)  # the copy a second, simultaneous request loaded
    customer_feedback.submit_link_feedback(customer_feedback.usable_link(link.token), {"rating": 5})
    assert stale.used_at is None
    with pytest.raises(customer_feedback.LinkUnavailable):
        customer_feedback.submit_link_feedback(stale, {"rating": 1})
    assert feedback_count() == 1


def test_feedback_form_is_rate_limited(client, make, placed):
    link = make.feedback_link(placed)
    statuses = [client.get(f"/placement/feedback/{link.token}").status_code for _ in range(25)]
    assert statuses[0] == 200 and 429 in statuses


# -- staff: links, QR code, recorded feedback -------------------------------------------------


def test_staff_make_a_link_and_print_its_qr_code(client, login_as, placed):
    login_as("staff")
    response = client.post(f"/placement/placements/{placed.id}/links", data={"valid_days": "30"})
    assert response.status_code == 302
    link = db.session.scalar(select(FeedbackLink))
    assert len(link.token) >= 32 and link.expires_on == TODAY + timedelta(days=30)
    assert link.placement_id == placed.id
    slip = client.get(response.headers["Location"], headers=ZH).get_data(as_text=True)
    assert f"/placement/feedback/{link.token}" in slip and "王*英" in slip
    svg = client.get(f"/placement/links/{link.token}/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data
    client.post(f"/placement/placements/{placed.id}/links", data={"valid_days": "0"})
    tokens = {lk.token: lk.expires_on for lk in db.session.scalars(select(FeedbackLink))}
    assert len(tokens) == 2 and None in tokens.values()


def test_staff_record_feedback(client, login_as, placed):
    login_as("staff")
    response = client.post(f"/placement/placements/{placed.id}/feedback", data={
        "rating": "3", "comment": "打扫不够仔细", "given_on": TODAY.isoformat(),
        "given_by": "张先生"})
    assert response.status_code == 302
    feedback = db.session.scalar(select(Feedback))
    assert (feedback.rating, feedback.channel, feedback.given_by) == (3, "staff", "张先生")
    assert feedback.recorded_by_id is not None
    page = client.get(f"/placement/placements/{placed.id}").get_data(as_text=True)
    assert "打扫不够仔细" in page


@pytest.mark.parametrize("data, words", [
    ({"rating": "6"}, "请选择 1 到 5 分"),
    ({"rating": "4", "given_on": (TODAY + timedelta(days=1)).isoformat()}, "日期不能晚于今天"),
    ({"rating": "4", "given_on": "2000-01-01"}, "评价日期不能早于上岗日期"),
])
def test_bad_staff_feedback_is_refused(client, login_as, placed, data, words):
    login_as("staff")
    data.setdefault("given_on", TODAY.isoformat())
    response = client.post(f"/placement/placements/{placed.id}/feedback", data=data, headers=ZH)
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert feedback_count() == 0


# -- figures on a small, hand-computed data set -----------------------------------------------


def certify(make, track, issued_on, revoked=False):
    cert = make.certified()
    cert.track, cert.issued_on = track, issued_on
    if revoked:
        cert.revoked_at = datetime(issued_on.year, 12, 1)
    db.session.commit()
    return cert.trainee


def test_figures_equal_hand_computed_values(make):
    year = 2025
    care, infant, empty = (make.track(name="养老护理"), make.track(name="育婴师"),
                           make.track(name="母婴护理"))
    # 养老护理, certified in 2025: A, B, C, D; E revoked (not counted); F certified in 2024.
    a = certify(make, care, date(2025, 3, 1))
    b = certify(make, care, date(2025, 6, 1))
    c = certify(make, care, date(2025, 9, 1))
    certify(make, care, date(2025, 10, 1))  # D: never placed
    e = certify(make, care, date(2025, 4, 1), revoked=True)
    f = certify(make, care, date(2024, 5, 1))
    # A: two placements after the certificate, ratings 5 and 3 on the first; contract on one.
    pa1 = make.placement(a, starts_on=date(2025, 3, 10), ends_on=date(2025, 8, 31),
                         contract_registered=True, contract_registered_on=date(2025, 3, 12))
    pa2 = make.placement(a, starts_on=date(2026, 1, 5))
    make.feedback(pa1, rating=5, given_on=date(2025, 5, 1))
    make.feedback(pa1, rating=3, given_on=date(2025, 8, 1))
    make.feedback(pa2, rating=4, given_on=date(2026, 2, 1))
    # B: placed before the certificate only (not counted); C: placed after, rated 2.
    pb = make.placement(b, starts_on=date(2025, 5, 1), ends_on=date(2025, 5, 30))
    make.feedback(pb, rating=5, given_on=date(2025, 5, 20))
    pc = make.placement(c, starts_on=date(2025, 9, 2), contract_registered=True,
                        contract_registered_on=date(2025, 9, 2))
    make.feedback(pc, rating=2, given_on=date(2025, 10, 1))
    make.placement(e, starts_on=date(2025, 5, 1))  # revoked: not counted
    make.placement(f, starts_on=date(2025, 5, 1))  # certified in 2024: not in 2025
    # 育婴师: G certified in 2025 and placed, no feedback.
    g = certify(make, infant, date(2025, 2, 1))
    make.placement(g, starts_on=date(2025, 2, 15))
    assert empty.id  # 母婴护理: nobody certified, so no row

    rows, total = figures.figures(year)
    by_name = {row.track.name: row for row in rows}
    assert set(by_name) == {"养老护理", "育婴师"}
    care_row = by_name["养老护理"]
    assert (care_row.certified, care_row.placed) == (4, 2)  # A, B, C, D; A and C
    assert care_row.placement_rate == pytest.approx(0.5)
    # Placements started in 2025 by holders of a standing 养老护理 certificate at the start:
    # A's first, C's, and F's (certified in 2024); not B's (before B's certificate) nor E's.
    assert (care_row.placements, care_row.contracts_registered) == (3, 2)
    assert care_row.contract_rate == pytest.approx(2 / 3)
    # Feedback given in 2025 on those workers' placements: 5 and 3 (A), 2 (C).
    assert sorted(care_row.ratings) == [2, 3, 5]
    assert care_row.average_rating == pytest.approx(10 / 3)
    assert care_row.satisfaction_rate == pytest.approx(1 / 3)
    infant_row = by_name["育婴师"]
    assert (infant_row.certified, infant_row.placed, infant_row.placements) == (1, 1, 1)
    assert infant_row.placement_rate == pytest.approx(1.0)
    assert infant_row.average_rating is None and infant_row.satisfaction_rate is None
    assert infant_row.contracts_registered == 0 and infant_row.contract_rate == 0
    # The total counts everything once, as the annual report does.
    assert (total.certified, total.placed) == (5, 3)  # A, C and G placed
    assert total.placement_rate == pytest.approx(0.6)
    assert (total.placements, total.contracts_registered) == (6, 2)
    assert sorted(total.ratings) == [2, 3, 5, 5]  # B's 5 counts here; A's 2026 rating does not
    assert total.average_rating == pytest.approx(3.75)
    assert total.satisfaction_rate == pytest.approx(0.5)


def test_figures_with_nothing_to_divide_by(client, make, login_as):
    rows, total = figures.figures(1999)
    assert rows == [] and total.certified == 0
    assert total.placement_rate is None and total.average_rating is None
    assert total.satisfaction_rate is None and total.contract_rate is None
    track = make.track(name="一般家政服务")
    certify(make, track, date(TODAY.year, 1, 2))
    rows, total = figures.figures(TODAY.year)
    assert rows[0].placement_rate == 0 and rows[0].satisfaction_rate is None
    assert rows[0].contract_rate is None
    login_as("staff")
    html = client.get(f"/placement/figures?year={TODAY.year}", headers=ZH).get_data(as_text=True)
    assert "0.0%" in html and "—" in html and "上岗率 = 上岗人数 ÷ 获证人数" in html


def test_figures_page_shows_the_chosen_year(client, make, login_as):
    login_as("staff")
    track = make.track(name="育婴师")
    trainee = certify(make, track, date(TODAY.year - 1, 6, 1))
    make.feedback(make.placement(trainee, starts_on=date(TODAY.year - 1, 7, 1)), rating=5,
                  given_on=date(TODAY.year - 1, 8, 1))
    html = client.get(f"/placement/figures?year={TODAY.year - 1}").get_data(as_text=True)
    assert "育婴师" in html and "100.0%" in html and "5.00" in html
    # An unknown year falls back to the newest one instead of failing.
    assert client.get("/placement/figures?year=abc").status_code == 200


def test_link_expiry_must_be_positive(make, placed):
    staff = make.user("staff")
    with pytest.raises(DomainError):
        customer_feedback.create_feedback_link(placed, 0, staff)
    assert customer_feedback.create_feedback_link(placed, None, staff).expires_on is None


def test_figures_run_a_fixed_number_of_queries(make):
    from .test_placement import CountQueries

    track = make.track()

    def add(n):
        for _ in range(n):
            trainee = certify(make, track, date(2025, 3, 1))
            make.feedback(make.placement(trainee, starts_on=date(2025, 4, 1)), rating=4,
                          given_on=date(2025, 5, 1))

    add(1)
    with CountQueries() as few:
        figures.figures(2025)
    add(10)
    with CountQueries() as many:
        rows, total = figures.figures(2025)
    assert total.certified == 11 and total.placed == 11 and total.satisfaction_rate == 1
    assert many.count == few.count


def test_cli_prints_the_same_figures(runner, make):
    track = make.track(name="养老护理")
    trainee = certify(make, track, date(2025, 3, 1))
    certify(make, track, date(2025, 4, 1))
    make.feedback(make.placement(trainee, starts_on=date(2025, 4, 1), contract_registered=True,
                                 contract_registered_on=date(2025, 4, 1)),
                  rating=5, given_on=date(2025, 5, 1))
    result = runner.invoke(args=["report", "placements", "--year", "2025"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].split("\t")[:3] == ["专业方向", "获证人数", "上岗人数"]  # Chinese by default
    assert lines[1].split("\t") == ["养老护理", "2", "1", "50.0%", "1", "5.00", "100.0%", "1/1"]
    assert lines[2].startswith("合计（全部专业）\t2\t1\t50.0%")
    empty = runner.invoke(args=["report", "placements", "--year", "1999"])
    assert empty.output.strip().splitlines()[1] == "合计（全部专业）\t0\t0\t—\t0\t—\t—\t0/0"
    english = runner.invoke(args=["report", "placements", "--year", "2025", "--lang", "en"])
    assert english.exit_code == 0, english.output
    lines = english.output.strip().splitlines()
    assert lines[0].startswith("Track\tCertified in the year\tPeople placed\tPlacement rate")
    assert lines[2].startswith("Total, all tracks\t2\t1\t50.0%")


def test_link_form_works_with_csrf_protection_on(app, client, make, placed):
    import re

    app.config["WTF_CSRF_ENABLED"] = True
    link = make.feedback_link(placed)
    url = f"/placement/feedback/{link.token}"
    stale = client.post(url, data={"rating": "5"}, headers=ZH)
    assert stale.status_code == 400 and "页面已过期" in stale.get_data(as_text=True)
    assert 'name="csrf_token"' in stale.get_data(as_text=True)  # a fresh form to send again
    assert feedback_count() == 0
    page = client.get(url).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(url, data={"rating": "5", "csrf_token": token}, headers=ZH)
    assert response.status_code == 200 and "感谢您的评价" in response.get_data(as_text=True)
    assert feedback_count(placed.id) == 1


def test_staff_post_without_csrf_token_is_refused(app, client, login_as, placed):
    login_as("staff")
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/placement/placements/{placed.id}/feedback",
                           data={"rating": "5", "given_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert feedback_count() == 0
