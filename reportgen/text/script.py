"""Rules of the scripts a brief is written in, kept in one place.

Which characters are CJK, which may not start or end a line (kinsoku), which
no document format may hold, and how wide a character counts when text is
measured in columns. The layout layer, both writers, the charts and
``check`` all ask this module, so a rule cannot differ between them.

Latin-CJK spacing: none is added. Chinese typesetting practice varies (some
houses put a quarter-em between Han and Latin, GB/T 15834 does not require
it) and the data is printed as typed, so a space there is the data's choice.
"""

from __future__ import annotations

import re
import unicodedata

#: a space no line breaks at: the writers set the spaces inside an
#: unbreakable span so ("2,880 companies", see ``layout.spans``)
NO_BREAK_SPACE = "\u00a0"

#: may not begin a line: closing marks, stops, small kana, iteration marks
NO_LINE_START = frozenset(
    "，。、；：？！）》」』〉】〕］｝’”…‥・ー々〻ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ"
    "%‰℃°′″!),.:;?]}"
)
#: may not end a line: opening marks
NO_LINE_END = frozenset("（《「『〈【〔［｛‘“([{")

# Control characters: XML 1.0 forbids C0 (tab, newline and carriage return
# aside), lone surrogates and U+FFFE/U+FFFF in both writers' output, and no
# font draws DEL or C1; every one of them is removed wherever text is cleaned.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(text: str) -> str:
    """``text`` without characters that no document format may hold."""
    return FORBIDDEN_CHARS.sub("", text)


def is_cjk(ch: str) -> bool:
    """Han, kana, hangul, CJK punctuation and full-width forms."""
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


#: the ranges of ``is_cjk`` as one character class, searched at C speed
_CJK = re.compile(
    "[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)


def has_cjk(text: str) -> bool:
    """True when any character of ``text`` is CJK (``is_cjk``)."""
    return _CJK.search(text) is not None


def is_han(ch: str) -> bool:
    """A Han ideograph (what a Chinese word count counts)."""
    cp = ord(ch)
    return 0x3400 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or 0x20000 <= cp <= 0x3FFFF


def char_columns(ch: str) -> int:
    """Columns ``ch`` takes in monospaced terms: wide and full-width
    characters two, format and combining characters none, the rest one."""
    if unicodedata.category(ch) in ("Cf", "Mn"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Columns of ``text``: CJK characters count double."""
    if text.isascii():  # no ASCII character is wide, a format character or a mark
        return len(text)
    return sum(char_columns(ch) for ch in text)


def may_break_between(left: str, right: str) -> bool:
    """May a line end between ``left`` and ``right``? Never before a closing
    mark, after an opening one, at a no-break space, or inside a run of
    Latin letters or digits (a word or a number)."""
    if left == NO_BREAK_SPACE or right == NO_BREAK_SPACE:
        return False
    if right in NO_LINE_START or left in NO_LINE_END:
        return False
    return not (_wordy(left) and _wordy(right))


def _wordy(ch: str) -> bool:
    return bool(ch) and not ch.isspace() and not is_cjk(ch)


#: punctuation both scripts use; its face follows its neighbours
SHARED_PUNCTUATION = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014")


def latin_faced(text: str) -> frozenset[int]:
    """Positions in ``text`` of shared punctuation (’ ‘ “ ” – —) and spaces
    that sit between Latin letters or digits ("Shanghai’s", "2020–2023",
    "Content Creators"), which take the Latin face in both writers: in a
    CJK face each is a full-width glyph that opens gaps in the words.
    Elsewhere they keep the CJK face, as Chinese quotation marks around
    Chinese text should."""
    out: set[int] = set()
    for i, ch in enumerate(text):
        shared = ch in SHARED_PUNCTUATION or ch in _SPACES
        if shared and _latin_at(text, i - 1, -1) and _latin_at(text, i + 1, 1):
            out.add(i)
    return frozenset(out)


# a space between Latin words in Chinese text is the Latin face's space: the
# CJK faces' spaces run up to a full em, and "Online Audiovisual Content
# Creators Conference" opened wide gaps in a Chinese line
_SPACES = frozenset(" \u00a0")


def _latin_at(text: str, i: int, step: int) -> bool:
    # the nearest character that is not itself shared punctuation
    while 0 <= i < len(text) and text[i] in SHARED_PUNCTUATION:
        i += step
    return 0 <= i < len(text) and text[i].isalnum() and not is_cjk(text[i])
