"""Charts: one chart definition drawn identically for the PDF and the Word writer.

The work runs one way. ``compose.layout`` turns a ``model.Chart`` into a
``figure.Figure``: a flat list of drawing primitives (rectangles, lines,
circles, single-font text) in points, origin at the top left, y growing
downwards, with the font files its text is set in. The kinds of chart lay
out their bodies in ``bar`` and ``timeline``, from the shared ``parts``, in
the text and fonts of ``fonts``. The back-ends in ``draw`` receive a figure
and translate it, knowing nothing of charts: ``figure_to_drawing`` into a
reportlab vector ``Drawing`` for the PDF writer, ``figure_to_png`` into PNG
bytes drawn with Pillow for the Word writer (reportlab's renderPM needs
pycairo, which is not available). Because every position and every line
break is decided once, in the layout, the two editions cannot drift.

Text is measured with reportlab's ``pdfmetrics.stringWidth`` on the same
TrueType files Pillow draws with, and Pillow uses its basic layout engine (no
kerning or shaping) so its advances match reportlab's. Characters the sans
font lacks (Chinese, for instance) are split into runs set in the CJK font.
Numbers on a chart are written as the brief's text writes them, in the
chart's language (``text.formatting``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..fonts import HouseFonts
from ..model import Chart
from .compose import WIDTH_DECIMALS, layout
from .draw import figure_to_drawing, figure_to_png, paint
from .figure import Circle, Figure, FontFile, Item, Line, Rect, Text
from .fonts import ChartFonts, register_fonts
from .parts import DEFAULT_ACCENT, DEFAULT_PRIMARY

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing


def to_drawing(
    chart: Chart,
    width: float,
    brand: dict[str, str] | None = None,
    *,
    cjk_font: Path | None = None,
    house: HouseFonts = (),
) -> Drawing:
    """The chart as a reportlab vector Drawing, ``width`` points wide, with
    embedded TrueType fonts; a Platypus flowable. ``house`` and
    ``cjk_font`` are the writer's fonts (``WriterOptions``)."""
    return figure_to_drawing(layout(chart, width, brand, cjk_font=cjk_font, house=house))


def to_png(
    chart: Chart,
    width: float,
    dpi: int = 200,
    brand: dict[str, str] | None = None,
    *,
    cjk_font: Path | None = None,
    house: HouseFonts = (),
) -> bytes:
    """The chart as PNG bytes: ``width`` points wide at ``dpi`` pixels per
    inch, i.e. ``round(width / 72 * dpi)`` pixels, with the dpi recorded."""
    if dpi <= 0:
        raise ValueError(f"dpi must be positive, not {dpi!r}")
    return figure_to_png(layout(chart, width, brand, cjk_font=cjk_font, house=house), dpi)


__all__ = [
    "DEFAULT_ACCENT",
    "DEFAULT_PRIMARY",
    "WIDTH_DECIMALS",
    "ChartFonts",
    "Circle",
    "Figure",
    "FontFile",
    "Item",
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
