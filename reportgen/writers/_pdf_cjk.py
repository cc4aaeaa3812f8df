"""Line breaking for CJK paragraphs with kinsoku rules.

reportlab's own CJK wrapping hangs at most one closing mark and ignores
opening brackets at line ends, and it cuts Latin words in half. This
Paragraph subclass breaks lines itself: never before a closing mark, never
after an opening one, and never inside a run of Latin letters or digits
unless that run is longer than a whole line.
"""

from __future__ import annotations

from reportlab.platypus.paragraph import (
    ParaLines,
    _handleBulletWidth,
    cjkU,
    makeCJKParaLine,
)
from reportlab.rl_config import _FUZZ

from ._pdf_bold import BoldableParagraph
from ._pdf_fonts import is_cjk

#: may not begin a line (closing marks, stops, small kana, iteration marks)
NO_LINE_START = frozenset(
    "，。、；：？！）》」』〉】〕］｝’”…‥・ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "%‰℃°′″!),.:;?]}"
)
#: may not end a line (opening marks)
NO_LINE_END = frozenset("（《「『〈【〔［｛‘“([{")


def _joins_word(left: str, right: str) -> bool:
    """True inside a Latin word or number, where no break may fall."""

    def wordy(ch: str) -> bool:
        return bool(ch) and not ch.isspace() and not is_cjk(ch)

    return wordy(left) and wordy(right)


def _is_legal(units: list[cjkU], pos: int) -> bool:
    """May a line end just before ``units[pos]``?"""
    left, right = str(units[pos - 1]), str(units[pos])
    if right in NO_LINE_START or left in NO_LINE_END:
        return False
    return not _joins_word(left, right)


def _fill(units: list[cjkU], start: int, width: float) -> tuple[int, bool]:
    """Index after the last unit that fits from ``start``; and whether an
    explicit line break ended the line."""
    used = 0.0
    for i in range(start, len(units)):
        unit = units[i]
        if hasattr(unit.frag, "lineBreak"):
            return i + 1, True
        used += unit.width
        if used > width + _FUZZ and i > start:
            return i, False
    return len(units), False


def _break_at(units: list[cjkU], start: int, end: int) -> int:
    """The last legal break at or before ``end``; ``end`` itself when none
    exists (an overlong word must still be cut somewhere)."""
    for pos in range(end, start, -1):
        if _is_legal(units, pos):
            return pos
    return end


def _units(frags: list) -> list[cjkU]:
    units: list[cjkU] = []
    for frag in frags:
        text = frag.text if hasattr(frag, "text") else ""
        if text:
            units.extend(cjkU(ch, frag, "utf8") for ch in text)
        else:  # <br/> and zero-width callbacks keep their own unit
            units.append(cjkU("", frag, "utf8"))
    return units


def split_lines(frags: list, max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Lines for ``frags`` under the kinsoku rules above."""
    units = _units(frags)
    lines: list = []
    start = 0
    while start < len(units):
        width = max_widths[min(len(lines), len(max_widths) - 1)]
        end, hard = _fill(units, start, width)
        if not hard and end < len(units):
            end = _break_at(units, start, end)
        used = sum(u.width for u in units[start:end])
        lines.append(
            makeCJKParaLine(units[start:end], width, used, width - used, hard, calc_bounds)
        )
        start = end
        # a space at the break belongs to neither line
        while start < len(units) and str(units[start]) == " ":
            start += 1
    return ParaLines(kind=1, lines=lines)


class KinsokuParagraph(BoldableParagraph):
    """A Paragraph whose CJK wrapping follows the rules above."""

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        maxWidths = list(maxWidths)
        self.height = 0
        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara  # the remainder of a split keeps its lines
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split_lines(self.frags, maxWidths, auto_leading not in ("", "off"))
