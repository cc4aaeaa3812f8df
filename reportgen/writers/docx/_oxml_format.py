"""Raw WordprocessingML for formatting: numbering definitions, style
properties, table styles, the properties of tables in the body, and the
document settings.

Built element by element as in ``_oxml`` (whose ``el`` and ordered
insertion it uses), in the child order the schema demands.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence

from docx.oxml.ns import qn
from docx.oxml.numbering import CT_Numbering
from lxml import etree

from ...errors import RenderError
from . import _oxml as ox
from ._oxml import clean_text, el, set_ppr, set_rpr

# --------------------------------------------------------------------------
# Numbering


#: twips a list level indents its text (0.63 cm), the bullet hanging in it
LIST_INDENT = 357


def abstract_num(
    abstract_id: int,
    levels: Iterable[tuple[str, str, str | None, str | None]],
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
        left = LIST_INDENT * (ilvl + 1)
        lvl.append(
            el("w:pPr", None, el("w:ind", {"w:left": str(left), "w:hanging": str(LIST_INDENT)}))
        )
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
    found = numbering.findall(qn("w:abstractNum"))
    ids = (_number(a, "w:abstractNumId", "a w:abstractNum's w:abstractNumId") for a in found)
    return max(ids, default=-1) + 1


def _number(node: etree._Element | None, attr: str, what: str) -> int:
    """The number in ``attr`` of ``node`` (a reference document's, maybe),
    which the schema requires; ``what`` names it when it is missing."""
    value = None if node is None else node.get(qn(attr))
    if value is None:
        raise RenderError(f"the Word document's numbering has no {what}")
    return int(value)


def num_pr(num_id: int, ilvl: int = 0) -> etree._Element:
    return el(
        "w:numPr", None, el("w:ilvl", {"w:val": str(ilvl)}), el("w:numId", {"w:val": str(num_id)})
    )


def numbering_of(ppr: etree._Element) -> tuple[int, int] | None:
    """(numId, ilvl) of the numbering a paragraph's properties name, if any."""
    num_pr = ppr.find(qn("w:numPr"))
    if num_pr is None:
        return None
    num_id = _number(num_pr.find(qn("w:numId")), "w:val", "w:numId in a w:numPr")
    ilvl_el = num_pr.find(qn("w:ilvl"))
    if ilvl_el is None:
        return num_id, 0
    return num_id, _number(ilvl_el, "w:val", "w:val on a w:numPr's w:ilvl")


def add_num(numbering: etree._Element, abstract_id: int) -> int:
    """The id of a new list instance (``w:num``) of ``abstract_id``."""
    return int(ox.element_as(CT_Numbering, numbering).add_num(abstract_id).numId)


def abstract_id_of(numbering: etree._Element, num_id: int) -> int:
    """The definition (``w:abstractNumId``) the list instance ``num_id`` uses."""
    num = ox.element_as(CT_Numbering, numbering).num_having_numId(num_id)
    return int(num.abstractNumId.val)


def restart_num(numbering: etree._Element, abstract_id: int, ilvl: int, start: int) -> int:
    """A new list instance of ``abstract_id`` whose level ``ilvl`` starts at
    ``start``: how Word restarts numbering for one list."""
    num = ox.element_as(CT_Numbering, numbering).add_num(abstract_id)
    num.add_lvlOverride(ilvl).add_startOverride(start)
    return int(num.numId)


# --------------------------------------------------------------------------
# Styles


def font_size(rpr: etree._Element, half_points: int) -> None:
    set_rpr(rpr, el("w:sz", {"w:val": str(half_points)}))


def superscript(rpr: etree._Element) -> None:
    set_rpr(rpr, el("w:vertAlign", {"w:val": "superscript"}))


def underline(rpr: etree._Element) -> None:
    set_rpr(rpr, el("w:u", {"w:val": "single"}))


def spacing(ppr: etree._Element, after: int, line: int) -> None:
    """Space after (twips) and line spacing (240ths of a line) of a paragraph."""
    set_ppr(
        ppr, el("w:spacing", {"w:after": str(after), "w:line": str(line), "w:lineRule": "auto"})
    )


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


def paragraph_box(ppr: etree._Element, borders: Sequence[etree._Element], fill: str) -> None:
    """Borders (top, left, bottom, right, in the schema's order) and a
    fill on a paragraph: consecutive paragraphs with the same borders,
    fill and indents make one box in Word and LibreOffice."""
    paragraph_borders(ppr, *(copy.deepcopy(b) for b in borders))
    set_ppr(ppr, shading(fill))


def boxed_indent(ppr: etree._Element, pad: int) -> None:
    """The indents of a paragraph in a box with list items: ``pad`` twips in
    from both sides (the box's rules and padding then stand on the text
    block's edges), and the first line out by a list level (``abstract_num``),
    where a bullet or number hangs. Every paragraph of a box takes them, as
    Word and LibreOffice join only paragraphs of the same indents."""
    attrs = {"w:left": str(pad + LIST_INDENT), "w:right": str(pad), "w:hanging": str(LIST_INDENT)}
    set_ppr(ppr, el("w:ind", attrs))


def space_before(ppr: etree._Element, twips: int) -> None:
    """Space above a paragraph, kept with the spacing it already has."""
    node = ppr.find(qn("w:spacing"))
    if node is None:
        node = el("w:spacing")
        set_ppr(ppr, node)
    node.set(qn("w:before"), str(twips))


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


def bold() -> etree._Element:
    return el("w:b")


def colour(hex_rgb: str) -> etree._Element:
    return el("w:color", {"w:val": hex_rgb})


def v_align(where: str) -> etree._Element:
    """A cell's vertical alignment: top, center or bottom."""
    return el("w:vAlign", {"w:val": where})


def row_band_size(rows: int) -> etree._Element:
    """How many rows one band of a banded table style spans."""
    return el("w:tblStyleRowBandSize", {"w:val": str(rows)})


def set_tblpr(tblpr: etree._Element, child: etree._Element) -> None:
    ox.insert_ordered(tblpr, child, _TBLPR_ORDER)


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


def cant_split(tr: etree._Element) -> None:
    trpr = tr.find(qn("w:trPr"))
    if trpr is None:
        trpr = el("w:trPr")
        tr.insert(0, trpr)
    trpr.append(el("w:cantSplit"))


def row_per_block(tbl: etree._Element) -> None:
    """Give each block of a one-cell table a row of its own, so the box
    may turn a page between blocks: LibreOffice moves a one-row table
    whole, and page one's key messages went to page two with their
    heading. A nested table stays with the paragraph after it (a cell
    ends on a paragraph). The inner rows drop the top and bottom cell
    margins, so the box looks as one."""
    tr = _made_child(tbl, "w:tr")
    tc = _made_child(tr, "w:tc")
    groups: list[list[etree._Element]] = [[]]
    for child in [c for c in tc if c.tag != qn("w:tcPr")]:
        groups[-1].append(child)
        if child.tag == qn("w:p"):
            groups.append([])
    groups = [g for g in groups if g]
    if len(groups) < 2:
        return
    rows = [tr] + [_empty_row_like(tr) for _ in groups[1:]]
    for n, (row, group) in enumerate(zip(rows, groups, strict=True)):
        cell = _made_child(row, "w:tc")
        if n > 0:
            cell.extend(group)  # moves the blocks out of the first row
            tbl.append(row)
        _cell_margins(cell, top=n > 0, bottom=n < len(groups) - 1)


def _empty_row_like(tr: etree._Element) -> etree._Element:
    row = copy.deepcopy(tr)
    cell = _made_child(row, "w:tc")
    for child in [c for c in cell if c.tag != qn("w:tcPr")]:
        cell.remove(child)
    return row


def _cell_margins(tc: etree._Element, top: bool, bottom: bool) -> None:
    """Zero a cell's top and/or bottom margin (the table style's otherwise)."""
    sides = [side for side, zero in (("top", top), ("bottom", bottom)) if zero]
    if not sides:
        return
    mar = el("w:tcMar", None, *(el(f"w:{s}", {"w:w": "0", "w:type": "dxa"}) for s in sides))
    _made_child(tc, "w:tcPr").append(mar)


def _made_child(node: etree._Element, tag: str) -> etree._Element:
    """The first ``tag`` child of ``node``, which python-docx made with one
    (a table its rows, a row its cells, a cell its properties)."""
    child = node.find(qn(tag))
    if child is None:
        raise RenderError(f"a table python-docx made for the Word writer has no {tag}")
    return child


# --------------------------------------------------------------------------
# Document settings


def settings_footnote_pr(settings: etree._Element) -> None:
    """Name the separator notes in settings, as Word itself does."""
    if settings.find(qn("w:footnotePr")) is not None:
        return
    pr = el("w:footnotePr", None, el("w:footnote", {"w:id": "-1"}), el("w:footnote", {"w:id": "0"}))
    _insert_before(settings, pr, _settings_after("w:footnotePr"))


# the children of w:settings that follow w:updateFields, in schema order: a
# new child goes before the first of those after it that is present
_SETTINGS_TAIL = (
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
    _insert_before(settings, el("w:updateFields", {"w:val": "true"}), _SETTINGS_TAIL)


def settings_zoom(settings: etree._Element, percent: int = 100) -> None:
    """The zoom Word opens the file at, with the ``w:percent`` the schema
    requires (python-docx's template has only ``w:val="bestFit"``)."""
    zoom = settings.find(qn("w:zoom"))
    if zoom is None:
        zoom = el("w:zoom")
        settings.insert(_zoom_position(settings), zoom)
    zoom.set(qn("w:percent"), str(percent))


def _zoom_position(settings: etree._Element) -> int:
    """w:zoom follows only w:writeProtection and w:view in schema order."""
    heads = {qn("w:writeProtection"), qn("w:view")}
    return sum(1 for child in settings if child.tag in heads)


_WORD_URI = "http://schemas.microsoft.com/office/word"


def settings_compatibility_mode(settings: etree._Element, mode: int = 15) -> None:
    """Word's compatibility mode (15: Word 2013 and later), so Word does not
    open the file in Compatibility Mode."""
    compat = settings.find(qn("w:compat"))
    if compat is None:
        compat = el("w:compat")
        _insert_before(settings, compat, _settings_after("w:compat"))
    for setting in compat.iterchildren(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))
            return
    attrs = {"w:name": "compatibilityMode", "w:uri": _WORD_URI, "w:val": str(mode)}
    compat.append(el("w:compatSetting", attrs))


def set_theme_font_lang(settings: etree._Element, lang: str, east_asia: str) -> None:
    node = settings.find(qn("w:themeFontLang"))
    if node is not None:
        node.set(qn("w:val"), lang)
        node.set(qn("w:eastAsia"), east_asia)


def _settings_after(tag: str) -> tuple[str, ...]:
    """The w:settings children that come after ``tag`` in schema order."""
    return _SETTINGS_TAIL[_SETTINGS_TAIL.index(tag) + 1 :]


def _insert_before(parent: etree._Element, child: etree._Element, tags: Sequence[str]) -> None:
    """``child`` before the first of ``tags`` (in their order) that ``parent``
    holds, else last, as python-docx's ``insert_element_before``, whose types
    take only elements of its classes (w:updateFields has none)."""
    for tag in tags:
        successor = parent.find(qn(tag))
        if successor is not None:
            successor.addprevious(child)
            return
    parent.append(child)
