"""Typographic quotes, decided once in the model for both writers."""

from __future__ import annotations

import pytest

from reportgen import model as m
from reportgen.model.typography import smart_quotes, typeset_document


@pytest.mark.parametrize(
    ("typed", "set_as"),
    [
        ('"going global"', "\u201cgoing global\u201d"),
        ("Shanghai's series", "Shanghai\u2019s series"),
        ("the 'best' ones", "the \u2018best\u2019 ones"),
        ('("quoted")', "(\u201cquoted\u201d)"),
        ("series of the '90s", "series of the \u201990s"),
        ("\u2014'a' aside", "\u2014\u2018a\u2019 aside"),
        ("no quotes at all", "no quotes at all"),
    ],
)
def test_straight_quotes_become_typographic(typed: str, set_as: str) -> None:
    assert smart_quotes(typed) == set_as


def test_a_quote_after_a_word_in_the_run_before_closes() -> None:
    assert smart_quotes('" now', before="d") == "\u201d now"


def doc(lang: str, *blocks: object, title: str = "Shanghai's brief") -> m.Document:
    return m.Document(m.Metadata(title=title, lang=lang), tuple(blocks))  # type: ignore[arg-type]


def test_quotes_are_read_across_inline_nodes_and_code_is_left_alone() -> None:
    para = m.Paragraph(
        (m.Text('the "'), m.Emphasis((m.Text("Title"),)), m.Text('" and '), m.Code("x='1'"))
    )
    (out,) = typeset_document(doc("en", para)).blocks
    assert m.plain_text(out.children) == "the \u201cTitle\u201d and x='1'"  # type: ignore[attr-defined]


def test_titles_tables_and_charts_are_typeset_too() -> None:
    table = m.Table((m.TableCell((m.Text("Series' title"),)),), (), ("left",))
    chart = m.Chart("bar", 'The "fund"', (m.ChartPoint(m.ChartText.of("a 'b'"), 1.0),))
    typeset = typeset_document(doc("en", table, chart))
    assert typeset.meta.title == "Shanghai\u2019s brief"
    out_table, out_chart = typeset.blocks
    assert m.plain_text(out_table.header[0].children) == "Series\u2019 title"  # type: ignore[union-attr]
    assert out_chart.title == "The \u201cfund\u201d"  # type: ignore[union-attr]
    assert out_chart.points[0].label.text == "a \u2018b\u2019"  # type: ignore[union-attr]


def test_a_quote_around_an_italic_title_in_a_chart_note_is_read_across_its_runs() -> None:
    note = m.ChartText((m.ChartRun('"'), m.ChartRun("Moon", italic=True), m.ChartRun('" sells')))
    chart = m.Chart("timeline", "", (m.ChartPoint(m.ChartText.of("2029"), 2029, note=note),))
    (out,) = typeset_document(doc("en", chart)).blocks
    assert out.points[0].note == m.ChartText(  # type: ignore[union-attr]
        (m.ChartRun("\u201c"), m.ChartRun("Moon", italic=True), m.ChartRun("\u201d sells"))
    )


def test_a_chinese_brief_keeps_its_quotes_as_typed() -> None:
    para = m.Paragraph((m.Text('“走出去” "x"'),))
    chinese = doc("zh-CN", para, title='"标题"')
    assert typeset_document(chinese) is chinese
