"""Table column widths: one algorithm for both writers.

The usual automatic table layout, measured in columns of text (a Latin
character one column, a CJK character two, see ``script.display_width``):
every column gets at least its longest unbreakable piece (a word, one of
the layout's unbreakable spans, two ideographs) and, space allowing, its
longest line; the width left over goes where the text is. The result is a
share of the
table's width per column, which each writer turns into its own units, so
the PDF's and the .docx's proportions are the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..model import Inline
from ..text.script import NO_BREAK_SPACE, display_width, has_cjk, may_break_between
from .spans import unbreakable

_SPACES = re.compile(r"[^\S\u00a0]+")

Cell = str | tuple[Inline, ...]
"""A cell's content: its inline nodes (whose unbreakable spans stay whole),
or plain text."""

#: a column of text is about this fraction of the font size wide (Latin
#: letters average a little over half an em; digits and bold are wider)
COLUMN_EM = 0.55
#: the cell's left and right margins, in columns
PADDING = 2.5
#: a cell this many columns wide or less (four ideographs) keeps one line
SHORT = 8


def columns_in(width_pt: float, font_size: float) -> float:
    """How many columns of text fit in ``width_pt`` at ``font_size``."""
    return width_pt / (font_size * COLUMN_EM)


def pieces(text: str, glued: frozenset[int] = frozenset()) -> list[str]:
    """``text`` cut wherever a line may break (script rules), spaces
    dropped; never inside a span (``glued``: the places inside one, as
    ``spans.unbreakable`` gives them)."""
    if not glued and not has_cjk(text):  # Latin breaks only at (breaking) spaces
        return [p for p in _SPACES.split(text) if p]
    cjk = has_cjk(text)
    out: list[str] = []
    current = ""
    for i, ch in enumerate(text):
        if i in glued:
            current += ch
            continue
        if ch.isspace() and ch != NO_BREAK_SPACE:
            out.append(current)
            current = ""
            continue
        if cjk and current and may_break_between(current[-1], ch):
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return [p for p in out if p]


#: Latin letters run wider than COLUMN_EM in the sans faces (capitals, m,
#: w): a word measured at exactly its columns broke as "YouTub / e"
LATIN_SLACK = 1.2


def _piece_width(piece: str) -> float:
    """Columns an unbreakable piece needs, Latin letters given their slack."""
    latin = sum(1 for ch in piece if ch.isascii() and ch.isalpha())
    return display_width(piece) + latin * (LATIN_SLACK - 1)


#: a short CJK cell (an owner, a deadline: up to this many columns) is
#: given room for lines of at least CJK_LINE columns. Chinese may break
#: between any two ideographs, so the narrowest column would be one
#: ideograph wide, and the table set 本简报印 / 发后 / 6个月 / 内
CJK_CELL = 48
CJK_LINE = 16


def _cjk_min(text: str, glued: frozenset[int], longest: float) -> float:
    """The narrowest width that sets a short CJK cell in no more lines than
    ``ceil(width / CJK_LINE)``: its words then break where a reader pauses
    more often than not, and no line is left with one character."""
    widest = max(display_width(line) for line in text.split("\n"))
    if not has_cjk(text) or widest > CJK_CELL:
        return longest
    most = -(-widest // CJK_LINE)  # ceiling
    pieces_ = [_piece_width(p) for p in pieces(text, glued)]
    width = max(longest, widest / most)
    while _lines_at(pieces_, width) > most and width < widest:
        width += 1
    return min(width, widest)


def _lines_at(widths: list[float], width: float) -> int:
    """Lines greedy filling sets pieces of ``widths`` in, ``width`` wide."""
    lines, used = 1, 0.0
    for w in widths:
        if used and used + w > width:
            lines, used = lines + 1, 0.0
        used += w
    return lines


@lru_cache(maxsize=4096)  # long tables repeat their words (units, producers)
def _min_max(text: str, glued: frozenset[int]) -> tuple[float, float]:
    widest = max((display_width(line) for line in text.split("\n")), default=0)
    longest = max((_piece_width(p) for p in pieces(text, glued)), default=0)
    if widest <= SHORT:  # a short label (出品方, a year) is never wrapped
        longest = max(_piece_width(line) for line in text.split("\n"))
    elif text:
        longest = _cjk_min(text, glued, longest)
    return longest + PADDING, max(widest, longest) + PADDING


def _measured(cell: Cell) -> tuple[float, float]:
    if isinstance(cell, str):
        return _min_max(cell, frozenset())
    return _min_max(*unbreakable(cell))


def column_shares(rows: Sequence[Sequence[Cell]], avail: float) -> list[float]:
    """The share of the table's width each column gets (summing to 1), for
    rows of cells (the header first) in a table ``avail`` columns wide."""
    ncols = max((len(r) for r in rows), default=0)
    if ncols == 0:
        return []
    mins, maxs = [PADDING] * ncols, [PADDING] * ncols
    for row in rows:
        for c, cell in enumerate(row):
            lo, hi = _measured(cell)
            mins[c], maxs[c] = max(mins[c], min(lo, avail / 2)), max(maxs[c], hi)
    widths = _distribute(mins, maxs, avail)
    total = sum(widths)
    return [w / total for w in widths]


def _distribute(mins: list[float], maxs: list[float], avail: float) -> list[float]:
    if sum(maxs) <= avail:  # everything fits on one line: share the rest pro rata
        return list(maxs)
    if sum(mins) >= avail:  # even the words do not fit: shrink them all alike
        return list(mins)
    slack = [hi - lo for lo, hi in zip(mins, maxs, strict=True)]
    share = (avail - sum(mins)) / sum(slack)
    return [lo + s * share for lo, s in zip(mins, slack, strict=True)]
