"""Bar charts: one bar per point on one axis, the largest in the accent.

Numbers on the chart (the axis ticks, a value drawn without its display
text) are written by ``text.formatting.number`` in the chart's language, the
function the brief's text prints numbers with: "2,880" beside English text,
"2880" beside Chinese.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Chart, ChartPoint
from ..text import formatting as fmt
from . import parts
from .figure import Figure, Item, Line, Rect
from .fonts import ChartFonts, Style, measure, wrap

PITCH = 22.0  # row height of a one-line bar label
THICKNESS = 12.0
MIN_BAR = 2.5  # a positive value never shrinks below this, so 1.7 next to 225.5 stays visible


def lay_out(chart: Chart, width: float, names: ChartFonts, primary: str, accent: str) -> Figure:
    """``chart`` as bars, ``width`` points wide."""
    points = chart.points
    if any(p.value < 0 for p in points):
        raise ValueError(f"bar chart {chart.title!r}: values must not be negative")
    items: list[Item] = []
    top = parts.title(items, chart.title, width, names)

    label_style = Style(names.regular, names.cjk, parts.LABEL_SIZE, parts.LABEL_INK, names.italic)
    value_style = Style(names.regular, names.cjk, parts.LABEL_SIZE, parts.INK)
    tick_style = Style(names.regular, names.cjk, parts.TICK_SIZE, parts.MUTED)

    displays = [p.display or value_text(p.value, chart.lang) for p in points]
    display_room = max(measure(d, value_style) for d in displays) + 5.0
    # long display texts in a narrow chart take room from the labels first,
    # so the bars keep at least a quarter of the width
    label_col = min(
        _label_column(points, width, label_style),
        max(width * 0.12, width * 0.75 - 8.0 - display_room),
    )
    labels = [wrap(p.label, label_col, label_style, max_lines=3) for p in points]
    plot_x = label_col + 8.0
    plot_w = max(width - plot_x - display_room, 10.0)

    ticks = axis_ticks(max(p.value for p in points), plot_w, tick_style, chart.lang)
    axis_max = ticks[-1]

    rows = [max(PITCH, len(lines) * parts.LABEL_LEADING + 8.0) for lines in labels]
    bottom = top + sum(rows)

    # gridlines behind the bars, the zero line in front of them
    for tick in ticks[1:]:
        x = plot_x + tick / axis_max * plot_w
        items.append(Line(x, top, x, bottom, parts.GRID, 0.5))

    highlight = _largest_index(points)
    y = top
    rows_data = zip(points, labels, displays, rows, strict=True)
    for i, (point, lines, display, row) in enumerate(rows_data):
        centre = y + row / 2
        length = point.value / axis_max * plot_w
        if point.value > 0:
            length = max(length, MIN_BAR)
            fill = accent if i == highlight else primary
            items.append(Rect(plot_x, centre - THICKNESS / 2, length, THICKNESS, fill))
        first = centre - (len(lines) - 1) * parts.LABEL_LEADING / 2 + 0.35 * parts.LABEL_SIZE
        for j, line in enumerate(lines):
            baseline = first + j * parts.LABEL_LEADING
            items.extend(parts.text(label_col, baseline, line, label_style, "end"))
        baseline = centre + 0.35 * parts.LABEL_SIZE
        items.extend(parts.text(plot_x + length + 4.0, baseline, display, value_style))
        y += row
    items.append(Line(plot_x, top, plot_x, bottom, parts.AXIS, 0.75))

    axis = _Axis(ticks, plot_x, plot_w, bottom, chart.unit, chart.lang)
    height = _axis_labels(items, axis, width, tick_style)
    return Figure(width, height, tuple(items))


def value_text(value: float, lang: str) -> str:
    """A bar's value when the chart gives no display text: as the brief's
    text writes numbers in ``lang``, to two decimals at most."""
    return fmt.number(round(value, 2), lang)


def tick_text(value: float, step: float, lang: str) -> str:
    """A tick value with as many decimals as the step needs (0.025 -> 3),
    so every label of one axis has the same precision; written as the
    brief's text writes numbers in ``lang``."""
    decimals = next((d for d in range(10) if abs(round(step, d) - step) <= step * 1e-9), 9)
    return fmt.number(value, lang, places=decimals)


def _nice_step(maximum: float, ticks: int = 5) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving about ``ticks`` intervals."""
    raw = maximum / ticks
    power: float = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def axis_ticks(maximum: float, plot_w: float, style: Style, lang: str) -> list[float]:
    """Tick values from 0 to a round number at or above ``maximum``: as many
    as five intervals, fewer when their labels would not fit side by side."""
    if maximum < 1e-9:  # all bars (about) zero: any scale will do, and log10 would fail
        return [float(i) for i in range(6)]
    for intervals in (5, 4, 3, 2, 1):
        step = _nice_step(maximum, intervals)
        count = math.ceil(maximum / step - 1e-9)
        ticks = [i * step for i in range(count + 1)]
        widest = max(measure(tick_text(t, step, lang), style) for t in ticks)
        if widest + 6.0 <= plot_w / count:
            return ticks
    return ticks


def _largest_index(points: Sequence[ChartPoint]) -> int | None:
    """The bar to set in the accent colour: a unique maximum among several bars."""
    values = [p.value for p in points]
    top = max(values)
    if len(values) < 2 or values.count(top) > 1 or top <= 0:
        return None
    return values.index(top)


def _label_column(points: Sequence[ChartPoint], width: float, style: Style) -> float:
    """As wide as the longest label, but at most a third of the chart:
    longer labels wrap instead of squeezing the bars."""
    natural = max(measure(p.label, style) for p in points)
    return min(max(natural, width * 0.12), width * 0.32)


@dataclass(frozen=True, slots=True)
class _Axis:
    """The value axis under the plot: its ticks, where the plot stands,
    the unit and the language its numbers are written in."""

    ticks: list[float]
    x: float
    width: float
    bottom: float
    unit: str
    lang: str


def _axis_labels(items: list[Item], axis: _Axis, width: float, style: Style) -> float:
    """Tick values under the plot and the unit after the last one (or on a
    line of its own when there is no room); returns the figure height."""
    baseline = axis.bottom + 3.0 + parts.TICK_SIZE
    ticks = axis.ticks
    step = ticks[1] - ticks[0]
    right = -math.inf
    for tick in ticks:
        label = tick_text(tick, step, axis.lang)
        # centred on its gridline, but pulled in when it would cross the right edge
        x = min(axis.x + tick / ticks[-1] * axis.width, width - measure(label, style) / 2)
        texts = parts.text(x, baseline, label, style, "middle")
        if texts[0].left < right + 4.0:
            continue  # only on a plot too narrow for even two labels: drop, never overlap
        items.extend(texts)
        right = texts[-1].right
    if axis.unit:
        unit_width = measure(axis.unit, style)
        if right + 4.0 + unit_width <= width:
            items.extend(parts.text(right + 4.0, baseline, axis.unit, style))
        else:
            baseline += parts.TICK_SIZE + 3.0
            items.extend(parts.text(axis.x + axis.width, baseline, axis.unit, style, "end"))
    return baseline + 3.0  # room for descenders
