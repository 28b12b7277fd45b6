"""The staff and instructor dashboards count the work waiting."""

from __future__ import annotations

from datetime import date, timedelta

from traincenter.main.queries import instructor_dashboard, staff_dashboard


def test_staff_dashboard_counts(make):
    enrolment = make.enrolment()
    make.self_study(enrolment, hours=2, status="pending")
    make.result(make.exam(enrolment.training_class), enrolment, 70, 70, status="submitted")
    certificate = make.certified()
    certificate.needs_review = True
    expiring = make.certified()
    make.health(expiring.trainee, issued_on=date.today() - timedelta(days=350))
    fresh = make.certified()
    make.health(fresh.trainee, issued_on=date.today() - timedelta(days=10))
    board = staff_dashboard(date.today())
    assert board["pending_self_study"] == 1
    assert board["results_to_publish"] == 1
    assert board["certificates_to_review"] == 1
    assert board["health_expiring"] == 1
    assert board["trainees"] == 4


def test_health_warning_window_is_a_setting(app, make):
    certified = make.certified()
    make.health(certified.trainee, issued_on=date.today() - timedelta(days=300))
    assert staff_dashboard(date.today())["health_expiring"] == 0
    app.config["HEALTH_WARNING_DAYS"] = 90
    assert staff_dashboard(date.today())["health_expiring"] == 1


def test_instructor_dashboard_is_scoped_to_own_classes(make):
    teacher = make.user("instructor")
    mine = make.enrolment(training_class=make.training_class(instructors=[teacher]))
    other = make.enrolment()
    make.self_study(mine, hours=2, status="pending")
    make.self_study(other, hours=2, status="pending")
    board = instructor_dashboard(teacher, date.today())
    assert board["pending_self_study"] == 1
    assert [c.id for c in board["classes"]] == [mine.training_class.id]


def test_dashboard_page_in_chinese(client, login_as):
    login_as("staff")
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "30 天内到期的健康证" in page and "待审核的自学记录" in page


def test_the_year_figures_are_kept_until_a_write_is_committed(make):
    from traincenter.extensions import db
    from traincenter.models.base import utcnow

    today = date.today()
    first = make.certified()
    counted = staff_dashboard(today)["year"]
    assert staff_dashboard(today)["year"] is counted  # kept: nothing changed
    make.certified()  # committed: the data version moves on
    after = staff_dashboard(today)["year"]
    assert after is not counted and after["certified"] == counted["certified"] + 1
    first.revoked_at = utcnow()  # not committed: counted afresh (it is seen), not kept
    assert staff_dashboard(today)["year"]["certified"] == after["certified"] - 1
    db.session.rollback()
    assert staff_dashboard(today)["year"] is after


def test_the_year_figures_are_the_reports_own(make):
    """The dashboard's first-attempt figures are the annual report's, on the hand-counted year."""
    from traincenter.main.queries import year_figures

    from .report_world import AS_OF, EXPECTED_Y, Y, build

    build(make)
    figures = year_figures(Y, AS_OF)
    assert (figures["takers"], figures["first_passed"]) == (
        EXPECTED_Y["exam_takers"], EXPECTED_Y["first_attempt_passed"])  # 6 and 3
    assert figures["pass_rate"] == EXPECTED_Y["first_attempt_pass_rate"]
