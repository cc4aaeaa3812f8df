"""Heading numbers, worked out from each heading's level and position.

Schemes (``Metadata.numbering``):

- ``chinese``: 一、 / （一） / 1. / （1）, the four levels of GB/T 9704
  official documents, with ordinal numerals (二, never the quantity word 两);
- ``decimal``: 1. / 1.1 / 1.1.1;
- ``none``: no numbers;
- ``auto``: ``chinese`` for a Chinese brief, ``none`` otherwise.

Only headings at the top of the document are numbered (a heading inside a
box is the box's title, not a section), and a heading marked unnumbered in
the Markdown (pandoc's ``{-}``) is skipped without using up a number, so a
profile that leaves a section out renumbers the rest.
"""

from __future__ import annotations

SCHEMES = ("auto", "none", "decimal", "chinese")
_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1..99 as Chinese numerals: 一, 十, 十一, 二十, 二十一 (never 两);
    beyond 99 (no brief has a hundred sections) the Arabic number."""
    if not 1 <= n <= 99:
        return str(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    head = "十" if tens == 1 else _DIGITS[tens] + "十"
    return head + (_DIGITS[units] if units else "")


def resolve(scheme: str, lang: str) -> str:
    """The scheme in force: ``auto`` resolved by language."""
    if scheme not in SCHEMES:
        known = ", ".join(SCHEMES)
        raise ValueError(f"unknown numbering {scheme!r}; known: {known}")
    if scheme == "auto":
        return "chinese" if lang.lower().startswith("zh") else "none"
    return scheme


def _chinese(counters: list[int]) -> str:
    level, n = len(counters), counters[-1]
    if level == 1:
        return f"{chinese_ordinal(n)}、"
    if level == 2:
        return f"（{chinese_ordinal(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def _decimal(counters: list[int]) -> str:
    if len(counters) == 1:
        return f"{counters[0]}. "
    return ".".join(str(n) for n in counters) + " "


_FORMATS = {"chinese": _chinese, "decimal": _decimal}


def numbers(headings: list[tuple[int, bool]], scheme: str) -> list[str]:
    """The number of each heading, given its level and whether it is
    numbered, in reading order. A level below a skipped one counts as the
    next level down (a brief may go from # straight to ###); an unnumbered
    heading takes no number, and its subsections count from one."""
    fmt = _FORMATS.get(scheme)
    stack: list[tuple[int, int]] = []  # (heading level, count) per depth
    out: list[str] = []
    for level, numbered in headings:
        while stack and stack[-1][0] > level:
            stack.pop()
        if not stack or stack[-1][0] < level:
            stack.append((level, 0))
        if fmt is None or not numbered:
            out.append("")
            continue
        stack[-1] = (level, stack[-1][1] + 1)
        out.append(fmt([count for _, count in stack]))
    return out
