"""Block nodes to Platypus flowables: one small function per node kind.

``render_blocks`` dispatches on ``node.kind``; containers (lists, callouts,
quotes) call it again for their children with a narrower width and their
own body style. Tables live in ``_table``, the context and the
paragraph makers in ``_para`` (re-exported here for the package).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import zip_longest
from typing import TYPE_CHECKING, TypeAlias, TypedDict, TypeVar, cast

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    Spacer,
    Table,
)

from ...errors import RenderError
from ...layout import breaks, grid, heading_inlines, sources
from ...model import (
    Block,
    BlockQuote,
    BulletList,
    Callout,
    Chart,
    Heading,
    Inline,
    KeyFigures,
    Link,
    Note,
    NoteRef,
    OrderedList,
    ThematicBreak,
    plain_text,
    walk,
)
from ...model import ListItem as ListItemNode
from ...model import Paragraph as ParagraphNode
from ...model import Table as TableNode
from ...text.script import clean, has_cjk
from ._inline import note_key
from ._para import Ctx, inline_para, para, snippet, text_para
from ._styles import RULE, table_style
from ._table import render_table

if TYPE_CHECKING:
    from ._styles import TableCommand

BULLETS = ("•", "–", "◦")

#: what a Platypus table cell holds: text, a flowable or flowables
CellContent: TypeAlias = str | Flowable | Sequence[Flowable]


@dataclass(frozen=True)
class HeadingInfo:
    """What the doc template needs for the outline and contents."""

    level: int
    title: str  # plain text, for the outline
    toc: str  # markup without links, for the contents
    key: str  # PDF destination name


class HeadingMarker(Flowable):
    """A zero-size stand-in announcing a heading drawn inside a container
    (a callout, a list item), whose own paragraph the doc template never
    sees."""

    def __init__(self, info: HeadingInfo) -> None:
        super().__init__()
        self.rg_heading = info

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


# --------------------------------------------------------------------------
# Headings


def _unlinked(nodes: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """``nodes`` without links and note numbers, for the contents page
    (whose entries are links themselves)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Link):
            out.extend(_unlinked(node.children))
        elif not isinstance(node, NoteRef):
            out.append(node)
    return tuple(out)


def heading_info(ctx: Ctx, node: Heading) -> HeadingInfo:
    where = f"heading {snippet(plain_text(node.children))!r}"
    toc_style = ctx.theme.styles["toc1" if node.level == 1 else "toc2"]
    children = _unlinked(heading_inlines(node))
    toc = ctx.inline.markup(children, ctx.family(toc_style), where)
    title = " ".join(clean(plain_text(children)).split())
    return HeadingInfo(node.level, title, toc, heading_key(ctx, node))


def heading_key(ctx: Ctx, node: Heading) -> str:
    """The destination name of this very heading (two headings sharing an
    anchor by mistake still get a destination each)."""
    return ctx.node_keys.get(id(node)) or ctx.anchors[node.anchor]


#: body lines a heading wants below it on its page (the layout's rule)
_LINES_AFTER_HEADING = breaks.LINES_AFTER_HEADING


def _heading_room(ctx: Ctx, heading: Paragraph) -> float:
    """Points a heading needs on the page: its own lines as set (a
    two-line allowance for every heading asked a third of a page for a
    one-line heading and its subheading) and spacing, and a few lines of
    what follows, in the body's own leading (a Chinese body on a 21.5 pt
    pitch needs more than a 10.5 pt English one)."""
    head = heading.style
    body = ctx.theme.styles[ctx.body]
    own = head.spaceBefore + heading.wrap(ctx.width, 1e9)[1] + head.spaceAfter
    return own + _LINES_AFTER_HEADING * body.leading


def _heading(node: Heading, ctx: Ctx) -> list[Flowable]:
    where = f"heading {snippet(plain_text(node.children))!r}"
    style_name = f"h{min(node.level, 3)}"
    children = heading_inlines(node)
    markup = ctx.inline.markup(children, ctx.family(ctx.theme.styles[style_name]), where)
    key = heading_key(ctx, node)
    flowable = para(ctx, f'<a name="{key}"/>{markup}', style_name, has_cjk(plain_text(children)))
    if not ctx.nested:
        flowable.rg_heading = heading_info(ctx, node)  # type: ignore[attr-defined]
        # keepWithNext cannot help when what follows is itself split (a long
        # list); demand room for the heading and a few lines, or turn the page
        if not ctx.compact:
            return [CondPageBreak(_heading_room(ctx, flowable)), flowable]
    return [flowable]


# --------------------------------------------------------------------------
# Running text


def _paragraph(node: ParagraphNode, ctx: Ctx) -> list[Flowable]:
    where = f"paragraph {next(ctx.counter)} ({snippet(plain_text(node.children))!r})"
    source = sources.source_line(node, ctx.source_label)
    if source is not None:  # a table's source line, set as a chart's is
        return [inline_para(ctx, source, "source", where)]
    return [inline_para(ctx, node.children, ctx.body, where)]


def _list_items(items: tuple[ListItemNode, ...], ctx: Ctx) -> list[ListItem]:
    out = []
    for item in items:
        flowables = render_blocks(item.blocks, ctx) or [Spacer(0, 0)]
        out.append(ListItem(flowables))
    return out


class _ListOptions(TypedDict, total=False):
    """What ``_list`` sets of a ListFlowable's style."""

    leftIndent: float
    bulletFontName: str
    bulletFontSize: float
    bulletColor: colors.Color
    spaceAfter: float
    bulletType: str
    start: int | str  # the first number, or the bullet itself
    bulletFormat: str


def _list(node: BulletList | OrderedList, ctx: Ctx) -> list[Flowable]:
    theme = ctx.theme
    size = theme.styles["list"].fontSize
    if isinstance(node, OrderedList):
        widest = f"{node.start + len(node.items) - 1}."
        indent = _width(widest, theme.fontset.sans.regular, size) + 7
    else:
        indent = 13.0
    inner = replace(
        ctx, width=ctx.width - indent, body="list", list_depth=ctx.list_depth + 1, nested=True
    )
    kw: _ListOptions = {
        "leftIndent": indent,
        # the Latin sans: a CJK Hei (WenQuanYi Zen Hei) has no • and drew none
        "bulletFontName": theme.fontset.sans.regular,
        "bulletFontSize": size,
        "bulletColor": theme.primary,
        "spaceAfter": 6 if ctx.list_depth == 0 else 0,
    }
    if isinstance(node, OrderedList):
        kw.update({"bulletType": "1", "start": node.start, "bulletFormat": "%s."})
    else:
        kw.update({"bulletType": "bullet", "start": BULLETS[ctx.list_depth % len(BULLETS)]})
    # the stubs have a ListFlowable take flowables only; it takes ListItems as well
    return [ListFlowable(_list_items(node.items, inner), **kw)]  # type: ignore[arg-type]


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _thematic_break(node: ThematicBreak, ctx: Ctx) -> list[Flowable]:
    return [HRFlowable(width="100%", thickness=0.6, color=RULE, spaceBefore=6, spaceAfter=12)]


# --------------------------------------------------------------------------
# Boxes: key figures, callouts, quotes


def _key_figure_cells(node: KeyFigures, ctx: Ctx, cols: int, pad: float) -> list[list[CellContent]]:
    cell_width = ctx.width / cols - 2 * pad
    values = [plain_text(i.value) for i in node.items]
    base = ctx.theme.styles["kf_value"]
    size = grid.value_size(values, cell_width, base.fontSize)
    fitted = f"kf_value@{size:g}"  # one style per size, made once: the theme is shared
    if fitted not in ctx.theme.styles:
        ctx.theme.styles[fitted] = ParagraphStyle(
            fitted, parent=base, fontSize=size, leading=size * 1.15
        )
    cells: list[CellContent] = []
    for n, item in enumerate(node.items, 1):
        where = f"key figure {n} ({snippet(plain_text(item.value))!r})"
        value = inline_para(ctx, item.value, fitted, where)
        label = inline_para(ctx, item.label, "kf_label", where)
        cells.append([value, label])
    rows = [cells[i : i + cols] for i in range(0, len(cells), cols)]
    rows[-1] += [""] * (cols - len(rows[-1]))
    return rows


def _key_figures(node: KeyFigures, ctx: Ctx) -> list[Flowable]:
    if not node.items:
        return []
    cols = grid.figure_columns(len(node.items))
    pad = 10.0
    rows = _key_figure_cells(node, ctx, cols, pad)
    commands: list[TableCommand] = [
        ("BACKGROUND", (0, 0), (-1, -1), ctx.theme.zebra),
        ("LINEABOVE", (0, 0), (-1, 0), 2.5, ctx.theme.accent),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 9),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 11),
    ]
    if node.title:
        title = inline_para(ctx, node.title, "kf_title", "key figures title")
        rows.insert(0, [title, *([""] * (cols - 1))])
        commands += [("SPAN", (0, 0), (-1, 0)), ("BOTTOMPADDING", (0, 0), (-1, 0), 0)]
    first = 1 if node.title else 0
    commands.append(("LINEAFTER", (0, first), (-2, -1), 0.5, RULE))
    table = Table(rows, colWidths=[ctx.width / cols] * cols, style=table_style(ctx.theme, commands))
    table.spaceBefore, table.spaceAfter = 6, 12
    return [table]


def _boxed(
    rows: list[list[Flowable]], ctx: Ctx, commands: list[TableCommand], pad_x: float
) -> Table:
    """A one-column table, one row per block, so a long box can still
    break between blocks across pages."""
    edge: list[TableCommand] = [
        ("LEFTPADDING", (0, 0), (-1, -1), pad_x),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad_x - 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, 0), 9),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
    ]
    table = Table(
        [[r] for r in rows], colWidths=[ctx.width], style=table_style(ctx.theme, edge + commands)
    )
    table.spaceBefore, table.spaceAfter = 4, 10
    return table


def _callout(node: Callout, ctx: Ctx) -> list[Flowable]:
    pad = 14.0
    inner = replace(ctx, width=ctx.width - 2 * pad, body="callout", nested=True)
    rows = [render_blocks((b,), inner) for b in node.blocks]
    if node.title:
        rows.insert(0, [inline_para(ctx, node.title, "callout_title", "callout title")])
    rule = ctx.theme.primary if node.style == "note" else ctx.theme.accent
    commands: list[TableCommand] = [
        ("BACKGROUND", (0, 0), (-1, -1), ctx.theme.zebra),
        ("LINEBEFORE", (0, 0), (0, -1), 3, rule),
    ]
    if node.style == "key-messages":  # page one's box: ruled all round, heavy top
        commands = [
            ("BACKGROUND", (0, 0), (-1, -1), ctx.theme.zebra),
            ("BOX", (0, 0), (-1, -1), 0.75, ctx.theme.primary),
            ("LINEABOVE", (0, 0), (-1, 0), 3, ctx.theme.primary),
        ]
    return [_boxed(rows or [[Spacer(0, 0)]], ctx, commands, pad)]


def _block_quote(node: BlockQuote, ctx: Ctx) -> list[Flowable]:
    pad = 14.0
    inner = replace(ctx, width=ctx.width - 2 * pad, body="quote", nested=True)
    rows = [render_blocks((b,), inner) for b in node.blocks] or [[Spacer(0, 0)]]
    commands: list[TableCommand] = [
        ("LINEBEFORE", (0, 0), (0, -1), 1.5, colors.HexColor("#9AA5B4"))
    ]
    return [_boxed(rows, ctx, commands, pad)]


# --------------------------------------------------------------------------
# Charts and tables


def _chart(node: Chart, ctx: Ctx) -> list[Flowable]:
    from ... import charts  # written separately; imported late so tables etc. never need it

    try:
        drawing = charts.to_drawing(
            node, ctx.width, ctx.brand, cjk_font=ctx.cjk_font, house=ctx.house_fonts
        )
    except ValueError as exc:  # charts reports bad chart data this way
        raise RenderError(f"cannot draw chart {node.title!r}: {exc}") from exc
    # renderPDF starts every drawing by selecting its initial font, which
    # defaults to Helvetica; start it in ours so no base-14 font is named
    # (a documented Drawing attribute that types-reportlab does not declare)
    drawing.initialFontName = ctx.theme.head.regular  # type: ignore[attr-defined]
    parts: list[Flowable] = [drawing]
    if node.caption:
        parts.append(text_para(ctx, node.caption, "caption", f"chart caption {node.title!r}"))
    if node.source:
        parts.append(text_para(ctx, node.source, "source", f"chart source {node.title!r}"))
    else:
        parts.append(Spacer(0, 10))
    return [KeepTogether(parts)]


def _table(node: TableNode, ctx: Ctx) -> list[Flowable]:
    return render_table(node, ctx)


# --------------------------------------------------------------------------
# Dispatch

BlockFn = Callable[[Block, Ctx], list[Flowable]]
_Node = TypeVar("_Node", bound=Block)


def _on(
    node_type: type[_Node], draw: Callable[[_Node, Ctx], list[Flowable]]
) -> tuple[str, BlockFn]:
    """``draw`` filed under the kind of the node type it draws: the
    dispatch hands it only nodes of that kind, which are of that type."""
    return node_type.kind, cast(BlockFn, draw)


DISPATCH: dict[str, BlockFn] = dict(
    [
        _on(Heading, _heading),
        _on(ParagraphNode, _paragraph),
        _on(BulletList, _list),
        _on(OrderedList, _list),
        _on(TableNode, _table),
        _on(KeyFigures, _key_figures),
        _on(Callout, _callout),
        _on(BlockQuote, _block_quote),
        _on(Chart, _chart),
        _on(ThematicBreak, _thematic_break),
    ]
)


def _markers(node: object, ctx: Ctx) -> list[Flowable]:
    """Outline markers for headings nested inside a container block."""
    # only a block that holds blocks (a callout, a quotation, a list) can
    # hold a heading: a table's cells, a 10,000-row table's million nodes,
    # hold inlines only
    if ctx.nested or not (hasattr(node, "blocks") or hasattr(node, "items")):
        return []
    inner = [n for n in walk(node) if isinstance(n, Heading)]
    return [HeadingMarker(heading_info(ctx, h)) for h in inner]


def render_blocks(blocks: tuple[Block, ...], ctx: Ctx) -> list[Flowable]:
    """Flowables for ``blocks``; an unknown node kind is a RenderError."""
    out: list[Flowable] = []
    leads = frozenset() if ctx.nested else breaks.leads_into(blocks)
    for i, node in enumerate(blocks):
        handler = DISPATCH.get(getattr(node, "kind", ""))
        if handler is None:
            kind = getattr(node, "kind", type(node).__name__)
            raise RenderError(f"the PDF writer cannot draw block node {kind!r}")
        out += _markers(node, ctx)
        made = handler(node, ctx)
        if out and _is_source_line(node, ctx):
            out[-1].keepWithNext = 1  # a source line stays with what it sources
        if i in leads:
            _lead(out, made, blocks[i + 1 :], ctx)
        _release_heading(out, node, made, ctx)
        out += _room_for_subheading(out, made, ctx)
    return out


def _is_source_line(node: object, ctx: Ctx) -> bool:
    return isinstance(node, ParagraphNode) and (
        sources.source_line(node, ctx.source_label) is not None
    )


def _lead(out: list[Flowable], made: list[Flowable], after: tuple[Block, ...], ctx: Ctx) -> None:
    """A paragraph leading into a block (``breaks.leads_into``): it keeps
    with a block that moves whole, which takes the heading along; before a
    block that may break, the heading's room grows by the lead instead, as
    a kept chain would carry a long table or list over whole."""
    target = next(n for n in after if not isinstance(n, ParagraphNode))
    lines = sum(_lines(f, ctx.width) for f in made if isinstance(f, Paragraph))
    if not breaks.is_lead(lines):
        return
    if breaks.kept_whole(target):
        for flowable in made:
            flowable.keepWithNext = 1
        return
    room = _last_room(out)
    if room is not None:
        room.height += sum(f.wrap(ctx.width, 1e9)[1] + f.getSpaceAfter() for f in made)


def _last_room(out: list[Flowable]) -> CondPageBreak | None:
    """The page-break test of the heading this section opened with."""
    for flowable in reversed(out):
        if isinstance(flowable, CondPageBreak):
            return flowable
    return None


def _release_heading(out: list[Flowable], node: object, made: list[Flowable], ctx: Ctx) -> None:
    """A heading followed by running text that may break needs no
    keepWithNext: its page-break test leaves room for it and the first
    lines, and a kept chain would move a long paragraph or list whole,
    leaving a band of empty page behind. A lead kept with a table keeps
    the chain."""
    runs_on = isinstance(node, (ParagraphNode, BulletList, OrderedList))
    if ctx.nested or ctx.compact or not runs_on or not out or not made:
        return
    if hasattr(out[-1], "rg_heading") and not getattr(made[0], "keepWithNext", 0):
        out[-1].keepWithNext = 0


def _room_for_subheading(out: list[Flowable], made: list[Flowable], ctx: Ctx) -> list[Flowable]:
    """A heading that opens on a subheading needs room for both and the
    lines after: keepWithNext stops at the subheading's page-break test,
    which would strand the first heading at the foot of a page. So the
    first heading's test grows by the subheading's room, and the
    subheading's own test goes: the two are one chain."""
    opens_on_heading = len(made) == 2 and isinstance(made[0], CondPageBreak)
    after_heading = len(out) >= 2 and hasattr(out[-1], "rg_heading")
    if opens_on_heading and after_heading and isinstance(out[-2], CondPageBreak):
        lines = _LINES_AFTER_HEADING * ctx.theme.styles[ctx.body].leading
        out[-2].height += made[0].height - lines
        return made[1:]
    return made


def render_notes(
    notes: tuple[Note, ...], ctx: Ctx
) -> tuple[Sequence[Flowable], Sequence[Flowable]]:
    """The endnotes, each a destination the note numbers link to, as the
    part the notes heading keeps with it and the rest. Notes that each fit
    on half a line are set in two columns, each read down (1-4 | 5-7, as
    a reader reads columns; across the rows read 1, 2 / 3, 4): a page of
    short references must not turn for a list of them."""
    out: list[Paragraph] = []
    for note in notes:
        where = f"note {note.number}"
        style = ctx.theme.styles["note"]
        markup = ctx.inline.markup(note.children, ctx.family(style), where)
        cjk = has_cjk(plain_text(note.children))
        target = f'<a name="{note_key(note.number)}"/>'
        out.append(para(ctx, target + markup, "note", cjk, bullet=f"{note.number}."))
    half = ctx.width / 2
    if len(out) < 2 or any(_lines(p, half - _NOTE_GAP) > 1 for p in out):
        return _head_and_rest(out)
    grid = table_style(ctx.theme, _NOTE_GRID)
    head, rest = _head_and_rest(out, 2 * breaks.KEEP_WHOLE_ROWS, 4)
    tables = [
        Table(_down_columns(part), colWidths=[half, half], style=grid)
        for part in (head, rest)
        if part
    ]
    return tables[:1], tables[1:]


def _down_columns(items: Sequence[Flowable]) -> list[list[Flowable | str]]:
    """``items`` as rows of two columns filled top to bottom, left first."""
    left, right = items[: (len(items) + 1) // 2], items[(len(items) + 1) // 2 :]
    empty: Flowable | str = ""  # the right column's last cell, when it is one short
    return [[a, b] for a, b in zip_longest(left, right, fillvalue=empty)]


_T = TypeVar("_T")


def _head_and_rest(
    items: list[_T], whole: int = breaks.KEEP_WHOLE_ROWS, head: int = 2
) -> tuple[list[_T], list[_T]]:
    """``items`` whole when at most ``whole`` (as the layout keeps a short
    table whole), else its first ``head`` and the rest (then long enough
    not to stand alone on a page)."""
    if len(items) <= whole:
        return items, []
    return items[:head], items[head:]


#: room between the two columns of short notes
_NOTE_GAP = 12.0
_NOTE_GRID: list[TableCommand] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), _NOTE_GAP),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]


def _lines(p: Paragraph, width: float) -> int:
    """Lines paragraph ``p`` takes at ``width``."""
    height = p.wrap(width, 1e9)[1]
    return round(height / p.style.leading) if p.style.leading else 1


def render_notes_section(
    text: list[Flowable], heading: Heading, notes: tuple[Note, ...], ctx: Ctx
) -> list[Flowable]:
    """``text`` followed by the notes heading and the notes, kept with the
    text: the text's last paragraph, the heading and the first notes go
    together, so no page holds the notes alone."""
    made = [f for f in _heading(heading, ctx) if not isinstance(f, CondPageBreak)]
    first, rest = render_notes(notes, ctx)
    if ctx.compact or not text or not isinstance(text[-1], Paragraph):
        return [*text, *made, *first, *rest]
    return [*text[:-1], KeepTogether([text[-1], *made, *first]), *rest]
