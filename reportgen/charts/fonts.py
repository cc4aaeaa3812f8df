"""The text of charts: the fonts they are set in (the typeface roles the
font layer resolves, a profile's house fonts included, registered with
reportlab, whose metrics both back-ends draw by), runs split by glyph
coverage and by the slant of the text (``styled``), measuring, and line
breaking by the shared script rules. The chart layout sets its text with it; the back-ends get the
font files from the figure it lays out (``figure.FontFile``)."""

from __future__ import annotations

import hashlib
import itertools
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from .. import fonts
from ..fonts import cache as fontcache
from ..fonts import suggest
from ..model import ChartText
from ..text import script
from .figure import FontFile
from .styled import Styled

_ELLIPSIS = "…"

#: the typeface roles chart text is set in: Latin text in the sans family
#: (as headings and tables are), Chinese in the CJK body face
LATIN_ROLE = "headings"
CJK_ROLE = "cjk_body"


@dataclass(frozen=True, slots=True)
class ChartFonts:
    """reportlab names of the fonts the charts use, and their files;
    ``cjk`` is None when no CJK font was found."""

    regular: str
    bold: str
    cjk: str | None
    italic: str = ""  # titles of works in English labels and notes

    @property
    def files(self) -> tuple[FontFile, ...]:
        """Every font of the set, the regular face first, each once."""
        names = dict.fromkeys(n for n in (self.regular, self.bold, self.italic, self.cjk) if n)
        return tuple(_FILES[name] for name in names)


# registered name -> its file, for coverage and the figure's font table
_FILES: dict[str, FontFile] = {}


def _register(family: str, path: Path, index: int = 0) -> str:
    """Register one face with reportlab once, under a name made of the
    family the font layer resolved and a digest of the file and face: two
    files of one family or file name (a profile's copy of a system font)
    never share a name, so a font never hides behind another's; one file
    has one name, so its styles that fall back to it share one subset."""
    digest = hashlib.sha256(f"{path}#{index}".encode()).hexdigest()[:12]
    name = f"RGChart-{re.sub('[^A-Za-z0-9]', '', family)}-{digest}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(fontcache.ttfont(name, path, index))
    _FILES[name] = FontFile(name, path, index)
    return name


def register_fonts(*, house: fonts.HouseFonts = (), cjk_font: Path | None = None) -> ChartFonts:
    """Find and register the chart fonts (idempotent): the fonts of
    ``LATIN_ROLE`` and ``CJK_ROLE`` as the font layer resolves them for a
    profile's ``house`` fonts and an explicit CJK file (``WriterOptions``'
    ``fonts`` and ``cjk_font``). A style the Latin family lacks is its
    regular face."""
    roles = fonts.resolve(house, cjk_font)
    latin = roles.font(LATIN_ROLE)
    assert latin is not None  # the Latin roles always end in reportlab's Vera
    cjk = roles.font(CJK_ROLE)
    return ChartFonts(
        regular=_register(latin.name, latin.regular, latin.index),
        bold=_register(latin.name, latin.bold or latin.regular),
        cjk=_register(cjk.name, cjk.regular, cjk.index) if cjk is not None else None,
        italic=_register(latin.name, latin.italic or latin.regular),
    )


@lru_cache(maxsize=16)
def _charmap(font: str) -> frozenset[int]:
    file = _FILES[font]
    return fontcache.coverage(file.path, file.index)


@dataclass(frozen=True, slots=True)
class Style:
    """A text style: the Latin font, its size and colour; CJK runs switch
    to ``cjk`` when the Latin font lacks the character."""

    font: str
    cjk: str | None
    size: float
    fill: str
    italic: str | None = None  # the font of the text's italic runs


#: the text the layout sets: plain (upright), a label or note of the model,
#: or a line it broke one into
Settable = Styled | ChartText | str


def runs(text: Settable, style: Style) -> list[tuple[str, str]]:
    """Split ``text`` into (text, font) runs by glyph coverage and slant."""
    styled = Styled.of(text)
    cjk = _charmap(style.cjk) if style.cjk else frozenset()
    runs: list[tuple[str, str]] = []
    for char, italic in zip(styled.text, styled.italic, strict=True):
        code = ord(char)
        font = style.italic if italic and style.italic else style.font
        if code not in _charmap(font) and not char.isspace():
            if code in cjk:
                font = style.cjk  # type: ignore[assignment]
            else:
                _warn_missing(char)
        if runs and runs[-1][1] == font:
            runs[-1] = (runs[-1][0] + char, font)
        else:
            runs.append((char, font))
    return runs


def _warn_missing(char: str) -> None:
    # fonts.cjk() documents that its caller falls back and warns; the text
    # is still drawn, with the sans font's missing-glyph box.
    warnings.warn(
        f"no chart font has a glyph for {char!r} (U+{ord(char):04X}); " + suggest.advice(char),
        UserWarning,
        stacklevel=4,
    )


def measure(text: Settable, style: Style) -> float:
    return float(sum(pdfmetrics.stringWidth(t, f, style.size) for t, f in runs(text, style)))


# --------------------------------------------------------------------------
# Line breaking


def _split_long(token: Styled, width: float, style: Style) -> list[Styled]:
    """Break a token wider than ``width`` (a URL, a long word) by characters."""
    pieces, current = [], Styled()
    for index in range(len(token)):
        char = token[index : index + 1]
        if current and measure(current + char, style) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    return [*pieces, current] if current else pieces


def _ellipsize(line: Styled, width: float, style: Style) -> Styled:
    line = line.rstrip()
    while line and measure(line.then(_ELLIPSIS), style) > width:
        line = line[:-1].rstrip()
    return line.then(_ELLIPSIS)


def wrap(text: Settable, width: float, style: Style, max_lines: int = 3) -> list[Styled]:
    """Line breaking at spaces and between ideographs, the lines balanced;
    a text that needs more than ``max_lines`` lines ends with an ellipsis.
    Each line keeps the slant of its characters."""
    styled = Styled.of(text)
    lines = _greedy(styled, width, style)
    if 2 <= len(lines) <= max_lines and "\n" not in styled.text:
        lines = _greedy(styled, _balanced_width(styled, width, style, len(lines)), style)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], _ellipsize(lines[max_lines - 1], width, style)]
    return lines or [Styled()]


def _balanced_width(text: Styled, width: float, style: Style, count: int) -> float:
    """The narrowest width that still sets ``text`` in ``count`` lines: the
    lines come out about equal, so no label ends on one orphan word
    ("build the / base", "扎根 / 上海")."""
    low, high = width / (count + 1), width
    for _ in range(12):  # a twelfth halving is well under a point
        middle = (low + high) / 2
        if len(_greedy(text, middle, style)) <= count:
            high = middle
        else:
            low = middle
    return high


def _greedy(text: Styled, width: float, style: Style) -> list[Styled]:
    """Greedy line breaking at spaces and between ideographs."""
    lines: list[Styled] = []
    for paragraph in text.paragraphs():
        current = Styled()
        for token in _tokens(paragraph.strip()):
            candidate = current + token
            if not current or measure(candidate.rstrip(), style) <= width:
                current = candidate
                continue
            lines.append(current.rstrip())
            current = token
        # a single token may still be wider than the line
        for line in [current.rstrip()] if current else []:
            if measure(line, style) > width:
                pieces = _split_long(line, width, style)
                lines.extend(pieces[:-1])
                line = pieces[-1]
            lines.append(line)
    return _fix_overlong(lines, width, style)


def _may_break(left: str, right: str) -> bool:
    """A line may end between ``left`` and ``right``: after a space; in CJK
    text where the shared script rules allow it (no line starts with a
    closing mark or ends with an opening one); never inside a Latin word, a
    number or a number with its unit (2023年)."""
    if right.isspace():
        return False
    if left.isspace():
        return True
    if not (script.is_cjk(left) or script.is_cjk(right)):
        return False
    if left.isdigit():
        return False
    return script.may_break_between(left, right)


def _tokens(text: Styled) -> list[Styled]:
    """``text`` cut where a line may break; each piece keeps the spaces
    after it."""
    chars = text.text
    starts = [i for i in range(len(chars)) if i == 0 or _may_break(chars[i - 1], chars[i])]
    return [text[start:end] for start, end in itertools.pairwise([*starts, len(chars)])]


def _fix_overlong(lines: list[Styled], width: float, style: Style) -> list[Styled]:
    fixed: list[Styled] = []
    for line in lines:
        if measure(line, style) > width and len(line) > 1:
            fixed.extend(_split_long(line, width, style))
        else:
            fixed.append(line)
    return fixed
