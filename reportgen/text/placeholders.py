"""Filling ``{name}`` placeholders in a user's string, safely.

Labels and other strings people write (``page_of: "Page {page} of {pages}"``)
must not go through ``str.format``: it follows attributes and indexes, so
``"{page.__class__.__init__.__globals__}"`` would print the interpreter's
internals. Here a placeholder is a bare name from a known list and nothing
else; ``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PlaceholderError(ValueError):
    """A string holds a placeholder that is not one of the known names."""


@dataclass(frozen=True, slots=True)
class Placeholder:
    """A ``{name}`` in a user's string."""

    name: str


def parse(template: str, names: Iterable[str]) -> list[str | Placeholder]:
    """``template`` in order as its literal text (``{{`` and ``}}`` a brace
    each, neighbouring text joined) and its placeholders. Raise
    PlaceholderError for any ``{...}`` that is not one of ``names``, and
    for a lone brace."""
    known = tuple(names)
    out: list[str | Placeholder] = []
    end = 0
    for match in _FIELD.finditer(template):
        _literal(out, template[end : match.start()])
        end = match.end()
        text = match.group(0)
        if text in ("{{", "}}"):
            _literal(out, text[0])
        elif match.group(1) in known:
            out.append(Placeholder(match.group(1)))
        else:
            listed = ", ".join(f"{{{n}}}" for n in known)
            raise PlaceholderError(
                f"{text!r} is not a placeholder this text may use; use only {listed} "
                "(and {{ or }} for a literal brace)"
            )
    _literal(out, template[end:])
    return out


def _literal(out: list[str | Placeholder], text: str) -> None:
    if not text:
        return
    if out and isinstance(out[-1], str):
        out[-1] += text
    else:
        out.append(text)


def check(template: str, names: tuple[str, ...]) -> None:
    """Raise PlaceholderError unless every ``{...}`` in ``template`` is one
    of ``names`` (or an escaped brace)."""
    parse(template, names)


def substitute(template: str, values: dict[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by ``values[name]``."""
    parts = parse(template, values)
    return "".join(p if isinstance(p, str) else str(values[p.name]) for p in parts)
