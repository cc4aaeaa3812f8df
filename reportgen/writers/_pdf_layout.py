"""Pages: the cover band, running header and footer, outline and contents.

``BriefTemplate`` is a Platypus doc template with two page templates (cover,
body). Headings tell it about themselves through an ``rg_heading`` attribute;
it turns those into outline entries and contents lines. The footer prints
"Page n of N": ``PageTotal`` makes ``multiBuild`` run again until the total
assumed while drawing equals the number of pages actually made.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.utils import TimeStamp
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus.doctemplate import IndexingFlowable

from ..model import Metadata
from ._pdf_styles import (
    FRAME_HEIGHT,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE,
    RULE,
    Theme,
)

COVER_TITLE_TOP = 34 * 2.8346  # 34 mm below the top edge
COVER_GAP = 14 * 2.8346  # white space between the band and the cover frame


class PageTotal(IndexingFlowable):
    """Invisible; unsatisfied until the page total used in the footers is
    the real one, so ``multiBuild`` runs another pass."""

    def __init__(self, doc: BriefTemplate) -> None:
        super().__init__()
        self.doc = doc
        self._ok = False

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass

    def afterBuild(self) -> None:
        self._ok = self.doc.assumed_pages == self.doc.page
        self.doc.assumed_pages = self.doc.page

    def isSatisfied(self) -> bool:
        return self._ok


def fixed_timestamp(seconds: int) -> TimeStamp:
    """A reportlab TimeStamp for ``seconds`` (UTC), not for now."""
    stamp = TimeStamp(invariant=1)
    stamp.t = seconds
    stamp.lt = time.gmtime(seconds)
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    return stamp


@dataclass
class Furniture:
    """What is drawn on the page rather than flowed: cover band text,
    running header and the footer's markup maker."""

    title: Paragraph
    subtitle: Paragraph | None
    header: Paragraph
    footer: Callable[[int, int], Paragraph]
    theme: Theme

    def band_height(self) -> float:
        height = COVER_TITLE_TOP + self.title.wrap(FRAME_WIDTH, PAGE[1])[1]
        if self.subtitle is not None:
            height += self.subtitle.wrap(FRAME_WIDTH, PAGE[1])[1] + 8
        return max(height + 26 * 2.8346, 100 * 2.8346)


class BriefTemplate(BaseDocTemplate):
    """Cover page, then body pages; outline and contents from headings."""

    def __init__(self, buf: object, meta: Metadata, furniture: Furniture) -> None:
        theme = furniture.theme
        super().__init__(
            buf,
            pagesize=PAGE,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=", ".join(meta.keywords),
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
        self.assumed_pages = 0
        self.passes = 0  # multiBuild passes begun
        self._outline_level = -1
        self.addPageTemplates(self._templates())

    def _templates(self) -> list[PageTemplate]:
        band = self.furniture.band_height()
        cover_h = PAGE[1] - band - COVER_GAP - MARGIN_BOTTOM
        pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
        cover = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, cover_h, id="cover", **pad)
        body = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, id="body", **pad)
        return [
            PageTemplate("cover", [cover], onPage=self._draw_cover, onPageEnd=self._draw_footer),
            PageTemplate("body", [body], onPage=self._draw_header, onPageEnd=self._draw_footer),
        ]

    def _makeCanvas(self, *args: object, **kwargs: object):
        canv = super()._makeCanvas(*args, **kwargs)
        # invariant mode pins dates to 2000-01-01; the brief's own time is better
        canv._doc._timeStamp = fixed_timestamp(self.timestamp)
        canv.showOutline()
        return canv

    def handle_documentBegin(self) -> None:
        super().handle_documentBegin()
        self._outline_level = -1  # every pass builds the outline afresh
        self.passes += 1

    @property
    def draft(self) -> bool:
        """True during the first pass, whose pages are never kept: its page
        total is assumed 0, so ``PageTotal`` always asks for another pass.
        Layout is all decided in wrap and split; drawing only paints."""
        return self.passes == 1

    def afterFlowable(self, flowable: object) -> None:
        info = getattr(flowable, "rg_heading", None)
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

    def _draw_cover(self, canv, doc) -> None:
        theme, band = self.furniture.theme, self.furniture.band_height()
        width, height = PAGE
        canv.saveState()
        canv.setFillColor(theme.primary)
        canv.rect(0, height - band, width, band, stroke=0, fill=1)
        canv.setFillColor(theme.accent)
        canv.rect(0, height - band - 4, width, 4, stroke=0, fill=1)
        canv.rect(MARGIN_X, height - COVER_TITLE_TOP + 20, 28, 3, stroke=0, fill=1)
        y = height - COVER_TITLE_TOP
        for part in (self.furniture.title, self.furniture.subtitle):
            if part is not None:
                _, h = part.wrap(FRAME_WIDTH, height)
                y -= h + (part.style.spaceBefore if part is self.furniture.subtitle else 0)
                part.drawOn(canv, MARGIN_X, y)
        canv.restoreState()

    def _draw_header(self, canv, doc) -> None:
        canv.saveState()
        header = self.furniture.header
        header.wrap(FRAME_WIDTH, MARGIN_TOP)
        top = PAGE[1] - MARGIN_TOP + 10
        header.drawOn(canv, MARGIN_X, top + 4)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, top, MARGIN_X + FRAME_WIDTH, top)
        canv.restoreState()

    def _draw_footer(self, canv, doc) -> None:
        canv.saveState()
        total = self.assumed_pages or self.page
        footer = self.furniture.footer(self.page, total)
        footer.wrap(FRAME_WIDTH, MARGIN_BOTTOM)
        footer.drawOn(canv, MARGIN_X, MARGIN_BOTTOM - 30)
        canv.restoreState()
