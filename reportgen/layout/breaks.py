"""Where a page may turn, decided once for both writers.

A heading wants ``LINES_AFTER_HEADING`` lines of its section below it.

A table split leaving one row under its repeated header, or one row alone
at the foot of a page, reads as a mistake. So a short table is kept whole
(it moves to the next page if it does not fit), and a longer one turns a
page only where at least ``MIN_ROWS_AT_SPLIT`` body rows stand on each
side. The PDF writer limits Platypus's split rows to ``split_range``; the
Word writer keeps rows with the next (``rows_kept_with_next``), which Word
and LibreOffice honour row by row.

A section's opening travels with what it opens: the paragraphs between a
heading and a block that cannot break (``leads_into``) stay with that
block, so a heading and its "as follows:" never end a page whose next
page holds the table they announce.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import model as m

#: lines of text a heading wants below it on its page: a section that
#: opens with less at a page's foot is carried over whole
LINES_AFTER_HEADING = 3
#: a table with at most this many body rows is never split
KEEP_WHOLE_ROWS = 6
#: a paragraph of at most this many lines is never split: two lines of a
#: short reference entry on one page and three on the next read as two
#: entries, and left a near-empty last page
KEEP_WHOLE_LINES = 5
#: body rows that must stand on each side of a page turn in a table
MIN_ROWS_AT_SPLIT = 2


def split_range(body_rows: int) -> tuple[int, int] | None:
    """The numbers of body rows a page may hold before the turn (lowest,
    highest), or None when the table is kept whole."""
    if body_rows <= KEEP_WHOLE_ROWS:
        return None
    return MIN_ROWS_AT_SPLIT, body_rows - MIN_ROWS_AT_SPLIT


def rows_kept_with_next(body_rows: int) -> frozenset[int]:
    """Body rows (counted from 0) that must stay on the page of the row
    after them: every row but the last in a short table, else the first
    ``MIN_ROWS_AT_SPLIT - 1`` rows and the ones before the last
    ``MIN_ROWS_AT_SPLIT``."""
    if body_rows <= KEEP_WHOLE_ROWS:
        return frozenset(range(body_rows - 1))
    head = range(MIN_ROWS_AT_SPLIT - 1)
    tail = range(body_rows - MIN_ROWS_AT_SPLIT, body_rows - 1)
    return frozenset((*head, *tail))


#: paragraphs at most between a heading and a block they lead into; a
#: longer run is the section's text, not its lead
LEAD_PARAGRAPHS = 2
#: lines at most of a lead paragraph: a longer one is text that may end a
#: page on its own (kept with a table it moved a third of a page over)
LEAD_LINES = LINES_AFTER_HEADING


def is_lead(lines: int) -> bool:
    """True when a paragraph of ``lines`` lines set before a block (see
    ``leads_into``) is short enough to travel with it."""
    return lines <= LEAD_LINES


def kept_whole(node: object) -> bool:
    """True for a block no writer breaks across pages: a short table, a
    chart, a row of key figures."""
    if isinstance(node, m.Table):
        return split_range(len(node.rows)) is None
    return isinstance(node, (m.Chart, m.KeyFigures))


def leads_into(blocks: Sequence[object]) -> frozenset[int]:
    """Indices of the paragraphs (at most ``LEAD_PARAGRAPHS`` in a row)
    that stand between a heading and a block other than text: they must
    stay on the page where that block starts."""
    leads: set[int] = set()
    run: list[int] = []
    after_heading = False
    for i, node in enumerate(blocks):
        if isinstance(node, m.Paragraph) and after_heading:
            run.append(i)
            continue
        if run and not isinstance(node, m.Heading) and len(run) <= LEAD_PARAGRAPHS:
            leads.update(run)
        run = []
        after_heading = isinstance(node, m.Heading)
    return frozenset(leads)
