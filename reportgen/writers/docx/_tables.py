"""Tables in Word: data tables (the layout's column proportions and page
turns), key-figure cards (the layout's grid), and the table plumbing boxes
share (adding one at full width, setting column widths).

Functions of the body being written (``_flow.Flow``).
"""

from __future__ import annotations

import copy

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from ... import model as m
from ...errors import RenderError
from ...layout import breaks, columns, grid, spans
from ...text.script import has_cjk
from . import _oxml as ox
from . import _oxml_format as oxf
from ._flow import Ctx, Flow
from ._inline import Fmt, word_text
from ._styles import Container, StyleBook
from ._table_styles import KEY_FIGURE_MARGINS


def table(flow: Flow, container: Container, node: m.Table, ctx: Ctx) -> None:
    ncols = len(node.header)
    if ncols == 0:
        raise RenderError("a table has no columns")
    if node.caption:
        flow.inlines(ox.p_element(flow.para(container, "Caption")), node.caption, Fmt())
    rows = [_fit_row(r, ncols) for r in node.rows]
    table = add_table(flow, container, 1, ncols, "Brief Table")
    oxf.caption(ox.tbl_element(table).tblPr, m.plain_text(node.caption))
    oxf.mark_header_row(ox.tr_element(table.rows[0]))
    aligns = [_ALIGN.get(a, WD_ALIGN_PARAGRAPH.LEFT) for a in _fit_align(node.align, ncols)]
    shares = _column_shares(node.header, rows, table_width(flow.styles, table))
    widths = set_widths(flow.styles, table, shares)
    header = ox.grid_cells(table)
    for c, cell in enumerate(node.header):
        p = first_paragraph(flow.styles, header[c], "Table Heading")
        if aligns[c] != WD_ALIGN_PARAGRAPH.LEFT:
            p.alignment = aligns[c]  # per column; no style per alignment
        header_cell(flow, p, cell, widths[c] - _CELL_SIDES)
    body_rows(flow, table, rows, widths, aligns)


#: twips of a Brief Table cell's left and right margins (_table_styles)
_CELL_SIDES = 200


def header_cell(flow: Flow, p: DocxParagraph, cell: m.TableCell, width: float) -> None:
    """A header's words: plain Chinese text turned only between words, as
    in the PDF (英文剧名 / （英译本译名）, not 英译本译 / 名)."""
    if all(isinstance(n, m.Text) for n in cell.children):
        size = flow.styles.size_of("Table Heading")
        set_lines(p, word_text(cell.children), width, size)
    else:
        flow.inlines(ox.p_element(p), cell.children, Fmt())


def set_lines(p: DocxParagraph, text: str, width_twips: float, size: float | None) -> None:
    """``text`` in ``p``, a Chinese title or header turned only where the
    PDF may turn it (``spans.title_lines``): LibreOffice breaks between any
    two ideographs and broke 国际合 / 作伙伴. ``size`` is the font size of
    the paragraph's style (``StyleBook.size_of``)."""
    lines = [text]
    if size and has_cjk(text):
        lines = spans.title_lines(text, width_twips / 20 / (size / 2))
    for n, line in enumerate(lines):
        if n:
            ox.append(ox.p_element(p), ox.break_run())
        ox.append(ox.p_element(p), ox.run(ox.clean_text(line)))


def body_rows(
    flow: Flow,
    table: DocxTable,
    rows: list[tuple[m.TableCell, ...]],
    widths: list[int],
    aligns: list[WD_ALIGN_PARAGRAPH],
) -> None:
    """The data rows, built as XML in bulk: python-docx's ``table.cell()``
    rebuilds the list of every cell on each call, so filling a table cell by
    cell is quadratic (minutes for 1,000 rows). One prototype row with the
    widths, style and alignments is copied per row, then filled."""
    style_id = flow.styles.ref_id("Table Text")
    jcs = [None if a == WD_ALIGN_PARAGRAPH.LEFT else _JC[a] for a in aligns]
    proto = oxf.table_row(widths, style_id, jcs)
    # a row turns a page whole, as in the PDF (Platypus splits a table only
    # between rows): a row cut in two reads as two rows
    oxf.cant_split(proto)
    tbl = ox.tbl_element(table)
    kept = breaks.rows_kept_with_next(len(rows))  # the layout's page turns
    if rows:
        ox.keep_with_next(tbl.tr_lst[0])  # the header stays with a body row
    plain = Fmt()
    for index, cells in enumerate(rows):
        tr = copy.deepcopy(proto)
        for p, cell in zip(ox.paragraphs_in(tr), cells, strict=True):
            flow.inlines(p, cell.children, plain)
        if index in kept:
            ox.keep_with_next(tr)
        ox.append(tbl, tr)


def add_table(flow: Flow, container: Container, rows: int, cols: int, style: str) -> DocxTable:
    # a table cannot carry page-break-before, and two tables in a row are one to Word
    if flow.break_before or flow.follows_table(container):
        flow.para(container, "Normal")
    if ox.is_cell(container):
        table = container.add_table(rows, cols)
    else:
        table = container.add_table(rows, cols, Emu(flow.styles.text_width_twips() * 635))
    flow.styles.set_table_style(table, style)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblpr = ox.tbl_element(table).tblPr
    oxf.set_tblpr(
        tblpr,
        oxf.table_look(first_row=style == "Brief Table", banded_rows=style == "Brief Table"),
    )
    oxf.full_width(tblpr)
    oxf.fixed_layout(tblpr)
    return table


def table_width(styles: StyleBook, table: DocxTable) -> int:
    """The width ``table`` spans in twips: the text width, or its box's."""
    container = ox.parent_of(table)
    if ox.is_cell(container) and container.width:  # inside a box: its width
        return int(container.width / 635) - 400
    return styles.text_width_twips()


def set_widths(styles: StyleBook, table: DocxTable, weights: list[float]) -> list[int]:
    """Column and cell widths in twips, in proportion to ``weights``;
    returns them."""
    total = table_width(styles, table)
    widths = [int(total * weight / sum(weights)) for weight in weights]
    for i, column in enumerate(table.columns):
        column.width = Emu(widths[i] * 635)
    # cell by cell along the rows: a merged cell set at each of its places
    # ends with its last column's width, as when set column by column
    for index, cell in enumerate(ox.grid_cells(table)):
        cell.width = Emu(widths[index % len(widths)] * 635)
    return widths


def key_figures(flow: Flow, container: Container, node: m.KeyFigures, ctx: Ctx) -> None:
    if not node.items:
        return
    if node.title:
        flow.inlines(ox.p_element(flow.para(container, "Key Figures Title")), node.title, Fmt())
    cols, nrows = grid.figure_grid(len(node.items))
    table = add_table(flow, container, nrows, cols, "Key Figures Table")
    size = figure_value_size(flow.styles, table, node, cols)
    for i, figure in enumerate(node.items):
        cell = table.cell(i // cols, i % cols)
        value = first_paragraph(flow.styles, cell, "Key Figure")
        flow.inlines(ox.p_element(value), figure.value, Fmt())
        if size is not None:
            for run in value.runs:
                run.font.size = Pt(size)
        label = flow.styles.paragraph(cell, "Key Figure Label")
        flow.inlines(ox.p_element(label), figure.label, Fmt())
    for row in table.rows:
        oxf.cant_split(ox.tr_element(row))
    set_widths(flow.styles, table, [1.0] * cols)


def figure_value_size(
    styles: StyleBook, table: DocxTable, node: m.KeyFigures, cols: int
) -> float | None:
    """The layout's size for the values (``grid.value_size``) when it is
    below the style's: each value keeps to one line of its card."""
    largest = styles.size_of("Key Figure")
    if largest is None:  # a reference document's style with no size: left alone
        return None
    # the card's text width: its share of the table less the style's cell margins
    width = table_width(styles, table) / cols / 20 - (KEY_FIGURE_MARGINS / 20)
    size = grid.value_size([m.plain_text(f.value) for f in node.items], width, largest)
    return size if size < largest else None


# --------------------------------------------------------------------------
# Helpers


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
#: the w:jc values python-docx writes for these alignments
_JC = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}


def _fit_row(row: tuple[m.TableCell, ...], ncols: int) -> tuple[m.TableCell, ...]:
    """Pad short rows with empty cells and cut long ones: Word tables are grids."""
    return tuple(row[:ncols]) + (m.TableCell(children=()),) * max(0, ncols - len(row))


def _fit_align(align: tuple[str, ...], ncols: int) -> list[str]:
    return (list(align) + ["left"] * ncols)[:ncols]


_TABLE_TEXT_PT = 9.5


def _column_shares(
    header: tuple[m.TableCell, ...], rows: list[tuple[m.TableCell, ...]], total_twips: int
) -> list[float]:
    """The layout's column proportions (``layout.columns``), as the PDF has."""
    cells = [[c.children for c in row] for row in [header, *rows]]
    return columns.column_shares(cells, columns.columns_in(total_twips / 20, _TABLE_TEXT_PT))


def first_paragraph(styles: StyleBook, cell: ox.Cell, style: str) -> DocxParagraph:
    """A new cell's paragraph, in ``style``."""
    p = cell.paragraphs[0]
    styles.set_style(p, style)
    return p


def drop_if_unused(cell: ox.Cell, first: DocxParagraph) -> None:
    """A new cell starts with an empty paragraph; remove it once the cell has
    content of its own (a cell must keep at least one paragraph)."""
    others = len(ox.blocks_in(ox.tc_element(cell))) > 1
    if others and not first.text and not ox.has_runs(ox.p_element(first)):
        ox.remove(ox.p_element(first))
