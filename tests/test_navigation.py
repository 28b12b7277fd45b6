"""The navigation's current entry, the dashboard chart's geometry, the list parameters."""

from __future__ import annotations

import pytest

from traincenter.main.charts import grouped_bars, nice_top
from traincenter.navigation import NavItem, current_entry
from traincenter.params import arg_choice, arg_text

from .conftest import login

ITEMS = [NavItem(0, "main.index", "", ("staff",)),
         NavItem(60, "certificates.index", "", ("staff",)),
         NavItem(62, "certificates.health_expiring", "", ("staff",)),
         NavItem(30, "training.classes", "", ("staff",)),
         NavItem(32, "training.self_study_queue", "", ("staff",))]


@pytest.mark.parametrize("endpoint, entry", [
    ("certificates.index", "certificates.index"),
    ("certificates.health_new", "certificates.health_expiring"),
    ("certificates.health_class", "certificates.health_expiring"),
    ("certificates.detail", "certificates.index"),
    ("training.class_detail", "training.classes"),
    ("training.attendance_register", "training.classes"),
    ("training.self_study_log", "training.self_study_queue"),
    ("exams.detail", None),
    (None, None),
])
def test_current_entry_marks_the_area_of_a_page(endpoint, entry):
    assert current_entry(ITEMS, endpoint) == entry


@pytest.mark.parametrize("peak, top", [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (180, 200),
                                       (240, 250), (1001, 2000)])
def test_chart_axis_top(peak, top):
    assert nice_top(peak) == top


def test_chart_bars_scale_to_the_axis():
    chart = grouped_bars([("1", 100, 50), ("2", 0, 200)])
    bars = chart["bars"]
    assert [bar.value for bar in bars] == [100, 50, 0, 200]
    assert bars[3].height == pytest.approx(chart["baseline"] - bars[3].y)
    assert bars[0].height == pytest.approx(bars[3].height / 2, abs=0.2)
    assert [tick.value for tick in chart["ticks"]] == [0, 100, 200]
    assert grouped_bars([("1", 0, 0)])["empty"]


def test_list_parameters_keep_known_codes_and_short_clean_text(app):
    with app.test_request_context("/?status=published&kind=%27%3B--&q=%20王%00秀英%0A" + "长" * 60):
        assert arg_choice("status", ("published", "draft")) == "published"
        assert arg_choice("kind", ("first", "reexam"), "first") == "first"
        assert arg_text("q") == "王秀英" + "长" * 37  # 40 characters
        assert arg_text("missing") == ""


def test_pages_link_the_favicon(client, make):
    assert "favicon.svg" in client.get("/auth/login").get_data(as_text=True)
    with client.get("/static/favicon.svg") as svg, client.get("/static/favicon.ico") as ico:
        assert svg.status_code == 200 and b"<svg" in svg.data
        assert ico.data[:4] == b"\x00\x00\x01\x00"  # an .ico file
    login(client, make.user("staff"))
    html = client.get("/training/classes").get_data(as_text=True)
    assert 'class="sidenav"' in html and 'aria-current="page">' in html
