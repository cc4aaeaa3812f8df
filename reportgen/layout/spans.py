"""Unbreakable spans: pieces of text that must not be cut across lines.

A number and its unit (2255亿元, 2023年, 100余个, 1/3), a 《title》 of
reasonable length and a short （aside） are joined with word joiners
(``script.WORD_JOINER``) between their characters; in Latin text a number
is joined to the unit word after it with a no-break space ("2,880
companies", "225.5 billion yuan"), and a qualifier to its number ("more
than 2,880"). The PDF's line breaker reads every joiner; the .docx keeps
only those Word and LibreOffice need (``for_word``), so that search and
copy-paste find the text as typed.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from ..text.script import (
    NO_BREAK_SPACE,
    NO_LINE_END,
    NO_LINE_START,
    WORD_JOINER,
    display_width,
    has_cjk,
    is_cjk,
)

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


def _join_chars(span: str) -> str:
    """``span`` with a word joiner wherever a CJK break could fall, and
    after a hyphen (PRO-2026- / N1ZH broke a document number in Word)."""
    out = [span[0]] if span else []
    for left, right in pairwise(span):
        breakable = is_cjk(left) or is_cjk(right) or left == "-"
        if WORD_JOINER not in (left, right) and breakable:
            out.append(WORD_JOINER)
        out.append(right)
    return "".join(out)


def _join_latin(text: str) -> str:
    # only the qualifier's last word joins the number: "more / than 100" may
    # break, "more than / 100" may not (a line of 74 holds the rest)
    text = _QUALIFIER.sub(lambda m: m.group(0) + "\0", text)
    text = _SCALE_WORD.sub(lambda m: m.group(0) + "\0", text)
    text = _LATIN_AMOUNT.sub(lambda m: m.group(0).replace(" ", NO_BREAK_SPACE) + "\0", text)
    return text.replace("\0 ", NO_BREAK_SPACE).replace("\0", "")


@lru_cache(maxsize=4096)  # long tables repeat their cells (producers, platforms, dashes)
def bind(text: str) -> str:
    """``text`` with its unbreakable spans joined. Idempotent: joiners
    already there are taken out first, except a final one (which glues a
    note mark, see ``notes``)."""
    glued = text.endswith(WORD_JOINER)
    text = text.replace(WORD_JOINER, "")
    # a CJK span holds a CJK character, but for a number with % (the one
    # ASCII unit), which gets no joiner (``_join_chars``): Latin text, most
    # of a long English table, has none to join
    if has_cjk(text):
        for pattern in _CJK_SPANS:
            text = pattern.sub(lambda m: _join_chars(m.group(0)), text)
    return _join_latin(text) + (WORD_JOINER if glued else "")


def spans(text: str) -> list[str]:
    """The unbreakable spans of ``text`` as plain strings (for tests and
    ``check``)."""
    found: list[str] = []
    for pattern in _CJK_SPANS:
        found += [m.group(0) for m in pattern.finditer(text)]
    return found


#: where a title or heading may break: after these (and at spaces)
_TITLE_BREAK_AFTER = frozenset("，、。：；！？）》」』】—…·")


def bind_title(text: str) -> str:
    """A title or heading that breaks only at punctuation or a space: its
    CJK characters joined everywhere else (片目推介 never splits as
    片 / 目推介). A line too short for a whole piece still breaks it, as a
    last resort, so nothing overflows."""
    text = bind(text)
    out = [text[0]] if text else []
    for left, right in pairwise(text):
        joinable = is_cjk(left) or is_cjk(right)
        free = left in _TITLE_BREAK_AFTER or left.isspace() or right.isspace()
        if joinable and not free and WORD_JOINER not in (left, right) and right not in "（《「『【":
            out.append(WORD_JOINER)
        out.append(right)
    return "".join(out)


def for_word(text: str, heading: bool = False) -> str:
    """``text`` as the .docx carries it: a joiner only where Word and
    LibreOffice would otherwise break a span, so that search and copy-paste
    find the words as typed.

    Both break between any two ideographs, as Chinese typesetting allows,
    and never before a closing mark or after an opening one (their own
    kinsoku); but they would part a number or a Latin word from the Chinese
    beside it (2023 / 年, 二十不惑 / 2, 编号 / 2025-01), and break after a
    hyphen (PRO-2026- / N1ZH). So the .docx keeps only the joiners at such
    a script boundary or hyphen inside a span, and the one that glues a
    note mark; a heading, whose line Word sets whole, keeps none.
    """
    if heading:
        return text.replace(WORD_JOINER, "")
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch != WORD_JOINER:
            out.append(ch)
            continue
        left = text[i - 1] if i else ""
        right = text[i + 1] if i + 1 < len(text) else ""
        boundary = bool(left and right) and is_cjk(left) != is_cjk(right)
        boundary = boundary and not _kinsoku(left, right)
        if not right or left == "-" or boundary:
            out.append(ch)
    return "".join(out)


def _kinsoku(left: str, right: str) -> bool:
    """True where the script rules already forbid a break (no joiner needed)."""
    return right in NO_LINE_START or left in NO_LINE_END


#: opening marks a title may break before
_TITLE_BREAK_BEFORE = frozenset("（《「『【")


def title_lines(text: str, columns: float) -> list[str]:
    """``text`` (a Chinese title, a table's header) set as lines of at most
    ``columns`` display columns (an ideograph takes two), turned only where
    ``bind_title`` lets it break: after punctuation, before an opening
    mark, at a space. Word and LibreOffice ignore joiners between
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
