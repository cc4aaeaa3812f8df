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

reportlab's type stubs describe its documented API only, so the types of
what this module reads are declared here too: the private state of text
objects and canvases as Protocols, the paragraph helpers by their
signatures in reportlab's source. The rest of the writer type-checks
against those.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeAlias, TypeVar, cast

from reportlab.lib.colors import Color
from reportlab.lib.fonts import ps2tt
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import TimeStamp
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import BaseDocTemplate, Flowable, Paragraph, Table
from reportlab.platypus.paragraph import ParaLines, cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag
from reportlab.platypus.tables import CellStyle
from reportlab.rl_config import _FUZZ

if TYPE_CHECKING:
    from reportlab.platypus.paragraph import FragLine

    # reportlab's stubs leave out these helpers of its paragraph module:
    # declared here as reportlab defines them (platypus/paragraph.py)

    class cjkU(str):
        """One character of a CJK paragraph with the fragment it is set
        in and its advance (a unit of Platypus's CJK line breaking)."""

        def __new__(cls, value: str, frag: ParaFrag, encoding: str) -> cjkU: ...
        @property
        def frag(self) -> ParaFrag: ...
        @property
        def width(self) -> float: ...

    class FragText(Protocol):
        """What ``makeCJKParaLine`` reads of a unit of a line besides its
        text (a unit is a ``str``): the fragment it is set in."""

        @property
        def frag(self) -> ParaFrag: ...

    def makeCJKParaLine(
        U: Sequence[FragText],
        maxWidth: float,
        widthUsed: float,
        extraSpace: float,
        lineBreak: bool,
        calcBounds: bool,
    ) -> FragLine: ...
    def textTransformFrags(frags: list[ParaFrag], style: ParagraphStyle) -> None: ...
    def _handleBulletWidth(
        bulletText: str | list[ParaFrag] | None, style: ParagraphStyle, maxWidths: list[float]
    ) -> None: ...

else:
    from reportlab.platypus.paragraph import (
        _handleBulletWidth,
        cjkU,
        makeCJKParaLine,
        textTransformFrags,
    )

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


#: a colour as a text object or a canvas keeps it: what its colour setter
#: was given (a Color, or the components of one), or a grey's components
Colour: TypeAlias = (
    Color | tuple[float, float, float] | tuple[float, float, float, float] | list[float]
)


class _CanvasState(Protocol):
    """What a canvas keeps in private attributes, which reportlab's stubs
    leave out (set in ``Canvas.__init__`` and its setters)."""

    _fillColorObj: Colour
    _strokeColorObj: Colour
    _lineWidth: float
    _doc: _DocumentState


class _DocumentState(Protocol):
    """The creation date a canvas's PDF document keeps (``PDFDocument``)."""

    _timeStamp: TimeStamp


class _TextState(Protocol):
    """What a text object keeps in private attributes, which reportlab's
    stubs leave out (set in ``PDFTextObject.__init__`` and ``setFont``)."""

    _fontname: str
    _fontsize: float
    _canvas: _CanvasState
    _code: list[str]


def _text_state(text: PDFTextObject) -> _TextState:
    # every PDFTextObject sets these in its __init__
    return cast(_TextState, text)


# --------------------------------------------------------------------------
# Text objects and paragraphs


class RunHookText(PDFTextObject):
    """A text object that passes the operators of every run of text it
    sets through ``format_run`` (reportlab's own step is ``_formatText``)."""

    def _formatText(self, text: str) -> str:
        # the stubs leave the step out: it is reportlab's, and returns a str
        return self.format_run(super()._formatText(text))  # type: ignore[misc]

    def format_run(self, code: str) -> str:
        return code


def text_font(text: PDFTextObject) -> tuple[str, float]:
    """The registered name and size of the font ``text`` sets in now."""
    state = _text_state(text)
    return state._fontname, state._fontsize


def fill_colour(text: PDFTextObject) -> Colour:
    """The colour ``text`` fills glyphs with: its own, else its canvas's."""
    own: Colour | None = getattr(text, "_fillColorObj", None)  # set by its fill setters
    return own or _text_state(text)._canvas._fillColorObj


def canvas_stroke(text: PDFTextObject) -> tuple[Colour, float]:
    """The stroke colour and line width of the canvas ``text`` draws on."""
    canvas = _text_state(text)._canvas
    return canvas._strokeColorObj, canvas._lineWidth


def operators(text: PDFTextObject, setter: Callable[[], None]) -> str:
    """The operators ``setter`` makes ``text`` write (a colour setter),
    captured instead of added to the text."""
    state = _text_state(text)
    saved, state._code = state._code, []
    try:
        setter()
        return " ".join(state._code)
    finally:
        state._code = saved


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


def handle_bullet_width(
    bullet_text: str | list[ParaFrag] | None, style: ParagraphStyle, max_widths: list[float]
) -> None:
    """Narrow ``max_widths`` (in place) for a bullet, as Platypus does
    before it breaks a paragraph's lines."""
    _handleBulletWidth(bullet_text, style, max_widths)


# --------------------------------------------------------------------------
# Tables and templates


class SizedCellTable(Table):
    """A Table that asks ``cell_size`` for a cell's size before measuring
    the cell itself (Platypus measures in ``_listCellGeom``)."""

    def cell_size(self, content: object, inner_width: float) -> tuple[float, float] | None:
        """The (width, height) of ``content`` at ``inner_width``, or None
        for Platypus to measure it."""
        return None

    def _listCellGeom(  # Platypus's names
        self,
        V: Sequence[Flowable],
        w: float,
        s: CellStyle,
        W: list[float] | None = None,
        H: list[float] | None = None,
        aH: float = 72000,
    ) -> tuple[float, float]:
        size = self.cell_size(V, w - s.leftPadding - s.rightPadding)
        if size is None:
            # the stubs leave the method out: it is Platypus's, a (width, height)
            geom: tuple[float, float] = super()._listCellGeom(V, w, s, W, H, aH)  # type: ignore[misc]
            return geom
        for sizes, value in ((W, size[0]), (H, size[1])):
            if sizes is not None:
                sizes.append(value)
        return size


def doc_template(canvas: Canvas) -> BaseDocTemplate | None:
    """The doc template building on ``canvas``, or None."""
    template: BaseDocTemplate | None = getattr(canvas, "_doctemplate", None)  # set by the build
    return template


def fixed_timestamp(seconds: int) -> TimeStamp:
    """A reportlab TimeStamp for ``seconds`` (UTC), not for now."""
    stamp = TimeStamp(invariant=1)
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    return stamp


def pin_timestamp(canvas: Canvas, seconds: int) -> None:
    """Date the document ``canvas`` writes at ``seconds``: invariant mode
    pins it to 2000-01-01, and reportlab has no setter for it."""
    # every Canvas makes its PDFDocument in its __init__
    cast(_CanvasState, canvas)._doc._timeStamp = fixed_timestamp(seconds)


# --------------------------------------------------------------------------
# Fonts


def truetype(name: str) -> TTFont:
    """Registered TrueType font ``name`` (reportlab's stubs have
    ``getFont`` return the Type 1 ``Font``, which ``TTFont`` does not
    derive from)."""
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):
        raise TypeError(f"font {name!r} is not a TrueType font")
    return font


def char_widths(name: str) -> dict[int, int]:
    """Registered TrueType font ``name``'s advances, per code point, in
    thousandths of an em."""
    widths: dict[int, int] = truetype(name).face.charWidths
    return widths


def register_with_widths(name: str, new_name: str, widths: dict[int, int]) -> None:
    """Register TrueType font ``name`` a second time as ``new_name``, its
    glyphs advancing by ``widths``; ``name`` itself is left as it is.

    ``registerFont`` would file the new name under the font already
    registered for this face (reportlab maps one face to one font object),
    which is the original: the new font is filed under its own name."""
    original = truetype(name)
    # a cached face loads its bulk on first use: read it before the copy
    _ = original.face.charWidths
    face = _copy(original.face)
    face.charWidths = widths  # read only, as a parsed face's are
    font = _copy(original)
    font.fontName, font.face = new_name, face
    font.state = type(original.state)()
    # the registry of fonts by name, which the stubs leave out
    pdfmetrics._fonts[new_name] = font  # type: ignore[attr-defined]


_T = TypeVar("_T")


def _copy(obj: _T) -> _T:
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
