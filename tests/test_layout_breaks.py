"""The layout's page-turn rules (reportgen/layout/breaks.py): which
paragraphs lead into the block after them, which blocks move whole."""

from __future__ import annotations

import pytest

from reportgen import model as m
from reportgen.layout import breaks


def _para() -> m.Paragraph:
    return m.Paragraph((m.Text("text"),))


def _heading() -> m.Heading:
    return m.Heading(1, (m.Text("Heading"),), "h")


def _table(rows: int) -> m.Table:
    cell = m.TableCell((m.Text("x"),))
    return m.Table((cell,), tuple((cell,) for _ in range(rows)), ("left",))


def _list() -> m.BulletList:
    return m.BulletList((m.ListItem((_para(),)),))


@pytest.mark.parametrize(
    ("blocks", "leads"),
    [
        ([_heading(), _para(), _table(4)], {1}),
        ([_heading(), _para(), _para(), _table(12)], {1, 2}),
        ([_heading(), _para(), _list()], {1}),
        ([_heading(), _para(), _para(), _para(), _table(4)], set()),  # the section's text
        ([_heading(), _para(), _heading(), _para()], set()),  # no block to lead into
        ([_para(), _table(4)], set()),  # no heading opens it
        ([_heading(), _table(4), _para(), _table(4)], set()),
    ],
)
def test_paragraphs_between_a_heading_and_a_block_lead_into_it(blocks: list, leads: set) -> None:
    assert breaks.leads_into(blocks) == leads


def test_short_tables_charts_and_key_figures_move_whole_and_long_tables_break() -> None:
    chart = m.Chart("bar", "Title", (m.ChartPoint(m.ChartText.of("a"), 1.0),))
    figures = m.KeyFigures((m.KeyFigure((m.Text("1"),), (m.Text("one"),)),))
    assert breaks.kept_whole(_table(breaks.KEEP_WHOLE_ROWS))
    assert not breaks.kept_whole(_table(breaks.KEEP_WHOLE_ROWS + 1))
    assert breaks.kept_whole(chart) and breaks.kept_whole(figures)
    assert not breaks.kept_whole(_para()) and not breaks.kept_whole(_list())


def test_a_lead_is_a_paragraph_of_a_few_lines() -> None:
    assert breaks.is_lead(breaks.LINES_AFTER_HEADING)
    assert not breaks.is_lead(breaks.LINES_AFTER_HEADING + 1)
