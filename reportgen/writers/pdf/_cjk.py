"""Line breaking for CJK paragraphs with kinsoku rules.

reportlab's own CJK wrapping hangs at most one closing mark and ignores
opening brackets at line ends, and it cuts Latin words in half. This
Paragraph subclass breaks lines itself: never before a closing mark, never
after an opening one, never inside one of the layout's unbreakable spans
(``<nobr>`` in the markup, ``Text.nobreak`` in the model), and never inside a
run of Latin letters or digits unless that run is longer than a whole line.
"""

from __future__ import annotations

import re
from itertools import repeat

from reportlab.platypus.paragraph import cleanBlockQuotedText

from ...text.script import NO_LINE_END, NO_LINE_START, may_break_between
from . import _rl
from ._bold import BoldableParagraph
from ._rl import FUZZ, ParaFrag, ParaLines, cjkU, makeCJKParaLine

__all__ = ["NO_LINE_END", "NO_LINE_START", "KinsokuParagraph", "mark_spans", "split_lines"]

#: a tag, an entity or a run of text in a paragraph's markup
_MARKUP = re.compile(r"<(/?)(\w+)[^>]*>|&#?\w+;|[^<&]+|&")


def _span_of_each_char(markup: str) -> list[int | None]:
    """For each character of text in ``markup``, the number of the
    ``<nobr>`` span it stands in, counting from 1 (None outside one)."""
    spans: list[int | None] = []
    span: int | None = None
    count = 0
    for token in _MARKUP.finditer(markup):
        closing, tag = token.group(1), token.group(2)
        if tag is None:  # text; an entity is one character
            text = token.group(0)
            spans.extend(repeat(span, 1 if text.startswith("&") else len(text)))
        elif tag.lower() == "nobr":
            count += not closing
            span = None if closing else count
    return spans


def mark_spans(frags: list, markup: str) -> bool:
    """Give each fragment of ``markup`` the number of the ``<nobr>`` span
    its text stands in (``rg_span``, None outside one), read from the
    markup: reportlab marks a span's fragments ``nobr`` but cannot tell two
    spans side by side (a heading's pieces) from one span set in two fonts.
    True when the fragments hold the markup's text exactly; otherwise all
    ``nobr`` fragments count as one span, which keeps every span whole."""
    spans = _span_of_each_char(markup)
    found: list[int | None] = []
    at = 0
    for frag in frags:
        size = len(getattr(frag, "text", "") or "")
        held = set(spans[at : at + size])
        if len(held) > 1:
            break
        found.append(held.pop() if held else None)
        at += size
    exact = at == len(spans) and len(found) == len(frags)
    for frag, span in zip(frags, found if exact else repeat(None), strict=False):
        frag.rg_span = span if exact else (0 if getattr(frag, "nobr", False) else None)
    return exact


def _is_legal(units: list[cjkU], pos: int, glued: frozenset[int]) -> bool:
    """May a line end just before ``units[pos]``? Not inside one of the
    layout's spans (``glued``), nor where the script rules forbid it."""
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
        if used > width + FUZZ and i > start:
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
    """One unit per character; and the positions inside a span
    (``mark_spans``), where no line may break."""
    units: list[cjkU] = []
    glued: set[int] = set()
    before = None  # the span of the unit before
    for frag in frags:
        text = frag.text if hasattr(frag, "text") else ""
        span = getattr(frag, "rg_span", None)
        if not text:  # <br/> and zero-width callbacks keep their own unit
            units.append(cjkU("", frag, "utf8"))
            before = None
        for ch in text:
            if span is not None and span == before:
                glued.add(len(units))
            units.append(cjkU(ch, frag, "utf8"))
            before = span
    return units, frozenset(glued)


def _line_ranges(units: list[cjkU], glued: frozenset[int], max_widths: list[float]) -> list:
    """(start, end, hard) of each line, filled greedily under the rules."""
    ranges: list[tuple[int, int, bool]] = []
    start = 0
    while start < len(units):
        width = max_widths[min(len(ranges), len(max_widths) - 1)]
        end, hard = _fill(units, start, width)
        if not hard and end < len(units):
            end = _break_at(units, start, end, glued)
        ranges.append((start, end, hard))
        start = _skip_spaces(units, end)
    return ranges


def _skip_spaces(units: list[cjkU], pos: int) -> int:
    # a space at the break belongs to neither line
    while pos < len(units) and str(units[pos]) == " ":
        pos += 1
    return pos


#: a paragraph's last line holds at least this many characters before its
#: closing punctuation and note marks: "奖¹。" alone on a line reads as a
#: stray mark (the widow rule of Chinese typesetting)
LAST_LINE_MIN = 2


def _counted(units: list[cjkU], start: int, end: int) -> int:
    """Characters of ``units[start:end]`` that count against a widow: not
    closing marks, spaces or note marks (raised text)."""
    return sum(
        1
        for unit in units[start:end]
        if str(unit).strip()
        and str(unit) not in NO_LINE_START
        and not getattr(unit.frag, "rise", 0)
    )


def _avoid_widow(
    units: list[cjkU], glued: frozenset[int], ranges: list, max_widths: list[float]
) -> None:
    """Pull characters down from the line before the last until the last
    holds ``LAST_LINE_MIN`` of them, breaking only where the rules allow
    and keeping at least as many on the line above."""
    if len(ranges) < 2 or ranges[-2][2] or ranges[-1][2]:
        return
    (above, _, _), (start, end, _) = ranges[-2], ranges[-1]
    if _counted(units, start, end) >= LAST_LINE_MIN:
        return
    width = max_widths[min(len(ranges) - 1, len(max_widths) - 1)]
    for pos in range(start - 1, above, -1):
        if _counted(units, above, pos) < LAST_LINE_MIN:
            return
        if not _is_legal(units, pos, glued):
            continue
        new_start = _skip_spaces(units, pos)
        if sum(u.width for u in units[new_start:end]) > width + FUZZ:
            return  # the pulled word would not fit: leave the line as it was
        if _counted(units, new_start, end) >= LAST_LINE_MIN:
            ranges[-2:] = [(above, pos, False), (new_start, end, False)]
            return


def split_lines(frags: list, max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Lines for ``frags`` under the kinsoku and widow rules above."""
    units, glued = _units(frags)
    ranges = _line_ranges(units, glued, max_widths)
    _avoid_widow(units, glued, ranges, max_widths)
    lines: list = []
    for n, (start, end, hard) in enumerate(ranges):
        width = max_widths[min(n, len(max_widths) - 1)]
        used = sum(u.width for u in units[start:end])
        runs = _runs(units[start:end])
        lines.append(makeCJKParaLine(runs, width, used, width - used, hard, calc_bounds))
    para_lines = ParaLines(kind=1, lines=lines)
    # kept for ``KinsokuParagraph.split``: where each line starts in the text
    para_lines.rg_text = (units, glued, [start for start, _, _ in ranges])
    return para_lines


class _Run(str):
    """Units of one fragment, side by side, as one string with their
    ``frag``: all ``makeCJKParaLine`` reads of a unit. It joins the units
    of a fragment into one word anyway, so a line made of runs is the line
    made of units, built in one step per fragment, not per character."""

    frag: ParaFrag


def _runs(units: list[cjkU]) -> list[_Run]:
    runs: list[_Run] = []
    start = 0
    for i in range(1, len(units) + 1):
        if i == len(units) or units[i].frag is not units[start].frag:
            run = _Run("".join(units[start:i]))
            run.frag = units[start].frag
            runs.append(run)
            start = i
    return runs


def _refrag(units: list[cjkU], first: int) -> list:
    """Fragments holding ``units[first:]`` as they were typed (each keeps
    its span, ``rg_span``), no space added between lines."""
    frags: list = []
    source = None
    for i in range(first, len(units)):
        unit, text = units[i], str(units[i])
        if not text:  # <br/> and zero-width callbacks keep their own fragment
            frags.append(unit.frag)
            source = None
            continue
        if unit.frag is source:
            frags[-1].text += text
        else:
            frags.append(unit.frag.clone(text=text))
            source = unit.frag
    return frags


class KinsokuParagraph(BoldableParagraph):
    """A Paragraph whose CJK wrapping follows the rules above."""

    def __init__(self, text, style=None, *args, **kw) -> None:
        super().__init__(text, style, *args, **kw)
        # the parts of a split come with fragments of this one (no markup)
        if isinstance(self.text, str) and "<nobr" in self.text:
            mark_spans(self.frags, cleanBlockQuotedText(self.text))

    def breakLinesCJK(self, maxWidths):
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        maxWidths = list(maxWidths)
        self.height = 0
        _rl.handle_bullet_width(self.bulletText, self.style, maxWidths)
        if _rl.is_split_remainder(self):
            return self.blPara  # the remainder of a split keeps its lines
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return split_lines(self.frags, maxWidths, auto_leading not in ("", "off"))

    def split(self, availWidth, availHeight):
        """As Platypus splits, but the part carried over gets the text as
        typed: Platypus rebuilds it from the drawn lines, which loses the
        spans' marks (a note mark could then start a line) and adds a
        space at every former line end, which Chinese text must not have."""
        parts = super().split(availWidth, availHeight)
        text = getattr(getattr(self, "blPara", None), "rg_text", None)
        if len(parts) != 2 or text is None:
            return parts
        units, _, starts = text
        head_lines = len(parts[0].blPara.lines)
        if head_lines < len(starts):
            parts[1].frags = _refrag(units, starts[head_lines])
        return parts
