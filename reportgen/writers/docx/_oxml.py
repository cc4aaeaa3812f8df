"""Raw WordprocessingML for the Word writer.

python-docx covers paragraphs, runs, tables and pictures; everything else the
brief needs (fields, bookmarks, hyperlinks, footnotes, numbering definitions,
table-style conditional formatting, East Asian fonts) is built here, element
by element with lxml and python-docx's parser (the elements its
``OxmlElement`` makes; runs, the most numerous, directly). Nothing is ever
made by formatting XML text, so no content can inject markup.

Children are appended in the order the schema (ECMA-376 part 1) demands,
because Word rejects a file whose elements are out of sequence even where
LibreOffice forgives it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TypeGuard, TypeVar, cast

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.opc.phys_pkg import PhysPkgWriter
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.shape import CT_Inline
from docx.oxml.table import CT_Row, CT_Tbl, CT_Tc
from docx.oxml.text.paragraph import CT_P
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shape import InlineShape
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from lxml import etree

from ...errors import RenderError
from ...text.script import FORBIDDEN_CHARS
from ._oxml_order import PPR_ORDER, RPR_ORDER

# Characters XML 1.0 forbids (lxml refuses them, Word would call the file
# corrupt) and those no font draws: the one pattern in text.script.
_FORBIDDEN = FORBIDDEN_CHARS


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot carry."""
    return _FORBIDDEN.sub("", text)


@cache
def _clark(name: str) -> str:
    """``qn``, remembered: a brief makes thousands of elements of a few dozen names."""
    return qn(name)


@cache
def _declaring(tag: str) -> dict[str, str]:
    """The one namespace ``OxmlElement`` declares on an element: its tag's."""
    prefix = tag.partition(":")[0]
    return {prefix: nsmap[prefix]}


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """A ``w:``-style element; ``attrs`` keys are prefixed names such as ``w:val``.
    The element ``OxmlElement`` makes (python-docx's parser and class), with
    the names resolved once."""
    attrib = {_clark(k): v for k, v in attrs.items()} if attrs else None
    node = oxml_parser.makeelement(_clark(tag), attrib, _declaring(tag))
    for child in children:
        node.append(child)
    return node


@cache
def _ranks(order: tuple[str, ...]) -> dict[str, int]:
    """Schema position by tag of the ``w:`` elements named in ``order``."""
    return {qn("w:" + name): rank for rank, name in enumerate(order)}


def _name(node: etree._Element) -> str:
    """The tag lxml reads of an element, always text (its stubs allow any
    value a tag may be given); '' for a comment, whose tag is a function."""
    tag = node.tag
    return tag if isinstance(tag, str) else ""


def insert_ordered(parent: etree._Element, child: etree._Element, order: tuple[str, ...]) -> None:
    """Put ``child`` in ``parent`` replacing a namesake, keeping schema order."""
    tag = _name(child)
    for old in parent.findall(tag):
        parent.remove(old)
    ranks = _ranks(order)
    rank = ranks[tag]
    for i, sibling in enumerate(parent):
        if ranks.get(_name(sibling), -1) > rank:
            parent.insert(i, child)
            return
    parent.append(child)


def set_rpr(rpr: etree._Element, child: etree._Element) -> None:
    insert_ordered(rpr, child, RPR_ORDER)


def set_ppr(ppr: etree._Element, child: etree._Element) -> None:
    insert_ordered(ppr, child, PPR_ORDER)


# --------------------------------------------------------------------------
# Runs


# Runs are the one element a brief makes by the tens of thousands (a cell
# of a 10,000-row table is a run), so they are built with lxml directly:
# python-docx's ``CT_R.text`` setter searches the run with XPath to clear it
# and adds text character by character. The elements come from python-docx's
# parser, so they are its classes (CT_R, ...) as ``OxmlElement`` makes them.
_W_NS = {"w": nsmap["w"]}
_R, _RPR, _RSTYLE, _B, _I = (qn(t) for t in ("w:r", "w:rPr", "w:rStyle", "w:b", "w:i"))
_T, _TAB, _BR, _VAL = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:val")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_XML_SPACE = qn("xml:space")
_PPR, _PSTYLE = qn("w:pPr"), qn("w:pStyle")
#: U+2011, which a run carries as Word's own non-breaking hyphen
NON_BREAKING_HYPHEN = "\u2011"
# what python-docx's run text setter turns into w:tab and w:br, one each,
# and the non-breaking hyphen, which Word writes as w:noBreakHyphen
_RUN_BREAKS = re.compile("([\t\r\n\u2011])")


def run(
    text: str = "", style_id: str | None = None, bold: bool = False, italic: bool = False
) -> etree._Element:
    """A ``w:r`` with text (tabs and newlines become w:tab / w:br)."""
    r = oxml_parser.makeelement(_R, nsmap=_W_NS)
    if style_id or bold or italic:  # rPr children in schema order
        rpr = etree.SubElement(r, _RPR)
        if style_id:
            etree.SubElement(rpr, _RSTYLE, {_VAL: style_id})
        if bold:
            etree.SubElement(rpr, _B)
        if italic:
            etree.SubElement(rpr, _I)
    if text:
        add_text(r, clean_text(text))
    return r


def add_text(r: etree._Element, text: str) -> None:
    """Append ``text`` to the run ``r`` as python-docx's ``Run.text`` does:
    each tab a w:tab, each CR or LF a w:br, the rest in w:t elements that
    preserve space when the text starts or ends with it; and each U+2011 a
    w:noBreakHyphen, as Word writes a non-breaking hyphen (python-docx
    reads it back as "-")."""
    for piece in _RUN_BREAKS.split(text):
        if piece == "\t":
            etree.SubElement(r, _TAB)
        elif piece == "\r" or piece == "\n":
            etree.SubElement(r, _BR)
        elif piece == NON_BREAKING_HYPHEN:
            etree.SubElement(r, _NO_BREAK_HYPHEN)
        elif piece:
            t = etree.SubElement(r, _T)
            t.text = piece
            if len(piece.strip()) < len(piece):
                t.set(_XML_SPACE, "preserve")


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
    ppr = paragraph.find(qn("w:pPr"))
    paragraph.insert(0 if ppr is None else 1, bookmark_start(bookmark_id, name))
    paragraph.append(bookmark_end(bookmark_id))


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


# --------------------------------------------------------------------------
# Pictures


def describe_picture(inline: etree._Element, title: str, descr: str) -> None:
    """Alt text on wp:docPr (what Word's Alt Text pane and readers use)."""
    doc_pr = inline.find(qn("wp:docPr"))
    if doc_pr is None:  # python-docx gives every picture it adds one
        raise RenderError("a picture has no wp:docPr to carry its alt text")
    doc_pr.set("descr", clean_text(descr))
    doc_pr.set("title", clean_text(title))
    c_nv_pr = inline.find(".//" + qn("pic:cNvPr"))
    if c_nv_pr is not None:
        c_nv_pr.set("descr", clean_text(descr))


def keep_lines(p: etree._Element) -> None:
    """Keep the paragraph ``p`` on one page (Word's "Keep lines together")."""
    set_ppr(ppr_of(p), el("w:keepLines"))


def ppr_of(p: etree._Element) -> etree._Element:
    """The paragraph properties of ``p``, added first where it has none."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    return ppr


def keep_table_before(p: etree._Element) -> None:
    """Keep the table just before paragraph ``p`` (its last row) on the
    page of ``p``: a source line under a table."""
    before = p.getprevious()
    if before is not None and before.tag == qn("w:tbl"):
        rows = before.findall(qn("w:tr"))
        if rows:
            keep_with_next(rows[-1])


def keep_with_next(node: etree._Element) -> None:
    """Keep ``node`` (a paragraph, or a table row: Word and LibreOffice read
    keep-with-next on a row's paragraphs as keeping the row) on the page of
    what follows it."""
    for p in node.iter(qn("w:p")):
        set_ppr(ppr_of(p), el("w:keepNext"))


# --------------------------------------------------------------------------
# Reading and pruning what python-docx or a reference document made


def remove(node: etree._Element) -> None:
    """Take ``node`` out of its parent."""
    parent = node.getparent()
    if parent is None:
        raise RenderError(f"the Word writer cannot remove {_name(node)!r}: it has no parent")
    parent.remove(node)


def append(parent: etree._Element, *children: etree._Element) -> None:
    """``children`` added at the end of ``parent``: lxml's stubs let an element
    of python-docx's classes (a CT_P) take only children of its own class."""
    parent.extend(children)


def empty(node: etree._Element) -> None:
    """Remove every child of ``node`` (a paragraph's runs and properties)."""
    for child in list(node):
        node.remove(child)


def empty_body(body: etree._Element) -> None:
    """Everything in the body but its section properties (page size,
    margins, header and footer references), which a reference keeps."""
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def strip_properties(style: etree._Element) -> None:
    """A style's paragraph and run properties, removed."""
    for tag in ("w:pPr", "w:rPr"):
        for node in style.findall(qn(tag)):
            style.remove(node)


def blocks_in(container: etree._Element) -> list[etree._Element]:
    """The paragraphs and tables directly in a body or cell, in order."""
    return list(container.iterchildren(qn("w:p"), qn("w:tbl")))


def paragraphs_after_tables(container: etree._Element) -> list[etree._Element]:
    """The paragraphs directly in ``container`` that follow a table."""
    found = []
    for table in container.iterchildren(qn("w:tbl")):
        after = table.getnext()
        if after is not None and after.tag == qn("w:p"):
            found.append(after)
    return found


def is_paragraph(node: etree._Element) -> bool:
    return node.tag == qn("w:p")


def has_runs(paragraph: etree._Element) -> bool:
    return bool(paragraph.xpath("./w:r"))


def paragraphs_in(node: etree._Element) -> list[etree._Element]:
    """Every ``w:p`` inside ``node``, at any depth, in document order."""
    return list(node.iter(qn("w:p")))


def text_of(node: etree._Element) -> str:
    """The text of the ``w:t`` elements inside ``node``."""
    return "".join(t.text or "" for t in node.iter(qn("w:t")))


def style_of(paragraph: etree._Element) -> str:
    """A paragraph's style id, or '' when it has none."""
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else style.get(qn("w:val"), "")


def copy_element(node: etree._Element) -> etree._Element:
    """A detached copy of ``node`` (through its text, so no proxy class
    or parent comes along)."""
    return etree.fromstring(etree.tostring(node))


# --------------------------------------------------------------------------
# python-docx's element classes, which lxml's types do not know


_E = TypeVar("_E", bound=etree._Element)


def element_as(cls: type[_E], node: etree._Element) -> _E:
    """``node`` as the python-docx element class ``cls``, which its parser
    makes of every element of that tag (lxml types each as ``_Element``)."""
    if not isinstance(node, cls):
        raise RenderError(f"the Word writer expected a {cls.__name__}, not {_name(node)!r}")
    return node


def part_root(root: etree._Element) -> BaseOxmlElement:
    """``root`` as an ``XmlPart`` keeps it: python-docx types a part's root
    as one of its element classes, which w:footnotes has none of, yet only
    serialises it (and reads its r:ids when a relationship is dropped,
    which the writer never does)."""
    return cast(BaseOxmlElement, root)  # a plain lxml element; see above


# --------------------------------------------------------------------------
# python-docx's proxies: the elements behind them. python-docx has no public
# name for these, so the writer reaches them only through these helpers.


#: python-docx's table cell, which it names privately (``_Cell``)
Cell = _Cell


def is_cell(container: object) -> TypeGuard[_Cell]:
    """True for a table cell, False for the document body."""
    return isinstance(container, _Cell)


def p_element(paragraph: Paragraph) -> CT_P:
    """The ``w:p`` behind a python-docx paragraph."""
    return paragraph._p


def tbl_element(table: Table) -> CT_Tbl:
    """The ``w:tbl`` behind a python-docx table."""
    return table._tbl


def tr_element(row: _Row) -> CT_Row:
    """The ``w:tr`` behind a python-docx table row."""
    return row._tr


def tc_element(cell: _Cell) -> CT_Tc:
    """The ``w:tc`` behind a python-docx table cell."""
    return cell._tc


def grid_cells(table: Table) -> list[_Cell]:
    """Every cell of ``table``'s grid, row by row (a merged cell at each of
    its places), as ``table.cell(row, column)`` finds them: that call
    builds this whole list each time, so a writer takes it once."""
    return table._cells


def body_of(docx: DocxDocument) -> BlockItemContainer:
    """The document body as a container (``add_paragraph``/``add_table`` with
    a width, as a cell has), which ``Document`` keeps to itself."""
    return docx._body


def element_of(container: BlockItemContainer) -> etree._Element:
    """The ``w:body`` or ``w:tc`` behind a body or cell."""
    return container._element


def parent_of(table: Table) -> object:
    """The body or cell a table was added to."""
    return table._parent


def inline_of(shape: InlineShape) -> CT_Inline:
    """The ``wp:inline`` drawing behind a picture, which holds its alt text."""
    return shape._inline


def set_paragraph_style(paragraph: etree._Element, style_id: str | None) -> None:
    """Name a paragraph's style by id (None: the default paragraph style),
    as python-docx's ``Paragraph.style`` writes it once it has the id."""
    if paragraph.find(_PPR) is not None:  # properties to keep in schema order
        element_as(CT_P, paragraph).style = style_id
        return
    # a new paragraph: the w:pPr python-docx would add first, holding the
    # style only (its setter finds each child by the schema's sequence)
    ppr = oxml_parser.makeelement(_PPR, nsmap=_W_NS)
    if style_id is not None:
        etree.SubElement(ppr, _PSTYLE, {_VAL: style_id})
    paragraph.insert(0, ppr)


def set_table_style(table: CT_Tbl, style_id: str | None) -> None:
    """Name a table's style by id, as python-docx's ``Table.style`` writes it."""
    table.tblStyle_val = style_id


def replace_part_xml(part: Part, root: etree._Element) -> None:
    """Make ``root`` the XML a package part is saved with: an ``XmlPart``
    serialises its element, a part read as plain bytes (a reference
    document's, say) its blob."""
    if isinstance(part, XmlPart):
        part._element = part_root(root)
    else:
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


class _Members:
    """Collects what python-docx's package writer stores, by zip member name
    (the interface of its zip writer, ``_ZipPkgWriter.write``)."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def write(self, pack_uri: PackURI, blob: bytes) -> None:
        self.blobs[pack_uri.membername] = blob


def package_members(docx: DocxDocument) -> dict[str, bytes]:
    """Every member of the .docx package and its bytes, as python-docx's
    ``OpcPackage.save`` writes them, without the zip it writes them to: the
    writer zips them once itself, with fixed times and order, where it had to
    read python-docx's zip back (inflating every part) and deflate it again."""
    package = docx.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    # the package writer calls only write() on what it writes to
    members = _Members()
    phys = cast(PhysPkgWriter, members)
    PackageWriter._write_content_types_stream(phys, parts)
    PackageWriter._write_pkg_rels(phys, package.rels)
    PackageWriter._write_parts(phys, parts)
    return members.blobs
