"""Units are data: what kind of quantity a unit measures, how many of the
base unit it holds, and the one unit a chart's axis is drawn in.

A figure in ``yuan`` and one in ``billion_yuan`` are the same kind of
quantity at different scales: on one axis both are converted to the unit the
largest of them reads best in (8.6 billion yuan and 450 million yuan in
billion yuan: 8.6 and 0.45), and the axis is labelled once, in words
("billion yuan", "亿元"). A count and a sum of money are different kinds and
are never put on one axis.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from ..text.formatting import is_zh, join_list

#: unit -> (kind of quantity, how many base units one of it holds)
UNITS: dict[str, tuple[str, Decimal]] = {
    "count": ("count", Decimal(1)),
    "yuan": ("money", Decimal(1)),
    "billion_yuan": ("money", Decimal(10) ** 9),
    "share": ("share", Decimal(1)),
}

_KIND_WORDS = {"count": "a count", "money": "an amount of money", "share": "a share"}

# Scales an axis of money may be drawn in: (smallest value it suits, base
# units per axis unit, the unit in words), largest first.
_MONEY_SCALES = {
    "en": (
        (Decimal(10) ** 9, Decimal(10) ** 9, "billion yuan"),
        (Decimal(10) ** 6, Decimal(10) ** 6, "million yuan"),
        (Decimal(0), Decimal(1), "yuan"),
    ),
    "zh": (
        (Decimal(10) ** 8, Decimal(10) ** 8, "亿元"),
        (Decimal(10) ** 4, Decimal(10) ** 4, "万元"),
        (Decimal(0), Decimal(1), "元"),
    ),
}


class Measured(Protocol):
    """What an axis needs of a figure (``context.Fact`` is one); read only,
    as a frozen figure's fields are."""

    @property
    def path(self) -> str: ...

    @property
    def unit(self) -> str: ...

    @property
    def noun(self) -> str: ...

    @property
    def value(self) -> Decimal | Fraction: ...


class UnitMismatch(ValueError):
    """Figures of different kinds (a count and a sum of money) were asked
    for on one axis; the message names the chart and each figure's kind."""


@dataclass(frozen=True)
class Axis:
    """One axis: the unit in words and the base units per axis unit."""

    kind: str
    words: str
    per_unit: Decimal

    def value(self, figure: Measured) -> float:
        """``figure`` in this axis's unit: 450,000,000 yuan on a billion-yuan
        axis is 0.45; a share is drawn in per cent."""
        in_base = _decimal(figure.value) * UNITS[figure.unit][1]
        if self.kind == "share":
            in_base *= 100
        return float(in_base / self.per_unit)


def _decimal(value: Decimal | Fraction | float) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return value if isinstance(value, Decimal) else Decimal(str(value))


def kind_of(unit: str) -> str:
    """'count', 'money' or 'share'; an unknown unit is a bug in the schema."""
    return UNITS[unit][0]


def axis_for(figures: Sequence[Measured], lang: str, chart: str = "") -> Axis:
    """The one axis ``figures`` can share, in the unit the largest reads
    best in; UnitMismatch when they are not one kind of quantity."""
    kinds = {kind_of(f.unit) for f in figures}
    if len(kinds) > 1:
        raise UnitMismatch(_mixed(figures, chart, "kinds"))
    kind = kinds.pop() if kinds else "count"
    if kind == "money":
        largest = max((abs(UNITS[f.unit][1] * _decimal(f.value)) for f in figures), default=0)
        scales = _MONEY_SCALES["zh" if is_zh(lang) else "en"]
        _, per_unit, words = next(s for s in scales if largest >= s[0])
        return Axis(kind, words, per_unit)
    if kind == "share":
        return Axis(kind, "%" if is_zh(lang) else "per cent", Decimal(1))
    nouns = {str(f.noun) for f in figures}
    if len(nouns) > 1:
        raise UnitMismatch(_mixed(figures, chart, "nouns"))
    return Axis(kind, nouns.pop() if nouns else "", Decimal(1))


def _mixed(figures: Sequence[Measured], chart: str, what: str) -> str:
    name = f"the chart '{chart}'" if chart else "a chart"
    if what == "kinds":
        parts = [f"{f.path} ({_KIND_WORDS[kind_of(f.unit)]})" for f in figures]
        problem = "different kinds of quantity"
    else:
        parts = [f"{f.path} ({f.noun or 'no noun'})" for f in figures]
        problem = "counts of different things"
    return (
        f"{name} would put {problem} on one axis: {join_list(parts)}; chart one kind "
        'at a time, for example figure_list | selectattr("unit", "in", '
        '["yuan", "billion_yuan"])'
    )
