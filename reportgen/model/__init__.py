"""The document model: the one structure every writer consumes.

Markdown produced by the templates is parsed into these nodes (see
``markup.py``); the writers walk them and nothing else, so the Word and the
PDF edition of a brief cannot drift apart. Nodes are plain frozen data with a
``kind`` tag, in the manner of markdown-it-py's tokens, and ``pretty()``
prints a tree that tests can snapshot.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import ClassVar

# --------------------------------------------------------------------------
# Inline nodes


Span = tuple[int, int]
"""Part of a text, from its first character up to (not including) ``end``."""


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text; writers must escape it for their own format.

    ``nobreak`` holds the spans of ``text`` no line may break inside (a
    number and its unit, "2,880 companies", a short 《title》), in order,
    as (start, end) offsets; spans may touch, and a line may break between
    two that do. The layout sets them (``layout.spans``) and each writer
    keeps them whole its own way; the text itself stays as typed."""

    kind: ClassVar[str] = "text"
    text: str
    nobreak: tuple[Span, ...] = field(default=(), metadata={"quiet": True})


@dataclass(frozen=True, slots=True)
class Strong:
    kind: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    kind: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Code:
    kind: ClassVar[str] = "code"
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink. ``href`` starting with ``#`` points at a heading anchor."""

    kind: ClassVar[str] = "link"
    href: str
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A numbered reference to ``Document.notes[number - 1]``. ``glued``:
    no line may break before it, so the mark stays with the character it
    annotates (the layout's decision, ``layout.notes``)."""

    kind: ClassVar[str] = "note_ref"
    number: int
    glued: bool = field(default=False, metadata={"quiet": True})


@dataclass(frozen=True, slots=True)
class LineBreak:
    kind: ClassVar[str] = "line_break"


Inline = Text | Strong | Emphasis | Code | Link | NoteRef | LineBreak

# --------------------------------------------------------------------------
# Block nodes


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; ``anchor`` is unique within the document.

    ``numbered`` is False for a heading the Markdown marks ``{-}`` (pandoc's
    unnumbered class); ``number`` is the number the layout gave it
    (``layout.numbering``), drawn before ``children`` by both writers."""

    kind: ClassVar[str] = "heading"
    level: int
    children: tuple[Inline, ...]
    anchor: str
    numbered: bool = field(default=True, metadata={"quiet": True})
    number: str = field(default="", metadata={"quiet": True})


@dataclass(frozen=True, slots=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class ListItem:
    kind: ClassVar[str] = "list_item"
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    kind: ClassVar[str] = "bullet_list"
    items: tuple[ListItem, ...]


@dataclass(frozen=True, slots=True)
class OrderedList:
    kind: ClassVar[str] = "ordered_list"
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True, slots=True)
class TableCell:
    kind: ClassVar[str] = "table_cell"
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table with one header row. ``align`` holds 'left', 'center' or
    'right' per column."""

    kind: ClassVar[str] = "table"
    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    align: tuple[str, ...]
    caption: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class KeyFigure:
    """One large number with its short label, e.g. '225.5 billion yuan' /
    'online audiovisual market, 2023'."""

    kind: ClassVar[str] = "key_figure"
    value: tuple[Inline, ...]
    label: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class KeyFigures:
    """The key-figures callout: a designed box of large numbers."""

    kind: ClassVar[str] = "key_figures"
    items: tuple[KeyFigure, ...]
    title: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class Callout:
    """A boxed aside (``::: note`` in the templates)."""

    kind: ClassVar[str] = "callout"
    style: str
    blocks: tuple[Block, ...]
    title: tuple[Inline, ...] = ()


@dataclass(frozen=True, slots=True)
class BlockQuote:
    kind: ClassVar[str] = "block_quote"
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class ChartRun:
    """A stretch of chart text in one style: ``italic`` for the title of a
    work, which the chart layout sets in the italic face (in English; a
    Chinese chart writes the title in 《》 and sets it upright)."""

    text: str
    italic: bool = False


@dataclass(frozen=True, slots=True)
class ChartText:
    """A chart label or note as runs, in reading order. ``text`` is what it
    says, with no style: the words of the text alternative and of messages."""

    runs: tuple[ChartRun, ...] = ()

    @classmethod
    def of(cls, text: str) -> ChartText:
        """``text`` as one upright run (no run for an empty text)."""
        return cls((ChartRun(text),) if text else ())

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One bar or one timeline event: ``label`` on the axis, ``value`` to
    scale by, ``display`` the formatted value, ``note`` a short text
    (the event, for timelines)."""

    kind: ClassVar[str] = "chart_point"
    label: ChartText
    value: float
    display: str = ""
    note: ChartText = ChartText()


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart definition drawn from the data; the ``charts`` package lays
    it out once and draws it for both writers. ``chart_type`` is 'bar' or
    'timeline'; ``alt`` is the text alternative for screen readers;
    ``lang`` the language its labels are written in, and so the one its
    numbers (the axis ticks) are written in, as the brief's text writes them."""

    kind: ClassVar[str] = "chart"
    chart_type: str
    title: str
    points: tuple[ChartPoint, ...]
    caption: str = ""
    source: str = ""
    alt: str = ""
    unit: str = ""
    lang: str = field(default="en", metadata={"quiet": True})


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    kind: ClassVar[str] = "thematic_break"


Block = (
    Heading
    | Paragraph
    | BulletList
    | OrderedList
    | Table
    | KeyFigures
    | Callout
    | BlockQuote
    | Chart
    | ThematicBreak
)

# --------------------------------------------------------------------------
# The document


@dataclass(frozen=True, slots=True)
class Note:
    """A numbered source note; its text cites a publication and locator."""

    kind: ClassVar[str] = "note"
    number: int
    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Metadata:
    """What a writer needs besides the body: properties and labels.

    ``labels`` holds the few words a writer prints on its own (contents,
    notes, 'Page {page} of {pages}'), so writers never hold language.
    ``layout`` is 'report' or 'digest' (one compact page). ``date`` is ISO
    ``YYYY-MM-DD`` and ``date_text`` the same date as the brief's language
    writes it; ``timestamp`` is seconds since the epoch for file properties
    (fixed by SOURCE_DATE_EPOCH for reproducible bytes).

    Page one: ``author`` is the issuing body (never a source's authors),
    with the brief's ``number`` and ``contact``. The page, decided by the
    profile (``page.py``): ``page_size`` ('A4' or 'Letter'), ``margins`` in
    mm (top, right, bottom, left), ``cover`` (a separate cover page),
    ``contents`` (a contents list), ``logo`` ('left' or 'right'),
    ``numbering`` of headings ('auto', 'none', 'decimal', 'chinese') and
    ``page_label``, the footer with {page} and {pages} ('' for none).
    """

    title: str
    subtitle: str = ""
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    lang: str = "en"
    audience: str = ""
    audience_label: str = ""
    edition: str = ""
    date: str = ""
    timestamp: int = 0
    labels: tuple[tuple[str, str], ...] = ()
    layout: str = "report"
    brand: tuple[tuple[str, str], ...] = ()
    number: str = ""
    contact: str = ""
    date_text: str = ""
    page_size: str = "A4"
    margins: tuple[float, float, float, float] = (24.0, 45.0, 22.0, 45.0)
    cover: bool = False
    contents: bool = False
    logo: str = "right"
    numbering: str = "auto"
    page_label: str = "{page} / {pages}"

    def label(self, key: str, default: str = "") -> str:
        return dict(self.labels).get(key, default)

    def colour(self, key: str, default: str) -> str:
        return dict(self.brand).get(key, default)


@dataclass(frozen=True, slots=True)
class Document:
    kind: ClassVar[str] = "document"
    meta: Metadata
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = ()

    def headings(self) -> Iterator[Heading]:
        """Every heading in reading order, including those inside containers."""
        return headings_in(self)

    def pretty(self) -> str:
        return pretty(self)


# --------------------------------------------------------------------------
# Traversal and display

_CHILD_FIELDS = (
    "children",
    "blocks",
    "items",
    "header",
    "rows",
    "notes",
    "value",
    "label",
    "title",
    "caption",
    "points",
)


def _child_nodes(node: object) -> Iterator[object]:
    for name in _CHILD_FIELDS:
        value = getattr(node, name, None)
        if not isinstance(value, tuple):
            continue
        for child in value:
            if isinstance(child, tuple):  # a table row
                yield from child
            elif hasattr(child, "kind"):
                yield child


def headings_in(node: object) -> Iterator[Heading]:
    """``node`` if it is a heading, then every heading inside it (in boxes,
    quotes and lists), in reading order."""
    if isinstance(node, Heading):
        yield node
    for block in _blocks_below(node):
        if isinstance(block, Heading):
            yield block


def _blocks_below(node: object) -> Iterator[object]:
    """The blocks inside ``node``, depth first, in reading order: only
    blocks hold blocks (``blocks``, a list's ``items``), so the inlines and
    a table's cells, nearly all of a long document's nodes, are skipped."""
    for name in ("blocks", "items"):
        for child in getattr(node, name, ()):
            yield child
            yield from _blocks_below(child)


def walk(node: object) -> Iterator[object]:
    """Yield ``node`` and every node below it, depth first, in reading order."""
    yield node
    for child in _child_nodes(node):
        yield from walk(child)


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The text of inline nodes with all markup dropped."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (Text, Code)):
            parts.append(node.text)
        elif isinstance(node, NoteRef):
            parts.append(str(node.number))
        elif isinstance(node, LineBreak):
            parts.append("\n")
        else:
            parts.append(plain_text(node.children))
    return "".join(parts)


def pretty(node: object, indent: int = 0) -> str:
    """A readable tree of ``node`` for tests and debugging."""
    pad = "  " * indent
    attrs = []
    for f in fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        if f.name == "meta" or (f.name in _CHILD_FIELDS and isinstance(value, tuple)):
            continue
        if f.metadata.get("quiet") and value == f.default:
            continue  # shown only when set, so older snapshots still read true
        attrs.append(f"{f.name}={value!r}")
    lines = [f"{pad}<{node.kind}{' ' if attrs else ''}{' '.join(attrs)}>"]  # type: ignore[attr-defined]
    for child in _child_nodes(node):
        lines.append(pretty(child, indent + 1))
    return "\n".join(lines)


__all__ = [
    "Block",
    "BlockQuote",
    "BulletList",
    "Callout",
    "Chart",
    "ChartPoint",
    "ChartRun",
    "ChartText",
    "Code",
    "Document",
    "Emphasis",
    "Heading",
    "Inline",
    "KeyFigure",
    "KeyFigures",
    "LineBreak",
    "Link",
    "ListItem",
    "Metadata",
    "Note",
    "NoteRef",
    "OrderedList",
    "Paragraph",
    "Span",
    "Strong",
    "Table",
    "TableCell",
    "Text",
    "ThematicBreak",
    "plain_text",
    "pretty",
    "walk",
]
