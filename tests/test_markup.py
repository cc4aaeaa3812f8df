"""Markdown -> document model, and data text that stays literal."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen import model as m
from reportgen.errors import TemplateError
from reportgen.model.markup import parse
from reportgen.text.mdtext import clean, escape

META = m.Metadata(title="T")

SAMPLE = """# Policy *drivers*

Text[^a] with a [link](https://example.org) and **bold**.[^b][^a]

::: key-figures
- **225.5 bn** market
- **1/3** share
:::

| Name | Value |
|:-----|------:|
| a    | 1     |

1. one
2. two
   - nested

[^a]: Note A.
[^b]: Note B.
"""


def test_the_sample_builds_the_expected_tree() -> None:
    tree = parse(SAMPLE, META).pretty()
    assert (
        tree
        == """<document>
  <heading level=1 anchor='policy-drivers'>
    <text text='Policy '>
    <emphasis>
      <text text='drivers'>
  <paragraph>
    <text text='Text'>
    <note_ref number=1>
    <text text=' with a '>
    <link href='https://example.org'>
      <text text='link'>
    <text text=' and '>
    <strong>
      <text text='bold'>
    <text text='.'>
    <note_ref number=2>
    <note_ref number=1>
  <key_figures>
    <key_figure>
      <text text='225.5 bn'>
      <text text='market'>
    <key_figure>
      <text text='1/3'>
      <text text='share'>
  <table align=('left', 'right')>
    <table_cell>
      <text text='Name'>
    <table_cell>
      <text text='Value'>
    <table_cell>
      <text text='a'>
    <table_cell>
      <text text='1'>
  <ordered_list start=1>
    <list_item>
      <paragraph>
        <text text='one'>
    <list_item>
      <paragraph>
        <text text='two'>
      <bullet_list>
        <list_item>
          <paragraph>
            <text text='nested'>
  <note number=1>
    <text text='Note A.'>
  <note number=2>
    <text text='Note B.'>"""
    )


def test_repeated_headings_get_unique_anchors() -> None:
    doc = parse("# Cases\n\n# Cases\n\n## Cases\n", META)
    assert [h.anchor for h in doc.headings()] == ["cases", "cases-2", "cases-3"]


def test_raw_html_stays_text() -> None:
    doc = parse("a <b>bold</b> <script>x</script>\n", META)
    assert m.plain_text(doc.blocks[0].children) == "a <b>bold</b> <script>x</script>"


CHART = m.Chart(
    "bar", "Size", (m.ChartPoint(m.ChartText.of("a"), 2.0, "2 bn"),), alt="Size: a: 2 bn"
)


def test_a_chart_box_is_replaced_by_the_node_the_filter_recorded() -> None:
    src = "Before.\n\n::: chart 1\n**Size**\n\n- a: 2 bn\n:::\n\nAfter.\n"
    before, chart, after = parse(src, META, {"1": CHART}).blocks
    assert chart == CHART  # the node whole: nothing of it is read back from the text
    assert m.plain_text(before.children) == "Before."  # type: ignore[union-attr]
    assert m.plain_text(after.children) == "After."  # type: ignore[union-attr]


def test_what_a_chart_box_shows_never_reaches_the_document() -> None:
    src = "::: chart 1\n**Not the title**\n\n- b: 99\n:::\n"
    assert parse(src, META, {"1": CHART}).blocks == (CHART,)


@pytest.mark.parametrize(
    "src",
    [
        "::: chart 2\n**Size**\n:::\n",  # a key no filter recorded
        "::: chart\n**Size**\n:::\n",  # no key at all
    ],
)
def test_a_chart_box_no_filter_made_is_a_template_error(src: str) -> None:
    with pytest.raises(TemplateError, match="'::: chart' box no chart filter made"):
        parse(src, META, {"1": CHART})


def test_a_fenced_chart_block_makes_no_chart_and_names_the_filters() -> None:
    src = '```chart\n{"type": "bar", "title": "T", "points": [{"label": "a", "value": 2}]}\n```\n'
    with pytest.raises(TemplateError, match="'bar_chart' or 'timeline_chart' filter"):
        parse(src, META)


def test_an_ordered_list_keeps_its_start() -> None:
    [olist] = parse("3. c\n4. d\n", META).blocks
    assert isinstance(olist, m.OrderedList) and olist.start == 3


# Text a data field might hold: Markdown, HTML, Jinja and reportlab markup.
PRINTABLE = [c for c in string.printable if c not in "\r\x0b\x0c"]
HOSTILE = st.text(
    alphabet=st.sampled_from([*PRINTABLE, "中", "文", "é", "\u202e", "🙂"]),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(HOSTILE)
def test_escaped_data_text_comes_out_of_the_parser_literally(text: str) -> None:
    doc = parse(f"Before {escape(text)} after\n", META)
    expected = " ".join(f"Before {clean(text)} after".split())
    got = " ".join(m.plain_text(doc.blocks[0].children).split()) if doc.blocks else ""
    assert straight(got) == expected  # English briefs set typographic quotes


def straight(text: str) -> str:
    return text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))


def test_key_messages_are_a_callout_under_the_language_label() -> None:
    meta = m.Metadata(title="T", labels=(("key_messages", "Key messages"),))
    doc = parse("::: key-messages\n- First.\n- Second.\n:::\n", meta)
    (box,) = doc.blocks
    assert isinstance(box, m.Callout) and box.style == "key-messages"
    assert m.plain_text(box.title) == "Key messages"
    assert isinstance(box.blocks[0], m.BulletList) and len(box.blocks[0].items) == 2


def test_english_quotes_and_apostrophes_are_set_typographically() -> None:
    doc = parse('The "going global" fund, the city\'s \'best\' *"Title"*.\n', META)
    text = m.plain_text(doc.blocks[0].children)
    assert (
        text
        == "The \u201cgoing global\u201d fund, the city\u2019s \u2018best\u2019 \u201cTitle\u201d."
    )


def test_chinese_text_keeps_its_quotes_as_typed() -> None:
    meta = m.Metadata(title="T", lang="zh-CN")
    doc = parse('“中华文化走出去”专项资金 "x"\n', meta)
    assert m.plain_text(doc.blocks[0].children) == '“中华文化走出去”专项资金 "x"'


@pytest.mark.parametrize(
    "text",
    [
        "{{ 7*7 }}",
        "</para>",
        "<b>x</b>",
        "# not a heading",
        "1. not a list",
        "[x](javascript:alert(1))",
        "a & b",
        "*_~`",
    ],
)
def test_known_hostile_strings_are_literal(text: str) -> None:
    doc = parse(escape(text) + "\n", META)
    assert m.plain_text(doc.blocks[0].children) == text
    assert not any(isinstance(n, m.Link) for n in m.walk(doc))
