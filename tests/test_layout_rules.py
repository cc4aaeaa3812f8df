"""The layout's shared rules: key-figure grid, column shares, links, script."""

from __future__ import annotations

import pytest

from reportgen import model as m
from reportgen.layout import lay_out
from reportgen.layout.columns import column_shares
from reportgen.layout.grid import figure_grid, value_size
from reportgen.layout.links import is_live
from reportgen.text import script
from reportgen.text.script import char_columns, clean, has_cjk, is_cjk


@pytest.mark.parametrize(
    ("n", "grid"),
    [
        (1, (1, 1)),
        (2, (2, 1)),
        (3, (3, 1)),
        (4, (4, 1)),
        (5, (3, 2)),
        (6, (3, 2)),
        (7, (4, 2)),
        (8, (4, 2)),
        (9, (3, 3)),
    ],
)
def test_key_figures_take_a_grid_without_a_lone_figure_on_a_row(n: int, grid: tuple) -> None:
    assert figure_grid(n) == grid


@pytest.mark.parametrize(
    ("href", "live"),
    [
        ("https://example.org", True),
        ("http://example.org", True),
        ("mailto:a@example.org", True),
        ("ftp://example.org/file", False),
        ("javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,x", False),
        ("relative/path.html", False),
        ("#known", True),
        ("#unknown", False),
    ],
)
def test_one_link_policy_decides_which_links_stay_live(href: str, live: bool) -> None:
    assert is_live(href, {"known"}) is live


def test_a_dead_link_keeps_its_words_and_loses_the_link() -> None:
    para = m.Paragraph((m.Link("ftp://x.org", (m.Text("files"),)), m.Text(" here")))
    doc = lay_out(m.Document(m.Metadata(title="t"), (para,)))
    assert doc.blocks == (m.Paragraph((m.Text("files"), m.Text(" here"))),)


def test_column_shares_follow_the_content_and_sum_to_one() -> None:
    rows = [["Year", "Series"], ["2023", "Nothing But Thirty, a series about three women"]]
    shares = column_shares(rows, avail=90)
    assert sum(shares) == pytest.approx(1)
    assert shares[1] > 2 * shares[0]


def test_cjk_characters_count_double_in_column_shares() -> None:
    latin = column_shares([["ab", "abcd"]], avail=200)
    cjk = column_shares([["ab", "二十不惑"]], avail=200)
    assert cjk[1] > latin[1]


def test_a_narrow_column_keeps_its_longest_word_when_space_is_short() -> None:
    rows = [["Platform", "x " * 200]]
    shares = column_shares(rows, avail=60)
    assert shares[0] * 60 >= len("Platform")


def test_script_rules() -> None:
    assert is_cjk("中") and is_cjk("，") and not is_cjk("a")
    assert has_cjk("abc中") and not has_cjk("abc")
    assert char_columns("中") == 2 and char_columns("a") == 1 and char_columns("\u2060") == 0
    assert clean("a\x00b\x85c\ufffed") == "abcd"


def test_key_figure_values_shrink_together_until_the_widest_fits_one_line() -> None:
    assert value_size(["2880", "三分之一"], cell_width_pt=110, largest=22) == 22
    shrunk = value_size(["超180亿元", "2255亿元"], cell_width_pt=70, largest=22)
    assert 12 <= shrunk < 22 and shrunk * 0.6 * 9 <= 70
    assert value_size(["很长很长很长很长很长的数值"], cell_width_pt=40, largest=22) == 12


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        (
            "资料来源：Liu、Jiang（2025），第3段。",
            [("资料来源：Liu、Jiang（2025），第3段。", True)],
        ),
        ("Nothing But Thirty", [("Nothing But Thirty", False)]),
        (
            "Twenty Not Confused 2 (二十不惑2)",
            [("Twenty Not Confused 2 (", False), ("二十不惑2)", True)],
        ),
    ],
)
def test_emphasis_is_upright_where_the_text_is_mostly_chinese(text: str, pieces: list) -> None:
    from reportgen.layout.emphasis import runs

    assert runs(text) == pieces


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("", []),
        ("2023", [("2023", False)]),
        ("Café – Zoë⁠s", [("Café – Zoë⁠s", False)]),  # no CJK: one run
        ("Plain then 国", [("Plain then ", False), ("国", True)]),  # ASCII, then CJK: the full rule
        ("国 first", [("国 ", True), ("first", False)]),
    ],
)
def test_emphasis_without_cjk_is_one_italic_run_and_any_cjk_takes_the_full_rule(
    text: str, pieces: list
) -> None:
    from reportgen.layout.emphasis import runs

    assert runs(text) == pieces


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (0x2E80, 0x9FFF),
        (0xAC00, 0xD7AF),
        (0xF900, 0xFAFF),
        (0xFE30, 0xFE4F),
        (0xFF00, 0xFFEF),
        (0x20000, 0x3FFFF),
    ],
)
def test_has_cjk_finds_what_is_cjk_says_at_every_range_edge(low: int, high: int) -> None:
    for cp in (low - 1, low, high, high + 1):
        assert has_cjk(f"a\u00e9 {chr(cp)} z") is is_cjk(chr(cp)), hex(cp)


@pytest.mark.parametrize(
    ("text", "cjk", "columns"),
    [
        ("", False, 0),
        ("Plain ASCII, 2023!", False, 18),
        ("Tab\there", False, 8),
        ("Zoë⁠s", False, 4),  # a format character (U+2060) takes no column
        ("ASCII then 国", True, 13),
        ("《国》", True, 6),
    ],
)
def test_cjk_and_columns_are_the_same_for_ascii_and_any_other_text(
    text: str, cjk: bool, columns: int
) -> None:
    assert has_cjk(text) is cjk
    assert script.display_width(text) == columns
    assert script.display_width(text) == sum(char_columns(ch) for ch in text)


@pytest.mark.parametrize(
    ("text", "latin"),
    [
        ("Shanghai\u2019s", {8}),
        ("2020\u20132023", {4}),
        ("\u201c上海出品\u201d", set()),
        ("上海\u2019s", set()),
        ("\u201cShanghai\u201d", set()),
        ("Content Creators会议", {7}),
        ("会议 Content", set()),
    ],
)
def test_shared_punctuation_takes_the_latin_face_only_between_latin_letters(
    text: str, latin: set[int]
) -> None:
    assert script.latin_faced(text) == latin


def test_a_short_chinese_cell_gets_room_for_two_lines_beside_a_long_one() -> None:
    # 本简报印 / 发后 / 12个月 / 内: a deadline column one word wide (audit4 item 17)
    rows = [
        ["建议", "建议对象", "时限"],
        [
            "鉴于翻译制作和国际推介是专项资金2023年的重点扶持方向，"
            "建议鼓励制作机构在对接国际市场的行业活动举办前备齐翻译宣传材料。",
            "负责确定专项资金扶持重点的市级部门",
            "本简报印发后12个月内",
        ],
    ]
    avail = 76.0
    deadline = column_shares(rows, avail)[2] * avail
    assert deadline >= 10 + 2.5  # half of its 20 columns, and the cell's margins
    assert deadline < 20 + 2.5  # yet not one line at the text's expense


@pytest.mark.parametrize(
    ("children", "found"),
    [
        ((m.Emphasis((m.Text("资料来源：Liu、Jiang（2025），第3段。"),)),), True),
        ((m.Emphasis((m.Text("Source: Liu and Jiang 2025, para. 3."),)),), True),
        ((m.Text("Source: set plainly, not as a caption line."),), False),
        ((m.Emphasis((m.Text("Sources vary."),)),), False),
        ((m.Emphasis((m.Text("Source: a"),)), m.Text(" and more")), False),
    ],
)
def test_a_source_line_is_one_emphasis_opening_with_the_label(children: tuple, found: bool) -> None:
    from reportgen.layout.sources import source_line

    label = "资料来源" if "资料" in str(children) else "Source"
    line = source_line(m.Paragraph(children), label)
    assert (line is not None) is found
    if found:  # the emphasis's own text nodes, their spans with them
        assert line == children[0].children
