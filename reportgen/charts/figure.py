"""A laid-out chart: the drawing primitives the back-ends translate.

A ``Figure`` is plain frozen data: a size in points, its items in painting
order (rectangles, lines, circles, single-font text) with coordinates from
the top left corner, y growing downwards, and the font files its text is set
in. Everything a back-end needs is here, so a back-end imports this module
and nothing else of the charts: it never sees a chart definition and never
decides a position, a line break or a font.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

#: where a text run stands against its x: reportlab's textAnchor values
Anchor = Literal["start", "middle", "end"]


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
    'start', 'middle' or 'end' as in SVG and reportlab. ``font`` is the
    name the font is registered under with reportlab (``Figure.fonts``
    gives its file). ``width`` is the measured advance, kept so tests and
    callers can check for overlaps."""

    x: float
    y: float
    text: str
    font: str
    size: float
    fill: str
    anchor: Anchor = "start"
    width: float = 0.0

    @property
    def left(self) -> float:
        return self.x - {"start": 0.0, "middle": self.width / 2, "end": self.width}[self.anchor]

    @property
    def right(self) -> float:
        return self.left + self.width


Item = Rect | Line | Circle | Text


@dataclass(frozen=True, slots=True)
class FontFile:
    """A font a figure's text is set in: its registered ``name`` and the
    TrueType ``path`` (``index``: the face inside a collection)."""

    name: str
    path: Path
    index: int = 0


@dataclass(frozen=True, slots=True)
class Figure:
    """A laid-out chart: ``width`` and ``height`` in points, ``items`` in
    painting order, coordinates from the top left corner. ``fonts`` are
    the chart's fonts, its regular face first: every font a text item
    names is among them."""

    width: float
    height: float
    items: tuple[Item, ...]
    fonts: tuple[FontFile, ...] = ()

    def font_file(self, name: str) -> FontFile:
        """The file of the font registered as ``name``."""
        for font in self.fonts:
            if font.name == name:
                return font
        raise KeyError(f"the figure names font {name!r} but holds no file for it")
