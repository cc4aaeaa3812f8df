"""Numbers keep their units, titles and short asides stay whole."""

from __future__ import annotations

import pytest

from reportgen.layout.spans import bind
from reportgen.text.script import NO_BREAK_SPACE, WORD_JOINER, may_break_between

WJ = WORD_JOINER


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("规模达到2255亿元，", f"2255{WJ}亿{WJ}元"),
        ("2023年上海", f"2023{WJ}年"),
        ("覆盖100余个国家", f"100{WJ}余{WJ}个"),
        ("占1/3。", "1/3"),
        ("剧集《二十不惑2》热播", f"《{WJ}二{WJ}十{WJ}不{WJ}惑{WJ}2{WJ}》"),
        ("中国（上海）基地", f"（{WJ}上{WJ}海{WJ}）"),
        ("第2期", f"第{WJ}2{WJ}期"),
    ],
)
def test_cjk_spans_are_joined_with_word_joiners(text: str, joined: str) -> None:
    assert joined in bind(text)
    assert bind(text).replace(WJ, "") == text


def test_a_long_title_or_aside_may_still_break() -> None:
    long_aside = "（" + "很" * 12 + "）"
    assert WJ not in bind(long_aside)


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("had 2,880 companies", f"2,880{NO_BREAK_SPACE}companies"),
        ("of 225.5 billion yuan in", f"225.5{NO_BREAK_SPACE}billion{NO_BREAK_SPACE}yuan"),
    ],
)
def test_a_latin_number_keeps_its_unit_word(text: str, joined: str) -> None:
    assert joined in bind(text)


def test_a_number_ending_a_sentence_is_not_joined_to_the_next() -> None:
    assert bind("in 2023. Then") == "in 2023. Then"


@pytest.mark.parametrize(
    "text",
    ["grew 50% to 2,880 companies in 2023-24", "up 12.5%% on 1/3 (PRO-2026-01)", "Zoë’s 3 shows"],
)
def test_latin_text_is_bound_as_if_every_cjk_rule_had_been_tried(text: str) -> None:
    from reportgen.layout import spans

    tried = text
    for pattern in spans._CJK_SPANS:
        tried = pattern.sub(lambda m: spans._join_chars(m.group(0)), tried)
    assert bind(text) == spans._join_latin(tried)
    assert WJ not in bind(text)


def test_binding_twice_changes_nothing() -> None:
    once = bind("规模达到2255亿元（2023年）")
    assert bind(once) == once


def test_no_line_may_break_at_a_joiner_before_a_closing_mark_or_inside_a_number() -> None:
    assert not may_break_between("5", WJ)
    assert not may_break_between("链", "。")
    assert not may_break_between("《", "二")
    assert not may_break_between("2", "0")
    assert may_break_between("链", "二")


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("settled: more than 2,880 companies", "more than_2,880_companies"),
        ("reach over 100 countries", "over_100_countries"),
        ("at least 3 series", "at least_3_series"),
    ],
)
def test_a_qualifier_stays_with_the_number_it_qualifies(text: str, joined: str) -> None:
    assert joined.replace("_", NO_BREAK_SPACE) in bind(text)


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
    assert WJ.join(name) in bind(text)


def test_chinese_running_text_is_not_taken_for_a_name() -> None:
    text = "本简报所据仅为一篇文章，文章报告成效"
    assert bind(text) == text


@pytest.mark.parametrize("number", ["2025-01", "PRO-2026-P1"])
def test_a_document_number_stays_with_its_label_and_whole(number: str) -> None:
    whole = number.replace("-", "-" + WJ)  # no break after its hyphens
    assert WJ.join("编号") + WJ + whole in bind(f"《上海网络剧出海》，编号{number}，2026年")


def test_word_keeps_the_joiners_after_a_document_numbers_hyphens() -> None:
    from reportgen.layout.spans import for_word

    assert "PRO-" + WJ + "2026-" + WJ + "N1ZH" in for_word(bind("编号PRO-2026-N1ZH"))


def test_a_latin_word_in_a_narrow_column_gets_room_for_its_wider_letters() -> None:
    from reportgen.layout.columns import PADDING, column_shares

    rows = [["平台", "剧集"], ["YouTube", "《三十而已》"], ["Netflix", "《小敏家》" * 6]]
    share = column_shares(rows, 40)[0]
    # seven letters measured at 1.2 columns each, never the bare 7
    assert share * 40 >= 7 * 1.2 + PADDING - 1e-9


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
