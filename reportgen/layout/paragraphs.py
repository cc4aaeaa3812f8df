"""How a body paragraph begins, decided once for both writers.

Chinese body text opens each paragraph with a two-character indent (首行缩进
2字符), as GB/T 9704 documents and Chinese books do; its paragraphs are told
apart by that indent, not only by the space between them. English briefs keep
block paragraphs (space between, no indent), as reports in English do.
"""

from __future__ import annotations

#: the indent of a Chinese body paragraph's first line, in characters (ems)
CHINESE_INDENT_CHARS = 2


def first_line_indent_chars(lang: str) -> int:
    """Characters (ems of the body size) a body paragraph's first line is
    indented by in a document in ``lang``: two in Chinese, none otherwise.
    Only body paragraphs: list items, table cells, boxes, notes and source
    lines keep their own alignment."""
    return CHINESE_INDENT_CHARS if lang.lower().startswith("zh") else 0
