"""Formatting helpers for English and Chinese briefs."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from reportgen.text import formatting as fmt


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (2880, "en", "2,880"),
        (Decimal("225.5"), "en", "225.5"),
        (Decimal("18"), "en", "18"),
        (1234567.25, "en", "1,234,567.25"),
        (2880, "zh", "2880"),
        (Decimal("-1500"), "en", "-1,500"),
    ],
)
def test_numbers_have_thousands_separators_in_english_only(value, lang, text) -> None:
    assert fmt.number(value, lang) == text


@pytest.mark.parametrize(
    ("value", "places", "lang", "text"),
    [
        (0.5, 2, "en", "0.50"),  # the ticks of one axis: 0.25, 0.50, 0.75
        (2500.0, 0, "en", "2,500"),
        (2500.0, 0, "zh", "2500"),
        (0.30000000000000004, 1, "en", "0.3"),  # three steps of 0.1, as a float adds them
        (Fraction(5, 2), 3, "zh", "2.500"),
    ],
)
def test_a_number_can_be_written_with_a_fixed_number_of_decimals(
    value: float | Fraction, places: int, lang: str, text: str
) -> None:
    assert fmt.number(value, lang, places=places) == text


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (Decimal("225.5"), "en", "225.5 billion yuan"),
        (Decimal("225.5"), "zh", "2255亿元"),
        (Decimal("1.7"), "zh", "17亿元"),
        (Decimal("18"), "zh", "180亿元"),
        (Decimal("0.05"), "zh", "5000万元"),
    ],
)
def test_billions_of_yuan_become_yi_in_chinese(value, lang, text) -> None:
    assert fmt.billion_yuan(value, lang) == text


@pytest.mark.parametrize(
    ("value", "lang", "text"),
    [
        (Fraction(1, 3), "en", "one third"),
        (Fraction(1, 3), "zh", "三分之一"),
        (Fraction(2, 3), "en", "two thirds"),
        (Fraction(1, 4), "en", "one quarter"),
        (Fraction(1, 2), "en", "one half"),
        (Decimal("0.42"), "en", "42%"),
    ],
)
def test_shares_read_as_words(value, lang, text) -> None:
    assert fmt.share(value, lang) == text


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (11, "11th"),
        (12, "12th"),
        (21, "21st"),
        (27, "27th"),
        (113, "113th"),
    ],
)
def test_ordinals_take_the_right_suffix(n: int, text: str) -> None:
    assert fmt.ordinal(n) == text


def test_chinese_ordinals_use_di() -> None:
    assert fmt.ordinal(27, "zh") == "第27"


@pytest.mark.parametrize(
    ("items", "lang", "text"),
    [
        ([], "en", ""),
        (["A"], "en", "A"),
        (["A", "B"], "en", "A and B"),
        (["A", "B", "C"], "en", "A, B and C"),
        # a last item with its own "and" takes the serial comma
        (["A", "B", "C and D"], "en", "A, B, and C and D"),
        (["A", "C and D"], "en", "A and C and D"),
        (["A", "B", "C"], "zh", "A、B和C"),
        (["A"], "zh", "A"),
        ([], "zh", ""),
    ],
)
def test_lists_join_with_and(items, lang, text) -> None:
    assert fmt.join_list(items, lang) == text


@pytest.mark.parametrize(
    ("label", "clauses", "lang", "text"),
    [
        ("Source", ["para. 3", "para. 5"], "en", "Source: para. 3; para. 5"),
        ("资料来源", ["第3段", "第5段"], "zh", "资料来源：第3段；第5段"),
        ("资料来源", ["第3段"], "zh-CN", "资料来源：第3段"),
    ],
)
def test_a_label_and_its_clauses_take_the_colon_and_semicolon_of_the_language(
    label, clauses, lang, text
) -> None:
    assert fmt.labelled(label, fmt.join_clauses(clauses, lang), lang) == text


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "lang", "text"),
    [
        (2880, "count", "more_than", "en", "2,880+"),
        (2880, "count", "more_than", "zh", "2880余"),
        (Decimal("225.5"), "billion_yuan", "exact", "en", "¥225.5 bn"),
        (Decimal("1.7"), "billion_yuan", "more_than", "en", "¥1.7 bn+"),
        (Decimal("1.7"), "billion_yuan", "more_than", "zh", "超17亿元"),
        (Fraction(1, 3), "share", "exact", "en", "one third"),
    ],
)
def test_compact_forms_fit_a_key_figure_box(value, unit, qualifier, lang, text) -> None:
    assert fmt.compact(value, unit, qualifier, lang) == text


def test_years_take_nian_in_chinese() -> None:
    assert (fmt.year(2023), fmt.year(2023, "zh")) == ("2023", "2023年")


@pytest.mark.parametrize(
    ("count", "one", "many", "lang", "text"),
    [
        (1, "theme", None, "en", "one theme"),
        (2, "theme", None, "en", "two themes"),
        (1, "series", "series", "en", "one series"),
        (3, "series", "series", "en", "three series"),
        (2, "route", None, "en", "two routes"),
        (3, "剧集", None, "zh", "三部剧集"),
    ],
)
def test_counted_nouns_agree_in_number(count, one, many, lang, text) -> None:
    measure = "部" if lang == "zh" else ""
    assert fmt.plural(count, one, many, measure, lang) == text


def test_capfirst_looks_past_an_opening_quote() -> None:
    assert fmt.capfirst('"one company, one policy" plans') == '"One company, one policy" plans'


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (450_000_000, "450 million yuan"),
        (8_600_000_000, "8.6 billion yuan"),
        (2_500_000, "2.5 million yuan"),
        (450_123_456, "450,123,456 yuan"),  # words only where they are exact
        (1_200, "1,200 yuan"),
    ],
)
def test_a_large_round_sum_of_yuan_is_written_in_words(value: int, text: str) -> None:
    assert fmt.yuan(value) == text


def test_a_figure_keeps_the_source_s_own_qualifier_word() -> None:
    # the Chinese original says 逾17亿元 and 突破180亿元, not one leveled 超过
    assert fmt.figure(Decimal("1.7"), "billion_yuan", "more_than", "", "zh", "逾") == "逾17亿元"
    assert fmt.figure(Decimal(18), "billion_yuan", "more_than", "", "zh", "突破") == "突破180亿元"
    assert fmt.figure(Decimal(2880), "count", "more_than", "家", "zh", "超过") == "超过2880家"
    # without a word of its own, the default qualifier stands
    assert fmt.figure(Decimal("1.7"), "billion_yuan", "more_than", "", "zh") == "超过17亿元"
    # an exact figure takes no qualifier, whatever the word
    assert fmt.figure(Decimal("225.5"), "billion_yuan", "exact", "", "zh", "逾") == "2255亿元"


@pytest.mark.parametrize(
    ("iso", "months", "lang", "text"),
    [
        ("2026-11-30", 6, "en", "by the end of May 2027"),
        ("2026-11-30", 12, "en", "by the end of November 2027"),
        ("2026-01-31", 1, "en", "by the end of February 2026"),
        ("2026-11-30", 6, "zh", "2027年5月底前"),
    ],
)
def test_a_deadline_in_months_reads_as_a_calendar_month(iso, months, lang, text) -> None:
    assert fmt.end_of_month_after(iso, months, lang) == text
