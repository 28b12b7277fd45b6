"""The annual report's charts: matplotlib ``Figure`` objects (never pyplot state), PNG bytes.

Every chart is a pure function of the figures dict made by ``reports.data`` (live or from a
snapshot), so a finalised report redraws exactly. Labels are translated in the current locale;
the bundled CJK font (``traincenter.fonts``) is registered before any figure is built.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from matplotlib.figure import Figure

from .. import fonts, rules
from ..i18n import label
from . import definitions

fonts.setup_matplotlib()

BLUE, ORANGE, GREEN, GREY = "#1f5f99", "#e07b1a", "#2e8b57", "#9aa5b1"
SIZE = (7.0, 4.0)
DPI = 110


def _figure() -> tuple[Figure, object]:
    figure = Figure(figsize=SIZE, dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _label_bars(axes, bars, values, fmt: Callable[[float], str] = lambda v: f"{v:g}") -> None:
    for bar, value in zip(bars, values, strict=True):
        axes.annotate("—" if value is None else fmt(value), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                      ha="center", va="bottom", fontsize=9, xytext=(0, 2), textcoords="offset points")


def _no_data(axes, values) -> None:
    if not any(values):
        axes.text(0.5, 0.5, _("No data for this year"), ha="center", va="center",
                  transform=axes.transAxes, color=GREY, fontsize=14)


def trainees_by_month(figures: dict) -> Figure:
    """Trainees per month of class start."""
    figure, axes = _figure()
    months = [_("Month %(month)s", month=row["month"]) for row in figures["by_month"]]
    values = [row["trainees"] for row in figures["by_month"]]
    bars = axes.bar(months, values, color=BLUE)
    _label_bars(axes, bars, values)
    axes.set_title(_("Trainees per month (by class start), %(year)s", year=figures["year"]))
    axes.set_ylabel(_("Number of trainees"))
    _no_data(axes, values)
    return figure


def pass_rates_by_track(figures: dict) -> Figure:
    """First-attempt and final pass rates side by side, per track."""
    figure, axes = _figure()
    rows = figures["by_track"]
    names = [row["track"] for row in rows]
    positions = list(range(len(rows)))
    width = 0.38
    # A track with no exam takers has no rate: its bars stay empty and read "—", never "0%".
    first = [None if row["first_attempt_pass_rate"] is None else row["first_attempt_pass_rate"] * 100
             for row in rows]
    final = [None if row["final_pass_rate"] is None else row["final_pass_rate"] * 100 for row in rows]
    bars1 = axes.bar([p - width / 2 for p in positions], [v or 0 for v in first], width, color=BLUE,
                     label=_("First-attempt pass rate"))
    bars2 = axes.bar([p + width / 2 for p in positions], [v or 0 for v in final], width, color=GREEN,
                     label=_("Final pass rate"))
    _label_bars(axes, bars1, first, lambda v: f"{v:.0f}%")
    _label_bars(axes, bars2, final, lambda v: f"{v:.0f}%")
    axes.set_xticks(positions, names)
    axes.set_ylim(0, 125)
    axes.set_ylabel("%")
    axes.set_title(_("Pass rates by track, %(year)s", year=figures["year"]))
    if rows:
        axes.legend(loc="upper center", ncols=2, fontsize=9, frameon=False)
    _no_data(axes, [row["exam_takers"] for row in rows])
    return figure


def _scores(figures: dict, part: str) -> Figure:
    figure, axes = _figure()
    rows = figures["score_distribution"][part]
    values = [row["count"] for row in rows]
    # The year's exams' own pass marks (one value unless the setting changed during the year).
    marks = figures.get("pass_marks", {}).get(part) or [rules.PASS_MARK]
    # A bin is orange when every score in it fails (bins are ten points wide: "50-59", "90-100").
    colours = [ORANGE if int(row["bin"].split("-")[0]) + 10 <= min(marks) else BLUE for row in rows]
    bars = axes.bar([row["bin"] for row in rows], values, color=colours)
    _label_bars(axes, bars, values)
    axes.set_title(_("%(part)s scores, %(year)s (below %(mark)s = fail)", part=label("part", part),
                     year=figures["year"], mark="/".join(format(m, "g") for m in marks)))
    axes.set_xlabel(_("Score"))
    axes.set_ylabel(_("Candidates"))
    _no_data(axes, values)
    return figure


def theory_scores(figures: dict) -> Figure:
    """The theory scores in bins of ten points."""
    return _scores(figures, "theory")


def practical_scores(figures: dict) -> Figure:
    """The practical scores in bins of ten points."""
    return _scores(figures, "practical")


def funnel(figures: dict) -> Figure:
    """Trained, passed, certified, placed: from training to work."""
    figure, axes = _figure()
    steps = [(_("Trained"), figures["trained"]), (_("Passed (final)"), figures["final_passed"]),
             (_("Certified"), figures["certified"]), (_("Placed"), figures["placed"])]
    names = [name for name, _value in steps][::-1]
    values = [value for _name, value in steps][::-1]
    bars = axes.barh(names, values, color=[GREEN, ORANGE, BLUE, BLUE][::-1])
    for bar, value in zip(bars, values, strict=True):
        axes.annotate(f"{value}", (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                      va="center", xytext=(3, 0), textcoords="offset points", fontsize=10)
    axes.set_title(_("From training to work, %(year)s", year=figures["year"]))
    axes.set_xlabel(_("Number of trainees"))
    _no_data(axes, values)
    return figure


def _breakdown(figures: dict, key: str, kind: str | None, title) -> Figure:
    figure, axes = _figure()
    rows = figures[key]
    names = [label(kind, row["key"]) if kind else definitions.age_band_label(row["key"]) for row in rows]
    values = [row["trained"] for row in rows]
    bars = axes.bar(names, values, color=BLUE)
    _label_bars(axes, bars, values)
    axes.set_title(str(title) % {"year": figures["year"]})
    axes.set_ylabel(_("Number of trainees"))
    axes.tick_params(axis="x", labelsize=9)
    _no_data(axes, values)
    return figure


def age_bands(figures: dict) -> Figure:
    """Trainees per age band."""
    figure = _breakdown(figures, "by_age_band", None,
                        _l("Trainees by age band, %(year)s"))
    figure.axes[0].set_xlabel(_("Age on %(date)s", date=figures["age_reference_on"]))
    return figure


def education(figures: dict) -> Figure:
    """Trainees per level of education."""
    return _breakdown(figures, "by_education", "education", _l("Trainees by education, %(year)s"))


def year_over_year(figures: dict) -> Figure:
    """The main counts of this year beside last year's."""
    figure, axes = _figure()
    previous = figures["previous_year"]
    keys = [("trained", _("Trained")), ("exam_takers", _("Exam takers")),
            ("certified", _("Certified")), ("placed", _("Placed")), ("retrained", _("Retrained"))]
    positions = list(range(len(keys)))
    width = 0.38
    before = [previous[key] for key, _name in keys]
    now = [figures[key] for key, _name in keys]
    bars1 = axes.bar([p - width / 2 for p in positions], before, width, color=GREY,
                     label=str(previous["year"]))
    bars2 = axes.bar([p + width / 2 for p in positions], now, width, color=BLUE,
                     label=str(figures["year"]))
    _label_bars(axes, bars1, before)
    _label_bars(axes, bars2, now)
    axes.set_xticks(positions, [name for _key, name in keys])
    axes.set_title(_("%(year)s compared with %(previous)s", year=figures["year"],
                     previous=previous["year"]))
    axes.legend(fontsize=9)
    _no_data(axes, before + now)
    return figure


CHARTS: dict[str, tuple[Callable[[dict], Figure], object]] = {
    "trainees_by_month": (trainees_by_month, _l("Trainees per month")),
    "pass_rates_by_track": (pass_rates_by_track, _l("Pass rates by track")),
    "theory_scores": (theory_scores, _l("Theory score distribution")),
    "practical_scores": (practical_scores, _l("Practical score distribution")),
    "funnel": (funnel, _l("From training to work")),
    "age_bands": (age_bands, _l("Trainees by age band")),
    "education": (education, _l("Trainees by education")),
    "year_over_year": (year_over_year, _l("This year and last year")),
}


def build(name: str, figures: dict) -> Figure:
    """The chart ``name`` (a key of ``CHARTS``) for ``figures``; KeyError for an unknown name."""
    return CHARTS[name][0](figures)


def png(figure: Figure) -> bytes:
    """A figure as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def render(name: str, figures: dict) -> bytes:
    """The chart ``name`` as PNG bytes."""
    return png(build(name, figures))


def render_all(figures: dict, key: str | None = None) -> dict[str, tuple[str, bytes]]:
    """Every chart as (caption, PNG), rendered once for the documents (kept under ``key``)."""
    return {name: (str(caption), render_cached(name, figures, key) if key else render(name, figures))
            for name, (_fn, caption) in CHARTS.items()}


_rendered: OrderedDict[tuple, bytes] = OrderedDict()
_rendered_lock = threading.Lock()
RENDERED_KEPT = 96  # 8 charts × 2 languages × a few years


def render_cached(name: str, figures: dict, key: str) -> bytes:
    """The chart as PNG, kept in memory under (``key``, language, chart): ``key`` names the figures
    exactly (``Report.chart_key``), so a kept picture is never out of date."""
    cache_key = (key, str(get_locale()), name)
    with _rendered_lock:
        image = _rendered.get(cache_key)
        if image is not None:
            _rendered.move_to_end(cache_key)
            return image
    image = render(name, figures)
    with _rendered_lock:
        _rendered[cache_key] = image
        while len(_rendered) > RENDERED_KEPT:
            _rendered.popitem(last=False)
    return image
