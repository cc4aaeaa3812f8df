"""Limits on what a brief asks the writers to lay out.

Layout time grows much faster than the text in two cases no honest brief
needs: an unbreakable run of characters (a 300 KB "word" took 70 s and
730 MB, because the PDF writer tries each split point in turn) and
blockquotes nested deeper than a page is wide (the PDF writer fails at
about a dozen levels). Both are refused before any writer runs, naming the
section; a total deadline per writer (``limits.layout_seconds``) catches
whatever else is slow.
"""

from __future__ import annotations

import re

from ..errors import RenderError
from ..files import limits

#: the deepest nesting of blockquotes a brief may have
MAX_QUOTE_DEPTH = 8
#: a run of characters with no space to break at; CJK text breaks between
#: any two characters, so CJK characters end a run
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_QUOTES = re.compile(r"^[ \t]{0,3}((?:>[ \t]?)+)", re.MULTILINE)
#: the most columns a table may have: at 20, a column of an A4 page is
#: already under a centimetre; past about 35 the PDF writer cannot draw it
MAX_TABLE_COLUMNS = 20
#: the characters of a GFM table's delimiter row, such as |---|:--:|
_DELIMITER_CHARS = frozenset("|-: \t")


def _longest_word(text: str, limit: int) -> int:
    """The length of the longest unbreakable run in ``text`` when it is
    over ``limit`` (else 0); found with one regular expression scan."""
    pattern = re.compile(rf"[^\s{_CJK}]{{{limit + 1},}}")
    return max((len(m.group(0)) for m in pattern.finditer(text)), default=0)


def _quote_depth(text: str) -> int:
    return max((m.group(1).count(">") for m in _QUOTES.finditer(text)), default=0)


def _widest_table(text: str) -> int:
    """The most columns of any table in ``text``, counted on its delimiter
    row (one scan of the lines, no regular expression to backtrack)."""
    widest = 0
    for line in text.splitlines():
        if "|" in line and "-" in line and _DELIMITER_CHARS.issuperset(line):
            cells = line.strip().strip("|").split("|")
            widest = max(widest, len(cells))
    return widest


def check_text(text: str, where: str) -> None:
    """Refuse ``text`` (a section's Markdown, a title) with a word over the
    limit or blockquotes nested over MAX_QUOTE_DEPTH."""
    limit = limits.current().word_chars
    longest = _longest_word(text, limit)
    if longest:
        raise RenderError(
            f"{where}: holds a word of {longest:,} characters with no space to break the "
            f"line at, over the limit of {limit:,}; check the data or template for a "
            "missing space (or raise REPORTGEN_MAX_WORD_CHARS)"
        )
    columns = _widest_table(text)
    if columns > MAX_TABLE_COLUMNS:
        raise RenderError(
            f"{where}: has a table of {columns:,} columns; at most {MAX_TABLE_COLUMNS} fit "
            "a page, split the table or turn it round"
        )
    depth = _quote_depth(text)
    if depth > MAX_QUOTE_DEPTH:
        raise RenderError(
            f"{where}: nests blockquotes {depth} deep; at most {MAX_QUOTE_DEPTH} fit a page, "
            "remove some of the '>' marks"
        )


def check_brief(sections: list[tuple[str, str]], titles: dict[str, str]) -> None:
    """Check every section and the title block of a brief."""
    for name, markdown in sections:
        check_text(markdown, f"section '{name}'")
    for what, text in titles.items():
        check_text(text, what)
