"""Data tables: content-sized columns, repeated header, zebra rows.

Column proportions come from the layout (``layout.columns``), the same
algorithm the Word writer uses. A row taller than a page cannot be drawn by
Platypus (it splits tables only between rows), so such a row is cut into
continuation rows before the table is built.
"""

from __future__ import annotations

import warnings
from itertools import zip_longest

from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from ...layout import breaks, columns
from ...model import Table as TableNode
from ...model import TableCell, plain_text
from ._para import Ctx, inline_para, snippet
from ._styles import FRAME_HEIGHT, table_style

PAD_X, PAD_Y = 6.0, 4.0


def _cell_paragraphs(
    row: tuple[TableCell, ...], ncols: int, style_base: str, aligns: list[str], ctx: Ctx, where: str
) -> list[Paragraph]:
    cells = list(row) + [TableCell(())] * (ncols - len(row))
    out = []
    for c, cell in enumerate(cells):
        style_name = ctx.theme.aligned(style_base, aligns[c]).name
        out.append(inline_para(ctx, cell.children, style_name, f"{where}, column {c + 1}"))
    return out


def _chunks(p: Paragraph, width: float, limit: float) -> list[Paragraph]:
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
) -> tuple[list[list[Flowable | str]], list[float | None]]:
    """The row itself, or continuation rows when it is taller than
    ``limit``; and the rows' heights as Platypus would compute them (None:
    left to Platypus)."""
    # the inner width exactly as Table._listCellGeom computes it, so the
    # height below is the one Platypus would find
    inner = [w - PAD_X - PAD_X for w in widths]
    height = max(p.wrap(w, 1e9)[1] for p, w in zip(cells, inner, strict=True))
    if height <= limit:
        return [list(cells)], [height + (PAD_Y + PAD_Y)]
    warnings.warn(f"{label} is taller than a page; it continues over several rows", stacklevel=2)
    pieces = [_chunks(p, w, limit) for p, w in zip(cells, inner, strict=True)]
    rows = [list(r) for r in zip_longest(*pieces, fillvalue="")]
    return rows, [None] * len(rows)


class DataTable(Table):
    """A Platypus table that paints nothing in the draft pass of
    ``BriefTemplate`` (see ``draft``): a 10,000-row table spends a fifth
    of its build painting cells into a first pass that is thrown away.
    Split parts are made with ``self.__class__``, so they are DataTables too."""

    def draw(self) -> None:
        if getattr(getattr(self.canv, "_doctemplate", None), "draft", False):
            return
        super().draw()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Platypus's split, held to the layout's rule (``layout.breaks``):
        a short table moves whole, a long one turns a page only between
        enough rows. A table taller than a page splits wherever it must."""
        self._calc(availWidth, availHeight)
        lim = len(self._rowHeights)
        allowed = breaks.split_range(lim - self.repeatRows)
        if self._height > FRAME_HEIGHT:
            self._rowSplitRange = None
        elif allowed is None:
            self._rowSplitRange = (lim + 1, lim)  # no row to split before: moves whole
        else:
            self._rowSplitRange = (self.repeatRows + allowed[0], self.repeatRows + allowed[1])
        return super().split(availWidth, availHeight)


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
    texts = [
        [plain_text(c.children) for c in row] + [""] * (ncols - len(row))
        for row in (node.header, *node.rows)
    ]
    size = ctx.theme.styles["cell"].fontSize
    shares = columns.column_shares(texts, columns.columns_in(ctx.width, size))
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
    header = _cell_paragraphs(node.header, ncols, "head_cell", aligns, ctx, f"{label} header")
    head_h = max(p.wrap(w - 2 * PAD_X, 1e9)[1] for p, w in zip(header, widths, strict=True))
    limit = FRAME_HEIGHT - head_h - 4 * PAD_Y - 40  # 40: room for a caption line
    rows: list[list] = [header]
    heights: list[float | None] = [None]
    for r, row in enumerate(node.rows, 1):
        cells = _cell_paragraphs(row, ncols, "cell", aligns, ctx, f"{label} row {r}")
        fitted, fitted_heights = _fit_row(cells, widths, limit, f"{label} row {r}")
        rows += fitted
        heights += fitted_heights
    # The row heights are known from _fit_row: passing them spares Platypus
    # its own height pass, which is quadratic in the rows (for each row it
    # rescans the list for the next unknown height and re-sums the heights
    # above it): 20 s of a 10,000-row table's 40 s build.
    table = DataTable(rows, colWidths=widths, rowHeights=heights, repeatRows=1, style=_style(ctx))
    table.spaceBefore, table.spaceAfter = 2, 12
    if not node.caption:
        return [table]
    return [inline_para(ctx, node.caption, "table_caption", f"{label} caption"), table]
