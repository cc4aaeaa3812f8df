"""Unbreakable spans: pieces of text that must not be cut across lines.

A number and its unit (2255亿元, 2023年, 100余个, 1/3), a 《title》 of
reasonable length, a short （aside）, a short Chinese name in Latin text
and a document number after its label stay whole; in Latin text a number
stays with the unit word after it ("2,880 companies", "225.5 billion
yuan"), and a qualifier with its number ("more than 2,880").

The decision is data: ``bind`` finds a text's spans, which the layout
sets on its ``Text`` node (``Text.nobreak``), and each writer keeps a span
whole its own way (the PDF's line breaker never breaks inside one; Word
gets no-break spaces and hyphens). No invisible character marks a span, so
search, copy and paste find the words as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import pairwise

from ..model import Code, Inline, LineBreak, NoteRef, Span, Text
from ..text.script import display_width, has_cjk, is_cjk

#: characters that measure or count what a number before them is: scale
#: (万亿), qualifiers (余多), units, counters and date parts
CJK_UNITS = (
    "万亿千百十余多元年月日号个部家项名人次倍岁期集季条届场款种台所位份篇首座周天时分秒亩米克吨%％"
)
_NUMBER = r"[0-9０-９]+(?:[.,/][0-9０-９]+)*"
# 第 before a number (第2期) and 约/超/近 qualifiers stay with it
_CJK_AMOUNT = re.compile(rf"[第超约近逾]?{_NUMBER}[{CJK_UNITS}]{{1,4}}")
#: a 《title》 longer than this may break (a line holds about 28 characters)
TITLE_LIMIT = 16
_TITLE = re.compile(rf"《[^《》\n]{{1,{TITLE_LIMIT}}}》")
#: a parenthesised aside of at most this many characters stays whole
ASIDE_LIMIT = 6
_ASIDE = re.compile(rf"（[^（）\n]{{1,{ASIDE_LIMIT}}}）")
# Latin: a number, a space and the word after it; scale words join the next
# word too ("225.5 billion yuan", "1.7 million viewers")
_SCALE = r"(?:thousand|million|billion|trillion|per cent|percent)"
_LATIN_AMOUNT = re.compile(rf"(?<![\w.,]){_NUMBER}(?: {_SCALE})?(?= [A-Za-z%])")
_SCALE_WORD = re.compile(rf"\b{_SCALE}(?= [A-Za-z])")
# a qualifier stays with the number it qualifies: "more than / 2,880
# companies" reads as two claims
_QUALIFIER = re.compile(
    r"\b(?:[Mm]ore|[Ll]ess|[Ff]ewer) than(?= [0-9])"
    r"|\b(?:[Oo]ver|[Aa]bout|[Aa]round|[Nn]early|[Aa]lmost|[Uu]p to|[Aa]t least)(?= [0-9])"
)
_HAN = "\u3400-\u9fff\uf900-\ufaff"
#: a Chinese name or title of at most this many characters set in Latin
#: text or alone in a cell ("Twenty Not Confused 2 (二十不惑2)") stays whole
NAME_LIMIT = 10
_CJK_NAME = re.compile(
    rf"(?:^|(?<=[\s(\[]))[{_HAN}][{_HAN}0-9０-９·]{{0,{NAME_LIMIT - 1}}}(?=$|[\s)\],.;:])"
)
# a document number after its label: 编号2025-01, 文号PRO-1 (编 / 号2025-01
# splits the label)
_LABELLED_NUMBER = re.compile(r"(?:编号|文号|序号|期号)[A-Za-z0-9-]+")

_CJK_SPANS = (_CJK_AMOUNT, _TITLE, _ASIDE, _CJK_NAME, _LABELLED_NUMBER)
#: the spans a name may not hold: 超过2880家 alone in a cell is an amount
#: with its qualifier, not a name
_NOT_IN_NAMES = (_CJK_AMOUNT, _TITLE, _ASIDE)


def _cjk_spans(text: str) -> Iterator[Span]:
    # a CJK span holds a CJK character, but for a number with % (the one
    # ASCII unit), which no rule needs to hold: Latin text, most of a long
    # English table, has none to find
    if not has_cjk(text):
        return
    held = [found.span() for rule in _NOT_IN_NAMES for found in rule.finditer(text)]
    yield from held
    for found in _CJK_NAME.finditer(text):
        start, end = found.span()
        if not any(s < end and start < e for s, e in held):
            yield start, end
    for found in _LABELLED_NUMBER.finditer(text):
        yield found.span()


def _glued_spaces(text: str) -> Iterator[int]:
    """Where a space in Latin text joins the words either side of it: after
    a qualifier ("more than / 2,880" may not break, "more / than" may),
    after a scale word, inside and after a number with its unit word."""
    for found in _QUALIFIER.finditer(text):
        yield found.end()
    for found in _SCALE_WORD.finditer(text):
        yield found.end()
    for found in _LATIN_AMOUNT.finditer(text):
        start, end = found.span()
        yield from (start + i for i, ch in enumerate(found.group(0)) if ch == " ")
        yield end


def _latin_spans(text: str) -> Iterator[Span]:
    """The words a glued space holds together (a word: the letters, digits
    and marks between spaces and CJK text)."""
    for space in _glued_spaces(text):
        start, end = space, space + 1
        while start and _in_word(text[start - 1]):
            start -= 1
        while end < len(text) and _in_word(text[end]):
            end += 1
        yield start, end


def _in_word(ch: str) -> bool:
    return not ch.isspace() and not is_cjk(ch)


def _merged(spans: Iterable[Span]) -> list[Span]:
    """``spans`` in order, overlapping ones made one; spans that only touch
    stay two, as a line may break between them."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if end - start < 2:
            continue  # one character: nothing inside to break
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


@lru_cache(maxsize=4096)  # long tables repeat their cells (producers, platforms, dashes)
def bind(text: str) -> tuple[Span, ...]:
    """The unbreakable spans of ``text`` as (start, end) offsets, in order
    (``Text.nobreak``)."""
    return tuple(_merged([*_cjk_spans(text), *_latin_spans(text)]))


def spans(text: str) -> list[str]:
    """The unbreakable spans of ``text`` as plain strings (for tests)."""
    return [text[start:end] for start, end in bind(text)]


#: where a title or heading may break: after these (and at spaces)
_TITLE_BREAK_AFTER = frozenset("，、。：；！？）》」』】—…·")
#: opening marks a title may break before
_TITLE_BREAK_BEFORE = frozenset("（《「『【")


def _title_cuts(text: str) -> Iterator[int]:
    """Where a title or heading may break: after punctuation, at a space,
    before an opening mark."""
    for i, (left, right) in enumerate(pairwise(text), 1):
        after = left in _TITLE_BREAK_AFTER or left.isspace() or right.isspace()
        if after or right in _TITLE_BREAK_BEFORE:
            yield i


def _title_pieces(text: str) -> Iterator[Span]:
    """The pieces between the places a title may break that hold CJK text
    (Latin words never break inside anyway)."""
    start = 0
    for cut in [*_title_cuts(text), len(text)]:
        if has_cjk(text[start:cut]):
            yield start, cut
        start = cut


@lru_cache(maxsize=1024)
def bind_title(text: str) -> tuple[Span, ...]:
    """The spans of a title or heading, which breaks only at punctuation or
    a space: the pieces of CJK text between those places are kept whole
    (片目推介 never splits as 片 / 目推介), and its unbreakable spans too
    (a span across a place to break joins the pieces either side). A line
    too short for a whole piece still breaks it, as a last resort, so
    nothing overflows."""
    return tuple(_merged([*bind(text), *_title_pieces(text)]))


def unbreakable(inlines: Iterable[Inline]) -> tuple[str, frozenset[int]]:
    """The plain text of ``inlines`` and the places no line may break at:
    inside their text's spans (``Text.nobreak``) and before a glued note
    mark (``NoteRef.glued``); ``i`` is the place between the characters
    ``i - 1`` and ``i``."""
    chars: list[str] = []
    glued: set[int] = set()
    _collect(inlines, chars, glued)
    return "".join(chars), frozenset(glued)


def _collect(inlines: Iterable[Inline], chars: list[str], glued: set[int]) -> None:
    for node in inlines:
        at = len(chars)
        if isinstance(node, Text):
            chars.extend(node.text)
            for start, end in node.nobreak:
                glued.update(range(at + start + 1, at + end))
        elif isinstance(node, Code):
            chars.extend(node.text)
        elif isinstance(node, NoteRef):
            chars.extend(str(node.number))
            if node.glued and at:
                glued.add(at)
        elif isinstance(node, LineBreak):
            chars.append("\n")
        else:
            _collect(node.children, chars, glued)


def title_lines(text: str, columns: float) -> list[str]:
    """``text`` (a Chinese title, a table's header) set as lines of at most
    ``columns`` display columns (an ideograph takes two), turned only where
    ``bind_title`` lets it break: after punctuation, before an opening
    mark, at a space. Word and LibreOffice break between any two
    ideographs, so the Word writer breaks such a line itself. A piece
    longer than a line stays whole, for the line breaker to cut."""
    pieces: list[str] = [""]
    for left, right in pairwise(f"{text}\0"):
        pieces[-1] += left
        if left in _TITLE_BREAK_AFTER or left.isspace() or right in _TITLE_BREAK_BEFORE:
            pieces.append("")
    lines: list[str] = [""]
    for piece in filter(None, pieces):
        if lines[-1] and display_width((lines[-1] + piece).rstrip()) > columns:
            lines.append("")
        lines[-1] += piece
    return [line.rstrip() for line in lines]
