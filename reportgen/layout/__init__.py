"""The layout layer: the decisions a brief's layout takes, made once.

Between the model and the writers. ``lay_out(doc)`` returns the document
with every decision that changes what is printed already taken, so the
PDF and the .docx print the same:

- heading numbers (``numbering``: 一、/（一）/1./（1） or 1./1.1), set on
  ``Heading.number`` and drawn before the heading by ``heading_inlines``;
- links that cannot stay live (``links``) unwrapped to their words;
- note marks placed (``notes``): before Chinese closing punctuation,
  glued to the text they annotate, apart from a digit after them;
- unbreakable spans marked (``spans``): a number and its unit, a
  qualifier and its number, a 《title》, a short （aside）, a short Chinese
  name in Latin text, a document number and its label, set on the text
  that holds them (``Text.nobreak``); headings break only at punctuation
  or a space (``spans.bind_title``). Each writer keeps a span whole its
  own way; nothing is added to the text, which stays as typed.

Rules both writers read without a change to the document: how emphasis is
drawn by script (``emphasis``: CJK upright in Kai, Latin italic), where a
page may turn (``breaks``: short tables whole, two rows each side of a
split, three lines under a heading), and the Chinese heading hierarchy
(``headings``).

Decisions that depend on the writer's geometry are functions both writers
call with their own measures: ``grid.figure_columns`` (the key-figure
grid) and ``columns.column_shares`` (table column proportions). Script
rules (CJK, kinsoku, forbidden characters) live in ``script``.

Pure Python: nothing here imports reportlab or python-docx.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from typing import TypeGuard, TypeVar

from .. import model as m
from ..text import script
from . import breaks, columns, emphasis, grid, headings, links, notes, numbering, spans

__all__ = [
    "breaks",
    "columns",
    "emphasis",
    "grid",
    "heading_inlines",
    "headings",
    "lay_out",
    "links",
    "notes",
    "numbering",
    "script",
    "spans",
]

#: a node of the model, rewritten to its own type
_Node = TypeVar("_Node")


def heading_inlines(heading: m.Heading) -> tuple[m.Inline, ...]:
    """What a writer prints for ``heading``: its number, then its text."""
    if not heading.number:
        return heading.children
    return (m.Text(heading.number), *heading.children)


def lay_out(doc: m.Document) -> m.Document:
    """``doc`` with the layout's decisions taken (see the module doc).
    Taking them twice changes nothing."""
    rules = _Rules(doc)
    # top-level headings are sections, set to break only at punctuation or
    # a space; a heading inside a box is the box's title
    blocks = tuple(
        rules.heading(b) if isinstance(b, m.Heading) else rules.block(b) for b in doc.blocks
    )
    notes_ = tuple(replace(n, children=rules.inlines(n.children)) for n in doc.notes)
    return replace(doc, blocks=_numbered(blocks, doc.meta), notes=notes_)


def _numbered(blocks: tuple[m.Block, ...], meta: m.Metadata) -> tuple[m.Block, ...]:
    """Top-level headings numbered in the scheme the metadata asks for
    (headings inside boxes are the boxes' titles, not sections)."""
    scheme = numbering.resolve(meta.numbering, meta.lang)
    heads = [b for b in blocks if isinstance(b, m.Heading)]
    found = numbering.numbers([(h.level, h.numbered) for h in heads], scheme)
    given = {id(h): n for h, n in zip(heads, found, strict=True)}
    return tuple(
        replace(b, number=given[id(b)]) if isinstance(b, m.Heading) and id(b) in given else b
        for b in blocks
    )


class _Rules:
    """Applies the inline rules to every inline sequence of a document."""

    def __init__(self, doc: m.Document) -> None:
        self.chinese = doc.meta.lang.lower().startswith("zh")
        self.anchors = frozenset(h.anchor for h in doc.headings())

    def block(self, node: _Node) -> _Node:
        # a model node is a dataclass instance; anything else, the writer reports
        if not is_dataclass(node) or isinstance(node, type):
            return node
        changes: dict[str, tuple[object, ...]] = {}
        for f in fields(node):
            value = getattr(node, f.name)
            if isinstance(value, tuple) and value:
                changes[f.name] = self.tuple_(value)
        return replace(node, **changes) if changes else node

    def tuple_(self, value: tuple[object, ...]) -> tuple[object, ...]:
        if _all_rows(value):  # table rows
            return tuple(self.tuple_(row) for row in value)
        if _all_inline(value):
            return self.inlines(value)
        return tuple(self.block(v) if hasattr(v, "kind") else v for v in value)

    def heading(self, node: m.Heading) -> m.Heading:
        """A section heading: its own text breaks only at punctuation or a
        space (``spans.bind_title``)."""
        return replace(node, children=self.inlines(node.children, title=True))

    def inlines(self, nodes: tuple[m.Inline, ...], title: bool = False) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for node in notes.place_marks(nodes, self.chinese):
            out.extend(self.inline(node, title))
        return tuple(out)

    def inline(self, node: m.Inline, title: bool = False) -> tuple[m.Inline, ...]:
        if isinstance(node, m.Text):
            bind = spans.bind_title if title else spans.bind
            return (replace(node, nobreak=bind(node.text)),)
        if isinstance(node, m.Link) and not links.is_live(node.href, self.anchors):
            return self.inlines(node.children, title)  # the words stay, the link goes
        if isinstance(node, (m.Strong, m.Emphasis, m.Link)):
            return (replace(node, children=self.inlines(node.children)),)
        return (node,)


_INLINE = (m.Text, m.Strong, m.Emphasis, m.Code, m.Link, m.NoteRef, m.LineBreak)


def _all_rows(value: tuple[object, ...]) -> TypeGuard[tuple[tuple[object, ...], ...]]:
    return all(isinstance(v, tuple) for v in value)


def _all_inline(value: tuple[object, ...]) -> TypeGuard[tuple[m.Inline, ...]]:
    return all(isinstance(v, _INLINE) for v in value)
