"""Numbers keep their units, titles and short asides stay whole: spans the
layout marks on the text (``Text.nobreak``), never characters added to it."""

from __future__ import annotations

from itertools import pairwise

import pytest

from reportgen import model as m
from reportgen.layout import lay_out
from reportgen.layout.spans import bind, bind_title, spans, unbreakable
from reportgen.model.markup import parse
from reportgen.text.script import NO_BREAK_SPACE, may_break_between

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("规模达到2255亿元，", "2255亿元"),
        ("2023年上海", "2023年"),
        ("覆盖100余个国家", "100余个"),
        ("占全国1/3份额", "1/3份"),
        ("剧集《二十不惑2》热播", "《二十不惑2》"),
        ("中国（上海）基地", "（上海）"),
        ("第2期", "第2期"),
    ],
)
def test_cjk_spans_are_found_in_the_text_as_typed(text: str, span: str) -> None:
    assert span in spans(text)
    start = text.index(span)
    assert (start, start + len(span)) in bind(text)


def test_a_long_title_or_aside_may_still_break() -> None:
    long_aside = "（" + "很" * 12 + "）"
    assert spans(long_aside) == []


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("had 2,880 companies", "2,880 companies"),
        ("of 225.5 billion yuan in", "225.5 billion yuan"),
    ],
)
def test_a_latin_number_keeps_its_unit_word(text: str, span: str) -> None:
    assert spans(text) == [span]


def test_a_number_ending_a_sentence_is_not_joined_to_the_next() -> None:
    assert spans("in 2023. Then") == []


@pytest.mark.parametrize(
    "text",
    ["grew 50% to 2,880 companies in 2023-24", "up 12.5%% on 1/3 (PRO-2026-01)", "Zoë’s 3 shows"],
)
def test_latin_text_is_bound_as_if_every_cjk_rule_had_been_tried(text: str) -> None:
    from reportgen.layout import spans as module

    tried = [found.group(0) for rule in module._CJK_SPANS for found in rule.finditer(text)]
    # what the CJK rules would find in Latin text (50%) never breaks anyway
    for span in set(tried) - set(spans(text)):
        assert not any(may_break_between(a, b) for a, b in pairwise(span))


def test_an_amount_alone_in_a_cell_is_an_amount_not_a_name() -> None:
    assert spans("超过2880家") == ["2880家"]
    assert spans("二十不惑2") == ["二十不惑2"]


def test_spans_that_overlap_are_one_and_spans_that_touch_stay_two() -> None:
    # 2023年 inside the title; the amount after it touches the title
    assert spans("《2023年报告》100亿元") == ["《2023年报告》", "100亿元"]


def test_no_line_may_break_before_a_closing_mark_inside_a_number_or_at_a_no_break_space() -> None:
    assert not may_break_between("链", "。")
    assert not may_break_between("《", "二")
    assert not may_break_between("2", "0")
    assert not may_break_between("2", NO_BREAK_SPACE)
    assert may_break_between("链", "二")


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("settled: more than 2,880 companies", "than 2,880 companies"),
        ("reach over 100 countries", "over 100 countries"),
        ("at least 3 series", "least 3 series"),
    ],
)
def test_a_qualifier_stays_with_the_number_it_qualifies(text: str, span: str) -> None:
    # only its last word: "more / than 2,880" may break, "more than / 2,880" not
    assert spans(text) == [span]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Twenty Not Confused 2 (二十不惑2), youth series", "二十不惑2"),
        ("二十不惑2", "二十不惑2"),
        ("原文未提及", "原文未提及"),
    ],
)
def test_a_short_chinese_name_in_latin_text_or_alone_in_a_cell_stays_whole(
    text: str, name: str
) -> None:
    assert name in spans(text)


def test_chinese_running_text_is_not_taken_for_a_name() -> None:
    assert spans("本简报所据仅为一篇文章，文章报告成效") == []


@pytest.mark.parametrize("number", ["2025-01", "PRO-2026-P1"])
def test_a_document_number_stays_with_its_label_and_whole(number: str) -> None:
    assert f"编号{number}" in spans(f"《上海网络剧出海》，编号{number}，2026年")


def test_a_heading_is_kept_whole_between_its_punctuation_and_spaces() -> None:
    text = "面向国际伙伴：片目推介"
    assert [text[s:e] for s, e in bind_title(text)] == ["面向国际伙伴：", "片目推介"]
    # Latin words break only at spaces anyway; a span across one holds
    text = "2023年 market: 225.5 billion yuan"
    assert [text[s:e] for s, e in bind_title(text)] == ["2023年", "225.5 billion yuan"]


def test_the_places_no_line_may_break_are_read_from_the_spans_and_glued_marks() -> None:
    nodes = (
        m.Text("达到2255亿元", nobreak=((2, 8),)),
        m.NoteRef(3, glued=True),
        m.Text("，以及"),
        m.NoteRef(4),
    )
    text, glued = unbreakable(nodes)
    assert text == "达到2255亿元3，以及4"
    assert glued == frozenset({3, 4, 5, 6, 7, 8})  # inside 2255亿元, and before the 3


def test_laying_out_adds_no_character_to_the_text() -> None:
    source = "市场规模达到2255亿元。[^a] It had 2,880 companies and 《二十不惑2》.\n\n[^a]: 注。\n"
    doc = parse(source, m.Metadata(title="t", lang="zh"))
    laid = lay_out(doc)
    before = [n.text for n in m.walk(doc) if isinstance(n, m.Text)]
    after = [n.text for n in m.walk(laid) if isinstance(n, m.Text)]
    # the same characters; only the 。 moved after the note mark
    assert sorted("".join(after)) == sorted("".join(before))
    assert "2255亿元" in after[0] and after[1].startswith("。")
    assert not any(ch in "".join(after) for ch in ZERO_WIDTH + NO_BREAK_SPACE)
    marked = [n.text[s:e] for n in m.walk(laid) if isinstance(n, m.Text) for s, e in n.nobreak]
    assert marked == ["2255亿元", "2,880 companies", "《二十不惑2》"]


def test_a_latin_word_in_a_narrow_column_gets_room_for_its_wider_letters() -> None:
    from reportgen.layout.columns import PADDING, column_shares

    rows = [["平台", "剧集"], ["YouTube", "《三十而已》"], ["Netflix", "《小敏家》" * 6]]
    share = column_shares(rows, 40)[0]
    # seven letters measured at 1.2 columns each, never the bare 7
    assert share * 40 >= 7 * 1.2 + PADDING - 1e-9


def test_a_span_is_one_piece_when_table_columns_are_measured() -> None:
    from reportgen.layout.columns import column_shares

    words = (m.Text("many short words " * 10),)  # a column that takes what it is given
    loose = (m.Text("more than 2,880 companies"),)
    held = (m.Text("more than 2,880 companies", nobreak=((5, 25),)),)
    narrow = column_shares([[loose, words]], 40)[0]
    # "than 2,880 companies" is one piece: its column is given its width
    assert column_shares([[held, words]], 40)[0] * 40 >= 20 > narrow * 40


@pytest.mark.parametrize(
    ("text", "columns", "lines"),
    [
        ("上海剧集出海记录：面向国际合作伙伴", 28, ["上海剧集出海记录：", "面向国际合作伙伴"]),
        ("英文剧名（英译本译名）", 14, ["英文剧名", "（英译本译名）"]),
        ("上海网络剧出海", 28, ["上海网络剧出海"]),
        ("上海网络剧出海", 4, ["上海网络剧出海"]),  # no place to turn: whole
    ],
)
def test_a_title_turns_its_line_only_between_words(text: str, columns: int, lines: list) -> None:
    from reportgen.layout.spans import title_lines

    assert title_lines(text, columns) == lines
