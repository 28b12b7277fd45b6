"""The dashboard's small chart: the geometry of a grouped bar chart, drawn as inline SVG by the
template (no script, no inline style: the CSP allows it; colours come from app.css classes)."""

from __future__ import annotations

import math
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 62, 8, 14, 34  # room for the value axis and the month labels


@dataclass(frozen=True)
class Bar:
    """One bar: where it is drawn, its series (0 or 1) and its value (the tooltip)."""

    x: float
    y: float
    width: float
    height: float
    series: int
    value: int


@dataclass(frozen=True)
class Tick:
    """A line of the value axis with its label."""

    y: float
    value: int


def nice_top(peak: int) -> int:
    """The top of the value axis: 1, 2, 2.5 or 5 times a power of ten, at least ``peak``."""
    if peak <= 0:
        return 1
    power = 10 ** math.floor(math.log10(peak))
    for step in (1, 2, 2.5, 5, 10):
        if peak <= step * power:
            return max(1, math.ceil(step * power))
    return peak  # pragma: no cover - the loop always returns


def grouped_bars(groups: list[tuple[str, int, int]]) -> dict:
    """The geometry of ``groups`` (label, first value, second value): bars, ticks, labels."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = nice_top(max([max(a, b) for _label, a, b in groups] or [0]))
    slot = plot_width / max(1, len(groups))
    bar_width = slot * 0.36
    bars, labels = [], []
    for index, (text, *values) in enumerate(groups):
        start = LEFT + index * slot + slot * 0.14
        for series, value in enumerate(values):
            height = plot_height * value / top
            bars.append(Bar(round(start + series * bar_width, 1), round(TOP + plot_height - height, 1),
                            round(bar_width - 1, 1), round(height, 1), series, value))
        labels.append((round(LEFT + index * slot + slot / 2, 1), text))
    values = [0, top // 2, top] if top % 2 == 0 else [0, top]
    ticks = [Tick(round(TOP + plot_height - plot_height * value / top, 1), value)
             for value in values]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT,
            "baseline": TOP + plot_height, "label_y": HEIGHT - 6, "bars": bars,
            "labels": labels, "ticks": ticks, "empty": not any(bar.value for bar in bars)}
