"""How Chinese headings stand apart from each other and from the body.

GB/T 9704 gives the roles: 一、 in Hei, （一） in Kai, 1. in the body face.
Its Kai is regular: stroked bold, Kai outweighed the Hei heading above it
(the hierarchy read 二级 > 一级). So the hierarchy is carried by face, size
and weight together, read by both writers: 一级 Hei, the largest; 二级 Kai,
regular, between it and the body; 三级 the body face at body size, bold.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HeadingLook:
    """One heading level: its typeface role, size over the body's, weight."""

    role: str  # a fonts role: cjk_headings, cjk_second or cjk_body
    step: float  # points above the body size
    bold: bool


#: level -> look; deeper levels take the third
CHINESE = {
    1: HeadingLook("cjk_headings", 4.0, False),
    2: HeadingLook("cjk_second", 2.0, False),
    3: HeadingLook("cjk_body", 0.0, True),
}


def chinese(level: int) -> HeadingLook:
    """The look of a Chinese heading of ``level`` (1 to 3, deeper as 3)."""
    return CHINESE[min(max(level, 1), 3)]
