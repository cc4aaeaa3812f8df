"""What every kind of chart is made of: its inks and sizes, text items set
in the chart fonts, and the title at the top."""

from __future__ import annotations

from reportlab.pdfbase import pdfmetrics

from .figure import Anchor, Item, Text
from .fonts import ChartFonts, Settable, Style, runs, wrap

DEFAULT_PRIMARY = "#1F3A5F"
DEFAULT_ACCENT = "#C8102E"

# Restrained greys: dark text for reading, muted for axis furniture.
INK = "#1A1A1A"
LABEL_INK = "#333333"
MUTED = "#6B6B6B"
GRID = "#E1E1E1"
AXIS = "#9A9A9A"
WHITE = "#FFFFFF"

# Sizes in points, chosen to sit just below a 10-11 pt body text.
TITLE_SIZE = 10.0
TITLE_LEADING = 13.0
LABEL_SIZE = 8.5
LABEL_LEADING = 10.5
TICK_SIZE = 7.5
NOTE_SIZE = 8.0
NOTE_LEADING = 10.0
YEAR_SIZE = 8.5


def text(x: float, y: float, line: Settable, style: Style, anchor: Anchor = "start") -> list[Text]:
    """Text primitives for one line: a single item when one font covers it,
    else one start-anchored item per font run, placed by measured widths."""
    pieces = runs(line, style)
    widths = [pdfmetrics.stringWidth(t, f, style.size) for t, f in pieces]
    total = sum(widths)
    if len(pieces) == 1:
        return [Text(x, y, pieces[0][0], pieces[0][1], style.size, style.fill, anchor, total)]
    left = x - {"start": 0.0, "middle": total / 2, "end": total}[anchor]
    items = []
    for (run, font), width in zip(pieces, widths, strict=True):
        items.append(Text(left, y, run, font, style.size, style.fill, "start", width))
        left += width
    return items


def title(items: list[Item], words: str, width: float, names: ChartFonts) -> float:
    """Draw the title at the top; return the y where the chart body starts."""
    if not words.strip():
        return 0.0
    style = Style(names.bold, names.cjk, TITLE_SIZE, INK)
    y = TITLE_SIZE  # baseline of the first line: cap height sits at the top edge
    for line in wrap(words, width, style, max_lines=3):
        items.extend(text(0, y, line, style))
        y += TITLE_LEADING
    return y - TITLE_LEADING + 12.0
