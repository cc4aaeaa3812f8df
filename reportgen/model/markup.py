"""Markdown -> document model, with markdown-it-py doing the parsing.

The rendered templates are CommonMark with tables, footnotes (the source
notes) and ``::: key-figures`` / ``::: note`` containers. Raw HTML is off: a
``<b>`` in the data stays text. Each syntax-tree node type has one small
builder function behind a dispatch table.

Charts are not parsed from the text: the chart filters hand over their
``Chart`` nodes (``charts``, by key) and leave a ``::: chart KEY`` box where
each stands, showing a reader of the Markdown its title and points; the box
is replaced by the node whole. A chart's data is never read back from the
Markdown, so no text a template writes can make one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from .. import model as m
from ..errors import TemplateError
from .typography import typeset_document

CONTAINERS = ("key-figures", "note", "key-messages", "chart")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table").use(footnote_plugin)
    for name in CONTAINERS:
        md.use(container_plugin, name)
    return md


_MD = _parser()


def parse(
    markdown: str, meta: m.Metadata, charts: Mapping[str, m.Chart] | None = None
) -> m.Document:
    """Parse rendered Markdown into a Document with ``meta``; ``charts``
    are the nodes the chart filters recorded, by the key of the
    ``::: chart`` box that stands for each."""
    builder = _Builder(meta, charts or {})
    blocks = builder.blocks(_tree(_MD.parse(markdown)))
    doc = m.Document(meta=meta, blocks=tuple(blocks), notes=tuple(builder.notes))
    return typeset_document(doc)


class _Node:
    """One node of the syntax tree: a token (a leaf, or an inline token
    with its children), or an opening token with the nodes up to its
    closing one. markdown-it's own ``SyntaxTreeNode`` keeps a parent link
    in every node and copies the remaining tokens at every level; a
    10,000-row table made 170,000 such nodes, costlier to build than the
    parse itself and left as cycles for the garbage collector. This one is
    built in one pass over the tokens and owns nothing but its children."""

    __slots__ = ("children", "token", "type")

    def __init__(self, token: Token, kind: str, children: list[_Node]) -> None:
        self.token, self.type, self.children = token, kind, children

    @property
    def tag(self) -> str:
        return self.token.tag

    @property
    def attrs(self) -> dict[str, str | int | float]:
        return self.token.attrs

    @property
    def content(self) -> str:
        return self.token.content

    @property
    def info(self) -> str:
        return self.token.info

    @property
    def meta(self) -> dict[Any, Any]:
        return self.token.meta


def _tree(tokens: list[Token]) -> list[_Node]:
    """The top-level nodes of a token stream, nested by opening and
    closing tokens; an inline token's children become its nodes."""
    top: list[_Node] = []
    stack: list[list[_Node]] = [top]
    for token in tokens:
        if token.nesting == 1:
            node = _Node(token, token.type.removesuffix("_open"), [])
            stack[-1].append(node)
            stack.append(node.children)
        elif token.nesting == -1:
            stack.pop()
        else:
            children = _tree(token.children) if token.children else []
            stack[-1].append(_Node(token, token.type, children))
    return top


class _Builder:
    """Walks the syntax tree; keeps the state a document needs (unique
    heading anchors, the notes)."""

    def __init__(self, meta: m.Metadata, charts: Mapping[str, m.Chart]) -> None:
        self.meta = meta
        self.charts = charts
        self.anchors: set[str] = set()
        self.notes: list[m.Note] = []

    # -- blocks -----------------------------------------------------------

    def blocks(self, nodes: list[_Node]) -> list[m.Block]:
        out: list[m.Block] = []
        for node in nodes:
            rule = _BLOCK_RULES.get(node.type)
            if rule is None:
                raise TemplateError(
                    f"the Markdown holds a '{node.type}' block, which briefs "
                    "do not support; remove it from the template"
                )
            built = rule(self, node)
            if built is not None:
                out.append(built)
        return out

    def heading(self, node: _Node) -> m.Heading:
        children, numbered = _unnumbered(self.inlines(node.children[0]))
        anchor = self.anchor(m.plain_text(children))
        return m.Heading(int(node.tag[1]), children, anchor, numbered=numbered)

    def anchor(self, text: str) -> str:
        base = _slug(text) or "section"
        anchor, n = base, 1
        while anchor in self.anchors:
            n += 1
            anchor = f"{base}-{n}"
        self.anchors.add(anchor)
        return anchor

    def paragraph(self, node: _Node) -> m.Paragraph:
        return m.Paragraph(self.inlines(node.children[0]))

    def items(self, node: _Node) -> tuple[m.ListItem, ...]:
        return tuple(m.ListItem(tuple(self.blocks(item.children))) for item in node.children)

    def bullet_list(self, node: _Node) -> m.BulletList:
        return m.BulletList(self.items(node))

    def ordered_list(self, node: _Node) -> m.OrderedList:
        start = int(node.attrs.get("start", 1))
        return m.OrderedList(self.items(node), start)

    def table(self, node: _Node) -> m.Table:
        rows = [row for section in node.children for row in section.children]
        header = tuple(self.cell(c) for c in rows[0].children)
        body = tuple(tuple(self.cell(c) for c in row.children) for row in rows[1:])
        align = tuple(_align(c) for c in rows[0].children)
        return m.Table(header, body, align)

    def cell(self, node: _Node) -> m.TableCell:
        return m.TableCell(self.inlines(node.children[0]) if node.children else ())

    def blockquote(self, node: _Node) -> m.BlockQuote:
        return m.BlockQuote(tuple(self.blocks(node.children)))

    def rule(self, node: _Node) -> m.ThematicBreak:
        return m.ThematicBreak()

    def fence(self, node: _Node) -> m.Block:
        if node.info.strip().lower() == "chart":
            raise TemplateError(
                "the Markdown holds a ```chart block, which briefs do not read; draw "
                "charts with the 'bar_chart' or 'timeline_chart' filter"
            )
        return m.Paragraph((m.Code(node.content.rstrip("\n")),))

    def chart(self, node: _Node) -> m.Chart:
        """A ``::: chart KEY`` box: the node a chart filter recorded under
        KEY, in its place (what the box shows is for Markdown readers)."""
        key = node.info.split()[1:2]
        chart = self.charts.get(key[0]) if key else None
        if chart is None:
            raise TemplateError(
                f"the Markdown holds a '::: chart' box no chart filter made "
                f"({node.info.strip()!r}); draw charts with the 'bar_chart' or "
                "'timeline_chart' filter"
            )
        return chart

    def key_figures(self, node: _Node) -> m.KeyFigures:
        """``::: key-figures`` holding a list of ``**value** label`` items."""
        lists = [c for c in node.children if c.type == "bullet_list"]
        if not lists:
            raise TemplateError(
                "a ::: key-figures box must hold a bullet list of '**value** label' items"
            )
        return m.KeyFigures(tuple(self.key_figure(item) for item in lists[0].children))

    def key_figure(self, item: _Node) -> m.KeyFigure:
        inlines = self.inlines(item.children[0].children[0]) if item.children else ()
        if inlines and isinstance(inlines[0], m.Strong):
            return m.KeyFigure(inlines[0].children, _strip_leading(inlines[1:]))
        return m.KeyFigure(inlines, ())

    def note(self, node: _Node) -> m.Callout:
        return m.Callout("note", tuple(self.blocks(node.children)))

    def key_messages(self, node: _Node) -> m.Callout:
        """``::: key-messages``: the brief's three to five messages for page
        one, drawn as a shaded, ruled box under the label 'Key messages'."""
        label = self.meta.label("key_messages")
        title = (m.Text(label),) if label else ()
        return m.Callout("key-messages", tuple(self.blocks(node.children)), title)

    def footnote_block(self, node: _Node) -> None:
        for footnote in node.children:
            paragraph = next((c for c in footnote.children if c.type == "paragraph"), None)
            children = self.inlines(paragraph.children[0]) if paragraph else ()
            self.notes.append(m.Note(footnote.meta["id"] + 1, children))

    # -- inlines ----------------------------------------------------------

    def inlines(self, node: _Node) -> tuple[m.Inline, ...]:
        out: list[m.Inline] = []
        for child in node.children:
            built = _INLINE_RULES[child.type](self, child) if child.type in _INLINE_RULES else None
            if built is None or (isinstance(built, m.Text) and not built.text):
                continue
            if isinstance(built, m.Text) and out and isinstance(out[-1], m.Text):
                out[-1] = m.Text(out[-1].text + built.text)  # merge split text runs
            else:
                out.append(built)
        return tuple(out)

    def text(self, node: _Node) -> m.Text:
        return m.Text(node.content)

    def softbreak(self, node: _Node) -> m.Text:
        return m.Text(" ")

    def hardbreak(self, node: _Node) -> m.LineBreak:
        return m.LineBreak()

    def code_inline(self, node: _Node) -> m.Code:
        return m.Code(node.content)

    def strong(self, node: _Node) -> m.Strong:
        return m.Strong(self.inlines(node))

    def em(self, node: _Node) -> m.Emphasis:
        return m.Emphasis(self.inlines(node))

    def link(self, node: _Node) -> m.Link:
        return m.Link(str(node.attrs.get("href", "")), self.inlines(node))

    def image(self, node: _Node) -> m.Text:
        # Images come only from the writers (logo, charts): in text, keep the alt.
        return m.Text(node.content)

    def footnote_ref(self, node: _Node) -> m.NoteRef:
        return m.NoteRef(node.meta["id"] + 1)


_BLOCK_RULES: dict[str, Callable[[_Builder, _Node], m.Block | None]] = {
    "heading": _Builder.heading,
    "paragraph": _Builder.paragraph,
    "bullet_list": _Builder.bullet_list,
    "ordered_list": _Builder.ordered_list,
    "table": _Builder.table,
    "blockquote": _Builder.blockquote,
    "hr": _Builder.rule,
    "fence": _Builder.fence,
    "code_block": _Builder.fence,
    "container_key-figures": _Builder.key_figures,
    "container_note": _Builder.note,
    "container_key-messages": _Builder.key_messages,
    "container_chart": _Builder.chart,
    "footnote_block": _Builder.footnote_block,
}

_INLINE_RULES: dict[str, Callable[[_Builder, _Node], m.Inline | None]] = {
    "text": _Builder.text,
    "softbreak": _Builder.softbreak,
    "hardbreak": _Builder.hardbreak,
    "code_inline": _Builder.code_inline,
    "strong": _Builder.strong,
    "em": _Builder.em,
    "link": _Builder.link,
    "image": _Builder.image,
    "footnote_ref": _Builder.footnote_ref,
}


def _strip_leading(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    if inlines and isinstance(inlines[0], m.Text):
        return (m.Text(inlines[0].text.lstrip()), *inlines[1:])
    return inlines


def _align(cell: _Node) -> str:
    style = str(cell.attrs.get("style", ""))
    found = re.search(r"text-align:(\w+)", style)
    return found.group(1) if found else "left"


#: pandoc's marks for a heading that takes no number: ``# Summary {-}``
_UNNUMBERED = re.compile(r"\s*\{(?:-|\.unnumbered)\}\s*$")


def _unnumbered(children: tuple[m.Inline, ...]) -> tuple[tuple[m.Inline, ...], bool]:
    """The heading's inlines without a trailing ``{-}``, and whether it is
    numbered."""
    last = children[-1] if children else None
    if not isinstance(last, m.Text) or not _UNNUMBERED.search(last.text):
        return children, True
    rest = _UNNUMBERED.sub("", last.text)
    return (*children[:-1], *((m.Text(rest),) if rest else ())), False


def _slug(text: str) -> str:
    """A stable anchor from heading text; keeps CJK letters."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s-]", "", text)
    return re.sub(r"[\s_-]+", "-", text).strip("-")[:60]
