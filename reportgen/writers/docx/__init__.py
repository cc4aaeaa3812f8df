"""The Word writer: a ``Document`` as an editable, styled .docx."""

from __future__ import annotations

from ._writer import word_fonts, write

__all__ = ["word_fonts", "write"]
