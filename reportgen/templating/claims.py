"""The template claim lint: a sentence a template types out without printing
any data is probably a claim (a finding, a piece of advice) that belongs in
the data, where it carries a source note or is marked as the issuing
office's judgement.

Templates hold structure and connective wording only. A connective phrase is
short ("Those named include {{ ... }}"); a sentence of eight words or more
that prints nothing from the data asserts something on its own. Chinese has
no spaces, so it is measured in Han characters: fifteen are about eight
English words (the budget check counts 1.6 characters a word; sentences are
denser).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

#: a sentence this long (words, or Han characters) that prints no data is flagged
MIN_WORDS = 8
MIN_HAN = 15

_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_STATEMENT = re.compile(r"\{%.*?%\}", re.S)
#: where the data a template prints stands in the masked text
_DATA = "\x00"
#: sentence ends: Western punctuation before a space, CJK punctuation anywhere,
#: a table cell border, or a line break before a Markdown block or a blank line
_BREAK = re.compile(r"(?<=[.!?;:])\s+|(?<=[。！？；：])|\||\n(?=\s*(?:$|[#>*+-]|\d+\.|:::|\n))")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class TypedClaim:
    """A sentence of a template that asserts something without data."""

    line: int
    text: str

    @property
    def message(self) -> str:
        return (
            f'a claim typed into a template? "{self.text}" '
            "prints no data; put what it asserts in the data (key_messages, findings, "
            "limits, recommendations, with cite or basis: judgement) or keep the "
            "template's own wording to a short connective phrase"
        )


def typed_claims(source: str) -> Iterator[TypedClaim]:
    """Each sentence of ``source`` (a Jinja template) of at least eight words
    or fifteen Han characters that holds no ``{{ }}`` expression."""
    masked = mask(source)
    start = 0
    for match in [*_BREAK.finditer(masked), None]:
        end = match.start() if match else len(masked)
        sentence = masked[start:end]
        if _DATA not in sentence and _is_long(sentence):
            offset = start + len(sentence) - len(sentence.lstrip())
            yield TypedClaim(masked.count("\n", 0, offset) + 1, _readable(sentence))
        start = match.end() if match else end


def mask(source: str) -> str:
    """The template with comments and statements blanked and each printed
    expression replaced by a data mark, keeping every character's line."""
    source = _COMMENT.sub(_blank, source)
    source = _EXPRESSION.sub(lambda m: _DATA + _blank(m)[1:], source)
    return _STATEMENT.sub(_blank, source)


def _blank(match: re.Match[str]) -> str:
    return "".join("\n" if ch == "\n" else " " for ch in match.group(0))


def _is_long(sentence: str) -> bool:
    return len(_WORD.findall(sentence)) >= MIN_WORDS or len(_HAN.findall(sentence)) >= MIN_HAN


def _readable(sentence: str) -> str:
    """The sentence on one line, without Markdown marks, shortened."""
    text = " ".join(sentence.replace("*", "").split()).lstrip("#-> ")
    return text if len(text) <= 90 else text[:87] + "..."
