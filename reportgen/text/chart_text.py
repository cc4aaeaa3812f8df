"""Italic spans in chart text: series titles set in italics in English.

A chart's labels and notes are plain strings of its model node; a title of
a series inside one (a timeline event that names it) is marked with two
private-use characters, which the chart layout reads as "italic on" and
"italic off" and never draws. Private-use characters do not occur in data
text, so no character a person typed can switch the style.
"""

from __future__ import annotations

from collections.abc import Iterable

ITALIC_ON = "\ue000"
ITALIC_OFF = "\ue001"


def mark_titles(text: str, titles: Iterable[str]) -> str:
    """``text`` with every occurrence of each of ``titles`` marked italic;
    the longest first, so a title inside a longer one is not marked twice."""
    for title in sorted({t for t in titles if t}, key=len, reverse=True):
        parts = text.split(title)
        if len(parts) > 1:
            text = f"{ITALIC_ON}{title}{ITALIC_OFF}".join(parts)
    # a shorter title found inside an already marked longer one: unmark
    return _flatten(text)


def _flatten(text: str) -> str:
    out, depth = [], 0
    for char in text:
        if char == ITALIC_ON:
            depth += 1
            if depth > 1:
                continue
        elif char == ITALIC_OFF:
            depth -= 1
            if depth > 0:
                continue
        out.append(char)
    return "".join(out)


def plain(text: str) -> str:
    """``text`` without its italic marks (alt text, measurements)."""
    return text.replace(ITALIC_ON, "").replace(ITALIC_OFF, "")


def balanced(lines: list[str]) -> list[str]:
    """Lines broken inside an italic span, each closed and reopened so that
    every line carries its own marks."""
    out, italic = [], False
    for line in lines:
        opened = ITALIC_ON + line if italic and not line.startswith(ITALIC_ON) else line
        for char in line:
            if char in (ITALIC_ON, ITALIC_OFF):
                italic = char == ITALIC_ON
        out.append(opened + ITALIC_OFF if italic else opened)
    return out
