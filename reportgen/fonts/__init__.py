"""Finding fonts on Windows, macOS and Linux, by typeface role.

``folders`` knows where each system keeps fonts (and ``REPORTGEN_FONT_DIRS``),
``sfnt`` reads a font file's outline kind and family names, ``catalog``
lists the families reportgen knows per role, ``roles`` picks one per role
and records what it passed over, ``suggest`` says which font or package
draws a character, and ``report`` prints it all for ``reportgen fonts``.

The functions here are the short answers the writers and charts ask for.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .roles import Choice, Font, HouseFonts, Roles, Skipped, resolve

__all__ = [
    "Choice",
    "CjkFont",
    "Face",
    "Font",
    "HouseFonts",
    "Roles",
    "Skipped",
    "cjk",
    "resolve",
    "sans",
    "serif",
    "symbols",
]


@dataclass(frozen=True)
class Face:
    """One family in four styles; ``name`` is the family's display name.
    A style the family lacks is its regular file."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class CjkFont:
    """A TrueType CJK font; ``index`` picks the face inside a .ttc file."""

    name: str
    path: Path
    index: int = 0


def _face(font: Font | None) -> Face:
    assert font is not None  # the Latin roles always end in reportlab's Vera
    bold = font.bold or font.regular
    italic = font.italic or font.regular
    return Face(font.name, font.regular, bold, italic, font.bold_italic or bold)


def sans() -> Face:
    """The sans-serif family for headings, tables and charts."""
    return _face(resolve().font("headings"))


def serif() -> Face:
    """The serif family for body text (the sans family when none exists)."""
    return _face(resolve().font("body"))


def cjk(explicit: Path | None = None) -> CjkFont | None:
    """The CJK body font: ``explicit`` when given, else the best one
    installed, else None (the caller falls back and warns)."""
    font = resolve(cjk_font=explicit).font("cjk_body")
    return CjkFont(font.name, font.regular, font.index) if font else None


def symbols() -> tuple[Path, ...]:
    """Installed fallback fonts for characters the body fonts lack."""
    return tuple(font.regular for font in resolve()["symbols"].fonts)
