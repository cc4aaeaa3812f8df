"""Raw WordprocessingML of the styles part: python-docx's style index,
default lookup and new style elements, made with lxml in one pass, and a
style's parts (basedOn, next, qFormat, its run and paragraph properties)
slotted in by schema order.

A brief makes or restyles some 50 styles a run; python-docx's setters look
for each part among the twenty that may follow it and convert each value
on its own, and its ``Styles`` scans every style on each lookup. The XML
here is what those setters write (tests hold it to them).
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_HpsMeasure, ST_SignedTwipsMeasure, ST_TwipsMeasure
from docx.oxml.styles import CT_Style, styleId_from_name
from docx.shared import Cm, Emu, Pt, Twips
from docx.styles import BabelFish
from docx.styles.style import BaseStyle, StyleFactory
from lxml import etree

from ...errors import RenderError
from . import _oxml as ox
from ._oxml import el
from ._oxml_format import set_fonts

_STYLE, _NAME, _TYPE, _DEFAULT, _VAL = (
    qn(f"w:{n}") for n in ("style", "name", "type", "default", "val")
)


def _xml_value(value: str | None) -> str:
    """An enum member's XML value: python-docx types ``to_xml`` as optional
    (it maps None to None), which no member is."""
    if value is None:
        raise RenderError("a Word enumeration member has no XML value")
    return value


# --------------------------------------------------------------------------
# The styles part


def add_style(
    styles: etree._Element, name: str, kind: WD_STYLE_TYPE, builtin: bool, style_id: str | None
) -> BaseStyle:
    """A new style named ``name`` at the end of ``w:styles``, as python-docx's
    ``Styles.add_style`` makes it (type, customStyle unless ``builtin``, an
    id from the name unless ``style_id`` is given, the name as styles.xml
    spells it), without its scan of every style for a namesake: the caller's
    index has looked already."""
    internal = BabelFish.ui2internal(name)
    attrs = {"w:type": _xml_value(WD_STYLE_TYPE.to_xml(kind))}
    if not builtin:
        attrs["w:customStyle"] = "1"
    attrs["w:styleId"] = style_id or styleId_from_name(internal)
    style = el("w:style", attrs, el("w:name", {"w:val": internal}))
    styles.append(style)
    return style_proxy(style)


def style_proxy(style: etree._Element) -> BaseStyle:
    """python-docx's proxy of the ``w:style`` element ``style``, of the
    class of its type (``StyleFactory``)."""
    return StyleFactory(ox.element_as(CT_Style, style))


def styles_by_name(styles: etree._Element) -> dict[str, etree._Element]:
    """Each ``w:style`` of ``styles`` by its name as python-docx shows it
    (``BabelFish``: 'heading 1' is 'Heading 1'), lower-cased; of namesakes
    the last, as a dict built from python-docx's ``Styles`` keeps. Read with
    lxml: python-docx's proxies read each name through its descriptors."""
    found = {}
    for style in styles.iterchildren(_STYLE):
        name = style.find(_NAME)
        value = None if name is None else name.get(_VAL)
        if value:
            found[BabelFish.internal2ui(value).lower()] = style
    return found


def default_style(styles: etree._Element, kind: WD_STYLE_TYPE) -> etree._Element | None:
    """The default style of type ``kind``, as python-docx's ``Styles.default``
    finds it: the last ``w:style`` of that type whose ``w:default`` is on."""
    kind_xml = WD_STYLE_TYPE.to_xml(kind)
    marked = [  # the few marked, found by XPath without a proxy for every style
        style
        for style in styles.xpath("w:style[@w:default]")
        if style.get(_TYPE) == kind_xml and style.get(_DEFAULT) in ("1", "true", "on")
    ]
    return marked[-1] if marked else None


# --------------------------------------------------------------------------
# A style's parts


# A style's run and paragraph properties, built in one go: python-docx's
# Font and ParagraphFormat setters find or add each child and convert each
# value on its own, and a brief makes some 50 styles per run. The values are
# converted by python-docx's own simple types, so the XML is what its
# setters write.


# Child order of a w:style per the schema (ECMA-376 CT_Style): a style's
# parts are slotted in by name in one pass over its few children, where
# python-docx's setters look for each of the twenty that may follow.
_STYLE_ORDER = (
    "name",
    "aliases",
    "basedOn",
    "next",
    "link",
    "autoRedefine",
    "hidden",
    "uiPriority",
    "semiHidden",
    "unhideWhenUsed",
    "qFormat",
    "locked",
    "personal",
    "personalCompose",
    "personalReply",
    "rsid",
    "pPr",
    "rPr",
    "tblPr",
    "trPr",
    "tcPr",
    "tblStylePr",
)


def set_style_part(style: etree._Element, child: etree._Element) -> None:
    """Put ``child`` (w:basedOn, w:qFormat, w:rPr, ...) in ``style``, in
    place of a namesake, in schema order."""
    ox.insert_ordered(style, child, _STYLE_ORDER)


def new_style_part(style: etree._Element, part: str) -> etree._Element:
    """A new, empty ``w:rPr`` or ``w:pPr`` (``part``) in ``style``, to be
    filled (``style_run_properties``, ``style_paragraph_properties``)."""
    node = el(f"w:{part}")
    set_style_part(style, node)
    return node


def based_on(style: etree._Element, base_id: str) -> None:
    """The style ``style`` inherits from, as python-docx's ``base_style``."""
    set_style_part(style, el("w:basedOn", {"w:val": base_id}))


def next_style(style: etree._Element, next_id: str) -> None:
    """The style of the paragraph after one in ``style``, as python-docx's
    ``next_paragraph_style`` sets it: none when that is the style itself."""
    if next_id == style.get(qn("w:styleId")):
        for node in style.findall(qn("w:next")):
            style.remove(node)
    else:
        set_style_part(style, el("w:next", {"w:val": next_id}))


def shown_in_gallery(style: etree._Element, quick: bool) -> None:
    """Neither hidden nor shown only once used (no w:semiHidden, no
    w:unhideWhenUsed); with ``quick``, in the quick style gallery
    (w:qFormat), as python-docx's ``hidden``, ``unhide_when_used`` and
    ``quick_style`` setters leave a style."""
    for tag in ("w:semiHidden", "w:unhideWhenUsed"):
        for node in style.findall(qn(tag)):
            style.remove(node)
    if quick:
        set_style_part(style, el("w:qFormat"))


def style_run_properties(
    rpr: etree._Element,
    fonts: tuple[str, str] | None,
    size: float | None,
    bold: bool | None,
    italic: bool | None,
    colour: str | None,
) -> None:
    """Fill the empty ``rpr`` of a style as ``set_fonts`` and python-docx's
    ``font.size``, ``.bold``, ``.italic`` and ``.color.rgb`` would (None
    leaves a property to the base style), children in schema order."""
    if fonts is not None:
        set_fonts(rpr, *fonts)
    for tag, on in (("w:b", bold), ("w:i", italic)):
        if on is not None:
            rpr.append(el(tag, None if on else {"w:val": "0"}))
    if colour:
        rpr.append(el("w:color", {"w:val": colour.upper()}))
    if size is not None:
        rpr.append(el("w:sz", {"w:val": ST_HpsMeasure.convert_to_xml(Pt(size))}))


def style_paragraph_properties(
    ppr: etree._Element,
    spacing: tuple[float | None, float | None, float | None],
    keep_next: bool,
    left_cm: float | None,
    align: WD_ALIGN_PARAGRAPH | None,
) -> None:
    """Fill the empty ``ppr`` of a style as python-docx's ``keep_with_next``
    and ``keep_together`` (both from ``keep_next``), ``space_before``,
    ``space_after``, ``line_spacing`` (a multiple), ``left_indent`` and
    ``alignment`` would, children in schema order; ``spacing`` is
    (before pt, after pt, line multiple), None for each left alone."""
    if keep_next:
        ppr.append(el("w:keepNext"))
        ppr.append(el("w:keepLines"))
    before, after, line = spacing
    attrs = {}  # in the order python-docx sets them: before, after, line
    if before is not None:
        attrs["w:before"] = ST_TwipsMeasure.convert_to_xml(Pt(before))
    if after is not None:
        attrs["w:after"] = ST_TwipsMeasure.convert_to_xml(Pt(after))
    if line is not None:
        attrs["w:line"] = ST_SignedTwipsMeasure.convert_to_xml(Emu(int(line * Twips(240))))
        attrs["w:lineRule"] = "auto"  # WD_LINE_SPACING.MULTIPLE
    if attrs:
        ppr.append(el("w:spacing", attrs))
    if left_cm is not None:
        ppr.append(el("w:ind", {"w:left": ST_SignedTwipsMeasure.convert_to_xml(Cm(left_cm))}))
    if align is not None:
        ppr.append(el("w:jc", {"w:val": _xml_value(WD_ALIGN_PARAGRAPH.to_xml(align))}))
