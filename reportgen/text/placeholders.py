"""Filling ``{name}`` placeholders in a user's string, safely.

Labels and other strings people write (``page_of: "Page {page} of {pages}"``)
must not go through ``str.format``: it follows attributes and indexes, so
``"{page.__class__.__init__.__globals__}"`` would print the interpreter's
internals. Here a placeholder is a bare name from a known list and nothing
else; ``{{`` and ``}}`` stand for literal braces.
"""

from __future__ import annotations

import re

_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


class PlaceholderError(ValueError):
    """A string holds a placeholder that is not one of the known names."""


def check(template: str, names: tuple[str, ...]) -> None:
    """Raise PlaceholderError unless every ``{...}`` in ``template`` is one
    of ``names`` (or an escaped brace)."""
    substitute(template, dict.fromkeys(names, ""))


def substitute(template: str, values: dict[str, object]) -> str:
    """``template`` with each ``{name}`` replaced by ``values[name]``."""

    def one(match: re.Match[str]) -> str:
        text = match.group(0)
        if text in ("{{", "}}"):
            return text[0]
        name = match.group(1)
        if name is None or name not in values:
            known = ", ".join(f"{{{n}}}" for n in values)
            raise PlaceholderError(
                f"{text!r} is not a placeholder this text may use; use only {known} "
                "(and {{ or }} for a literal brace)"
            )
        return str(values[name])

    return _FIELD.sub(one, template)
