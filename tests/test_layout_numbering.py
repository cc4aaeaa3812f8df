"""Heading numbers are worked out from level and position, never typed."""

from __future__ import annotations

import pytest

from reportgen import model as m
from reportgen.layout import heading_inlines, lay_out
from reportgen.layout.numbering import chinese_ordinal, numbers, resolve
from reportgen.model.markup import parse


@pytest.mark.parametrize(
    ("n", "word"),
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (20, "二十"),
        (22, "二十二"),
        (99, "九十九"),
    ],
)
def test_chinese_ordinals_are_ordinal_numerals(n: int, word: str) -> None:
    assert chinese_ordinal(n) == word


def test_no_chinese_ordinal_uses_the_quantity_word() -> None:
    assert not any("两" in chinese_ordinal(n) for n in range(1, 100))


def test_auto_numbering_is_chinese_for_chinese_and_none_for_english() -> None:
    assert resolve("auto", "zh") == "chinese"
    assert resolve("auto", "en") == "none"
    with pytest.raises(ValueError, match="known: auto, none, decimal, chinese"):
        resolve("roman", "en")


def test_chinese_scheme_numbers_four_levels_as_official_documents_do() -> None:
    levels = [(1, True), (2, True), (2, True), (3, True), (4, True), (1, True), (2, True)]
    assert numbers(levels, "chinese") == [
        "一、",
        "（一）",
        "（二）",
        "1.",
        "（1）",
        "二、",
        "（一）",
    ]


def test_decimal_scheme_numbers_sections_and_subsections() -> None:
    levels = [(1, True), (2, True), (2, True), (1, True), (2, True)]
    assert numbers(levels, "decimal") == ["1. ", "1.1 ", "1.2 ", "2. ", "2.1 "]


def test_an_unnumbered_heading_takes_no_number_and_restarts_the_levels_below() -> None:
    levels = [(1, False), (2, True), (1, True), (2, True), (1, False)]
    assert numbers(levels, "chinese") == ["", "（一）", "一、", "（一）", ""]


def test_a_skipped_level_counts_from_the_level_above() -> None:
    assert numbers([(1, True), (3, True), (3, True)], "decimal") == ["1. ", "1.1 ", "1.2 "]


def _doc(markdown: str, lang: str = "zh", numbering: str = "auto") -> m.Document:
    meta = m.Metadata(title="t", lang=lang, numbering=numbering)
    return lay_out(parse(markdown, meta))


def _heading_texts(doc: m.Document) -> list[str]:
    return [m.plain_text(heading_inlines(h)) for h in doc.headings()]


def test_leaving_out_a_section_renumbers_the_rest() -> None:
    full = "# 甲\n\n## 子\n\n## 丑\n\n# 乙\n\n# 丙\n"
    without = "# 甲\n\n## 子\n\n## 丑\n\n# 丙\n"
    assert _heading_texts(_doc(full))[-1] == "三、丙"
    assert _heading_texts(_doc(without))[-1] == "二、丙"


def test_a_heading_marked_unnumbered_keeps_its_text_without_the_mark() -> None:
    doc = _doc("# 内容提要 {-}\n\n# 政策\n\n# 参考资料 {.unnumbered}\n")
    assert _heading_texts(doc) == ["内容提要", "一、政策", "参考资料"]


def test_english_briefs_are_unnumbered_unless_the_profile_asks() -> None:
    assert _heading_texts(_doc("# A\n\n## B\n", lang="en")) == ["A", "B"]
    assert _heading_texts(_doc("# A\n\n## B\n", "en", "decimal")) == ["1. A", "1.1 B"]


def test_headings_inside_boxes_are_not_numbered() -> None:
    doc = _doc("# 甲\n\n::: note\n## 框内\n\n文字\n:::\n")
    assert _heading_texts(doc) == ["一、甲", "框内"]


def test_laying_out_twice_changes_nothing() -> None:
    once = _doc("# 甲\n\n文字2023年。[^a]\n\n[^a]: 注。\n")
    assert lay_out(once) == once


def test_a_chinese_heading_breaks_only_at_punctuation() -> None:
    heading = next(_doc("# 面向国际伙伴：片目推介\n").headings())
    (text,) = heading.children
    assert isinstance(text, m.Text) and text.text == "面向国际伙伴：片目推介"
    assert [text.text[s:e] for s, e in text.nobreak] == ["面向国际伙伴：", "片目推介"]


def test_a_heading_inside_a_box_keeps_only_its_spans() -> None:
    doc = _doc("::: note\n## 框内标题2023年\n\n文字\n:::\n")
    (text,) = next(doc.headings()).children
    assert [text.text[s:e] for s, e in text.nobreak] == ["2023年"]
