"""Each report chart renders with Chinese labels in the bundled font and no missing glyph."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale
from matplotlib import font_manager

from traincenter import fonts
from traincenter.extensions import db
from traincenter.reports import charts, data

from .test_report import Y, build


@pytest.fixture
def figures(make):
    build(make)
    return data.annual_figures(db.session, Y, date.today())


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_chart_renders_in_chinese_without_missing_glyphs(app, figures, name):
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        figure = charts.build(name, figures)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            image = charts.png(figure)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []
    assert image.startswith(b"\x89PNG") and len(image) > 5000
    texts = [figure.axes[0].title, *figure.axes[0].get_xticklabels()]
    assert any(any("\u4e00" <= ch <= "\u9fff" for ch in t.get_text()) for t in texts), "no Chinese label"
    for text in texts:
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        assert Path(path).resolve() == fonts.FONT_PATH.resolve()


def test_charts_of_an_empty_year_say_no_data(app):
    figures = data.annual_figures(db.session, Y, date.today())
    with app.test_request_context(), force_locale("zh_Hans_CN"):
        figure = charts.build("trainees_by_month", figures)
        assert any("本年度没有数据" in t.get_text() for t in figure.axes[0].texts)
        charts.png(figure)


def test_unknown_chart_is_refused(figures):
    with pytest.raises(KeyError):
        charts.build("pie_of_everything", figures)
