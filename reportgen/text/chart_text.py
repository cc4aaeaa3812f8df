"""Titles of works inside a chart's text: where a label or a note names them.

A chart's labels and notes are sentences from the data; the titles of the
series they name are set as the brief's text sets titles of works, which
the chart filters decide. This module only finds them: it cuts a text into
pieces, each a title or not, and knows nothing of styles or languages.
"""

from __future__ import annotations

from collections.abc import Iterable


def title_spans(text: str, titles: Iterable[str]) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_title) pieces, in order, that together
    are ``text``: every occurrence of one of ``titles`` is a piece of its
    own. The longest title is found first, so a title inside a longer one
    ("Moon" in "The Paper Moon") is not a piece of its own."""
    pieces = [(text, False)] if text else []
    for title in sorted({t for t in titles if t}, key=len, reverse=True):
        pieces = [cut for piece in pieces for cut in _cut(piece, title)]
    return pieces


def _cut(piece: tuple[str, bool], title: str) -> list[tuple[str, bool]]:
    """``piece`` cut at each occurrence of ``title``; a title stays whole."""
    text, is_title = piece
    if is_title or title not in text:
        return [piece]
    cuts: list[tuple[str, bool]] = []
    for i, part in enumerate(text.split(title)):
        if i:
            cuts.append((title, True))
        if part:
            cuts.append((part, False))
    return cuts
