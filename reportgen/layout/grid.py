"""The key-figure grid: how many columns a box of n large numbers takes.

Up to four figures sit on one row; five, six and nine make rows of three;
seven and eight rows of four (4 + 3, 4 + 4), so no row is left with a
single figure under a full one. Each value is then set in one size for the
whole box, as large as lets the widest value keep to one line of its card
(超180亿元 never ends a line with 亿). Both writers use this.
"""

from __future__ import annotations

import math

from ..text.script import display_width

MAX_COLUMNS = 4


def figure_columns(n: int) -> int:
    """Columns for ``n`` key figures (0 for none)."""
    if n <= 0:
        return 0
    if n <= MAX_COLUMNS:
        return n
    return 3 if n % 3 == 0 or n == 5 else MAX_COLUMNS


def figure_grid(n: int) -> tuple[int, int]:
    """(columns, rows) for ``n`` key figures."""
    cols = figure_columns(n)
    return cols, math.ceil(n / cols) if cols else 0


#: the narrowest key-figure value size, in points; below it a value wraps
SMALLEST_VALUE = 12.0
#: a column of bold display type, as a fraction of its size (digits are
#: about 0.56 em, an ideograph 1 em, two columns)
VALUE_COLUMN_EM = 0.6


def value_size(values: list[str], cell_width_pt: float, largest: float) -> float:
    """The size (whole points) for key-figure ``values`` in cards whose text
    is ``cell_width_pt`` wide: ``largest`` when the widest fits on one line,
    smaller until it does, never under ``SMALLEST_VALUE``."""
    widest = max((display_width(v) for v in values), default=0)
    if widest == 0:
        return largest
    fitting = math.floor(cell_width_pt / (widest * VALUE_COLUMN_EM))
    return float(max(SMALLEST_VALUE, min(largest, fitting)))
