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

from ..layout.script import NO_LINE_END, NO_LINE_START, WORD_JOINER, may_break_between
from ._pdf_bold import BoldableParagraph

__all__ = ["NO_LINE_END", "NO_LINE_START", "KinsokuParagraph", "split_lines"]


def _is_legal(units: list[cjkU], pos: int, glued: frozenset[int]) -> bool:
    """May a line end just before ``units[pos]``? Not where the layout put
    a word joiner (``glued``), nor where the script rules forbid it."""
    if pos in glued:
        return False
    return may_break_between(str(units[pos - 1]), str(units[pos]))


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


def _break_at(units: list[cjkU], start: int, end: int, glued: frozenset[int]) -> int:
    """The last legal break at or before ``end``; ``end`` itself when none
    exists (an overlong word must still be cut somewhere)."""
    for pos in range(end, start, -1):
        if _is_legal(units, pos, glued):
            return pos
    return end


def _units(frags: list) -> tuple[list[cjkU], frozenset[int]]:
    """One unit per character, word joiners left out (they draw nothing);
    and the positions a joiner forbids a break before."""
    units: list[cjkU] = []
    glued: set[int] = set()
    for frag in frags:
        text = frag.text if hasattr(frag, "text") else ""
        if not text:  # <br/> and zero-width callbacks keep their own unit
            units.append(cjkU("", frag, "utf8"))
        for ch in text:
            if ch == WORD_JOINER:
                glued.add(len(units))
            else:
                units.append(cjkU(ch, frag, "utf8"))
    return units, frozenset(glued)


def split_lines(frags: list, max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Lines for ``frags`` under the kinsoku rules above."""
    units, glued = _units(frags)
    lines: list = []
    start = 0
    while start < len(units):
        width = max_widths[min(len(lines), len(max_widths) - 1)]
        end, hard = _fill(units, start, width)
        if not hard and end < len(units):
            end = _break_at(units, start, end, glued)
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
