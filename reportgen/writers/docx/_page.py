"""The Word brief's pages: paper and margins (the profile's, as the PDF's),
the page label as fields, where headings will roughly fall (for the
contents' cached page numbers), and the keep-with-next marks that stop a
section opening at a page's foot.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Mm
from lxml import etree

from ... import model as m
from ...errors import RenderError
from ...layout import breaks, grid
from ...layout.page import label_parts, paper
from ...text.script import display_width
from . import _oxml as ox


@dataclass(frozen=True)
class PageBox:
    """The first section's paper and margins in EMU, as ``page_setup``
    left them."""

    width: int
    height: int
    top: int
    right: int
    bottom: int
    left: int

    @property
    def text_width(self) -> int:
        """The width between the margins."""
        return self.width - self.left - self.right

    @property
    def text_height(self) -> int:
        """The height between the margins."""
        return self.height - self.top - self.bottom


def page_box(docx: DocxDocument) -> PageBox:
    """The paper and margins of ``docx``'s first section. python-docx reads
    each as optional (a section may leave it unset); ``page_setup`` sets
    every one a reference document leaves out, so none is missing here."""
    section = docx.sections[0]
    sizes = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.right_margin,
        section.bottom_margin,
        section.left_margin,
    )
    known = [size for size in sizes if size is not None]
    if len(known) < len(sizes):
        raise RenderError("the Word document's section has no page size or margins")
    return PageBox(*known)


class PageEstimate:
    """Where each heading will roughly fall, counted in body lines, so the
    cached contents shows plausible page numbers before Word recalculates
    them (LibreOffice never does). Deliberately simple: text length over
    characters per line, fixed allowances for boxes and charts."""

    LINE_PT = 14.5  # 10.5 pt Arial at 1.2 line spacing

    def __init__(self, docx: DocxDocument, first_page: int, counting: bool = True) -> None:
        box = page_box(docx)
        width_pt = box.text_width / 12700
        height_pt = box.text_height / 12700
        self.chars = max(20, int(width_pt / 5.4))
        self.per_page = max(10.0, height_pt / self.LINE_PT)
        self.first_page = first_page
        # the pages serve only the contents' cached numbers: without a
        # contents list nothing is counted (a long table's every cell measured)
        self.counting = counting
        self.lines = 0.0
        self.heading_page: dict[str, int] = {}

    def place(self, block: object) -> None:
        if not self.counting:
            return
        page = self.first_page + int(self.lines // self.per_page)
        for heading in m.headings_in(block):
            self.heading_page.setdefault(heading.anchor, page)
        self.lines += self.lines_of(block, self.chars)

    def lines_of(self, block: object, chars: int) -> float:
        if isinstance(block, m.Heading):
            return 2.6 if block.level <= 1 else 2.0
        if isinstance(block, m.Paragraph):
            return _wrapped(m.plain_text(block.children), chars) + 0.6
        if isinstance(block, (m.BulletList, m.OrderedList)):
            inner = [b for item in block.items for b in item.blocks]
            return sum(self.lines_of(b, chars - 6) - 0.3 for b in inner)
        if isinstance(block, (m.Callout, m.BlockQuote)):
            return 2.0 + sum(self.lines_of(b, chars - 6) for b in block.blocks)
        if isinstance(block, m.Table):
            return 3.0 + sum(self.row_lines(row, chars) for row in (block.header, *block.rows))
        if isinstance(block, m.KeyFigures):
            return 3.0 + 5.0 * grid.figure_grid(len(block.items))[1]
        if isinstance(block, m.Chart):
            return 6.0 + 1.8 * len(block.points)
        return 1.5

    def row_lines(self, row: tuple[m.TableCell, ...], chars: int) -> float:
        share = max(8, chars // max(1, len(row)))
        return max((_wrapped(m.plain_text(c.children), share) for c in row), default=1) * 0.9


def _emu(length: int | None) -> int:
    return int(length or 0)


def _fits(text: str, chars: int, lines: int) -> bool:
    """``_wrapped(text, chars) <= lines`` (``lines`` at least one), without
    measuring a text of at most half the characters of ``lines`` lines: no
    character takes more than two columns."""
    return 2 * len(text) <= lines * max(chars, 8) or _wrapped(text, chars) <= lines


def _wrapped(text: str, chars: int) -> int:
    """Lines ``text`` takes at ``chars`` columns a line."""
    columns = max(chars, 8)
    # no character takes more than two columns (text.script.char_columns),
    # so a text of at most half a line's characters is one line, whatever its
    # script: most of a long table's cells, not measured character by character
    if 2 * len(text) <= columns:
        return 1
    return max(1, math.ceil(display_width(text) / columns))


#: the Brief Table style's text size, which the column proportions assume
_FURNITURE_CM = 1.1


def page_setup(docx: DocxDocument, meta: m.Metadata, keep: bool) -> None:
    """The profile's paper and margins (``page.py``), the same as the PDF's;
    with ``keep`` (a reference document) only what its section leaves unset:
    some, like pandoc's, carry no page size at all."""
    section = docx.sections[0]
    if not keep:
        section.orientation = WD_ORIENT.PORTRAIT
    width, height = paper(meta.page_size)
    top, right, bottom, left = meta.margins
    chosen = {
        "page_width": Mm(width),
        "page_height": Mm(height),
        "top_margin": Mm(top),
        "bottom_margin": Mm(bottom),
        "left_margin": Mm(left),
        "right_margin": Mm(right),
        "header_distance": Cm(_FURNITURE_CM),
        "footer_distance": Cm(_FURNITURE_CM),
    }
    for name, value in chosen.items():
        if not keep or getattr(section, name) is None:
            setattr(section, name, value)


#: the field each number of a page label is drawn as, and its cached result
_LABEL_FIELDS = {"page": ("PAGE", "1"), "pages": ("NUMPAGES", "1")}


def page_label_runs(label: str) -> list[etree._Element]:
    """A page label (``page.label_parts``, as the PDF's) as Word draws it:
    its text in runs, the page number a PAGE field and the page count a
    NUMPAGES field, which Word fills in on every page."""
    try:
        parts = label_parts(label)
    except ValueError as exc:
        raise RenderError(str(exc)) from exc
    runs: list[etree._Element] = []
    for part in parts:
        if part.kind == "text":
            runs.append(ox.run(part.text))
        else:
            runs += ox.field(*_LABEL_FIELDS[part.kind])
    return runs


def keep_openings(body: etree._Element, chars: int) -> None:
    """A heading keeps with the paragraph after it (its style says so); a
    paragraph shorter than the layout's ``LINES_AFTER_HEADING`` keeps with
    what follows too, so a section never opens at a page's foot with one
    line of text under its heading."""
    heading_ids = {f"Heading{n}" for n in (1, 2, 3)}
    for before, after in pairwise(ox.blocks_in(body)):
        if ox.style_of(before) not in heading_ids or not ox.is_paragraph(after):
            continue
        if ox.style_of(after) in heading_ids:
            continue
        # fewer lines than LINES_AFTER_HEADING
        if _fits(ox.text_of(after), chars, breaks.LINES_AFTER_HEADING - 1):
            ox.keep_with_next(after)


def keep_short_paragraphs_whole(body: etree._Element, chars: int) -> None:
    """A body paragraph of at most ``breaks.KEEP_WHOLE_LINES`` lines keeps
    its lines on one page, as the PDF keeps it (a short reference entry is
    never split over a page turn)."""
    for block in ox.blocks_in(body):
        if not ox.is_paragraph(block) or ox.style_of(block) != BODY_ID:
            continue
        if _fits(ox.text_of(block), chars, breaks.KEEP_WHOLE_LINES):
            ox.keep_lines(block)


#: the style id of Body Text, the style of running text
BODY_ID = "BodyText"


def keep_lead(paragraph: etree._Element, chars: int) -> None:
    """A paragraph leading from a heading into a block (``breaks.leads_into``)
    keeps with that block's first part when it is as short as a lead."""
    if breaks.is_lead(_wrapped(ox.text_of(paragraph), chars)):
        ox.keep_with_next(paragraph)


def keep_the_end_together(body: etree._Element) -> None:
    """The brief's last paragraph keeps the one before it on its page (the
    notes are footnotes, so they stay with their text already): a last
    page never holds a lone citation line."""
    last_two = ox.blocks_in(body)[-2:]
    if len(last_two) == 2 and all(ox.is_paragraph(c) for c in last_two):
        ox.keep_with_next(last_two[0])
