"""The table styles' raw properties: borders, shading, cell margins and
conditional parts for data tables, key-figure cards and boxes, and the
borders of the paragraph boxes (key messages, the title band), in the
brand palette.
"""

from __future__ import annotations

from lxml import etree

from . import _oxml_format as oxf
from ._looks import Palette


def _brief_table(style: etree._Element, pal: Palette) -> None:
    """Rules above and below, hairlines between rows, a filled header row,
    faint banding; no vertical lines."""
    tblpr, tcpr = oxf.table_style_parts(style)
    oxf.set_tblpr(tblpr, oxf.row_band_size(1))
    oxf.set_tblpr(
        tblpr,
        oxf.table_borders(
            top=oxf.border("top", pal.primary, 8),
            bottom=oxf.border("bottom", pal.primary, 8),
            insideH=oxf.border("insideH", pal.rule, 4),
            left=None,
            right=None,
            insideV=None,
        ),
    )
    oxf.set_tblpr(tblpr, oxf.cell_margins(40, 100, 40, 100))
    tcpr.append(oxf.v_align("top"))
    oxf.conditional(
        style,
        "firstRow",
        rpr=[oxf.bold(), oxf.colour(pal.white)],
        tcpr=[oxf.shading(pal.primary), oxf.v_align("bottom")],
    )
    oxf.conditional(style, "band2Horz", tcpr=[oxf.shading(pal.band)])


#: left + right cell margins of the key-figure cards, in twips
KEY_FIGURE_MARGINS = 320


def _key_figures_table(style: etree._Element, pal: Palette) -> None:
    """Shaded tiles separated by white gutters (thick white inner borders)."""
    tblpr, tcpr = oxf.table_style_parts(style)
    oxf.set_tblpr(
        tblpr,
        oxf.table_borders(
            top=None,
            bottom=None,
            left=None,
            right=None,
            insideH=oxf.border("insideH", pal.white, 36),
            insideV=oxf.border("insideV", pal.white, 48),
        ),
    )
    half = KEY_FIGURE_MARGINS // 2
    oxf.set_tblpr(tblpr, oxf.cell_margins(140, half, 140, half))
    tcpr.append(oxf.shading(pal.tint))


def _callout_box(style: etree._Element, pal: Palette) -> None:
    """A tinted box with a strong bar on the left."""
    tblpr, tcpr = oxf.table_style_parts(style)
    oxf.set_tblpr(
        tblpr,
        oxf.table_borders(
            left=oxf.border("left", pal.primary, 24),
            top=None,
            bottom=None,
            right=None,
            insideH=None,
            insideV=None,
        ),
    )
    oxf.set_tblpr(tblpr, oxf.cell_margins(140, 200, 100, 200))
    tcpr.append(oxf.shading(pal.tint))


#: twips the key messages stand in from each side of the text block: the
#: side rules' spacing (14 pt) and width, so the box's rules are its edges
KEY_MESSAGES_PAD = 300


def key_messages_box(pal: Palette) -> list[etree._Element]:
    """Page one's key messages, as in the PDF: a tinted box (``pal.tint``)
    ruled all round in the brand colour, with a heavy top rule; the rules'
    spacing (points) is the box's padding."""
    return [
        oxf.border("top", pal.primary, 24, 8),
        oxf.border("left", pal.primary, 6, 14),
        oxf.border("bottom", pal.primary, 6, 6),
        oxf.border("right", pal.primary, 6, 14),
    ]


def title_band(pal: Palette) -> list[etree._Element]:
    """The band behind the title and subtitle (filled with ``pal.primary``):
    rules in its own colour pad it out past the text on three sides, and
    the accent rule under it, 4 pt as in the PDF."""
    return [
        oxf.border("top", pal.primary, 8, 20),
        oxf.border("left", pal.primary, 8, 31),
        oxf.border("bottom", pal.accent, 32, 16),
        oxf.border("right", pal.primary, 8, 31),
    ]


def _title_facts_table(style: etree._Element, pal: Palette) -> None:
    """The facts row under the band: no lines but a hairline below."""
    tblpr, _ = oxf.table_style_parts(style)
    oxf.set_tblpr(
        tblpr,
        oxf.table_borders(
            bottom=oxf.border("bottom", pal.rule, 6),
            top=None,
            left=None,
            right=None,
            insideH=None,
            insideV=None,
        ),
    )
    oxf.set_tblpr(tblpr, oxf.cell_margins(20, 0, 60, 160))


#: table style name -> the function that gives it its borders and shading
TABLE_STYLES = {
    "Brief Table": _brief_table,
    "Key Figures Table": _key_figures_table,
    "Callout Box": _callout_box,
    "Title Facts": _title_facts_table,
}
