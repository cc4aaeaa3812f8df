"""Units are data: one axis, one unit, converted from each figure's own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest

from reportgen.data.units import UnitMismatch, axis_for


@dataclass(frozen=True)
class Figure:
    path: str
    value: Decimal | Fraction
    unit: str
    noun: str = ""


EXPORTS = Figure("figures.exports", Decimal("8.6"), "billion_yuan")
FUND = Figure("figures.fund", Decimal(450_000_000), "yuan")
STUDIOS = Figure("figures.studios", Decimal(236), "count", "studios")


@pytest.mark.parametrize(
    ("lang", "words", "values"),
    [("en", "billion yuan", [8.6, 0.45]), ("zh", "亿元", [86.0, 4.5])],
)
def test_yuan_and_billion_yuan_are_drawn_in_the_unit_the_largest_reads_best_in(
    lang: str, words: str, values: list[float]
) -> None:
    axis = axis_for([EXPORTS, FUND], lang)
    assert axis.words == words
    assert [axis.value(f) for f in (EXPORTS, FUND)] == pytest.approx(values)


@pytest.mark.parametrize(
    ("amount", "en", "zh"),
    [(450_000_000, "million yuan", "亿元"), (45_000, "yuan", "万元"), (900, "yuan", "元")],
)
def test_smaller_sums_get_a_smaller_unit(amount: int, en: str, zh: str) -> None:
    figure = Figure("figures.x", Decimal(amount), "yuan")
    assert (axis_for([figure], "en").words, axis_for([figure], "zh").words) == (en, zh)


def test_shares_are_drawn_in_per_cent() -> None:
    axis = axis_for([Figure("figures.share", Fraction(1, 4), "share")], "en")
    assert axis.words == "per cent" and axis.value(Figure("s", Fraction(1, 4), "share")) == 25.0


def test_counts_of_one_thing_are_labelled_with_its_noun() -> None:
    assert axis_for([STUDIOS], "en").words == "studios"


def test_a_count_beside_a_sum_of_money_is_refused_naming_the_chart_and_figures() -> None:
    with pytest.raises(UnitMismatch) as caught:
        axis_for([EXPORTS, STUDIOS], "en", "Everything")
    assert str(caught.value).startswith(
        "the chart 'Everything' would put different kinds of quantity on one axis: "
        "figures.exports (an amount of money) and figures.studios (a count)"
    )


def test_counts_of_different_things_are_refused_too() -> None:
    countries = Figure("figures.countries", Decimal(31), "count", "countries")
    with pytest.raises(UnitMismatch, match="counts of different things"):
        axis_for([STUDIOS, countries], "en", "Counts")
