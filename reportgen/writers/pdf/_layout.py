"""Pages: the title band, running header and footer, outline and contents.

``BriefTemplate`` is a Platypus doc template with two page templates: the
first page (a title band: a compact one above the brief's opening, or a
tall one on a separate cover page when the profile asks for a cover) and
body pages. Paper and margins come from the profile through
``Metadata`` (``Geometry``). Headings tell the template about themselves
through an ``rg_heading`` attribute; it turns those into outline entries
and contents lines. The footer prints the profile's page-number style
("Page X of Y"): each page shows a form named for it, and ``PageTotal``
fills the forms in once the last page is made and the total is known (a
PDF form may be used before it is defined), so the brief is laid out
once. Only a brief with contents takes a second pass: the contents list
stands before the headings it lists, so its height and page numbers are
known only after a first pass (``draft``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import IndexingFlowable

from ...layout import page
from ...model import Metadata
from . import _rl
from ._styles import RULE, Theme

if TYPE_CHECKING:
    from ._blocks import HeadingInfo

COVER_TITLE_TOP = 34 * mm  # a cover page: the title 34 mm below the top edge
BAND_TITLE_TOP = 16 * mm  # page one of a brief without a cover
BAND_BOTTOM = 10 * mm  # room under the subtitle inside the compact band
COVER_GAP = 14 * mm  # white space between a cover band and the frame
BAND_GAP = 7 * mm  # white space between the compact band and the frame


@dataclass(frozen=True)
class Geometry:
    """The page and the text frame, in points, from the profile's paper
    size and margins (``page.py`` decides the defaults)."""

    width: float
    height: float
    top: float
    right: float
    bottom: float
    left: float

    @classmethod
    def of(cls, meta: Metadata) -> Geometry:
        width, height = page.paper(meta.page_size)
        top, right, bottom, left = meta.margins
        return cls(width * mm, height * mm, top * mm, right * mm, bottom * mm, left * mm)

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


class PageTotal(IndexingFlowable):
    """Invisible; after each pass, while the canvas is still open, it
    defines every page's footer form with the real page total. A draft
    pass is never the last one."""

    def __init__(self, doc: BriefTemplate) -> None:
        super().__init__()
        self.doc = doc

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass

    def afterBuild(self) -> None:
        self.doc.fill_footers()

    def isSatisfied(self) -> bool:
        return not self.doc.draft


@dataclass
class Furniture:
    """What is drawn on the page rather than flowed: the title band's text,
    the running header and the footer's maker (None: no page numbers)."""

    title: Paragraph
    subtitle: Paragraph | None
    header: Paragraph
    footer: Callable[[int, int], Paragraph] | None
    theme: Theme
    geometry: Geometry
    cover: bool  # a separate cover page with a tall band

    @property
    def title_top(self) -> float:
        return COVER_TITLE_TOP if self.cover else BAND_TITLE_TOP

    def band_height(self) -> float:
        width = self.geometry.frame_width
        height = self.title_top + self.title.wrap(width, self.geometry.height)[1]
        if self.subtitle is not None:
            height += self.subtitle.wrap(width, self.geometry.height)[1] + 8
        if self.cover:
            return max(height + 26 * mm, 100 * mm)
        return height + BAND_BOTTOM


class BriefTemplate(BaseDocTemplate):
    """The first page (title band), then body pages; outline and contents
    from headings."""

    def __init__(self, buf: IO[bytes], meta: Metadata, furniture: Furniture) -> None:
        theme, geo = furniture.theme, furniture.geometry
        super().__init__(
            buf,
            pagesize=(geo.width, geo.height),
            leftMargin=geo.left,
            rightMargin=geo.right,
            topMargin=geo.top,
            bottomMargin=geo.bottom,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=list(meta.keywords),  # reportlab joins them with ", "
            creator="reportgen",
            lang=meta.lang,
            invariant=1,
            pageCompression=1,
            displayDocTitle=1,
            initialFontName=theme.body.regular,
            initialFontSize=10.5,
            initialLeading=15,
        )
        self.furniture = furniture
        self.timestamp = meta.timestamp
        self.drafts = False  # a first pass only decides the layout (contents)
        self.passes = 0  # multiBuild passes begun
        self._outline_level = -1
        self.addPageTemplates(self._templates())

    def _templates(self) -> list[PageTemplate]:
        geo = self.furniture.geometry
        gap = COVER_GAP if self.furniture.cover else BAND_GAP
        first_h = geo.height - self.furniture.band_height() - gap - geo.bottom
        pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
        first = Frame(geo.left, geo.bottom, geo.frame_width, first_h, id="first", **pad)
        body = Frame(geo.left, geo.bottom, geo.frame_width, geo.frame_height, id="body", **pad)
        return [
            PageTemplate("first", [first], onPage=self._draw_band, onPageEnd=self._draw_footer),
            PageTemplate("body", [body], onPage=self._draw_header, onPageEnd=self._draw_footer),
        ]

    def make_canvas(self, *args: Any, **kwargs: Any) -> Canvas:
        """The canvas of a pass (``build``'s ``canvasmaker``): dated at
        the brief's own time, and opening with its outline shown."""
        canv = Canvas(*args, **kwargs)
        # invariant mode pins dates to 2000-01-01; the brief's own time is better
        _rl.pin_timestamp(canv, self.timestamp)
        canv.showOutline()
        return canv

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        self._outline_level = -1  # every pass builds the outline afresh
        self.passes += 1

    @property
    def draft(self) -> bool:
        """True during the first pass of a brief with contents, whose pages
        are never kept (``PageTotal`` asks for another pass). Layout is all
        decided in wrap and split; drawing only paints."""
        return self.drafts and self.passes == 1

    def afterFlowable(self, flowable: object) -> None:
        info: HeadingInfo | None = getattr(flowable, "rg_heading", None)
        if info is None:
            return
        # PDF outlines cannot skip a level (H1 then H3), so clamp the depth
        level = min(info.level - 1, self._outline_level + 1)
        self._outline_level = level
        self.canv.addOutlineEntry(info.title or "\u2014", info.key, level=level, closed=False)
        if info.level <= 2:
            self.notify("TOCEntry", (info.level - 1, info.toc, self.page, info.key))

    # ------------------------------------------------------------------
    # Page decoration

    def _draw_band(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """The title band across the top of page one, bled to the edges,
        with an accent rule under it and a short accent bar over the title."""
        theme, geo = self.furniture.theme, self.furniture.geometry
        band = self.furniture.band_height()
        canv.saveState()
        canv.setFillColor(theme.primary)
        canv.rect(0, geo.height - band, geo.width, band, stroke=0, fill=1)
        canv.setFillColor(theme.accent)
        canv.rect(0, geo.height - band - 4, geo.width, 4, stroke=0, fill=1)
        top = self.furniture.title_top
        canv.rect(
            geo.left,
            geo.height - top + (20 if self.furniture.cover else 10),
            28,
            3,
            stroke=0,
            fill=1,
        )
        y = geo.height - top
        for part in (self.furniture.title, self.furniture.subtitle):
            if part is not None:
                _, h = part.wrap(geo.frame_width, geo.height)
                space = part.style.spaceBefore
                y -= h + (space if part is self.furniture.subtitle else 0)
                part.drawOn(canv, geo.left, y)
        canv.restoreState()

    def _draw_header(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        geo = self.furniture.geometry
        canv.saveState()
        header = self.furniture.header
        header.wrap(geo.frame_width, geo.top)
        top = geo.height - geo.top + 10
        header.drawOn(canv, geo.left, top + 4)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(geo.left, top, geo.left + geo.frame_width, top)
        canv.restoreState()

    def _draw_footer(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        if self.furniture.footer is None or self.draft:
            return
        canv.doForm(_footer_form(self.page))  # defined by fill_footers

    def fill_footers(self) -> None:
        """Define each page's footer form, now that the total is known."""
        if self.furniture.footer is None or self.draft:
            return
        geo, canv = self.furniture.geometry, self.canv
        for number in range(1, self.page + 1):
            canv.beginForm(_footer_form(number))
            footer = self.furniture.footer(number, self.page)
            footer.wrap(geo.frame_width, geo.bottom)
            footer.drawOn(canv, geo.left, geo.bottom - 30)
            canv.endForm()


def _footer_form(page: int) -> str:
    return f"rg-footer-{page}"
