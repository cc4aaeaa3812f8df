"""Fonts for the PDF writer: registration, glyph coverage and fallback.

Every font is a TrueType file that reportlab embeds as a subset, so the PDF
never leans on the base-14 fonts. Text is checked character by character
against the family it is set in; characters that family lacks are wrapped in
a ``<font>`` tag naming a family that has them (CJK runs in a Latin body),
and characters no font has are collected so the writer can refuse the
document before building it.
"""

from __future__ import annotations

import functools
import hashlib
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from ... import fonts
from ...errors import RenderError
from ...fonts import cache as fontcache
from ...fonts import suggest
from ...text.script import has_cjk, is_cjk  # noqa: F401 (re-exported)
from . import _rl, _tracking
from ._bold import mark_stroked

#: the CID font reportlab ships; used only when no CJK TrueType font exists
CID_FALLBACK = "STSong-Light"


@dataclass
class Family:
    """A registered family: reportlab names per style, and the characters
    all four styles can draw (so <b> or <i> never loses a glyph).
    ``synthetic_bold``: the bold style strokes the regular glyphs."""

    name: str
    regular: str
    bold: str
    italic: str
    bold_italic: str
    coverage: frozenset[int] | None  # None: a CID font, coverage unknown
    embedded: bool = True
    synthetic_bold: bool = False


@dataclass
class FontSet:
    """The families one document is set in, with fallback in order. The
    three CJK families are the roles of a Chinese document: body (FangSong
    or Song), headings (Hei) and second-level headings (Kai)."""

    serif: Family
    sans: Family
    mono: Family
    cjk: Family
    symbols: tuple[Family, ...] = ()
    missing: dict[str, list[str]] = field(default_factory=dict)
    unembedded_used: bool = False
    cjk_head: Family | None = None
    cjk_second: Family | None = None

    def cjk_families(self) -> tuple[Family, ...]:
        return self._cjk_families

    # asked for every character drawn (pick_family): worked out once
    @functools.cached_property
    def _cjk_families(self) -> tuple[Family, ...]:
        out: list[Family] = []
        for fam in (self.cjk, self.cjk_head, self.cjk_second):
            if fam is not None and all(fam is not seen for seen in out):
                out.append(fam)
        return tuple(out)

    def latin_partner(self, fam: Family) -> Family | None:
        """The Latin family set beside a CJK one, as Word pairs w:ascii with
        w:eastAsia: the serif with the body and Kai, the sans with Hei."""
        if fam is self.cjk_head:
            return self.sans
        if any(fam is f for f in self.cjk_families()):
            return self.serif
        return None

    def fallbacks(self) -> tuple[Family, ...]:
        return (*self.cjk_families(), self.sans, self.serif, self.mono, *self.symbols)


def _register_ttf(path: Path, index: int = 0, stroked: bool = False) -> str:
    """Register one TrueType face once per process and return its name.

    The name comes from the file (its stem and a digest of path and face),
    so two roles that use one file share one embedded subset. A stroked
    face is a second name for the same file (reportlab maps both to one
    font object, so its glyphs are embedded once)."""
    digest = hashlib.sha1(f"{path}#{index}".encode()).hexdigest()[:10]
    stem = "".join(ch for ch in path.stem if ch.isalnum())[:24] or "font"
    name = f"rg-{stem}-{digest}" + ("-SynBold" if stroked else "")
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(fontcache.ttfont(name, path, index))
            _FILES[name] = (path, index)
        except Exception as exc:  # reportlab raises bare TTFError/OSError variants
            raise RenderError(f"cannot use font {path}: {exc}") from exc
        if stroked:
            mark_stroked(name)
    return name


#: registered name -> (file, face index), for coverage without the face
_FILES: dict[str, tuple[Path, int]] = {}


@functools.lru_cache(maxsize=64)
def _coverage(*names: str) -> frozenset[int]:
    """Code points every one of the named TrueType fonts maps to a glyph.
    Read from the font cache: a face is loaded in full only when drawn.
    Once per process: a name stands for one file and face (``_register_ttf``),
    and intersecting a CJK face's tens of thousands of code points was
    worked out again for every brief of a batch."""
    sets = [fontcache.coverage(*_FILES[n]) for n in dict.fromkeys(names)]
    return sets[0] if len(sets) == 1 else frozenset.intersection(*sets)


def _family_mapping(fam: Family) -> None:
    # addMapping lets Paragraph markup <b>/<i> find the right face
    addMapping(fam.regular, 0, 0, fam.regular)
    addMapping(fam.regular, 1, 0, fam.bold)
    addMapping(fam.regular, 0, 1, fam.italic)
    addMapping(fam.regular, 1, 1, fam.bold_italic)


def _family(font: fonts.Font) -> Family:
    """Register a role's font in four styles. A missing bold is the regular
    file stroked (synthetic bold); a missing italic is upright."""
    regular = _register_ttf(font.regular, font.index)
    if font.bold is not None:
        bold = _register_ttf(font.bold)
    else:
        bold = _register_ttf(font.regular, font.index, stroked=True)
    italic = _register_ttf(font.italic) if font.italic else regular
    bold_italic = _register_ttf(font.bold_italic) if font.bold_italic else bold
    names = dict.fromkeys((regular, bold, italic, bold_italic))
    fam = Family(font.name, regular, bold, italic, bold_italic, coverage=_coverage(*names))
    fam.synthetic_bold = font.bold is None
    _family_mapping(fam)
    return fam


def _cid_family() -> Family:
    if CID_FALLBACK not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    fam = Family(CID_FALLBACK, *(CID_FALLBACK,) * 4, coverage=None, embedded=False)
    _family_mapping(fam)
    return fam


def _cjk_family(roles: fonts.Roles, role: str) -> Family:
    font = roles.font(role)
    return _family(font) if font is not None else _cid_family()


def _second_family(roles: fonts.Roles) -> Family:
    """The Kai role, set tight when its ideographs sit small in the em
    (``_tracking``); not when its file serves the body or headings too."""
    fam, font = _cjk_family(roles, "cjk_second"), roles.font("cjk_second")
    shared = {f.regular for f in (roles.font("cjk_body"), roles.font("cjk_headings")) if f}
    if font is None or font.regular in shared or font.bold is not None:
        return fam
    body = roles.font("cjk_body")
    gap = 1 - _tracking.ink_share(body.regular, body.index) if body else _tracking.GAP
    regular = _tracking.tightened(fam.regular, font.regular, font.index, gap)
    if regular == fam.regular:
        return fam
    bold = _tracking.tightened(fam.bold, font.regular, font.index, gap)
    mark_stroked(bold)  # the synthetic bold, tight as well
    for name in (regular, bold):
        _FILES[name] = (font.regular, font.index)
    tight = Family(fam.name, regular, bold, regular, bold, coverage=fam.coverage)
    tight.synthetic_bold = True
    _family_mapping(tight)
    return tight


def missing_message(missing: dict[str, list[str]]) -> str:
    """Each character no font draws, where it is, and what would draw it:
    a package, the Windows or macOS font, or a change to the data."""
    lines = ["no available font can draw these characters:"]
    for ch, places in sorted(missing.items()):
        lines.append(f"  U+{ord(ch):04X} {ch!r} in {', '.join(places)}")
        lines.append(f"    {suggest.advice(ch)}")
    return "\n".join(lines)


def warn_if_unembedded(fontset: FontSet) -> None:
    """Warn once per document when text was set in the CID fallback
    (only then: a Latin brief on a machine without CJK fonts is fine)."""
    if fontset.unembedded_used:
        warnings.warn(
            f"no CJK TrueType font found; CJK text uses the built-in {CID_FALLBACK}, "
            "which is not embedded in the PDF (install fonts-arphic-gbsn00lp and "
            "fonts-wqy-zenhei, or pass --cjk-font)",
            stacklevel=3,
        )


def load(cjk_font: Path | None, house: fonts.HouseFonts = ()) -> FontSet:
    """Register the document's fonts, one family per typeface role."""
    roles = fonts.resolve(house, cjk_font)
    return FontSet(
        serif=_family(_latin(roles, "body")),
        sans=_family(_latin(roles, "headings")),
        mono=_single(_latin(roles, "mono")),
        cjk=_cjk_family(roles, "cjk_body"),
        cjk_head=_cjk_family(roles, "cjk_headings"),
        cjk_second=_second_family(roles),
        symbols=tuple(_single(font) for font in roles["symbols"].fonts),
    )


def _latin(roles: fonts.Roles, role: str) -> fonts.Font:
    font = roles.font(role)
    assert font is not None  # the Latin roles always end in reportlab's Vera
    return font


def _single(font: fonts.Font) -> Family:
    """One face for every style: code (set upright and regular) and the
    fallback fonts for symbols and other scripts."""
    name = _register_ttf(font.regular, font.index)
    fam = Family(font.name, name, name, name, name, coverage=_coverage(name))
    if not _rl.has_family(name):  # a face of a styled family (DejaVu Sans) keeps its bold
        _family_mapping(fam)
    return fam


# --------------------------------------------------------------------------
# Character classes


# is_cjk and has_cjk: the one definition in text.script (imported above)


def _covers(fam: Family, ch: str) -> bool:
    if fam.coverage is None:  # CID fallback: trust it for CJK only
        return is_cjk(ch)
    return ord(ch) in fam.coverage


def _always_drawable(ch: str) -> bool:
    # spaces and line breaks are layout, not glyphs
    return ch in " \t\n\r" or unicodedata.category(ch) in ("Zs", "Zl", "Zp")


def pick_family(fontset: FontSet, primary: Family, ch: str, latin: bool = False) -> Family | None:
    """The family to draw ``ch`` in: ``primary`` when it can, CJK text in
    the CJK font, else the first fallback that has the glyph. ``latin``:
    the script rules (``text.script.latin_faced``) put this shared
    punctuation between Latin letters, so it goes with them."""
    partner = fontset.latin_partner(primary)
    if latin and partner is not None and _covers(partner, ch):
        return partner
    if _always_drawable(ch):
        # a space between Latin words in Chinese text goes with the words
        return partner if partner is not None and not primary.embedded else primary
    if is_cjk(ch) and partner is None and _covers(fontset.cjk, ch):
        return fontset.cjk  # CJK in a Latin face's few CJK glyphs would mix styles
    if partner is not None and ord(ch) < 0x2000 and _covers(partner, ch):
        # Latin letters and digits in Chinese text: the CJK faces' own
        # Latin glyphs are typewriter-like, and Word uses w:ascii for them
        return partner
    if _covers(primary, ch):
        return primary
    for fam in fontset.fallbacks():
        if _covers(fam, ch):
            return fam
    return None
