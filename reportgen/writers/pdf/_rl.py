"""reportlab's internals, in this one module.

The PDF writer needs a few things reportlab's documented API does not give:
a hook on the operators a text object writes (synthetic bold), a table
cell's size without wrapping its paragraph again, the document's creation
date, a font registered under a second name with other advances, the
fragments and lines of its paragraph machinery, and the fuzz its layout
arithmetic allows. Each is here, behind a function or a small base class
with a name of ours; the other modules of the writer never touch a
reportlab private (``tests/test_architecture.py`` checks it), so a new
reportlab is checked here, and ``pyproject.toml`` keeps reportlab below its
next major version.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from reportlab.lib.fonts import ps2tt
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph, Table
from reportlab.platypus.paragraph import (
    ParaLines,
    _handleBulletWidth,
    cjkU,
    cleanBlockQuotedText,
    makeCJKParaLine,
    textTransformFrags,
)
from reportlab.platypus.paraparser import ParaFrag
from reportlab.rl_config import _FUZZ

__all__ = [
    "FUZZ",
    "ParaFrag",
    "ParaLines",
    "cjkU",
    "cleanBlockQuotedText",
    "makeCJKParaLine",
    "textTransformFrags",
]

#: the slack Platypus allows in its layout arithmetic (a line fits when its
#: width exceeds the room by no more than this)
FUZZ: float = _FUZZ


# --------------------------------------------------------------------------
# Text objects and paragraphs


class RunHookText(PDFTextObject):
    """A text object that passes the operators of every run of text it
    sets through ``format_run`` (reportlab's own step is ``_formatText``)."""

    def _formatText(self, text: str) -> str:
        return self.format_run(super()._formatText(text))

    def format_run(self, code: str) -> str:
        return code


def text_font(text: PDFTextObject) -> tuple[str, float]:
    """The registered name and size of the font ``text`` sets in now."""
    return text._fontname, text._fontsize


def fill_colour(text: PDFTextObject) -> Any:
    """The colour ``text`` fills glyphs with: its own, else its canvas's."""
    return getattr(text, "_fillColorObj", None) or text._canvas._fillColorObj


def canvas_stroke(text: PDFTextObject) -> tuple[Any, float]:
    """The stroke colour and line width of the canvas ``text`` draws on."""
    canvas = text._canvas
    return canvas._strokeColorObj, canvas._lineWidth


def operators(text: PDFTextObject, setter: Callable[[], None]) -> str:
    """The operators ``setter`` makes ``text`` write (a colour setter),
    captured instead of added to the text."""
    saved, text._code = text._code, []
    try:
        setter()
        return " ".join(text._code)
    finally:
        text._code = saved


def pdf_number(value: float) -> str:
    """``value`` as reportlab writes numbers into a content stream."""
    return str(fp_str(value))


class HookedParagraph(Paragraph):
    """A Paragraph that sets its text in a ``text_object`` of ours
    (Platypus asks ``beginText``, undocumented, for its text objects)."""

    text_object: type[PDFTextObject] = PDFTextObject

    def beginText(self, x: float, y: float) -> PDFTextObject:
        return self.text_object(self.canv, x, y)


def has_lines(paragraph: Paragraph) -> bool:
    """Whether ``paragraph`` holds the lines of a wrap (``blPara``)."""
    return hasattr(paragraph, "blPara")


def line_count(paragraph: Paragraph) -> int:
    """The lines of ``paragraph``'s last wrap (0 when it has none)."""
    return len(getattr(getattr(paragraph, "blPara", None), "lines", ()))


def is_split_remainder(paragraph: Paragraph) -> bool:
    """Whether ``paragraph`` is the part a split carried over, its lines
    already broken (Platypus marks it ``_splitpara``)."""
    return hasattr(paragraph, "blPara") and bool(getattr(paragraph, "_splitpara", 0))


def handle_bullet_width(bullet_text: Any, style: Any, max_widths: list[float]) -> None:
    """Narrow ``max_widths`` (in place) for a bullet, as Platypus does
    before it breaks a paragraph's lines."""
    _handleBulletWidth(bullet_text, style, max_widths)


# --------------------------------------------------------------------------
# Tables and templates


class SizedCellTable(Table):
    """A Table that asks ``cell_size`` for a cell's size before measuring
    the cell itself (Platypus measures in ``_listCellGeom``)."""

    def cell_size(self, content: Any, inner_width: float) -> tuple[float, float] | None:
        """The (width, height) of ``content`` at ``inner_width``, or None
        for Platypus to measure it."""
        return None

    def _listCellGeom(self, V, w, s, W=None, H=None, aH=72000):  # Platypus's names
        size = self.cell_size(V, w - s.leftPadding - s.rightPadding)
        if size is None:
            return super()._listCellGeom(V, w, s, W, H, aH)
        for sizes, value in ((W, size[0]), (H, size[1])):
            if sizes is not None:
                sizes.append(value)
        return size


def doc_template(canvas: Any) -> Any:
    """The doc template building on ``canvas``, or None."""
    return getattr(canvas, "_doctemplate", None)


def fixed_timestamp(seconds: int) -> TimeStamp:
    """A reportlab TimeStamp for ``seconds`` (UTC), not for now."""
    stamp = TimeStamp(invariant=1)
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    return stamp


def pin_timestamp(canvas: Any, seconds: int) -> None:
    """Date the document ``canvas`` writes at ``seconds``: invariant mode
    pins it to 2000-01-01, and reportlab has no setter for it."""
    canvas._doc._timeStamp = fixed_timestamp(seconds)


# --------------------------------------------------------------------------
# Fonts


def char_widths(name: str) -> dict[int, int]:
    """Registered TrueType font ``name``'s advances, per code point, in
    thousandths of an em."""
    widths: dict[int, int] = pdfmetrics.getFont(name).face.charWidths
    return widths


def register_with_widths(name: str, new_name: str, widths: dict[int, int]) -> None:
    """Register TrueType font ``name`` a second time as ``new_name``, its
    glyphs advancing by ``widths``; ``name`` itself is left as it is.

    ``registerFont`` would file the new name under the font already
    registered for this face (reportlab maps one face to one font object),
    which is the original: the new font is filed under its own name."""
    original = pdfmetrics.getFont(name)
    # a cached face loads its bulk on first use: read it before the copy
    _ = original.face.charWidths
    face = _copy(original.face)
    face.charWidths = widths  # read only, as a parsed face's are
    font = _copy(original)
    font.fontName, font.face = new_name, face
    font.state = type(original.state)()
    pdfmetrics._fonts[new_name] = font


def _copy(obj: Any) -> Any:
    """A new object of ``obj``'s class sharing its attributes."""
    copy = object.__new__(type(obj))
    copy.__dict__.update(obj.__dict__)
    return copy


def has_family(name: str) -> bool:
    """Whether registered font ``name`` is already one face of a family
    with bold and italic faces (``addMapping``)."""
    try:
        ps2tt(name)
    except ValueError:
        return False
    return True
