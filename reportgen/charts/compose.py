"""A chart definition (``model.Chart``) laid out as a ``Figure``, once.

The checks every chart passes, the brand colours, the fonts of its text
(the typeface roles of the font layer, a profile's house fonts included)
and a margin on every side are decided here; the kinds of chart lay out
their own body (``bar``, ``timeline``). A layout is kept per chart, width,
colours and fonts, so both writers draw the very same figure.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from ..fonts import HouseFonts
from ..model import Chart
from . import bar, parts, timeline
from .figure import Circle, Figure, Item, Line
from .fonts import ChartFonts, register_fonts

#: decimals of a point a chart's width is rounded to before layout
WIDTH_DECIMALS = 3

#: a margin inside the figure on every side: a glyph's ink may reach past
#: its advance width (and a PNG's last pixel column rounds away), so text
#: set flush with the edge would lose a stroke of its last character
EDGE = 2.0

KINDS = ("bar", "timeline")


def layout(
    chart: Chart,
    width: float,
    brand: dict[str, str] | None = None,
    *,
    cjk_font: Path | None = None,
    house: HouseFonts = (),
) -> Figure:
    """Lay ``chart`` out at ``width`` points; the height follows from the
    content. ``house`` and ``cjk_font`` are the profile's house fonts and
    an explicit CJK file, as the writers get them (``WriterOptions``).
    Raises ValueError for a chart that cannot be drawn."""
    _check(chart, width)
    brand = brand or {}
    colours = (
        _colour(brand.get("primary", parts.DEFAULT_PRIMARY), "primary"),
        _colour(brand.get("accent", parts.DEFAULT_ACCENT), "accent"),
    )
    if chart.chart_type not in KINDS:
        raise ValueError(f"chart {chart.title!r}: unknown chart type {chart.chart_type!r}")
    names = register_fonts(house=house, cjk_font=cjk_font)
    # the writers compute the text width their own way (points from mm in
    # the PDF, EMU in Word): a thousandth of a point makes them one width
    figure, problems = _laid_out(chart, round(width, WIDTH_DECIMALS), colours, names)
    for problem in problems:  # each layout of the chart warns, as if laid out afresh
        warnings.warn(problem.message, problem.category, stacklevel=2)
    return figure


def _check(chart: Chart, width: float) -> None:
    if not chart.points:
        raise ValueError(f"chart {chart.title!r} has no points to draw")
    if not math.isfinite(width) or width <= 0:
        raise ValueError(f"chart width must be a positive number of points, not {width!r}")
    for point in chart.points:
        if not math.isfinite(point.value):
            raise ValueError(
                f"chart {chart.title!r}: value of {point.label.text!r} is not a number"
            )


@lru_cache(maxsize=64)
def _laid_out(
    chart: Chart, width: float, colours: tuple[str, str], names: ChartFonts
) -> tuple[Figure, tuple[warnings.WarningMessage, ...]]:
    """One layout per chart, width, colours and fonts, with the warnings it
    gave: a brief written in both formats lays each chart out once and both
    writers draw the same figure (a Figure is frozen, so sharing is safe)."""
    inner = max(width - 2 * EDGE, 1.0)
    with warnings.catch_warnings(record=True) as problems:
        warnings.simplefilter("always")
        if chart.chart_type == "bar":
            figure = bar.lay_out(chart, inner, names, *colours)
        else:
            figure = timeline.lay_out(chart, inner, names, colours[0])
    return replace(_inset(figure, width), fonts=names.files), tuple(problems)


def _inset(figure: Figure, width: float) -> Figure:
    """``figure`` moved in by the edge margin, in a frame ``width`` wide."""

    def moved(item: Item) -> Item:
        if isinstance(item, Line):
            return replace(
                item, x1=item.x1 + EDGE, y1=item.y1 + EDGE, x2=item.x2 + EDGE, y2=item.y2 + EDGE
            )
        if isinstance(item, Circle):
            return replace(item, cx=item.cx + EDGE, cy=item.cy + EDGE)
        return replace(item, x=item.x + EDGE, y=item.y + EDGE)

    items = tuple(moved(item) for item in figure.items)
    return Figure(width, figure.height + 2 * EDGE, items)


def _colour(value: str, key: str) -> str:
    if not re.fullmatch(r"#(?:[0-9A-Fa-f]{3}){1,2}", value):
        raise ValueError(f"brand colour {key!r} must be '#RRGGBB', not {value!r}")
    if len(value) == 4:  # '#abc' -> '#aabbcc'
        value = "#" + "".join(c * 2 for c in value[1:])
    return value.upper()
