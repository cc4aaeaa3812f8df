"""The PDF brief's frame around the body: the title block with its facts
and logo, the contents, the notes section, the page furniture (running
header, page numbers) and the build that lays the story out on pages.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Literal

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, Table
from reportlab.platypus.doctemplate import LayoutError
from reportlab.platypus.tableofcontents import TableOfContents

from ...errors import RenderError
from ...layout import spans
from ...layout.page import (
    DASH,
    LabelPart,
    fact_rows,
    label_parts,
    label_text,
    logo_size,
    numbered,
    title_facts,
)
from ...model import Document, Heading, Metadata, Text
from . import _fonts
from ._blocks import Ctx, render_notes_section, text_para
from ._layout import BriefTemplate, Furniture, Geometry, PageTotal
from ._para import inline_para
from ._styles import RULE, table_style

if TYPE_CHECKING:
    from ._styles import TableCommand

#: anchor of the generated notes heading; NUL never occurs in a real anchor
_NOTES_ANCHOR = "\0notes"
_LOGO_GAP = 12  # points between the logo and the facts


def anchor_keys(doc: Document) -> tuple[dict[str, str], dict[int, str]]:
    """Heading anchor -> PDF destination name (the first heading with that
    anchor wins), and id(heading) -> its own name. Anchors may hold any
    text (CJK slugs); destination names are kept to plain ASCII."""
    by_anchor: dict[str, str] = {_NOTES_ANCHOR: "rg-notes"}
    by_node: dict[int, str] = {}
    for n, heading in enumerate(doc.headings(), 1):
        by_node[id(heading)] = f"h{n}"
        by_anchor.setdefault(heading.anchor, f"h{n}")
    return by_anchor, by_node


def notes_section(doc: Document, ctx: Ctx, text: list[Flowable]) -> list[Flowable]:
    """``text`` and the endnotes after it, kept with it."""
    if not doc.notes:
        return text
    label = doc.meta.label("notes", "Notes")
    heading = Heading(level=1, children=(Text(label),), anchor=_NOTES_ANCHOR)
    return render_notes_section(text, heading, doc.notes, ctx)


def contents(doc: Document, ctx: Ctx) -> list[Flowable]:
    """The contents heading and list (H1 and H2), if there are headings."""
    has_entries = doc.notes or any(h.level <= 2 for h in doc.headings())
    if not has_entries:
        return []
    styles = ctx.theme.styles
    toc = TableOfContents(
        levelStyles=[styles["toc1"], styles["toc2"]],
        dotsMinLevel=0,
        rightColumnWidth=36,
        tableStyle=table_style(ctx.theme, _no_padding()),
    )
    title = text_para(ctx, doc.meta.label("contents", "Contents"), "contents", "contents label")
    return [title, toc]


# --------------------------------------------------------------------------
# Title block


def title_block(meta: Metadata, ctx: Ctx, logo: bytes | None) -> list[Flowable]:
    """The facts under the title band in one or two tiers, ruled below; the
    logo stands beside the first tier (the issuing body), at the side the
    profile names."""
    image = _logo(logo) if logo else None
    beside = image.drawWidth + _LOGO_GAP if image else 0
    rows = fact_rows(title_facts(meta), ctx.width, size=10, first=ctx.width - beside)
    tiers: list[Flowable] = [_fields_tier(row, ctx) for row in rows]
    if image is not None:
        tiers[:1] = [_beside_logo(image, tiers[0] if tiers else "", meta.logo, beside, ctx)]
    if not tiers:
        return []
    table = Table([[t] for t in tiers], colWidths=[ctx.width])
    rules: list[TableCommand] = [
        ("TOPPADDING", (0, 1), (-1, -1), 6),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, RULE),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
    ]
    table.setStyle(table_style(ctx.theme, [*_no_padding(), *rules]))
    table.spaceAfter = 12
    return [table]


def _beside_logo(image: Image, tier: Flowable | str, side: str, beside: float, ctx: Ctx) -> Table:
    """The first tier of facts with the logo at its left or right."""
    rest = ctx.width - beside
    edge: Literal["LEFT", "RIGHT"] = "LEFT" if side == "left" else "RIGHT"
    image.hAlign = edge
    row, widths = (
        ([image, tier], [beside, rest]) if side == "left" else ([tier, image], [rest, beside])
    )
    table = Table([row], colWidths=widths)
    align = ("ALIGN", (0, 0), (-1, -1), edge)
    table.setStyle(
        table_style(ctx.theme, [*_no_padding(), align, ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    return table


def _fields_tier(row: list[tuple[str, str, float]], ctx: Ctx) -> Table:
    labels = [
        text_para(ctx, label.upper(), "cover_label", "title block label") for label, *_ in row
    ]
    values = [
        text_para(ctx, value, "cover_value", f"title block {label!r}") for label, value, _ in row
    ]
    tier = Table([labels, values], colWidths=[w for *_, w in row])
    padding: list[TableCommand] = [
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    tier.setStyle(table_style(ctx.theme, [*_no_padding(), *padding]))
    return tier


def _no_padding() -> list[TableCommand]:
    return [(f"{side}PADDING", (0, 0), (-1, -1), 0) for side in ("LEFT", "RIGHT", "TOP", "BOTTOM")]


def _logo(data: bytes) -> Image:
    """The logo scaled to fit its box, aspect kept; unreadable bytes are a
    RenderError rather than a reportlab traceback."""
    try:
        iw, ih = ImageReader(io.BytesIO(data)).getSize()
    except Exception as exc:  # PIL raises many types for bad data
        raise RenderError(f"cannot read the logo image: {exc}") from exc
    width, height = logo_size(iw, ih)
    return Image(io.BytesIO(data), width=width * mm, height=height * mm)


# --------------------------------------------------------------------------
# Page furniture and building


def _title(text: str) -> Text:
    """The brief's title as the layout sets a heading (``spans.bind_title``)."""
    return Text(text, nobreak=spans.bind_title(text))


def furniture(meta: Metadata, ctx: Ctx, geometry: Geometry) -> Furniture:
    cover = meta.cover and meta.layout != "digest"
    title_style = "title" if cover else "band_title"
    subtitle = text_para(ctx, meta.subtitle, "subtitle", "the subtitle") if meta.subtitle else None
    footer = None
    if meta.page_label:
        parts = _label_parts(meta.page_label)
        where = "the page footer label"
        ctx.inline.text(label_text(parts, 0, 0), ctx.theme.head, where)  # glyph check only
        style = "footer_centre" if meta.page_label == DASH else "footer"

        def footer(number: int, pages: int) -> Paragraph:
            # "Page 1 of 1" says nothing: a page of its own goes unnumbered
            text = label_text(parts, number, pages) if numbered(meta.layout, pages) else ""
            return text_para(ctx, text, style, "the page footer")

    return Furniture(
        # breaks only at punctuation or a space: 片目推介 stays whole
        title=inline_para(ctx, (_title(meta.title),), title_style, "the title"),
        subtitle=subtitle,
        header=text_para(ctx, meta.title, "header", "the running header"),
        footer=footer,
        theme=ctx.theme,
        geometry=geometry,
        cover=cover,
    )


def _label_parts(label: str) -> tuple[LabelPart, ...]:
    # the layout parses the label (``page.label_parts``), as for the .docx
    try:
        return label_parts(label)
    except ValueError as exc:
        raise RenderError(str(exc)) from exc


def raise_missing(fontset: _fonts.FontSet) -> None:
    """Refuse to build when some character has no glyph in any font."""
    if not fontset.missing:
        return
    raise RenderError(_fonts.missing_message(fontset.missing))


def build(meta: Metadata, furniture: Furniture, story: list[Flowable]) -> tuple[bytes, int]:
    """The PDF's bytes and its page count, as the layout ended."""
    buf = io.BytesIO()
    template = BriefTemplate(buf, meta, furniture)
    # only the contents need a pass to lay out (see BriefTemplate.draft)
    template.drafts = any(f.isIndexing() for f in story)
    story.append(PageTotal(template))
    try:
        template.multiBuild(story, canvasmaker=template.make_canvas)
    except LayoutError as exc:
        raise RenderError(f"the PDF layout failed: {exc}") from exc
    return buf.getvalue(), template.page
