"""The Word writer's core: one ``DocxWriter`` per brief walks the blocks
through a dispatch table and builds the document in order.

Everything visible is carried by named styles (``_looks``, ``_styles``), so
an editor who restyles the brief in Word changes every instance at once.
Raw WordprocessingML lives in ``_oxml`` and ``_oxml_format``; the modules
beside this one decide what goes where.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from docx.opc.part import Part
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ... import model as m
from ...errors import RenderError, ReportgenError
from ...layout import breaks, heading_inlines, sources
from .. import WriterOptions
from . import _furniture, _lists, _tables
from . import _oxml as ox
from . import _oxml_format as oxf
from ._flow import Ctx, Flow
from ._inline import Fmt, InlineWriter
from ._lists import ListNumbering
from ._looks import TABLE_GAP, word_fonts
from ._package import base_document, finish, properties, save
from ._page import (
    PageEstimate,
    keep_lead,
    keep_openings,
    keep_short_paragraphs_whole,
    keep_the_end_together,
    page_box,
    page_setup,
)
from ._styles import Container, StyleBook
from ._table_styles import KEY_MESSAGES_PAD, key_messages_box

#: a block's writer, by its node's ``kind``: the key says which node type
#: it is given, which a type checker cannot see through the table
BlockHandler = Callable[[Container, Any, Ctx], None]


class DocxWriter:
    """One brief's .docx being built: the block dispatch and the state the
    blocks share (styles, list numbering, the pending page turn, the
    contents' cached page numbers). Furniture, tables, lists and inline
    content are drawn by the modules beside this one, which get the
    ``Flow`` (``_flow``), never the writer."""

    def __init__(self, doc: m.Document, options: WriterOptions) -> None:
        self.doc = doc
        self.meta = doc.meta
        self.options = options
        self.docx = base_document(options.reference_docx)
        self.styles = StyleBook(
            self.docx, self.meta, options.reference_docx is None, word_fonts(options)
        )
        self.text = InlineWriter(doc, self.docx, self.styles)
        self.bookmarks = self.text.bookmarks
        self.list_numbering = ListNumbering(self.docx, self.styles)
        self.flow = Flow(self.docx, self.meta, self.styles, self.inlines, self.block)
        self.toc_pages: dict[str, etree._Element] = {}
        self.blocks: dict[str, BlockHandler] = {
            "heading": self.heading,
            "paragraph": self.paragraph,
            "bullet_list": partial(_lists.bullet_list, self.flow),
            "ordered_list": partial(_lists.ordered_list, self.flow, self.list_numbering),
            "table": partial(_tables.table, self.flow),
            "key_figures": partial(_tables.key_figures, self.flow),
            "callout": self.callout,
            "block_quote": self.block_quote,
            "chart": self.chart,
            "thematic_break": self.thematic_break,
        }

    # -- the whole document ------------------------------------------------

    def build(self) -> bytes:
        page_setup(self.docx, self.meta, keep=self.options.reference_docx is not None)
        self.styles.setup()
        self.list_numbering.setup()
        body = ox.body_of(self.docx)
        _furniture.title_block(self.flow, body, self.options.logo)
        digest = self.meta.layout == "digest"  # one compact page: no contents, no turn
        if self.meta.contents and not digest:
            headings = list(self.doc.headings())
            self.toc_pages = _furniture.contents(self.flow, body, headings, self.bookmarks)
        # page one carries the opening of the brief unless the profile asks for a cover
        self.flow.break_before = self.meta.cover and not digest
        first_page = 2 if self.flow.break_before else 1
        pages = PageEstimate(self.docx, first_page, counting=bool(self.toc_pages))
        leads = breaks.leads_into(self.doc.blocks)
        for i, block in enumerate(self.doc.blocks):
            pages.place(block)
            self.block(body, block, Ctx())
            if i in leads:  # a heading's lead keeps with the block it opens
                keep_lead(ox.blocks_in(self.docx.element.body)[-1], pages.chars)
        for anchor, cached in self.toc_pages.items():
            cached.text = str(pages.heading_page.get(anchor, ""))
        self.unreferenced_notes(body)
        keep_the_end_together(self.docx.element.body)
        keep_openings(self.docx.element.body, pages.chars)
        keep_short_paragraphs_whole(self.docx.element.body, pages.chars)
        self.room_after_tables(self.docx.element.body)
        if self.flow.follows_table(body):  # Word ends a body on a paragraph
            self.para(body, "Normal")
        _furniture.header_footer(self.flow)
        self.text.finish_footnotes()
        properties(self.docx, self.meta)
        finish(self.docx, self.meta, self.styles.words, self.options.reference_docx is None)
        return save(self.docx)

    def block(self, container: Container, node: object, ctx: Ctx) -> None:
        handler = self.blocks.get(getattr(node, "kind", ""))
        if handler is None:
            kind = getattr(node, "kind", type(node).__name__)
            raise RenderError(f"the Word writer cannot write a {kind!r} block")
        handler(container, node, ctx)

    def para(self, container: Container, style: str) -> DocxParagraph:
        """A new paragraph; the first body paragraph starts a new page."""
        return self.flow.para(container, style)

    # -- blocks ------------------------------------------------------------

    def heading(self, container: Container, node: m.Heading, ctx: Ctx) -> None:
        level = min(max(node.level, 1), 3)
        p = self.para(container, f"Heading {level}")
        self.inlines(ox.p_element(p), heading_inlines(node), Fmt())
        name = self.bookmarks.get(node.anchor)
        if name:
            ox.bookmark_around(ox.p_element(p), self.text.next_bookmark_id(), name)

    def paragraph(self, container: Container, node: m.Paragraph, ctx: Ctx) -> None:
        source = sources.source_line(node, self.meta.label("source"))
        if source is not None:  # a table's source line, set as a chart's is
            line = ox.p_element(self.para(container, "Source"))
            self.inlines(line, source, Fmt())
            ox.keep_table_before(line)  # and on its table's page
            return
        p = self.para(container, ctx.para_style)
        self.inlines(ox.p_element(p), node.children, Fmt())

    def callout(self, container: Container, node: m.Callout, ctx: Ctx) -> None:
        if node.style == "key-messages":
            self.key_messages(container, node)
            return
        table = _tables.add_table(self.flow, container, 1, 1, "Callout Box")
        cell = table.cell(0, 0)
        first = cell.paragraphs[0]
        if node.title:
            self.inlines(ox.p_element(self.para(cell, "Callout Title")), node.title, Fmt())
        for block in node.blocks:
            self.block(cell, block, Ctx(para_style="Callout Text"))
        _tables.drop_if_unused(cell, first)
        _tables.set_widths(self.styles, table, [1.0])
        oxf.row_per_block(ox.tbl_element(table))

    def key_messages(self, container: Container, node: m.Callout) -> None:
        """Page one's key messages, as in the PDF's ruled, tinted box: the
        label and the messages (list items) as paragraphs that share one
        set of borders and one fill, which Word and LibreOffice draw as
        one box that may turn a page between paragraphs."""
        parent = ox.element_of(container)
        start = len(ox.blocks_in(parent))
        if node.title:
            self.inlines(ox.p_element(self.para(container, "Callout Title")), node.title, Fmt())
        for block in node.blocks:
            self.block(container, block, Ctx(para_style="Callout Text"))
        borders = key_messages_box(self.styles.palette)
        for p in ox.blocks_in(parent)[start:]:
            if ox.is_paragraph(p):
                ppr = ox.ppr_of(p)
                oxf.boxed_indent(ppr, KEY_MESSAGES_PAD)
                oxf.paragraph_box(ppr, borders, self.styles.palette.tint)

    def block_quote(self, container: Container, node: m.BlockQuote, ctx: Ctx) -> None:
        for block in node.blocks:
            self.block(container, block, replace(ctx, para_style="Quote"))

    def thematic_break(self, container: Container, node: m.ThematicBreak, ctx: Ctx) -> None:
        self.para(container, "Thematic Break")

    def chart(self, container: Container, node: m.Chart, ctx: Ctx) -> None:
        try:
            from ... import charts  # drawn by the charts module for both writers
        except ImportError as exc:
            raise RenderError(f"charts cannot be drawn here: {exc}") from exc
        # the text width exactly (EMU, not whole twips), so the chart's layout
        # is the PDF writer's, laid out once for both
        width_pt = page_box(self.docx).text_width / 12700
        try:
            png = charts.to_png(
                node,
                width_pt,
                dpi=200,
                brand=dict(self.meta.brand),
                cjk_font=self.options.cjk_font,
                house=self.options.fonts,
            )
        except ReportgenError:
            raise
        except Exception as exc:
            raise RenderError(f"chart {node.title!r} could not be drawn: {exc}") from exc
        p = self.para(container, "Figure")
        shape = p.add_run().add_picture(io.BytesIO(png), width=Pt(width_pt))
        ox.describe_picture(ox.inline_of(shape), node.title, node.alt or node.title)
        # the picture draws its title; a caption repeating it reads twice (the
        # PDF prints a caption only when the chart has one)
        if node.caption:
            ox.append(ox.p_element(self.para(container, "Caption")), ox.run(node.caption))
        if node.source:
            ox.append(ox.p_element(self.para(container, "Source")), ox.run(node.source))

    def room_after_tables(self, body: etree._Element) -> None:
        """Space between a table and the paragraph after it, from that
        paragraph's space before: Word tables have no space after."""
        for after in ox.paragraphs_after_tables(body):
            if self.styles.space_before_of(ox.style_of(after)) < TABLE_GAP:
                oxf.space_before(ox.ppr_of(after), TABLE_GAP * 20)

    # -- inlines and notes -------------------------------------------------

    def inlines(
        self,
        parent: etree._Element,
        nodes: tuple[m.Inline, ...],
        fmt: Fmt,
        part: Part | None = None,
    ) -> None:
        self.text.inlines(parent, nodes, fmt, part)

    def unreferenced_notes(self, body: Container) -> None:
        """Notes nothing points at cannot be footnotes; list them at the end
        so no source is lost."""
        rest = [n for i, n in enumerate(self.doc.notes, 1) if i not in self.text.note_marks]
        if not rest:
            return
        label = self.meta.label("notes")
        if label:
            ox.append(ox.p_element(self.para(body, "Heading 3")), ox.run(label))
        for note in rest:
            p = self.para(body, "footnote text")
            ox.append(ox.p_element(p), ox.run(f"{note.number}. "))
            self.inlines(ox.p_element(p), note.children, Fmt(in_note=True))
