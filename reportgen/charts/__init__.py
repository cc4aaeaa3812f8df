"""Charts: one chart definition drawn identically for the PDF and the Word writer.

``layout`` turns a ``model.Chart`` into a ``Figure``: a flat list of drawing
primitives (rectangles, lines, circles, single-font text) in points, origin at
the top left, y growing downwards. Two small back-ends (``chart_draw``)
translate a figure: ``to_drawing`` into a reportlab vector ``Drawing`` for the PDF writer, and
``to_png`` into PNG bytes drawn with Pillow for the Word writer (reportlab's
renderPM needs pycairo, which is not available). Because every position and
every line break is decided once, in ``layout``, the two editions cannot drift.

Text is measured with reportlab's ``pdfmetrics.stringWidth`` on the same
TrueType files Pillow draws with, and Pillow uses its basic layout engine (no
kerning or shaping) so its advances match reportlab's. Characters the sans
font lacks (Chinese, for instance) are split into runs set in the CJK font.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from reportlab.pdfbase import pdfmetrics

from ..model import Chart, ChartPoint
from .fonts import ChartFonts, register_fonts
from .fonts import Style as _Style
from .fonts import measure as _measure
from .fonts import runs as _runs
from .fonts import wrap as _wrap

if TYPE_CHECKING:  # the back-ends' names, for ``__all__`` (see ``__getattr__``)
    from .draw import figure_to_drawing, figure_to_png, paint, to_drawing, to_png

DEFAULT_PRIMARY = "#1F3A5F"
DEFAULT_ACCENT = "#C8102E"

# Restrained greys: dark text for reading, muted for axis furniture.
_INK = "#1A1A1A"
_LABEL_INK = "#333333"
_MUTED = "#6B6B6B"
_GRID = "#E1E1E1"
_AXIS = "#9A9A9A"
_WHITE = "#FFFFFF"

# Sizes in points, chosen to sit just below a 10-11 pt body text.
_TITLE_SIZE = 10.0
_TITLE_LEADING = 13.0
_LABEL_SIZE = 8.5
_LABEL_LEADING = 10.5
_TICK_SIZE = 7.5
_NOTE_SIZE = 8.0
_NOTE_LEADING = 10.0
_YEAR_SIZE = 8.5

_BAR_PITCH = 22.0  # row height of a one-line bar label
_BAR_THICKNESS = 12.0
_MIN_BAR = 2.5  # a positive value never shrinks below this, so 1.7 next to 225.5 stays visible
_MARKER_RADIUS = 3.5

#: a margin inside the figure on every side: a glyph's ink may reach past
#: its advance width (and a PNG's last pixel column rounds away), so text
#: set flush with the edge would lose a stroke of its last character
_EDGE = 2.0

# --------------------------------------------------------------------------
# Primitives


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    stroke_width: float = 0.5


@dataclass(frozen=True, slots=True)
class Circle:
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str | None = None
    stroke_width: float = 0.0


@dataclass(frozen=True, slots=True)
class Text:
    """One run of text in one font; ``y`` is the baseline, ``anchor`` is
    'start', 'middle' or 'end' as in SVG and reportlab. ``width`` is the
    measured advance, kept so tests and callers can check for overlaps."""

    x: float
    y: float
    text: str
    font: str
    size: float
    fill: str
    anchor: str = "start"
    width: float = 0.0

    @property
    def left(self) -> float:
        return self.x - {"start": 0.0, "middle": self.width / 2, "end": self.width}[self.anchor]

    @property
    def right(self) -> float:
        return self.left + self.width


Item = Rect | Line | Circle | Text


@dataclass(frozen=True, slots=True)
class Figure:
    """A laid-out chart: ``width`` and ``height`` in points, ``items`` in
    painting order, coordinates from the top left corner."""

    width: float
    height: float
    items: tuple[Item, ...]


def _text(x: float, y: float, text: str, style: _Style, anchor: str = "start") -> list[Text]:
    """Text primitives for one line: a single item when one font covers it,
    else one start-anchored item per font run, placed by measured widths."""
    runs = _runs(text, style)
    widths = [pdfmetrics.stringWidth(t, f, style.size) for t, f in runs]
    total = sum(widths)
    if len(runs) == 1:
        return [Text(x, y, runs[0][0], runs[0][1], style.size, style.fill, anchor, total)]
    left = x - {"start": 0.0, "middle": total / 2, "end": total}[anchor]
    items = []
    for (run, font), width in zip(runs, widths, strict=True):
        items.append(Text(left, y, run, font, style.size, style.fill, "start", width))
        left += width
    return items


# --------------------------------------------------------------------------
# Layout


def layout(
    chart: Chart, width: float, brand: dict[str, str] | None = None, *, cjk_font: Path | None = None
) -> Figure:
    """Lay ``chart`` out at ``width`` points; the height follows from the
    content. Raises ValueError for a chart that cannot be drawn."""
    if not chart.points:
        raise ValueError(f"chart {chart.title!r} has no points to draw")
    if not math.isfinite(width) or width <= 0:
        raise ValueError(f"chart width must be a positive number of points, not {width!r}")
    for point in chart.points:
        if not math.isfinite(point.value):
            raise ValueError(f"chart {chart.title!r}: value of {point.label!r} is not a number")
    brand = brand or {}
    colours = (
        _colour(brand.get("primary", DEFAULT_PRIMARY), "primary"),
        _colour(brand.get("accent", DEFAULT_ACCENT), "accent"),
    )
    if chart.chart_type not in ("bar", "timeline"):
        raise ValueError(f"chart {chart.title!r}: unknown chart type {chart.chart_type!r}")
    # the writers compute the text width their own way (points from mm in
    # the PDF, EMU in Word): a thousandth of a point makes them one width
    figure, problems = _laid_out(
        chart, round(width, WIDTH_DECIMALS), colours, register_fonts(cjk_font)
    )
    for problem in problems:  # each layout of the chart warns, as if laid out afresh
        warnings.warn(problem.message, problem.category, stacklevel=2)
    return figure


#: decimals of a point a chart's width is rounded to before layout
WIDTH_DECIMALS = 3


@lru_cache(maxsize=64)
def _laid_out(
    chart: Chart, width: float, colours: tuple[str, str], names: ChartFonts
) -> tuple[Figure, tuple[warnings.WarningMessage, ...]]:
    """One layout per chart, width, colours and fonts, with the warnings it
    gave: a brief written in both formats lays each chart out once and both
    writers draw the same figure (a Figure is frozen, so sharing is safe)."""
    inner = max(width - 2 * _EDGE, 1.0)
    with warnings.catch_warnings(record=True) as problems:
        warnings.simplefilter("always")
        if chart.chart_type == "bar":
            figure = _layout_bar(chart, inner, names, *colours)
        else:
            figure = _layout_timeline(chart, inner, names, colours[0])
    return _inset(figure, width), tuple(problems)


def _inset(figure: Figure, width: float) -> Figure:
    """``figure`` moved in by the edge margin, in a frame ``width`` wide."""

    def moved(item: Item) -> Item:
        if isinstance(item, Line):
            return replace(
                item, x1=item.x1 + _EDGE, y1=item.y1 + _EDGE, x2=item.x2 + _EDGE, y2=item.y2 + _EDGE
            )
        if isinstance(item, Circle):
            return replace(item, cx=item.cx + _EDGE, cy=item.cy + _EDGE)
        return replace(item, x=item.x + _EDGE, y=item.y + _EDGE)

    items = tuple(moved(item) for item in figure.items)
    return Figure(width, figure.height + 2 * _EDGE, items)


def _colour(value: str, key: str) -> str:
    if not re.fullmatch(r"#(?:[0-9A-Fa-f]{3}){1,2}", value):
        raise ValueError(f"brand colour {key!r} must be '#RRGGBB', not {value!r}")
    if len(value) == 4:  # '#abc' -> '#aabbcc'
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.upper()


def _title(items: list[Item], title: str, width: float, names: ChartFonts) -> float:
    """Draw the title at the top; return the y where the chart body starts."""
    if not title.strip():
        return 0.0
    style = _Style(names.bold, names.cjk, _TITLE_SIZE, _INK)
    y = _TITLE_SIZE  # baseline of the first line: cap height sits at the top edge
    for line in _wrap(title, width, style, max_lines=3):
        items.extend(_text(0, y, line, style))
        y += _TITLE_LEADING
    return y - _TITLE_LEADING + 12.0


# ---- bar chart


def _nice_step(maximum: float, ticks: int = 5) -> float:
    """A step of 1, 2, 2.5 or 5 times a power of ten giving about ``ticks`` intervals."""
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _axis_ticks(maximum: float, plot_w: float, style: _Style) -> list[float]:
    """Tick values from 0 to a round number at or above ``maximum``: as many
    as five intervals, fewer when their labels would not fit side by side."""
    if maximum < 1e-9:  # all bars (about) zero: any scale will do, and log10 would fail
        return [float(i) for i in range(6)]
    for intervals in (5, 4, 3, 2, 1):
        step = _nice_step(maximum, intervals)
        count = math.ceil(maximum / step - 1e-9)
        ticks = [i * step for i in range(count + 1)]
        widest = max(_measure(_format_tick(t, step), style) for t in ticks)
        if widest + 6.0 <= plot_w / count:
            return ticks
    return ticks


def _format_tick(value: float, step: float) -> str:
    """A tick value with as many decimals as the step needs (0.025 -> 3),
    so every label of one axis has the same precision."""
    decimals = next((d for d in range(10) if abs(round(step, d) - step) <= step * 1e-9), 9)
    return f"{value:,.{decimals}f}"


def _format_number(value: float) -> str:
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _layout_bar(chart: Chart, width: float, names: ChartFonts, primary: str, accent: str) -> Figure:
    points = chart.points
    if any(p.value < 0 for p in points):
        raise ValueError(f"bar chart {chart.title!r}: values must not be negative")
    items: list[Item] = []
    top = _title(items, chart.title, width, names)

    label_style = _Style(names.regular, names.cjk, _LABEL_SIZE, _LABEL_INK, names.italic)
    value_style = _Style(names.regular, names.cjk, _LABEL_SIZE, _INK)
    tick_style = _Style(names.regular, names.cjk, _TICK_SIZE, _MUTED)

    displays = [p.display or _format_number(p.value) for p in points]
    display_room = max(_measure(d, value_style) for d in displays) + 5.0
    # long display texts in a narrow chart take room from the labels first,
    # so the bars keep at least a quarter of the width
    label_col = min(
        _label_column(points, width, label_style),
        max(width * 0.12, width * 0.75 - 8.0 - display_room),
    )
    labels = [_wrap(p.label, label_col, label_style, max_lines=3) for p in points]
    plot_x = label_col + 8.0
    plot_w = max(width - plot_x - display_room, 10.0)

    ticks = _axis_ticks(max(p.value for p in points), plot_w, tick_style)
    axis_max = ticks[-1]

    rows = [max(_BAR_PITCH, len(lines) * _LABEL_LEADING + 8.0) for lines in labels]
    bottom = top + sum(rows)

    # gridlines behind the bars, the zero line in front of them
    for tick in ticks[1:]:
        x = plot_x + tick / axis_max * plot_w
        items.append(Line(x, top, x, bottom, _GRID, 0.5))

    highlight = _largest_index(points)
    y = top
    rows_data = zip(points, labels, displays, rows, strict=True)
    for i, (point, lines, display, row) in enumerate(rows_data):
        centre = y + row / 2
        length = point.value / axis_max * plot_w
        if point.value > 0:
            length = max(length, _MIN_BAR)
            fill = accent if i == highlight else primary
            items.append(Rect(plot_x, centre - _BAR_THICKNESS / 2, length, _BAR_THICKNESS, fill))
        first = centre - (len(lines) - 1) * _LABEL_LEADING / 2 + 0.35 * _LABEL_SIZE
        for j, line in enumerate(lines):
            items.extend(_text(label_col, first + j * _LABEL_LEADING, line, label_style, "end"))
        baseline = centre + 0.35 * _LABEL_SIZE
        items.extend(_text(plot_x + length + 4.0, baseline, display, value_style))
        y += row
    items.append(Line(plot_x, top, plot_x, bottom, _AXIS, 0.75))

    height = _bar_axis_labels(
        items, ticks, axis_max, plot_x, plot_w, bottom, chart.unit, width, tick_style
    )
    return Figure(width, height, tuple(items))


def _largest_index(points: Sequence[ChartPoint]) -> int | None:
    """The bar to set in the accent colour: a unique maximum among several bars."""
    values = [p.value for p in points]
    top = max(values)
    if len(values) < 2 or values.count(top) > 1 or top <= 0:
        return None
    return values.index(top)


def _label_column(points: Sequence[ChartPoint], width: float, style: _Style) -> float:
    """As wide as the longest label, but at most a third of the chart:
    longer labels wrap instead of squeezing the bars."""
    natural = max(_measure(p.label, style) for p in points)
    return min(max(natural, width * 0.12), width * 0.32)


def _bar_axis_labels(
    items: list[Item],
    ticks: list[float],
    axis_max: float,
    plot_x: float,
    plot_w: float,
    bottom: float,
    unit: str,
    width: float,
    style: _Style,
) -> float:
    """Tick values under the plot and the unit after the last one (or on a
    line of its own when there is no room); returns the figure height."""
    baseline = bottom + 3.0 + _TICK_SIZE
    step = ticks[1] - ticks[0]
    right = -math.inf
    for tick in ticks:
        label = _format_tick(tick, step)
        # centred on its gridline, but pulled in when it would cross the right edge
        x = min(plot_x + tick / axis_max * plot_w, width - _measure(label, style) / 2)
        texts = _text(x, baseline, label, style, "middle")
        if texts[0].left < right + 4.0:
            continue  # only on a plot too narrow for even two labels: drop, never overlap
        items.extend(texts)
        right = texts[-1].right
    if unit:
        unit_width = _measure(unit, style)
        if right + 4.0 + unit_width <= width:
            items.extend(_text(right + 4.0, baseline, unit, style))
        else:
            baseline += _TICK_SIZE + 3.0
            items.extend(_text(plot_x + plot_w, baseline, unit, style, "end"))
    return baseline + 3.0  # room for descenders


# ---- timeline


@dataclass(frozen=True, slots=True)
class _Event:
    x: float
    point: ChartPoint
    above: bool


def _layout_timeline(chart: Chart, width: float, names: ChartFonts, primary: str) -> Figure:
    items: list[Item] = []
    top = _title(items, chart.title, width, names)
    year_style = _Style(names.bold, names.cjk, _YEAR_SIZE, primary)
    note_style = _Style(names.regular, names.cjk, _NOTE_SIZE, _LABEL_INK, names.italic)

    points = sorted(chart.points, key=lambda p: p.value)
    inset = max(_measure(p.label, year_style) for p in points) / 2 + 2.0
    gap = 2 * inset + 6.0
    if (len(points) - 1) * gap > width - 2 * inset:
        fits = int((width - 2 * inset) // gap) + 1
        raise ValueError(
            f"timeline {chart.title!r} has {len(points)} events, but only {fits} fit "
            f"side by side in {width:g} pt; split it or give it more width"
        )
    xs = _spread(_scale(points, inset, width - inset), min_gap=gap, lo=inset, hi=width - inset)
    events = [_Event(x, p, i % 2 == 0) for i, (x, p) in enumerate(zip(xs, points, strict=True))]
    notes = {id(e): _place_note(e, events, width, note_style) for e in events if e.point.note}

    above_lines = max(
        (len(notes[id(e)][1]) for e in events if e.above and id(e) in notes), default=0
    )
    stem = 7.0
    axis_y = top + (above_lines * _NOTE_LEADING + stem if above_lines else 0.0) + _MARKER_RADIUS
    year_base = axis_y + _MARKER_RADIUS + 3.0 + _YEAR_SIZE * 0.75
    below_top = year_base + 3.0 + stem

    items.append(Line(0, axis_y, width, axis_y, _AXIS, 0.75))
    bottom = year_base + 3.0
    for event in events:
        items.append(Circle(event.x, axis_y, _MARKER_RADIUS, primary, _WHITE, 1.0))
        items.extend(_text(event.x, year_base, event.point.label, year_style, "middle"))
        if id(event) not in notes:
            continue
        (x, anchor), lines = notes[id(event)]
        if event.above:
            last = axis_y - _MARKER_RADIUS - stem - 0.25 * _NOTE_SIZE
            first = last - (len(lines) - 1) * _NOTE_LEADING
            items.append(
                Line(
                    event.x,
                    axis_y - _MARKER_RADIUS - 1.0,
                    event.x,
                    axis_y - _MARKER_RADIUS - stem + 2.0,
                    _AXIS,
                    0.5,
                )
            )
        else:
            first = below_top + _NOTE_SIZE * 0.75
            items.append(Line(event.x, year_base + 3.0, event.x, below_top - 1.0, _AXIS, 0.5))
            bottom = max(bottom, first + (len(lines) - 1) * _NOTE_LEADING + 3.0)
        for j, line in enumerate(lines):
            items.extend(_text(x, first + j * _NOTE_LEADING, line, note_style, anchor))
    return Figure(width, bottom, tuple(items))


def _scale(points: Sequence[ChartPoint], lo: float, hi: float) -> list[float]:
    """x positions proportional to the values, between ``lo`` and ``hi``."""
    first, last = points[0].value, points[-1].value
    if last == first:
        return [(lo + hi) / 2] * len(points)
    return [lo + (p.value - first) / (last - first) * (hi - lo) for p in points]


def _spread(xs: list[float], min_gap: float, lo: float, hi: float) -> list[float]:
    """Push markers apart so neighbouring year labels never overlap, keeping
    proportional positions where they allow it. The caller has checked that
    ``min_gap`` spacing fits between ``lo`` and ``hi``."""
    if len(xs) < 2:
        return xs
    out = list(xs)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + min_gap)
    out[-1] = min(out[-1], hi)
    for i in range(len(out) - 2, -1, -1):
        out[i] = min(out[i], out[i + 1] - min_gap)
    return out


def _place_note(
    event: _Event, events: Sequence[_Event], width: float, style: _Style
) -> tuple[tuple[float, str], list[str]]:
    """Wrap a note into the stretch of its side of the axis that no
    neighbour on the same side claims; centre it on the marker where it
    fits, otherwise align it to the edge the marker is near."""
    gutter = 10.0
    side = [e for e in events if e.above == event.above]
    i = next(k for k, e in enumerate(side) if e is event)
    same_side = [e.x for e in side]
    left = (same_side[i - 1] + event.x) / 2 + gutter / 2 if i > 0 else 0.0
    right = (same_side[i + 1] + event.x) / 2 - gutter / 2 if i + 1 < len(same_side) else width
    box = min(right - left, max(120.0, width * 0.34))
    lines = _wrap(event.point.note, box, style, max_lines=4)
    used = max(_measure(line, style) for line in lines)
    if event.x - used / 2 < left:
        return (left, "start"), lines
    if event.x + used / 2 > right:
        return (right, "end"), lines
    return (event.x, "middle"), lines


# --------------------------------------------------------------------------
# Back-ends (in chart_draw, loaded when a chart is first drawn)

_BACK_ENDS = ("figure_to_drawing", "figure_to_png", "paint", "to_drawing", "to_png")


def __getattr__(name: str) -> object:
    """``charts.to_png`` and the other back-ends, from ``chart_draw``: it
    imports this module, so it is loaded on first use, not at import."""
    if name in _BACK_ENDS:
        from . import draw as chart_draw

        return getattr(chart_draw, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ChartFonts",
    "Circle",
    "Figure",
    "Line",
    "Rect",
    "Text",
    "figure_to_drawing",
    "figure_to_png",
    "layout",
    "paint",
    "register_fonts",
    "to_drawing",
    "to_png",
]
