"""Which font would draw a character no installed font has.

A small table of Unicode blocks, each with the Debian package, the Windows
font and the macOS font that cover it, so the error for a missing glyph can
say what to install (or which data to change) on the reader's own system.
Blocks are matched in order; the first that holds the character wins.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    name: str
    ranges: tuple[tuple[int, int], ...]
    debian: str
    windows: str
    macos: str


_CJK_RANGES = (
    (0x2E80, 0x2FDF),
    (0x3000, 0x303F),
    (0x3100, 0x312F),
    (0x31A0, 0x31BF),
    (0x3200, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)
BLOCKS = (
    Block(
        "emoji and pictographs",
        ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2B00, 0x2BFF)),
        "fonts-symbola",
        "Segoe UI Symbol (seguisym.ttf)",
        "Apple Symbols",
    ),
    Block(
        "Hebrew",
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
        "fonts-dejavu-core",
        "Arial (arial.ttf)",
        "Arial",
    ),
    Block(
        "Arabic",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
        "fonts-dejavu-core",
        "Arial (arial.ttf)",
        "Arial",
    ),
    Block(
        "Greek and Cyrillic",
        ((0x0370, 0x052F),),
        "fonts-dejavu-core",
        "Times New Roman or Arial",
        "Times New Roman or Arial",
    ),
    Block(
        "Japanese kana",
        ((0x3040, 0x30FF),),
        "fonts-wqy-zenhei",
        "MS Mincho (msmincho.ttc)",
        "Hiragino",
    ),
    Block(
        "Korean hangul",
        ((0x1100, 0x11FF), (0xAC00, 0xD7AF)),
        "fonts-wqy-zenhei",
        "Batang (batang.ttc)",
        "AppleGothic",
    ),
    Block(
        "Chinese (CJK)",
        _CJK_RANGES,
        "fonts-wqy-zenhei or fonts-arphic-gbsn00lp",
        "SimSun (simsun.ttc) or SimHei (simhei.ttf)",
        "Songti SC or STHeiti",
    ),
    Block(
        "symbols and punctuation",
        ((0x2000, 0x2BFF),),
        "fonts-dejavu-core or fonts-symbola",
        "Segoe UI Symbol (seguisym.ttf)",
        "Apple Symbols",
    ),
)


def block_of(ch: str) -> Block | None:
    cp = ord(ch)
    for block in BLOCKS:
        if any(lo <= cp <= hi for lo, hi in block.ranges):
            return block
    return None


def advice(ch: str) -> str:
    """One line: what draws ``ch``, or how to avoid it."""
    block = block_of(ch)
    if block is None:
        name = unicodedata.name(ch, "an unnamed character")
        return (
            f"no font reportgen knows draws {name.lower()}; pass a TrueType font that does "
            "in a profile's brand.fonts, or replace the character in the data"
        )
    return (
        f"{block.name}: install the Debian package {block.debian}, or the font "
        f"{block.windows} on Windows, {block.macos} on macOS; or replace the character "
        "in the data"
    )
