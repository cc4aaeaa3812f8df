"""The key-figure grid: how many columns a box of n large numbers takes.

Up to four figures sit on one row; five, six and nine make rows of three;
seven and eight rows of four (4 + 3, 4 + 4), so no row is left with a
single figure under a full one. Both writers use this.
"""

from __future__ import annotations

import math

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
