"""The two back-ends of a laid-out chart (a ``figure.Figure``): a reportlab
vector ``Drawing`` for the PDF writer and PNG bytes drawn with Pillow for
the Word writer. They receive the figure and translate it, item by item;
every position, line break and font was decided when it was laid out, and
the figure names the font files its text is set in. Each imports its
library only when it draws: Word needs no reportlab graphics (they pull in
Platypus), the PDF needs no Pillow."""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import usercache
from .figure import Circle, Figure, FontFile, Item, Line, Rect, Text

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont
    from reportlab.graphics.shapes import Drawing, Shape

WHITE = "#FFFFFF"
_SUPERSAMPLE = 2  # Pillow draws lines and circles without anti-aliasing; downscaling smooths them


def figure_to_drawing(figure: Figure) -> Drawing:
    """``figure`` as a reportlab vector Drawing, with its TrueType fonts
    (registered when it was laid out); a Platypus flowable."""
    from reportlab.graphics.shapes import Drawing

    drawing = Drawing(figure.width, figure.height)
    # renderPDF selects the drawing's initial font before any string; make it
    # one of ours so the PDF never names the unembedded base-14 Helvetica
    if figure.fonts:
        # a documented Drawing attribute that types-reportlab does not declare
        drawing.initialFontName = figure.fonts[0].name  # type: ignore[attr-defined]
    for item in figure.items:
        drawing.add(_rl_shape(item, figure.height))
    return drawing


def _rl_shape(item: Item, height: float) -> Shape:
    from reportlab.graphics.shapes import Circle as RlCircle
    from reportlab.graphics.shapes import Line as RlLine
    from reportlab.graphics.shapes import Rect as RlRect
    from reportlab.graphics.shapes import String
    from reportlab.lib.colors import HexColor

    # reportlab's y axis grows upwards from the bottom edge: flip every y
    if isinstance(item, Rect):
        rect = RlRect(item.x, height - item.y - item.height, item.width, item.height)
        # set after construction: types-reportlab types Rect's keywords wrongly
        rect.fillColor = HexColor(item.fill)
        rect.strokeColor = None
        rect.strokeWidth = 0
        return rect
    if isinstance(item, Line):
        return RlLine(
            item.x1,
            height - item.y1,
            item.x2,
            height - item.y2,
            strokeColor=HexColor(item.stroke),
            strokeWidth=item.stroke_width,
        )
    if isinstance(item, Circle):
        stroke = HexColor(item.stroke) if item.stroke else None
        return RlCircle(
            item.cx,
            height - item.cy,
            item.r,
            fillColor=HexColor(item.fill),
            strokeColor=stroke,
            strokeWidth=item.stroke_width,
        )
    return String(
        item.x,
        height - item.y,
        item.text,
        fontName=item.font,
        fontSize=item.size,
        fillColor=HexColor(item.fill),
        textAnchor=item.anchor,
    )


def figure_to_png(figure: Figure, dpi: int = 200) -> bytes:
    """``figure`` as PNG bytes. Drawing it takes some 50 ms (twice the size,
    then scaled down), so the PNG is kept in the per-user cache (folder
    ``charts``), keyed by everything it is drawn from: an unchanged chart
    is drawn once per machine, not once per run."""
    folder = usercache.folder("charts")
    entry = folder / f"{_png_key(figure, dpi)}.png" if folder is not None else None
    cached = _read_png(entry) if entry is not None else None
    if cached is not None:
        return cached
    png = _draw_png(figure, dpi)
    if entry is not None:
        usercache.write(entry, hashlib.sha256(png).hexdigest().encode() + b"\n" + png)
    return png


def _png_key(figure: Figure, dpi: int) -> str:
    """The figure (every item, font name and position), the dpi, Pillow's
    version, the font files by path, size and date, and this module's own
    source (an edited painter never serves an old picture)."""
    import PIL

    fonts = sorted({item.font for item in figure.items if isinstance(item, Text)})
    files = []
    for name in fonts:
        font = figure.font_file(name)
        info = font.path.stat()
        files.append((name, str(font.path), font.index, info.st_size, info.st_mtime_ns))
    own = Path(__file__).read_bytes()
    parts = (repr(figure), dpi, PIL.__version__, files, hashlib.sha256(own).hexdigest())
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _read_png(entry: Path) -> bytes | None:
    # a digest line, then the PNG: a damaged entry is drawn again
    digest, _, png = (usercache.read(entry) or b"").partition(b"\n")
    if not png or hashlib.sha256(png).hexdigest().encode() != digest:
        return None
    return png


def _draw_png(figure: Figure, dpi: int) -> bytes:
    from PIL import Image, ImageDraw

    scale = dpi / 72
    size = (max(1, round(figure.width * scale)), max(1, round(figure.height * scale)))
    big = Image.new("RGB", (size[0] * _SUPERSAMPLE, size[1] * _SUPERSAMPLE), WHITE)
    paint(figure, ImageDraw.Draw(big), scale * _SUPERSAMPLE)
    image = big.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def paint(figure: Figure, draw: ImageDraw.ImageDraw, scale: float) -> None:
    """Paint every item of ``figure`` with Pillow, ``scale`` pixels per point."""
    for item in figure.items:
        if isinstance(item, Text):
            _paint_text(item, figure.font_file(item.font), draw, scale)
        else:
            _paint_shape(item, draw, scale)


_PIL_ANCHOR = {"start": "ls", "middle": "ms", "end": "rs"}


def _paint_shape(item: Rect | Line | Circle, draw: ImageDraw.ImageDraw, s: float) -> None:
    if isinstance(item, Rect):
        # the right and bottom edges are exclusive, as in the vector version
        box = (
            item.x * s,
            item.y * s,
            (item.x + item.width) * s - 1,
            (item.y + item.height) * s - 1,
        )
        draw.rectangle(box, fill=item.fill)
    elif isinstance(item, Line):
        draw.line(
            (item.x1 * s, item.y1 * s, item.x2 * s, item.y2 * s),
            fill=item.stroke,
            width=max(1, round(item.stroke_width * s)),
        )
    else:
        box = (
            (item.cx - item.r) * s,
            (item.cy - item.r) * s,
            (item.cx + item.r) * s,
            (item.cy + item.r) * s,
        )
        width = round(item.stroke_width * s) if item.stroke else 0
        draw.ellipse(box, fill=item.fill, outline=item.stroke, width=width)


def _paint_text(item: Text, file: FontFile, draw: ImageDraw.ImageDraw, s: float) -> None:
    font = _pil_font(file.path, file.index, round(item.size * s * 4) / 4)
    draw.text(
        (item.x * s, item.y * s),
        item.text,
        fill=item.fill,
        font=font,
        anchor=_PIL_ANCHOR[item.anchor],
    )


@lru_cache(maxsize=32)
def _pil_font(path: Path, index: int, pixels: float) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    # the basic engine applies no kerning, matching reportlab's advance widths
    return ImageFont.truetype(str(path), pixels, index=index, layout_engine=ImageFont.Layout.BASIC)
