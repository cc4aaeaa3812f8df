"""Data tables: content-sized columns, repeated header, zebra rows.

Column proportions come from the layout (``layout.columns``), the same
algorithm the Word writer uses. A row taller than a page cannot be drawn by
Platypus (it splits tables only between rows), so such a row is cut into
continuation rows before the table is built.
"""

from __future__ import annotations

import warnings
from bisect import bisect_right
from collections.abc import Callable
from functools import partial
from itertools import accumulate, zip_longest

from reportlab.platypus import Flowable, Paragraph, TableStyle

from ...layout import breaks, columns
from ...model import Table as TableNode
from ...model import TableCell, plain_text
from ...text.script import has_cjk
from . import _rl
from ._para import Ctx, inline_markup, inline_para, para, snippet
from ._styles import FRAME_HEIGHT, table_style

PAD_X, PAD_Y = 6.0, 4.0


class _Cells:
    """The paragraphs of one table's cells. Equal cells of a column share
    one Paragraph, marked up, parsed and wrapped once at the column's width
    (a paragraph keeps its lines, ``BoldableParagraph.wrap``): Platypus
    draws a flowable wherever a cell holds it, as it draws the header's on
    every page. A 10,000-row table repeats most of its producers, buyers
    and dashes. Only a cell whose every glyph was found is shared: a
    missing glyph is reported for every row it is in."""

    def __init__(self, ctx: Ctx, aligns: list[str]) -> None:
        self.ctx, self.aligns = ctx, aligns
        self.shared: dict[tuple[int, str, TableCell], Paragraph] = {}

    def row(
        self, row: tuple[TableCell, ...], style_base: str, where: str, share: bool = True
    ) -> list[Paragraph]:
        """One paragraph per column; ``share=False`` for paragraphs of
        their own (Platypus's split changes the paragraph it cuts)."""
        theme = self.ctx.theme
        cells = list(row) + [TableCell(())] * (len(self.aligns) - len(row))
        out = []
        for c, (cell, align) in enumerate(zip(cells, self.aligns, strict=True)):
            key = (c, theme.aligned(style_base, align).name, cell)
            made = self.shared.get(key) if share else None
            if made is None:
                made = self._make(key, f"{where}, column {c + 1}", share)
            out.append(made)
        return out

    def _make(self, key: tuple[int, str, TableCell], where: str, share: bool) -> Paragraph:
        ctx, (_, style_name, cell) = self.ctx, key
        markup = inline_markup(ctx, cell.children, style_name, where)
        made = para(ctx, markup, style_name, has_cjk(plain_text(cell.children)))
        if share and not ctx.inline.fontset.missing:
            self.shared[key] = made
        return made


def _chunks(p: Flowable, width: float, limit: float) -> list[Flowable]:
    """``p`` cut into pieces no taller than ``limit``."""
    pieces = []
    while p.wrap(width, 1e9)[1] > limit:
        parts = p.split(width, limit)
        if len(parts) < 2:
            break  # one line taller than a page: nothing left to cut
        pieces.append(parts[0])
        p = parts[1]
    pieces.append(p)
    return pieces


def _fit_row(
    cells: list[Paragraph],
    widths: list[float],
    limit: float,
    label: str,
    own: Callable[[], list[Paragraph]],
) -> tuple[list[list[Flowable | str]], list[float]]:
    """The row itself, or continuation rows when it is taller than
    ``limit``; and the rows' heights as Platypus would compute them.
    ``own`` makes the row's paragraphs anew, unshared, for cutting."""
    # the inner width exactly as Platypus computes a cell's, so the
    # height below is the one Platypus would find
    inner = [w - PAD_X - PAD_X for w in widths]
    height = max(p.wrap(w, 1e9)[1] for p, w in zip(cells, inner, strict=True))
    if height <= limit:
        return [list(cells)], [height + (PAD_Y + PAD_Y)]
    warnings.warn(f"{label} is taller than a page; it continues over several rows", stacklevel=2)
    pieces = [_chunks(p, w, limit) for p, w in zip(own(), inner, strict=True)]
    empty: Flowable | str = ""  # the cell of a column that has run out of pieces
    rows = [list(r) for r in zip_longest(*pieces, fillvalue=empty)]
    return rows, [_row_height(r, inner) for r in rows]


def _row_height(row: list[Flowable | str], inner: list[float]) -> float:
    """A row's height as Platypus computes it: its tallest cell, padded."""
    cells = [(c, w) for c, w in zip(row, inner, strict=True) if not isinstance(c, str)]
    tallest = max(0.0, *(c.wrap(w, 1e9)[1] for c, w in cells))  # "" fills a short column
    return tallest + (PAD_Y + PAD_Y)


class DataTable(_rl.SizedCellTable):
    """A Platypus table that paints nothing in the draft pass of
    ``BriefTemplate`` (see ``draft``): a 10,000-row table spends a fifth
    of its build painting cells into a first pass that is thrown away."""

    def draw(self) -> None:
        if getattr(_rl.doc_template(self.canv), "draft", False):
            return
        super().draw()

    def cell_size(self, content: object, inner_width: float) -> tuple[float, float] | None:
        """A cell's size for drawing. Platypus wraps every cell paragraph
        again here, breaking its lines anew; ours were wrapped at this very
        width when their rows were measured (``_fit_row``), and a paragraph
        keeps the lines and size of its last wrap: they are used as they are."""
        cell = content[0] if isinstance(content, (list, tuple)) and len(content) == 1 else None
        if not isinstance(cell, Paragraph) or getattr(cell, "width", None) != inner_width:
            return None
        if _rl.has_lines(cell) and hasattr(cell, "height"):
            return cell.width, cell.height
        return None


class TableRun(Flowable):
    """A data table laid out page by page from the row heights measured
    once (``_fit_row``). Platypus's own split builds a new table of all the
    rows left at every page (style and cell geometry for each of them), so
    a 10,000-row table costs time quadratic in its rows; here a split is a
    binary search in the running heights, and only the rows of this page
    become a ``DataTable``. The rest is the same run from a later row.

    The page may turn only as the layout allows (``layout.breaks``): a
    short table moves whole, a long one turns only between enough rows,
    even when it runs over many pages (as the Word writer's kept rows do)."""

    def __init__(
        self,
        rows: list[list[Flowable | str]],
        heights: list[float],
        widths: list[float],
        style: TableStyle,
        start: int = 1,
        tops: list[float] | None = None,
    ) -> None:
        super().__init__()
        self.rows, self.heights, self.widths, self.style = rows, heights, widths, style
        self.head_height = heights[0]
        self.start = start  # first body row of this part (row 0 is the header)
        # running body heights, shared by every part: tops[i] is rows 1..i
        self.tops = list(accumulate(heights[1:], initial=0.0)) if tops is None else tops
        self.spaceBefore, self.spaceAfter = 2, 12

    def _rest(self, start: int) -> TableRun:
        # a new flowable, not a copy: Platypus marks the ones it postponed
        return TableRun(self.rows, self.heights, self.widths, self.style, start, self.tops)

    def _body_height(self, stop: int) -> float:
        return self.tops[stop - 1] - self.tops[self.start - 1]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.head_height + self._body_height(len(self.rows))
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        left = len(self.rows) - self.start
        room = availHeight - self.head_height + self.tops[self.start - 1]
        fits = bisect_right(self.tops, room, lo=self.start) - self.start
        lowest, highest = self._split_range(left)
        fits = min(fits, highest)
        if fits < lowest:
            return []  # nothing may stand here: the frame moves the table on
        return [
            self._part(self.start, self.start + fits, last=False),
            self._rest(self.start + fits),
        ]

    def _split_range(self, left: int) -> tuple[int, int]:
        """The fewest and most body rows this page may take: the layout's
        range; a short table moves whole. Only when a page cannot hold the
        rows the layout asks for (rows near a page tall) does the table
        split wherever it must."""
        allowed = breaks.split_range(left)
        if allowed is not None and self._fits_a_page(allowed[0]):
            return allowed
        if allowed is None and self._fits_a_page(left):
            return left + 1, left  # no row to split before: it moves whole
        return 1, left - 1

    def _fits_a_page(self, rows: int) -> bool:
        return self.head_height + self._body_height(self.start + rows) <= FRAME_HEIGHT

    def _part(self, start: int, stop: int, last: bool) -> DataTable:
        """The header and rows ``start`` to ``stop``, zebra from its first
        row as Platypus's own split parts are; the closing rule only under
        the table's last row."""
        style = self.style
        if not last:
            style = TableStyle([c for c in style.getCommands() if c[0] != "LINEBELOW"])
        table = DataTable(
            [self.rows[0], *self.rows[start:stop]],
            colWidths=self.widths,
            rowHeights=[self.head_height, *self.heights[start:stop]],
            repeatRows=1,
            style=style,
        )
        table.spaceBefore, table.spaceAfter = self.spaceBefore, self.spaceAfter
        return table

    def draw(self) -> None:
        table = self._part(self.start, len(self.rows), last=True)
        table.wrapOn(self.canv, self.width, self.height)
        table.drawOn(self.canv, 0, 0)


def _style(ctx: Ctx) -> TableStyle:
    theme = ctx.theme
    return table_style(
        theme,
        [
            ("BACKGROUND", (0, 0), (-1, 0), theme.primary),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), ["#FFFFFF", theme.zebra]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.8, theme.primary),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
        ],
    )


def _content_widths(node: TableNode, ncols: int, ctx: Ctx) -> list[float]:
    """Column widths in points: the layout's shares of the frame width."""
    cells = [
        [c.children for c in row] + [()] * (ncols - len(row)) for row in (node.header, *node.rows)
    ]
    size = ctx.theme.styles["cell"].fontSize
    shares = columns.column_shares(cells, columns.columns_in(ctx.width, size))
    return [share * ctx.width for share in shares]


def render_table(node: TableNode, ctx: Ctx) -> list[Flowable]:
    """The caption (kept with the table) and the table itself."""
    ncols = max([len(node.header), *(len(r) for r in node.rows)])
    if ncols == 0:
        return []
    aligns = [a if a in ("left", "center", "right") else "left" for a in node.align]
    aligns += ["left"] * (ncols - len(aligns))
    label = f"table {snippet(' | '.join(plain_text(c.children) for c in node.header))!r}"
    widths = _content_widths(node, ncols, ctx)
    maker = _Cells(ctx, aligns)
    header = maker.row(node.header, "head_cell", f"{label} header")
    head_h = max(p.wrap(w - 2 * PAD_X, 1e9)[1] for p, w in zip(header, widths, strict=True))
    limit = FRAME_HEIGHT - head_h - 4 * PAD_Y - 40  # 40: room for a caption line
    rows: list[list[Flowable | str]] = [list(header)]
    heights: list[float] = [head_h + 2 * PAD_Y]
    for r, row in enumerate(node.rows, 1):
        where = f"{label} row {r}"
        cells = maker.row(row, "cell", where)
        own = partial(maker.row, row, "cell", where, share=False)
        fitted, fitted_heights = _fit_row(cells, widths, limit, where, own)
        rows += fitted
        heights += fitted_heights
    # The row heights are known from _fit_row: the run splits by them, and
    # passing them on spares Platypus its own height pass, which is
    # quadratic in the rows (for each row it rescans the list for the next
    # unknown height and re-sums the heights above it).
    table = TableRun(rows, heights, widths, _style(ctx))
    if not node.caption:
        return [table]
    return [inline_para(ctx, node.caption, "table_caption", f"{label} caption"), table]
