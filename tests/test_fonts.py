"""The bundled CJK font renders Chinese chart labels with no missing glyph."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from matplotlib import font_manager, rcParams
from matplotlib.figure import Figure

from traincenter import fonts


def test_font_file_is_bundled_and_exposed():
    assert fonts.FONT_PATH.is_file()
    assert fonts.FONT_PATH.suffix == ".otf"
    assert fonts.FONT_PATH.stat().st_size > 1_000_000


def test_setup_registers_family_first_and_is_idempotent():
    family = fonts.setup_matplotlib()
    assert family == fonts.setup_matplotlib()
    assert rcParams["font.sans-serif"][0] == family
    assert rcParams["font.sans-serif"].count(family) == 1
    assert rcParams["axes.unicode_minus"] is False
    import matplotlib

    assert matplotlib.get_backend().lower() == "agg"


def test_default_font_lookup_resolves_to_the_bundled_file():
    fonts.setup_matplotlib()
    found = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]),
                                  fallback_to_default=False)
    assert Path(found).resolve() == fonts.FONT_PATH.resolve()


def test_chinese_chart_renders_without_missing_glyphs():
    fonts.setup_matplotlib()
    figure = Figure(figsize=(4, 3))
    axes = figure.add_subplot()
    axes.bar(["家政服务员", "育婴员", "养老护理员"], [12, -3, 7])
    axes.set_title("2025年培训学员（合格率）")
    axes.set_xlabel("工种")
    axes.set_ylabel("人数 −")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    assert buffer.getvalue().startswith(b"\x89PNG")
    used = {Path(text.get_fontproperties().get_file() or
                 font_manager.findfont(text.get_fontproperties())).resolve()
            for text in [axes.title, *axes.get_xticklabels()]}
    assert used == {fonts.FONT_PATH.resolve()}


def test_a_font_without_chinese_would_be_caught():
    """The check above can fail: DejaVu Sans has no CJK glyphs and matplotlib warns."""
    figure = Figure(figsize=(2, 2))
    axes = figure.add_subplot()
    axes.set_title("培训", fontproperties=font_manager.FontProperties(family="DejaVu Sans"))
    with pytest.warns(UserWarning, match="missing from font"):
        figure.savefig(io.BytesIO(), format="png")
