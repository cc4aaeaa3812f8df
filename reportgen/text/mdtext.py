"""Markdown text safety: data is text, only templates make markup.

Every value a template prints passes through ``escape`` (Jinja's
``finalize``), so a title holding ``*``, ``_``, ``[``, ``<``, ``#`` or ``{{``
prints literally in every format. Filters that build markup on purpose
return ``MarkdownSafe``, which passes through untouched.
"""

from __future__ import annotations

import re

from .script import FORBIDDEN_CHARS, clean


class MarkdownSafe(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


# CommonMark lets any ASCII punctuation be backslash-escaped; these are the
# characters that can start markup anywhere in a line.
_INLINE = re.compile(r"([\\`*_\[\]<>{}|~&!^$])")
# and these only at the start of a line: headings, lists, quotes, rules
_LINE_START = re.compile(r"^(\s*)([#>+=-])", re.MULTILINE)
_LIST_NUMBER = re.compile(r"^(\s*\d+)([.)])(?=\s|$)", re.MULTILINE)
# Control characters no document format may hold: the one pattern and its
# ``clean`` live with the other script rules (re-exported for the loader).
__all__ = ["FORBIDDEN_CHARS", "MarkdownSafe", "clean", "escape", "markup"]


def escape(value: object) -> str:
    """``value`` as literal Markdown text (on one line)."""
    if isinstance(value, MarkdownSafe):
        return value
    text = clean(str(value)).replace("\r", " ").replace("\n", " ")
    text = _INLINE.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return MarkdownSafe(_LIST_NUMBER.sub(r"\1\\\2", text))


def markup(template: str, *values: object) -> MarkdownSafe:
    """Build Markdown from a pattern and escaped values: ``markup("*{}*", x)``."""
    return MarkdownSafe(template.format(*(escape(v) for v in values)))
