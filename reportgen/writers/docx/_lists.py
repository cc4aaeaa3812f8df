"""Lists in Word: the numbering definitions behind the list styles, a
fresh numbering instance per ordered list, and the items themselves.

``bullet_list`` and ``ordered_list`` are functions of the body being
written (``_flow.Flow``).
"""

from __future__ import annotations

from dataclasses import replace

from docx.document import Document as DocxDocument
from lxml import etree

from ... import model as m
from . import _oxml as ox
from . import _oxml_format as oxf
from ._flow import Ctx, Flow
from ._inline import Fmt
from ._looks import LATIN_BODY
from ._styles import Container, StyleBook

# List styles by kind and depth; deeper lists reuse the third level.
LIST_STYLES = {
    "bullet": ("List Bullet", "List Bullet 2", "List Bullet 3"),
    "number": ("List Number", "List Number 2", "List Number 3"),
    "continue": ("List Continue", "List Continue 2", "List Continue 3"),
}
BULLET_LEVELS = (
    ("bullet", "•", LATIN_BODY),
    ("bullet", "–", LATIN_BODY),
    ("bullet", "▪", LATIN_BODY),
)
NUMBER_LEVELS = (
    ("decimal", "%1.", None),
    ("lowerLetter", "%2.", None),
    ("lowerRoman", "%3.", None),
)


def bullet_list(flow: Flow, container: Container, node: m.BulletList, ctx: Ctx) -> None:
    depth = min(ctx.depth, 2)
    style = LIST_STYLES["bullet"][depth]
    for item in node.items:
        list_item(flow, container, item, ctx, style, None)


def ordered_list(
    flow: Flow,
    numbering: ListNumbering,
    container: Container,
    node: m.OrderedList,
    ctx: Ctx,
) -> None:
    """An ordered list, numbered by a fresh instance of ``numbering``'s
    definition, so it starts at its own ``start``."""
    depth = min(ctx.depth, 2)
    style = LIST_STYLES["number"][depth]
    num_pr = numbering.restart(style, node.start)
    for item in node.items:
        list_item(flow, container, item, ctx, style, num_pr)


def list_item(
    flow: Flow,
    container: Container,
    item: m.ListItem,
    ctx: Ctx,
    style: str,
    numbering: etree._Element | None,
) -> None:
    """The item's first paragraph carries the bullet or number; later
    paragraphs continue at its indent; nested lists go one level in."""
    inner = replace(ctx, depth=ctx.depth + 1, para_style=LIST_STYLES["continue"][min(ctx.depth, 2)])
    for index, block in enumerate(item.blocks):
        if index == 0 and isinstance(block, m.Paragraph):
            p = flow.para(container, style)
            if numbering is not None:
                ox.set_ppr(ox.p_element(p).get_or_add_pPr(), ox.copy_element(numbering))
            flow.inlines(ox.p_element(p), block.children, Fmt())
        else:
            flow.block(container, block, inner)


class ListNumbering:
    """Numbering definitions behind the list styles, and one new list
    instance per ordered list so each restarts at its own ``start``."""

    def __init__(self, docx: DocxDocument, styles: StyleBook) -> None:
        self.docx = docx
        self.styles = styles

    @property
    def numbering(self) -> etree._Element:
        return self.docx.part.numbering_part.element

    def setup(self) -> None:
        """Link each list style to a level of our definitions, unless a
        reference document already numbers it."""
        todo = {
            kind: [s for s in LIST_STYLES[kind] if self.restyle_or_unnumbered(s)]
            for kind in ("bullet", "number")
        }
        for kind, levels in (("bullet", BULLET_LEVELS), ("number", NUMBER_LEVELS)):
            if not todo[kind]:
                continue
            names = LIST_STYLES[kind]
            spec = [
                (f, t, font, self.styles.id(n))
                for (f, t, font), n in zip(levels, names, strict=True)
            ]
            abstract_id = oxf.next_abstract_id(self.numbering)
            oxf.insert_abstract_num(self.numbering, oxf.abstract_num(abstract_id, spec))
            num_id = oxf.add_num(self.numbering, abstract_id)
            for ilvl, name in enumerate(names):
                if name in todo[kind]:
                    ox.set_ppr(self.ppr(name), oxf.num_pr(num_id, ilvl))

    def restyle_or_unnumbered(self, name: str) -> bool:
        return self.styles.restyle or oxf.numbering_of(self.ppr(name)) is None

    def ppr(self, name: str) -> etree._Element:
        return self.styles.get(name).element.get_or_add_pPr()

    def restart(self, style: str, start: int) -> etree._Element | None:
        """A numPr for a fresh list instance of ``style``'s numbering."""
        numbering = oxf.numbering_of(self.ppr(style))
        if numbering is None:
            return None
        num_id, ilvl = numbering
        abstract_id = oxf.abstract_id_of(self.numbering, num_id)
        new_id = oxf.restart_num(self.numbering, abstract_id, ilvl, max(start, 0))
        return oxf.num_pr(new_id, ilvl)
