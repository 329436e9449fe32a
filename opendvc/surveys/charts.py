"""Horizontal bar charts drawn on the server as SVG: no script, the same numbers shown in a
table next to them for those who cannot see the chart."""

from dataclasses import dataclass

ROW = 28  # px per bar


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as printed at the bar's end
    y: int
    width: float  # percent of the space left for bars


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int


def bar_chart(title: str, items: list[tuple[str, float]], maximum: float, fmt="{:g}") -> Chart:
    """Bars scaled to `maximum` (the largest possible value, not the largest found, so charts
    of different periods compare)."""
    top = maximum or 1
    bars = [
        Bar(label, value, fmt.format(value), i * ROW, round(max(0.0, value) / top * 100, 2))
        for i, (label, value) in enumerate(items)
    ]
    return Chart(title=title, bars=bars, height=max(ROW, len(bars) * ROW))
