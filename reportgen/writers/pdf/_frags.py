"""Paragraph fragments for markup of one run of text, without the parser.

reportlab parses the markup of every Paragraph with an HTML parser, which
is most of the cost of making one: a 10,000-row table makes 10,000
paragraphs of names alone. Markup that is one run of text, inside tags
opened before it and closed after it (``<i>Series 12</i>``, plain words),
parses to one fragment whose attributes come from the tags and the style,
never from the text: so the tags are parsed once per style around a
single letter, and that fragment is cloned with each text. Anything else
(tags or entities inside the text, anchors, bullets, several runs) is
parsed by reportlab as before. ``Paragraph`` takes ready fragments through
its ``frags`` argument, which is how it makes the parts of a split.
"""

from __future__ import annotations

import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ._rl import ParaFrag, cleanBlockQuotedText, textTransformFrags

#: leading tags, one run of text (no tag, no entity), trailing tags
_ONE_RUN = re.compile(r"((?:<[^<>]*>)*)([^<>&]+)((?:<[^<>]*>)*)")
#: the text the tags are parsed around; any letter would do
_PROBE = "x"


class Fragments:
    """Fragments for one render's paragraphs (``ParaStyle`` objects are
    the render's own, so the cache lives as long as they do)."""

    def __init__(self) -> None:
        self._models: dict[tuple[int, str, str], tuple[ParagraphStyle, ParaFrag | None]] = {}

    def of(self, markup: str, style: ParagraphStyle) -> tuple[str, list[ParaFrag] | None]:
        """The text and fragments to make a Paragraph of ``markup`` with:
        the markup cleaned as Paragraph cleans it and its one fragment, or
        the markup itself and None where reportlab must parse it."""
        text = cleanBlockQuotedText(markup)  # what Paragraph does first
        run = _ONE_RUN.fullmatch(text)
        if run is None:
            return markup, None
        head, body, tail = run.groups()
        model = self._model(style, head, tail)
        if model is None:
            return markup, None
        frags = [model.clone(text=body)]
        textTransformFrags(frags, style)  # what Paragraph does after parsing
        return text, frags

    def _model(self, style: ParagraphStyle, head: str, tail: str) -> ParaFrag | None:
        key = (id(style), head, tail)
        found = self._models.get(key)
        if found is None or found[0] is not style:  # the style is held: its id stays its own
            found = self._models[key] = (style, _parsed_model(style, head, tail))
        return found[1]


def _parsed_model(style: ParagraphStyle, head: str, tail: str) -> ParaFrag | None:
    """The one fragment ``head``, a letter and ``tail`` parse to, or None
    when the tags make more (an anchor), change the text or the style, or
    bring a bullet of their own."""
    parsed = Paragraph(head + _PROBE + tail, style)
    frags = parsed.frags
    if len(frags) != 1 or parsed.style is not style:
        return None
    frag = frags[0]
    if getattr(frag, "text", None) != _PROBE or getattr(frag, "greek", 0):
        return None
    if hasattr(frag, "cbDefn") or parsed.bulletText is not getattr(style, "bulletText", None):
        return None
    return frag
