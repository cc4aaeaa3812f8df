"""Synthetic bold: stroked glyphs for families that have no bold face.

Chinese typefaces (FangSong, Song, Kai, most Hei) come in one weight, yet a
brief asks for bold lead-ins and third-level headings. Leaving them regular
loses the emphasis; so, as Word and browsers do, the regular glyphs are
drawn with PDF text render mode 2 (fill, then stroke) and a thin outline in
the text colour, which thickens every stem by the line width.

reportlab's Platypus has no switch for this, but every Paragraph draws its
text through a text object (``_rl.HookedParagraph``), which passes the
operators of each run through ``format_run`` (``_rl.RunHookText``). The
bold style of such a family is the regular file registered under a second
name (which reportlab maps to the same embedded font, so no glyph is
embedded twice); ``mark_stroked`` records that name, and ``_BoldableText``
wraps the text set in it in the render mode.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...layout import breaks
from . import _rl

#: outline width as a share of the font size: stems grow by about 3% of
#: the em, close to the step from regular to bold in fonts that have both
STROKE_EM = 0.03


#: registered font name -> stroke width in em
_STROKED: dict[str, float] = {}


def mark_stroked(name: str, stroke: float = STROKE_EM) -> None:
    """Draw text set in the font registered as ``name`` stroked."""
    _STROKED[name] = stroke


class _BoldableText(_rl.RunHookText):
    """A text object that strokes text set in a StrokedFont."""

    def format_run(self, code: str) -> str:
        font, size = _rl.text_font(self)
        stroke = _STROKED.get(font, 0)
        if not stroke or not code:
            return code
        fill = _rl.fill_colour(self)
        # stroke in the fill colour, then put the canvas's stroke state back
        # (q/Q may not appear inside a text object)
        stroke_colour, line_width = _rl.canvas_stroke(self)
        before = _rl.operators(self, lambda: self.setStrokeColor(fill))
        after = _rl.operators(self, lambda: self.setStrokeColor(stroke_colour))
        width = _rl.pdf_number(stroke * size)
        restore = _rl.pdf_number(line_width)
        return f"{before} {width} w 2 Tr {code} 0 Tr {restore} w {after}"


class BoldableParagraph(_rl.HookedParagraph):
    """A Paragraph whose text may use synthetic-bold fonts."""

    text_object = _BoldableText

    #: the width of the last wrap, while its lines (``blPara``) still stand
    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """As Platypus wraps, but a paragraph wrapped at this width before
        keeps its lines: they depend on the width alone, and Platypus asks
        for a paragraph's size again and again (a KeepTogether, then the
        frame; the running header on every page), half of all wraps."""
        if availWidth == self._wrapped_at and _rl.has_lines(self):
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        # a width too small to wrap at returns early, leaving older lines
        self._wrapped_at = availWidth if getattr(self, "width", None) == availWidth else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """As Platypus splits, except that a paragraph of at most
        ``breaks.KEEP_WHOLE_LINES`` lines moves to the next page whole.
        Splitting may change the lines it cuts, so the next wrap is anew."""
        parts = super().split(availWidth, availHeight)
        self._wrapped_at = None
        if len(parts) == 2 and _rl.line_count(self) <= breaks.KEEP_WHOLE_LINES:
            return []
        return parts
