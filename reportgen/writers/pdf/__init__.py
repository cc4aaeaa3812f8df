"""The PDF writer: a ``Document`` to the bytes of a designed policy brief.

Built with reportlab Platypus. ``write`` wires the parts together; the
modules beside it each own one job:

==============  ==============================================================
``_brief``      title block, contents, notes section, furniture, the build
``_blocks``     one function per block kind (``_table`` for tables)
``_table``      data tables: column widths, shared cells, split page by page
``_para``       the context ``Ctx`` and the paragraph makers
``_inline``     inline markup and escaping for reportlab paragraphs
``_frags``      ready fragments for one-run markup (no parser for plain cells)
``_styles``     geometry and type scale: the theme
``_layout``     pages, outline, contents entries, page totals
``_fonts``      fonts: registration (from the font cache), coverage, fallback
``_cjk``        kinsoku line breaking for CJK paragraphs
``_bold``       stroked (synthetic) bold for one-weight families; paragraphs
                that keep their lines when wrapped again at the same width
``_tracking``   the Kai role set as densely as the body face
``_rl``         reportlab's internals, the only module that touches them
==============  ==============================================================
"""

from __future__ import annotations

from reportlab.platypus import NextPageTemplate, PageBreak

from ...layout import lay_out
from ...model import Document
from .. import WriterOptions
from ..rendered import Rendered, pdf_fonts
from . import _brief, _fonts
from ._blocks import Ctx, render_blocks
from ._inline import InlineRenderer
from ._layout import Geometry
from ._styles import make_theme

__all__ = ["render", "write"]


def write(doc: Document, options: WriterOptions) -> bytes:
    """Render ``doc`` as PDF bytes; identical input gives identical bytes."""
    return render(doc, options).payload


def render(doc: Document, options: WriterOptions) -> Rendered:
    """Render ``doc`` as a PDF, with the page count its layout ended on and
    the fonts it embeds."""
    doc = lay_out(doc)  # the layout's decisions, the same the .docx draws
    fontset = _fonts.load(options.cjk_font, options.fonts)
    theme = make_theme(doc.meta, fontset)
    anchors, node_keys = _brief.anchor_keys(doc)
    link_colour = "#" + theme.primary.hexval()[2:]
    notes = frozenset(n.number for n in doc.notes)
    inline = InlineRenderer(fontset, anchors, notes, link_colour)
    geometry = Geometry.of(doc.meta)
    ctx = Ctx(  # built complete: nothing patches it afterwards
        theme,
        inline,
        anchors,
        geometry.frame_width,
        brand=dict(doc.meta.brand),
        cjk_font=options.cjk_font,
        house_fonts=options.fonts,
        node_keys=node_keys,
        compact=doc.meta.layout == "digest",
        source_label=doc.meta.label("source"),
    )
    furniture = _brief.furniture(doc.meta, ctx, geometry)
    body = _brief.notes_section(doc, ctx, render_blocks(doc.blocks, ctx))
    front = _brief.title_block(doc.meta, ctx, options.logo)
    if doc.meta.contents and doc.meta.layout != "digest":
        front += _brief.contents(doc, ctx)
    _brief.raise_missing(fontset)
    _fonts.warn_if_unembedded(fontset)
    # Page one holds the title block and the opening of the brief; only a
    # profile that asks for a cover gives the title (and contents) a page.
    turn = [PageBreak()] if doc.meta.cover and body else []
    story = [NextPageTemplate("body"), *front, *turn, *body]
    payload, pages = _brief.build(doc.meta, furniture, story)
    return Rendered(payload, pages, pdf_fonts(payload))
