"""Raw WordprocessingML for the Word writer.

python-docx covers paragraphs, runs, tables and pictures; everything else the
brief needs (fields, bookmarks, hyperlinks, footnotes, numbering definitions,
table-style conditional formatting, East Asian fonts) is built here, element
by element with python-docx's ``OxmlElement``. Nothing is ever made by
formatting XML text, so no content can inject markup.

Children are appended in the order the schema (ECMA-376 part 1) demands,
because Word rejects a file whose elements are out of sequence even where
LibreOffice forgives it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from ...layout.script import FORBIDDEN_CHARS

# Characters XML 1.0 forbids (lxml refuses them, Word would call the file
# corrupt) and those no font draws: the one pattern in layout.script.
_FORBIDDEN = FORBIDDEN_CHARS

# Child order of rPr and pPr per the schema (ECMA-376 CT_RPr, CT_PPrBase), so
# an element can be slotted into properties a reference document already has.
_RPR_ORDER = (
    "rStyle",
    "rFonts",
    "b",
    "bCs",
    "i",
    "iCs",
    "caps",
    "smallCaps",
    "strike",
    "dstrike",
    "outline",
    "shadow",
    "emboss",
    "imprint",
    "noProof",
    "snapToGrid",
    "vanish",
    "webHidden",
    "color",
    "spacing",
    "w",
    "kern",
    "position",
    "sz",
    "szCs",
    "highlight",
    "u",
    "effect",
    "bdr",
    "shd",
    "fitText",
    "vertAlign",
    "rtl",
    "cs",
    "em",
    "lang",
    "eastAsianLayout",
    "specVanish",
    "oMath",
    "rPrChange",
)
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot carry."""
    return _FORBIDDEN.sub("", text)


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A ``w:``-style element; ``attrs`` keys are prefixed names such as ``w:val``."""
    node = OxmlElement(tag, {qn(k): v for k, v in (attrs or {}).items()})
    for child in children:
        node.append(child)
    return node


def _insert_ordered(parent: etree._Element, child: etree._Element, order: Sequence[str]) -> None:
    """Put ``child`` in ``parent`` replacing a namesake, keeping schema order."""
    local = etree.QName(child).localname
    for old in parent.findall(qn("w:" + local)):
        parent.remove(old)
    rank = order.index(local)
    for i, sibling in enumerate(parent):
        name = etree.QName(sibling).localname
        if name in order and order.index(name) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


def set_rpr(rpr: etree._Element, child: etree._Element) -> None:
    _insert_ordered(rpr, child, _RPR_ORDER)


def set_ppr(ppr: etree._Element, child: etree._Element) -> None:
    _insert_ordered(ppr, child, _PPR_ORDER)


# --------------------------------------------------------------------------
# Runs


def run(
    text: str = "", style_id: str | None = None, bold: bool = False, italic: bool = False
) -> etree._Element:
    """A ``w:r`` with text (tabs and newlines become w:tab / w:br)."""
    r = OxmlElement("w:r")
    rpr = el("w:rPr")
    if style_id:
        set_rpr(rpr, el("w:rStyle", {"w:val": style_id}))
    if bold:
        set_rpr(rpr, el("w:b"))
    if italic:
        set_rpr(rpr, el("w:i"))
    if len(rpr):
        r.append(rpr)
    if text:
        r.text = clean_text(text)  # python-docx's setter splits tabs and breaks
    return r


def upright_east_asian(r: etree._Element, east_asia: str) -> etree._Element:
    """``r`` upright in the East Asian face ``east_asia``: CJK emphasis
    (``layout.emphasis``) overrides the italic of its character style."""
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = el("w:rPr")
        r.insert(0, rpr)
    set_rpr(rpr, el("w:rFonts", {"w:eastAsia": east_asia, "w:hint": "eastAsia"}))
    set_rpr(rpr, el("w:i", {"w:val": "0"}))
    set_rpr(rpr, el("w:iCs", {"w:val": "0"}))
    return r


def break_run() -> etree._Element:
    return el("w:r", None, el("w:br"))


def tab_run() -> etree._Element:
    return el("w:r", None, el("w:tab"))


# --------------------------------------------------------------------------
# Fields, bookmarks, hyperlinks


def _fld_char(kind: str) -> etree._Element:
    return el("w:r", None, el("w:fldChar", {"w:fldCharType": kind}))


def field_begin(instruction: str) -> list[etree._Element]:
    """The runs that open a complex field up to its cached result."""
    instr = el("w:instrText", {"xml:space": "preserve"})
    instr.text = f" {instruction} "
    return [_fld_char("begin"), el("w:r", None, instr), _fld_char("separate")]


def field_end() -> etree._Element:
    return _fld_char("end")


def field(instruction: str, cached: str, style_id: str | None = None) -> list[etree._Element]:
    """A whole complex field (begin, instruction, separate, result, end); the
    cached result is what readers show until Word recalculates."""
    return [*field_begin(instruction), run(cached, style_id), field_end()]


def bookmark_around(paragraph: etree._Element, bookmark_id: int, name: str) -> None:
    """Bookmark the whole content of ``paragraph`` (after its pPr)."""
    start = el("w:bookmarkStart", {"w:id": str(bookmark_id), "w:name": name})
    ppr = paragraph.find(qn("w:pPr"))
    paragraph.insert(0 if ppr is None else 1, start)
    paragraph.append(el("w:bookmarkEnd", {"w:id": str(bookmark_id)}))


def bookmark_start(bookmark_id: int, name: str) -> etree._Element:
    return el("w:bookmarkStart", {"w:id": str(bookmark_id), "w:name": name})


def bookmark_end(bookmark_id: int) -> etree._Element:
    return el("w:bookmarkEnd", {"w:id": str(bookmark_id)})


def internal_link(anchor: str) -> etree._Element:
    """A ``w:hyperlink`` to a bookmark; ``w:history`` keeps Word's back button."""
    return el("w:hyperlink", {"w:anchor": anchor, "w:history": "1"})


def external_link(r_id: str) -> etree._Element:
    return el("w:hyperlink", {"r:id": r_id, "w:history": "1"})


# --------------------------------------------------------------------------
# Footnotes


def footnotes_root() -> etree._Element:
    """``w:footnotes`` with the two separator notes Word expects at ids -1, 0."""
    root = OxmlElement(
        "w:footnotes",
        nsdecls={
            "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
            "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        },
    )
    for note_id, kind in ((-1, "separator"), (0, "continuationSeparator")):
        spacing = el("w:spacing", {"w:after": "0", "w:line": "240", "w:lineRule": "auto"})
        para = el("w:p", None, el("w:pPr", None, spacing), el("w:r", None, el("w:" + kind)))
        root.append(el("w:footnote", {"w:type": kind, "w:id": str(note_id)}, para))
    return root


def footnote(
    note_id: int, text_style: str, ref_style: str
) -> tuple[etree._Element, etree._Element]:
    """A ``w:footnote`` and its first paragraph, already holding the mark."""
    para = el("w:p", None, el("w:pPr", None, el("w:pStyle", {"w:val": text_style})))
    mark = run(style_id=ref_style)
    mark.append(el("w:footnoteRef"))
    para.append(mark)
    para.append(run(" "))
    return el("w:footnote", {"w:id": str(note_id)}, para), para


def footnote_reference(note_id: int, ref_style: str) -> etree._Element:
    r = run(style_id=ref_style)
    r.append(el("w:footnoteReference", {"w:id": str(note_id)}))
    return r


def settings_footnote_pr(settings: etree._Element) -> None:
    """Name the separator notes in settings, as Word itself does."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    pr = el("w:footnotePr", None, el("w:footnote", {"w:id": "-1"}), el("w:footnote", {"w:id": "0"}))
    settings.insert_element_before(
        pr,
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:attachedSchema",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotIncludeSubdocsInStats",
        "w:doNotAutoCompressPictures",
        "w:forceUpgrade",
        "w:captions",
        "w:readModeInkLockDown",
        "w:smartTagType",
        "sl:schemaLibrary",
        "w:shapeDefaults",
        "w:doNotEmbedSmartTags",
        "w:decimalSymbol",
        "w:listSeparator",
    )


_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def settings_update_fields(settings: etree._Element) -> None:
    """Ask Word to refresh fields (the contents' PAGEREF page numbers) when
    it opens the file; LibreOffice computes them as it lays the pages out."""
    if settings.find(qn("w:updateFields")) is not None:
        return
    settings.insert_element_before(el("w:updateFields", {"w:val": "true"}), *_AFTER_UPDATE_FIELDS)


def set_theme_font_lang(settings: etree._Element, lang: str, east_asia: str) -> None:
    node = settings.find(qn("w:themeFontLang"))
    if node is not None:
        node.set(qn("w:val"), lang)
        node.set(qn("w:eastAsia"), east_asia)


# --------------------------------------------------------------------------
# Numbering


def abstract_num(
    abstract_id: int,
    levels: Iterable[tuple[str, str, str, str | None]],
) -> etree._Element:
    """A multi-level list definition; each level is (numFmt, lvlText, font,
    pStyle id), indented 0.63 cm per level with a hanging number."""
    node = el(
        "w:abstractNum",
        {"w:abstractNumId": str(abstract_id)},
        el("w:multiLevelType", {"w:val": "hybridMultilevel"}),
    )
    for ilvl, (fmt, text, font, style_id) in enumerate(levels):
        lvl = el(
            "w:lvl",
            {"w:ilvl": str(ilvl)},
            el("w:start", {"w:val": "1"}),
            el("w:numFmt", {"w:val": fmt}),
        )
        if style_id:
            lvl.append(el("w:pStyle", {"w:val": style_id}))
        lvl.append(el("w:lvlText", {"w:val": text}))
        lvl.append(el("w:lvlJc", {"w:val": "left"}))
        left = 357 * (ilvl + 1)
        lvl.append(el("w:pPr", None, el("w:ind", {"w:left": str(left), "w:hanging": "357"})))
        if font:
            fonts = {"w:ascii": font, "w:hAnsi": font, "w:hint": "default"}
            lvl.append(el("w:rPr", None, el("w:rFonts", fonts)))
        node.append(lvl)
    return node


def insert_abstract_num(numbering: etree._Element, node: etree._Element) -> None:
    """abstractNum elements must all precede the w:num elements."""
    first_num = numbering.find(qn("w:num"))
    if first_num is None:
        numbering.append(node)
    else:
        first_num.addprevious(node)


def next_abstract_id(numbering: etree._Element) -> int:
    ids = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    return max(ids, default=-1) + 1


def num_pr(num_id: int, ilvl: int = 0) -> etree._Element:
    return el(
        "w:numPr", None, el("w:ilvl", {"w:val": str(ilvl)}), el("w:numId", {"w:val": str(num_id)})
    )


def restart_num(numbering: etree._Element, abstract_id: int, ilvl: int, start: int) -> int:
    """A new list instance of ``abstract_id`` whose level ``ilvl`` starts at
    ``start``: how Word restarts numbering for one list."""
    num = numbering.add_num(abstract_id)
    num.add_lvlOverride(ilvl).add_startOverride(start)
    return int(num.numId)


# --------------------------------------------------------------------------
# Styles


def set_fonts(rpr: etree._Element, latin: str, east_asia: str) -> None:
    """Explicit fonts for every script; theme-font attributes are dropped
    because they would win over the names."""
    fonts = {"w:ascii": latin, "w:hAnsi": latin, "w:cs": latin, "w:eastAsia": east_asia}
    set_rpr(rpr, el("w:rFonts", fonts))


def set_lang(rpr: etree._Element, lang: str, east_asia: str) -> None:
    set_rpr(rpr, el("w:lang", {"w:val": lang, "w:eastAsia": east_asia, "w:bidi": "ar-SA"}))


def doc_defaults(styles: etree._Element) -> tuple[etree._Element, etree._Element]:
    """The (rPr, pPr) of docDefaults, created when missing and emptied."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = el("w:docDefaults")
        styles.insert(0, defaults)
    for child in list(defaults):
        defaults.remove(child)
    rpr, ppr = el("w:rPr"), el("w:pPr")
    defaults.append(el("w:rPrDefault", None, rpr))
    defaults.append(el("w:pPrDefault", None, ppr))
    return rpr, ppr


def border(
    side: str, colour: str, eighths: int, space: int = 0, kind: str = "single"
) -> etree._Element:
    return el(
        "w:" + side, {"w:val": kind, "w:sz": str(eighths), "w:space": str(space), "w:color": colour}
    )


def paragraph_borders(ppr: etree._Element, *borders: etree._Element) -> None:
    set_ppr(ppr, el("w:pBdr", None, *borders))


def shading(fill: str) -> etree._Element:
    return el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def outline_level(ppr: etree._Element, level: int) -> None:
    """Outline level decides what the TOC field collects; 9 means body text."""
    set_ppr(ppr, el("w:outlineLvl", {"w:val": str(level)}))


def right_tab(ppr: etree._Element, pos_twips: int, leader: str = "dot") -> None:
    tab = el("w:tab", {"w:val": "right", "w:leader": leader, "w:pos": str(pos_twips)})
    set_ppr(ppr, el("w:tabs", None, tab))


# Table styles: tblPr / tcPr / conditional parts. The schema order inside
# a table style is pPr, rPr, tblPr, trPr, tcPr, tblStylePr*.
_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
    "tblCaption",
    "tblDescription",
    "tblPrChange",
)


def set_tblpr(tblpr: etree._Element, child: etree._Element) -> None:
    _insert_ordered(tblpr, child, _TBLPR_ORDER)


def table_borders(**sides: etree._Element | None) -> etree._Element:
    """``w:tblBorders``; a side given as None is drawn as 'none'."""
    node = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if side in sides:
            value = sides[side]
            node.append(value if value is not None else border(side, "auto", 0, kind="none"))
    return node


def cell_margins(top: int, left: int, bottom: int, right: int) -> etree._Element:
    node = el("w:tblCellMar")
    for side, twips in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        node.append(el("w:" + side, {"w:w": str(twips), "w:type": "dxa"}))
    return node


def table_style_parts(style: etree._Element) -> tuple[etree._Element, etree._Element]:
    """The (tblPr, tcPr) of a table style, emptied, in schema position."""
    for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        for old in style.findall(qn(tag)):
            style.remove(old)
    tblpr, tcpr = el("w:tblPr"), el("w:tcPr")
    style.append(tblpr)
    style.append(tcpr)
    return tblpr, tcpr


def conditional(
    style: etree._Element,
    kind: str,
    rpr: Sequence[etree._Element] = (),
    tcpr: Sequence[etree._Element] = (),
) -> None:
    """A ``w:tblStylePr`` (firstRow, band1Horz, ...) appended to a table style."""
    part = el("w:tblStylePr", {"w:type": kind})
    part.append(el("w:pPr"))
    part.append(el("w:rPr", None, *rpr))
    part.append(el("w:tblPr"))
    part.append(el("w:trPr"))
    part.append(el("w:tcPr", None, *tcpr))
    style.append(part)


# --------------------------------------------------------------------------
# Tables in the body


def table_look(first_row: bool, banded_rows: bool) -> etree._Element:
    """Which conditional parts of the table style apply to this table."""
    flags = {
        "w:firstRow": first_row,
        "w:lastRow": False,
        "w:firstColumn": False,
        "w:lastColumn": False,
        "w:noHBand": not banded_rows,
        "w:noVBand": True,
    }
    return el("w:tblLook", {k: "1" if v else "0" for k, v in flags.items()})


def full_width(tblpr: etree._Element) -> None:
    set_tblpr(tblpr, el("w:tblW", {"w:w": "5000", "w:type": "pct"}))


def bleed(tblpr: etree._Element, width_twips: int) -> None:
    """A one-cell table from page edge to page edge (the title band).
    Without a compatibility mode of 15 (python-docx's template has none)
    Word and LibreOffice measure ``tblInd`` to the first cell's text, not to
    the table's edge: with no indent and a left cell margin as wide as the
    page margin (the caller's), the edge sits on the paper's edge and the
    text in line with the body."""
    set_tblpr(tblpr, el("w:tblW", {"w:w": str(width_twips), "w:type": "dxa"}))
    set_tblpr(tblpr, el("w:tblInd", {"w:w": "0", "w:type": "dxa"}))


def fixed_layout(tblpr: etree._Element) -> None:
    set_tblpr(tblpr, el("w:tblLayout", {"w:type": "fixed"}))


def caption(tblpr: etree._Element, text: str) -> None:
    """Alt text of a table (Word's Table Properties > Alt Text)."""
    if text:
        set_tblpr(tblpr, el("w:tblCaption", {"w:val": clean_text(text)[:255]}))


def mark_header_row(tr: etree._Element) -> None:
    """Repeat the row on every page; Word and screen readers treat it as header."""
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = el("w:trPr")
        tblpr_ex = tr.find(qn("w:tblPrEx"))
        tr.insert(0 if tblpr_ex is None else 1, trpr)
    trpr.append(el("w:cantSplit"))
    trpr.append(el("w:tblHeader"))


def table_row(
    widths: Sequence[int], style_id: str | None, jcs: Sequence[str | None]
) -> etree._Element:
    """An empty ``w:tr``: one cell per width (twips), each holding one
    paragraph in ``style_id`` with its ``w:jc`` (None: left). It is the same
    XML python-docx makes cell by cell; the Word writer copies it for every
    row of a data table and fills the paragraphs."""
    tr = el("w:tr")
    for width, jc in zip(widths, jcs, strict=True):
        ppr = el("w:pPr")
        if style_id:
            ppr.append(el("w:pStyle", {"w:val": style_id}))
        if jc:
            ppr.append(el("w:jc", {"w:val": jc}))
        paragraph = el("w:p", None, *([ppr] if len(ppr) else []))
        tcpr = el("w:tcPr", None, el("w:tcW", {"w:type": "dxa", "w:w": str(width)}))
        tr.append(el("w:tc", None, tcpr, paragraph))
    return tr


def row_height(tr: etree._Element, twips: int) -> None:
    """A row at least ``twips`` high (it grows with its content)."""
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = el("w:trPr")
        tr.insert(0, trpr)
    trpr.append(el("w:trHeight", {"w:val": str(twips), "w:hRule": "atLeast"}))


def cant_split(tr: etree._Element) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = el("w:trPr")
        tr.insert(0, trpr)
    trpr.append(el("w:cantSplit"))


# --------------------------------------------------------------------------
# Pictures


def describe_picture(inline: etree._Element, title: str, descr: str) -> None:
    """Alt text on wp:docPr (what Word's Alt Text pane and readers use)."""
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("descr", clean_text(descr))
    doc_pr.set("title", clean_text(title))
    c_nv_pr = inline.find(".//" + qn("pic:cNvPr"))
    if c_nv_pr is not None:
        c_nv_pr.set("descr", clean_text(descr))


def keep_with_next(node: etree._Element) -> None:
    """Keep ``node`` (a paragraph, or a table row: Word and LibreOffice read
    keep-with-next on a row's paragraphs as keeping the row) on the page of
    what follows it."""
    for p in node.iter(qn("w:p")):
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = el("w:pPr")
            p.insert(0, ppr)
        set_ppr(ppr, el("w:keepNext"))
