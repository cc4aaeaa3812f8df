"""Fonts for the PDF writer: registration, glyph coverage and fallback.

Every font is a TrueType file that reportlab embeds as a subset, so the PDF
never leans on the base-14 fonts. Text is checked character by character
against the family it is set in; characters that family lacks are wrapped in
a ``<font>`` tag naming a family that has them (CJK runs in a Latin body),
and characters no font has are collected so the writer can refuse the
document before building it.
"""

from __future__ import annotations

import hashlib
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

from .. import fonts
from ..errors import RenderError

#: the CID font reportlab ships; used only when no CJK TrueType font exists
CID_FALLBACK = "STSong-Light"

_MONO_FILES = ("LiberationMono-Regular.ttf", "DejaVuSansMono.ttf")


@dataclass
class Family:
    """A registered family: reportlab names per style, and the characters
    all four styles can draw (so <b> or <i> never loses a glyph)."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    coverage: frozenset[int] | None  # None: a CID font, coverage unknown
    embedded: bool = True


@dataclass
class FontSet:
    """The families one document is set in, with fallback in order."""

    serif: Family
    sans: Family
    mono: Family
    cjk: Family
    symbols: tuple[Family, ...] = ()
    missing: dict[str, list[str]] = field(default_factory=dict)
    unembedded_used: bool = False

    def fallbacks(self) -> tuple[Family, ...]:
        return (self.cjk, self.sans, self.serif, self.mono, *self.symbols)


def _register_ttf(name: str, path: Path, index: int = 0) -> str:
    """Register one TrueType file once per process; the name carries a
    digest of the path, so another --cjk-font in the same process is
    registered anew instead of silently reusing the first."""
    digest = hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:10]
    name = f"{name}-{digest}"
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=index))
        except Exception as exc:  # reportlab raises bare TTFError/OSError variants
            raise RenderError(f"cannot use font {path}: {exc}") from exc
    return name


def _coverage(*names: str) -> frozenset[int]:
    """Code points every one of the named TrueType fonts maps to a glyph."""
    sets = [set(pdfmetrics.getFont(n).face.charToGlyph) for n in names]
    return frozenset(set.intersection(*sets))


def _family_mapping(fam: Family) -> None:
    # addMapping lets Paragraph markup <b>/<i> find the right face
    addMapping(fam.regular, 0, 0, fam.regular)
    addMapping(fam.regular, 1, 0, fam.bold)
    addMapping(fam.regular, 0, 1, fam.italic)
    addMapping(fam.regular, 1, 1, fam.bold_italic)


def _face_family(key: str, face: fonts.Face) -> Family:
    paths = (face.regular, face.bold, face.italic, face.bold_italic)
    suffixes = ("", "-Bold", "-Italic", "-BoldItalic")
    names = [_register_ttf(f"rg-{key}{s}", p) for s, p in zip(suffixes, paths, strict=True)]
    fam = Family(face.name, *names, coverage=_coverage(*names))
    _family_mapping(fam)
    return fam


def _single_family(key: str, label: str, path: Path, index: int = 0) -> Family:
    """A family with one face used for all four styles (mono, CJK)."""
    name = _register_ttf(f"rg-{key}", path, index)
    fam = Family(label, name, name, name, name, coverage=_coverage(name))
    _family_mapping(fam)
    return fam


def _mono_path(face: fonts.Face) -> Path:
    """A monospaced file next to the sans family, else the sans itself.

    fonts.py has no mono() yet, so look beside the files it found."""
    roots = {face.regular.parent, face.regular.parent.parent}
    for root in sorted(roots):
        for file_name in _MONO_FILES:
            hits = sorted(root.rglob(file_name)) if root.is_dir() else []
            if hits:
                return hits[0]
    return face.regular


def _cjk_family(explicit: Path | None) -> Family:
    found = fonts.cjk(explicit)
    if found is not None:
        return _single_family("cjk", found.name, found.path, found.index)
    if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    fam = Family(CID_FALLBACK, *(CID_FALLBACK,) * 4, coverage=None, embedded=False)
    _family_mapping(fam)
    return fam


def warn_if_unembedded(fontset: FontSet) -> None:
    """Warn once per document when text was set in the CID fallback
    (only then: a Latin brief on a machine without CJK fonts is fine)."""
    if fontset.unembedded_used:
        warnings.warn(
            f"no CJK TrueType font found; CJK text uses the built-in {CID_FALLBACK}, "
            "which is not embedded in the PDF (install one or pass --cjk-font)",
            stacklevel=3,
        )


def load(cjk_font: Path | None) -> FontSet:
    """Register the document's fonts and return them with their coverage."""
    sans_face = fonts.sans()
    return FontSet(
        serif=_face_family("serif", fonts.serif()),
        sans=_face_family("sans", sans_face),
        mono=_single_family("mono", "mono", _mono_path(sans_face)),
        cjk=_cjk_family(cjk_font),
        symbols=tuple(
            _single_family(f"symbols{i}", path.stem, path) for i, path in enumerate(fonts.symbols())
        ),
    )


# --------------------------------------------------------------------------
# Character classes


def is_cjk(ch: str) -> bool:
    """Han, kana, hangul, CJK punctuation and full-width forms."""
    cp = ord(ch)
    return (
        0x2E80 <= cp <= 0x9FFF
        or 0xAC00 <= cp <= 0xD7AF
        or 0xF900 <= cp <= 0xFAFF
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or 0x20000 <= cp <= 0x3FFFF
    )


def has_cjk(text: str) -> bool:
    return any(is_cjk(ch) for ch in text)


def _covers(fam: Family, ch: str) -> bool:
    if fam.coverage is None:  # CID fallback: trust it for CJK only
        return is_cjk(ch)
    return ord(ch) in fam.coverage


def _always_drawable(ch: str) -> bool:
    # spaces and line breaks are layout, not glyphs
    return ch in " \t\n\r" or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def pick_family(fontset: FontSet, primary: Family, ch: str) -> Family | None:
    """The family to draw ``ch`` in: ``primary`` when it can, CJK text in
    the CJK font, else the first fallback that has the glyph."""
    if _always_drawable(ch):
        return primary
    if is_cjk(ch) and primary is not fontset.cjk and _covers(fontset.cjk, ch):
        return fontset.cjk  # CJK in a Latin face's few CJK glyphs would mix styles
    if _covers(primary, ch):
        return primary
    for fam in fontset.fallbacks():
        if _covers(fam, ch):
            return fam
    return None
