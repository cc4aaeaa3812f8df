"""Page decisions shared by both writers: margins, page numbers, the
printed date and the facts under the title."""

from __future__ import annotations

import pytest

from reportgen.layout import page
from reportgen.text import formatting


@pytest.mark.parametrize(("size", "side"), [("A4", 45.0), ("Letter", 47.95)])
def test_side_margins_centre_the_text_measure_on_the_paper(size: str, side: float) -> None:
    _, right, _, left = page.margins(size)
    assert (right, left) == (side, side)
    assert page.paper(size)[0] - left - right == pytest.approx(page.MEASURE_MM)


def test_margins_the_profile_gives_replace_only_those_sides() -> None:
    assert page.margins("A4", {"left": 30, "right": None}) == (24.0, 45.0, 22.0, 30.0)


@pytest.mark.parametrize(
    ("style", "lang", "label"),
    [
        ("auto", "zh-CN", "\u2014 {page} \u2014"),
        ("auto", "en", "Page {page} of {pages}"),
        ("dash", "en", "\u2014 {page} \u2014"),
        ("page-of", "zh-CN", "Page {page} of {pages}"),
        ("none", "en", ""),
    ],
)
def test_page_numbers_follow_the_style_and_the_language(style: str, lang: str, label: str) -> None:
    assert page.page_label(style, lang, "Page {page} of {pages}") == label


@pytest.mark.parametrize(("lang", "shown"), [("zh-CN", "2026年1月1日"), ("en", "1 January 2026")])
def test_the_date_is_written_as_the_language_writes_it(lang: str, shown: str) -> None:
    assert formatting.date_text("2026-01-01", lang) == shown


def test_short_facts_share_one_row_by_their_length() -> None:
    fields = [("Issued by", "Policy Unit"), ("Date", "1 May 2024")]
    (row,) = page.fact_rows(fields, 340)
    assert [value for _, value, _ in row] == ["Policy Unit", "1 May 2024"]
    assert sum(width for *_, width in row) == pytest.approx(340)


def test_a_long_issuing_body_gets_a_row_of_its_own() -> None:
    fields = [
        ("Issued by", "Research Office of the Municipal Committee on Culture and Tourism"),
        ("Brief no.", "2025-01"),
        ("Date", "30 November 2026"),
        ("Contact", "research-office@example.org"),
    ]
    first, rest = page.fact_rows(fields, 340)
    assert [label for label, *_ in first] == ["Issued by"] and first[0][2] == 340
    assert [label for label, *_ in rest] == ["Brief no.", "Date", "Contact"]
    widths = {label: width for label, _, width in rest}
    assert widths["Contact"] > widths["Date"] > widths["Brief no."]


def test_a_logo_beside_the_facts_narrows_only_the_first_row() -> None:
    fields = [
        ("Issued by", "Research Office of the Municipal Committee on Culture and Tourism"),
        ("Date", "30 November 2026"),
    ]
    first, rest = page.fact_rows(fields, 340, first=250)
    assert first[0][2] == 250
    assert sum(width for *_, width in rest) == pytest.approx(340)


@pytest.mark.parametrize(("pixels", "mm"), [((300, 120), (40.0, 16.0)), ((960, 100), (48.0, 5.0))])
def test_a_logo_fits_its_box_with_its_proportions(
    pixels: tuple[int, int], mm: tuple[float, float]
) -> None:
    assert page.logo_size(*pixels) == pytest.approx(mm)
