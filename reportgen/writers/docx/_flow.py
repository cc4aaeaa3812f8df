"""What the modules that write blocks share, below all of them.

``Flow`` holds the document being written, its styles, the page turn
pending before the next body paragraph, and two callables: one writes
inline nodes into an element, one writes a nested block (the writer's
dispatch). The writer makes one ``Flow`` per brief and hands it to the
furniture, table and list modules, so none of them needs the writer
itself: they import this module, and the writer imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ... import model as m
from . import _oxml as ox
from ._inline import Fmt
from ._looks import BODY
from ._styles import Container, StyleBook


@dataclass(frozen=True)
class Ctx:
    """Where blocks are going: the paragraph style for plain paragraphs and
    how deep in lists we are."""

    para_style: str = BODY
    depth: int = 0


#: writes inline nodes into a paragraph, link or footnote element
InlineWriterFn = Callable[[etree._Element, tuple[m.Inline, ...], Fmt], None]
#: writes one block (any node kind) into a container
BlockWriterFn = Callable[[Container, object, Ctx], None]


@dataclass
class Flow:
    """The body as it is being written (see the module doc)."""

    docx: DocxDocument
    meta: m.Metadata
    styles: StyleBook
    inlines: InlineWriterFn
    block: BlockWriterFn
    #: the next body paragraph starts a new page (after a cover page)
    break_before: bool = False

    def para(self, container: Container, style: str) -> DocxParagraph:
        """A new paragraph; the first body paragraph starts a new page."""
        p = self.styles.paragraph(container, style)
        if self.break_before:
            p.paragraph_format.page_break_before = True
            self.break_before = False
        return p

    def follows_table(self, container: Container) -> bool:
        """True when the last block in ``container`` is a table: a table
        added now would join it, and needs a paragraph between."""
        blocks = ox.blocks_in(ox.element_of(container))
        return bool(blocks) and not ox.is_paragraph(blocks[-1])
