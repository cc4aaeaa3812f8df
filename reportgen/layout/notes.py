"""Where note marks go in running text.

- In Chinese text a mark goes before the closing punctuation it follows in
  the Markdown: 产业链。[^1] is set 产业链¹。 (GB/T 7714 practice).
- Several marks at one place are drawn joined with ``SEPARATOR`` (⁵,⁶,
  never ⁵⁶, which reads as note 56): both writers put it between adjacent
  ``NoteRef`` nodes, superscript like the marks.
- A mark never starts a line: where the script rules would let a line
  break between it and the character it annotates, the layout marks it
  ``glued`` (``NoteRef.glued``) and the writers keep the two together;
  after a space a mark may start a line.
- A mark is never set directly before a digit (¹2023 reads as 12023): a
  space separates them.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Inline, NoteRef, Text
from ..text.script import may_break_between

SEPARATOR = ","
#: in Chinese text, a note mark moves before these
CLOSING_PUNCTUATION = "。，、；：！？"
#: what separates a mark from a digit right after it
DIGIT_GAP = " "


def _runs(nodes: list[Inline]) -> list[tuple[int, int]]:
    """(start, end) of each run of adjacent note references."""
    runs, i = [], 0
    while i < len(nodes):
        if isinstance(nodes[i], NoteRef):
            j = i
            while j < len(nodes) and isinstance(nodes[j], NoteRef):
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def _trailing_punctuation(text: str) -> int:
    n = 0
    while n < len(text) and text[len(text) - 1 - n] in CLOSING_PUNCTUATION:
        n += 1
    return n


def _move_punctuation(nodes: list[Inline], start: int, end: int) -> None:
    before = nodes[start - 1] if start else None
    if not isinstance(before, Text):
        return
    n = _trailing_punctuation(before.text)
    if n == 0:
        return
    nodes[start - 1] = Text(before.text[:-n])
    moved = before.text[-n:]
    after = nodes[end] if end < len(nodes) else None
    if isinstance(after, Text):
        nodes[end] = Text(moved + after.text)
    else:
        nodes.insert(end, Text(moved))


def _glue(nodes: list[Inline], start: int, end: int) -> None:
    before = nodes[start - 1] if start else None
    text = before.text if isinstance(before, Text) else ""
    first = nodes[start]
    if isinstance(first, NoteRef) and _parts(text, str(first.number)):
        nodes[start] = replace(first, glued=True)
    after = nodes[end] if end < len(nodes) else None
    if isinstance(after, Text) and after.text[:1].isdigit():
        nodes[end] = Text(DIGIT_GAP + after.text)


def _parts(text: str, mark: str) -> bool:
    """Could a line break between ``text`` and the mark after it? Not after
    a space (where it may), nor after a letter or digit (where it cannot
    anyway: 2023¹ is one word)."""
    return bool(text) and not text[-1].isspace() and may_break_between(text[-1], mark[:1])


def place_marks(nodes: tuple[Inline, ...], chinese: bool) -> tuple[Inline, ...]:
    """``nodes`` with their note marks placed by the rules above."""
    if not any(isinstance(n, NoteRef) for n in nodes):
        return nodes
    out = list(nodes)
    if chinese:
        for start, end in reversed(_runs(out)):
            _move_punctuation(out, start, end)
    for start, end in reversed(_runs(out)):
        _glue(out, start, end)
    return tuple(n for n in out if not (isinstance(n, Text) and n.text == ""))
