"""The Word brief's furniture: page one's title band and facts (with
the logo), the contents list, and the running header and footer.

Functions of the body being written (``_flow.Flow``), drawn as the PDF
draws them (``page.fact_rows``, ``page.logo_size``).
"""

from __future__ import annotations

import io
from itertools import pairwise

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ... import model as m
from ...errors import RenderError
from ...layout import heading_inlines
from ...layout.page import DASH, fact_rows, logo_size, numbered, title_facts
from ...text.script import is_cjk
from . import _oxml as ox
from . import _oxml_format as oxf
from . import _tables
from ._flow import Flow
from ._inline import Fmt, toc_inlines
from ._looks import BAND_GAP
from ._page import page_label_runs
from ._styles import Container, StyleBook


def title_block(flow: Flow, body: Container, logo: bytes | None) -> None:
    """Page one's head, as in the PDF: the title and subtitle on a band of
    the brand colour with the accent rule under it, then the facts
    (issuing body, number, date, contact) with the logo at the profile's
    side. The band is the Title and Subtitle styles' own shading and
    borders (``_styles``), so it sits in the text block and moves with
    the margins; with a reference .docx its Title style is used as it is."""
    meta = flow.meta
    title = flow.styles.paragraph(body, "Title")
    # LibreOffice broke a Chinese title inside a word: set it as the PDF does
    width = flow.styles.text_width_twips()
    _tables.set_lines(title, meta.title, width, flow.styles.size_of("Title"))
    if meta.subtitle:
        sub = flow.styles.paragraph(body, "Subtitle")
        _tables.set_lines(sub, meta.subtitle, width, flow.styles.size_of("Subtitle"))
    elif flow.styles.restyle:  # the title ends the band: the subtitle's gap under it
        title.paragraph_format.space_after = Pt(BAND_GAP)
    facts_block(flow, body, logo)


def facts_block(flow: Flow, body: Container, logo: bytes | None) -> None:
    """Labels over values in one or two tiers, sized by their text as in
    the PDF (``page.fact_rows``), in one table of the text block's width;
    the logo takes a column of the first tier."""
    fields = title_facts(flow.meta)
    if not fields and not logo:
        return
    size = _logo_mm(logo) if logo else (0.0, 0.0)
    logo_twips = round(size[0] * 56.7) + 240 if logo else 0  # the picture and a gutter
    total = flow.styles.text_width_twips()
    rows = fact_rows(fields, total, size=200, first=total - logo_twips)
    tiers = [_with_autospace(row) for row in rows] or [[]]
    logo_at = None
    if logo:  # the logo's column is one more cell of the first tier
        logo_at = 0 if flow.meta.logo == "left" else len(tiers[0])
        tiers[0].insert(logo_at, ("", "", logo_twips))
    spans = [_spans([width for *_, width in tier], total) for tier in tiers]
    grid = sorted({edge for tier in spans for edge in tier})
    table = _tables.add_table(flow, body, 2 * len(tiers), len(grid) - 1, "Title Facts")
    _tables.set_widths(flow.styles, table, [b - a for a, b in pairwise(grid)])
    for n, (tier, edges) in enumerate(zip(tiers, spans, strict=True)):
        cols = [grid.index(edge) for edge in edges]
        for i, ((label, value, _), (a, b)) in enumerate(zip(tier, pairwise(cols), strict=True)):
            if n == 0 and i == logo_at and logo:
                draw_logo(flow, table.cell(0, a).merge(table.cell(1, b - 1)), logo)
                continue
            fact(flow, table.cell(2 * n, a).merge(table.cell(2 * n, b - 1)), label, True)
            fact(flow, table.cell(2 * n + 1, a).merge(table.cell(2 * n + 1, b - 1)), value, False)


def _spans(widths: list[float], total: int) -> list[int]:
    """The column edges, in twips from the left, of cells ``widths`` wide
    stretched to ``total``; the last edge is ``total`` itself."""
    whole = sum(widths) or 1.0
    edges = [0]
    for width in widths:
        edges.append(edges[-1] + round(total * width / whole))
    edges[-1] = total
    return edges


def fact(flow: Flow, cell: ox.Cell, text: str, label: bool) -> None:
    """One fact's label (in capitals) or value, in its cell."""
    style = "Title Facts Label" if label else "Title Facts Value"
    p = _tables.first_paragraph(flow.styles, cell, style)
    words = ox.clean_text(text)
    ox.append(ox.p_element(p), ox.run(words.upper() if label else words))


#: twips Word and LibreOffice add where Chinese meets Latin or digits
#: ("2026 年 11 月 30 日"), which the facts' widths (``page.fact_rows``,
#: the PDF's, where no such space is set) leave out
_AUTOSPACE = 60


def _with_autospace(row: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """``row`` with each value's column widened by the space Word puts
    at its script changes, taken from the columns that have none, so the
    date no longer wraps as 2026年11月30 / 日."""
    extra = [_AUTOSPACE * _script_changes(value) for _, value, _ in row]
    plain = sum(width for (*_, width), e in zip(row, extra, strict=True) if not e)
    if not any(extra) or not plain:
        return row
    taken = sum(extra) / plain
    return [
        (label, value, width + e if e else width * (1 - taken))
        for (label, value, width), e in zip(row, extra, strict=True)
    ]


def _script_changes(text: str) -> int:
    """Places where ``text`` turns from CJK to Latin or digits or back."""
    kinds = [is_cjk(ch) for ch in text if not ch.isspace()]
    return sum(a != b for a, b in pairwise(kinds))


def draw_logo(flow: Flow, cell: ox.Cell, data: bytes) -> None:
    p = _tables.first_paragraph(flow.styles, cell, "Logo")
    left = flow.meta.logo == "left"
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.RIGHT
    try:
        width, height = _logo_mm(data)  # the PDF's size: page.logo_size
        shape = p.add_run().add_picture(io.BytesIO(data), Mm(width), Mm(height))
    except Exception as exc:  # python-docx raises several kinds for bad images
        raise RenderError(f"the logo is not an image Word can show: {exc}") from exc
    alt = flow.meta.author or flow.meta.title
    ox.describe_picture(ox.inline_of(shape), alt, alt)


def contents(
    flow: Flow, body: Container, headings: list[m.Heading], bookmarks: dict[str, str]
) -> dict[str, etree._Element]:
    """Every heading as a link to its bookmark, with its page number as a
    PAGEREF field. Not wrapped in a TOC field: LibreOffice shows a TOC
    field's cached text as it was written (an estimate, wrong whenever
    the estimate is), but computes a PAGEREF from its own layout, and
    Word refreshes the fields on opening (``updateFields``).

    Returns, by heading anchor, the element holding each entry's cached
    page number, for the writer to fill in once it has estimated them."""
    cached: dict[str, etree._Element] = {}
    if not headings:
        return cached
    title = ox.clean_text(flow.meta.label("contents"))
    p = flow.styles.paragraph(body, "TOC Heading")
    if title:
        ox.append(ox.p_element(p), ox.run(title))
    for heading in headings:
        bookmark = bookmarks[heading.anchor]
        cached.setdefault(heading.anchor, toc_entry(flow, body, heading, bookmark))
    oxf.settings_update_fields(flow.docx.settings.element)
    return cached


def toc_entry(flow: Flow, body: Container, heading: m.Heading, bookmark: str) -> etree._Element:
    """A contents entry linking to ``bookmark``; returns the element of its
    cached page number."""
    level = min(max(heading.level, 1), 3)
    p = flow.styles.paragraph(body, f"toc {level}")
    link = ox.internal_link(bookmark)
    # the heading's own emphasis kept (series titles stay italic), as in the PDF
    flow.inlines(link, toc_inlines(heading_inlines(heading)), Fmt())
    link.append(ox.tab_run())
    runs = ox.field(f"PAGEREF {bookmark} \\h", "")
    for r in runs:
        link.append(r)
    ox.append(ox.p_element(p), link)
    return runs[3]


def header_footer(flow: Flow) -> None:
    section = flow.docx.sections[0]
    section.different_first_page_header_footer = True
    header, footer = section.header, section.footer
    header.is_linked_to_previous = footer.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    hp = _only_paragraph(flow.styles, header, "Header")
    ox.append(ox.p_element(hp), ox.run(flow.meta.title))
    _only_paragraph(flow.styles, section.first_page_header, "Normal")
    # page one has no running title (the band is there) but has its number
    for part in (footer, section.first_page_footer):
        fp = _only_paragraph(flow.styles, part, "Footer")
        if flow.meta.page_label == DASH:  # '— 1 —' sits in the middle
            fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if not numbered(flow.meta.layout):
            continue  # a one-page digest: "Page 1 of 1" says nothing
        ox.append(ox.p_element(fp), *page_label_runs(flow.meta.page_label))


def _logo_mm(data: bytes) -> tuple[float, float]:
    """The logo's size in mm, fitted into the same box as in the PDF."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # the header only
            return logo_size(*image.size)
    except (UnidentifiedImageError, OSError) as exc:
        raise RenderError(f"the logo is not an image Word can show: {exc}") from exc


def _only_paragraph(styles: StyleBook, part: Container, style: str) -> DocxParagraph:
    """The header/footer's single paragraph, emptied (a reference document
    may bring its own content)."""
    paragraphs = part.paragraphs
    for extra in paragraphs[1:]:
        ox.remove(ox.p_element(extra))
    for table in part.tables:
        ox.remove(ox.tbl_element(table))
    p = paragraphs[0]
    ox.empty(ox.p_element(p))
    styles.set_style(p, style)
    return p
