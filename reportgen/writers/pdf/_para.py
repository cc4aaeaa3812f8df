"""The PDF writer's rendering context and the paragraphs every block makes.

``Ctx`` says where a block is rendered (theme, width, body style); ``para``
and ``inline_para`` turn inline nodes into a Platypus paragraph, CJK text
into one that breaks lines by the layout's script rules. Both the block and
the table renderers use them, so neither imports the other.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from ...model import Inline, Text, plain_text
from ...text.script import has_cjk
from ._bold import BoldableParagraph
from ._cjk import KinsokuParagraph
from ._fonts import Family
from ._frags import Fragments
from ._inline import InlineRenderer, weight_of
from ._styles import Theme


@dataclass
class Ctx:
    """Where a block is being rendered: the theme, the space, the style."""

    theme: Theme
    inline: InlineRenderer
    anchors: dict[str, str]
    width: float
    body: str = "body"
    list_depth: int = 0
    nested: bool = False
    brand: dict[str, str] = field(default_factory=dict)
    cjk_font: Path | None = None
    #: a profile's house fonts, as ``WriterOptions.fonts`` (for the charts)
    house_fonts: tuple[tuple[str, tuple[Path, ...]], ...] = ()
    node_keys: dict[int, str] = field(default_factory=dict)  # id(heading) -> key
    counter: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    compact: bool = False  # a one-page digest: no page turns of our own
    source_label: str = ""  # the words that open a source line (layout.sources)
    #: fragments of one-run markup, made without the parser (``_frags``)
    fragments: Fragments = field(default_factory=Fragments)

    def family(self, style: ParagraphStyle) -> Family:
        body = self.theme.body
        names = {body.regular, body.bold, body.italic, body.bold_italic}
        return body if style.fontName in names else self.theme.head


def snippet(text: str, size: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def para(ctx: Ctx, markup: str, style_name: str, cjk: bool, bullet: str | None = None) -> Paragraph:
    """A paragraph in the named style, led by the ``bullet`` text if given
    (a note's number); CJK text gets the kinsoku breaker, which keeps the
    layout's unbreakable spans (``<nobr>``) whole (Latin wrapping breaks
    only at spaces, and a span's are no-break spaces)."""
    style = ctx.theme.style(style_name, cjk)
    kind = KinsokuParagraph if style.wordWrap == "CJK" else BoldableParagraph
    text, frags = ctx.fragments.of(markup, style)
    return kind(text, style, bulletText=bullet, frags=frags)


def inline_markup(ctx: Ctx, nodes: tuple[Inline, ...], style_name: str, where: str) -> str:
    """The markup of inline nodes set in the named style; ``where`` names
    the block in glyph errors."""
    style = ctx.theme.styles[style_name]
    family = ctx.family(style)
    # a bold style (a heading, a key figure) keeps its weight in runs set
    # in another family, such as the digits of 2880余 in a Chinese brief
    return ctx.inline.markup(nodes, family, where, weight_of(family, style.fontName))


def inline_para(ctx: Ctx, nodes: tuple[Inline, ...], style_name: str, where: str) -> Paragraph:
    """A paragraph of inline nodes; ``where`` names it in glyph errors."""
    markup = inline_markup(ctx, nodes, style_name, where)
    return para(ctx, markup, style_name, has_cjk(plain_text(nodes)))


def text_para(ctx: Ctx, text: str, style_name: str, where: str) -> Paragraph:
    return inline_para(ctx, (Text(text),), style_name, where)
