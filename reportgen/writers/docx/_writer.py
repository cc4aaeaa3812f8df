"""The Word writer: a ``Document`` as an editable, styled .docx.

Everything visible is carried by named styles (Title, Heading 1-3, List
Bullet, Caption, Quote, "Brief Table", ...), so an editor who restyles the
brief in Word changes every instance at once. The contents list is a real TOC
field whose cached entries are already filled in and link to bookmarks on the
headings; notes are real footnotes; page numbers are PAGE/NUMPAGES fields.

Raw WordprocessingML lives in ``_oxml``; this module decides what goes where.
Output is byte-reproducible: dates come from ``meta.timestamp`` and the zip
is rewritten with fixed entry times and order.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ... import model as m
from ...errors import RenderError, ReportgenError
from ...fonts.catalog import CHINESE_BODY, CHINESE_DIGEST
from ...layout import (
    breaks,
    columns,
    emphasis,
    grid,
    heading_inlines,
    headings,
    lay_out,
    links,
    notes,
    spans,
)
from ...layout.script import display_width, visible
from ...page import DASH, fact_rows, logo_size, paper, title_facts
from .. import WriterOptions
from . import _oxml as ox

# --------------------------------------------------------------------------
# Look: fonts, colours, styles

LATIN_BODY = "Arial"  # metric twin of Liberation Sans, so LibreOffice lays it out alike
LATIN_HEAD = "Arial"
LATIN_MONO = "Courier New"
EAST_ASIA_BODY = "SimSun"
EAST_ASIA_HEAD = "Microsoft YaHei"
#: role -> family Word names when no font search is done (the defaults
#: above); ``word_fonts`` replaces them with the families the PDF embeds
WORD_FONTS = {
    "body": LATIN_BODY,
    "headings": LATIN_HEAD,
    "mono": LATIN_MONO,
    "cjk_body": EAST_ASIA_BODY,
    "cjk_headings": EAST_ASIA_HEAD,
    "cjk_second": EAST_ASIA_HEAD,
}
#: styles whose East Asian face is not the body's or the headings': GB/T
#: 9704 sets （一） headings in Kai and 1. headings in the body face
EAST_ASIA_ROLE = {"Heading 2": "cjk_second", "Heading 3": "cjk_body"}


def word_fonts(options: WriterOptions) -> dict[str, str]:
    """Role -> the family the .docx names: the one the PDF embeds for that
    role, by its Windows name (Liberation Serif -> Times New Roman,
    AR PL SungtiL GB -> SimSun, WenQuanYi Zen Hei -> SimHei, ...)."""
    from ... import fonts

    roles = fonts.resolve(options.fonts, options.cjk_font)
    found = {role: font.word for role, font in roles.used() if role != "symbols"}
    return {role: found.get(role, name) for role, name in WORD_FONTS.items()}


SAFE_SCHEMES = links.SAFE_SCHEMES  # the layout's link policy


@dataclass(frozen=True)
class Palette:
    primary: str
    accent: str = "C8102E"
    text: str = "1E2329"
    light: str = "DCE3EC"  # the subtitle on the title band, as in the PDF
    muted: str = "5B6573"
    rule: str = "C5CCD6"
    white: str = "FFFFFF"

    @property
    def tint(self) -> str:
        """The primary colour washed out to 10% for shaded boxes."""
        return _mix(self.primary, "FFFFFF", 0.90)

    @property
    def band(self) -> str:
        return _mix(self.primary, "FFFFFF", 0.95)


def _mix(colour: str, other: str, share: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (0, 2, 4)]
    b = [int(other[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(x * (1 - share) + y * share):02X}" for x, y in zip(a, b, strict=True))


def _hex(value: str, what: str) -> str:
    text = value.strip().lstrip("#")
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", text):
        raise RenderError(f"brand colour {what}={value!r} is not a #RRGGBB colour")
    return text.upper()


@dataclass(frozen=True)
class Look:
    """One style's appearance; None leaves a property to the base style."""

    base: str | None = "Normal"
    kind: WD_STYLE_TYPE = WD_STYLE_TYPE.PARAGRAPH
    head: bool = False
    mono: bool = False
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None  # a Palette field name
    before: float | None = None
    after: float | None = None
    line: float | None = None
    keep_next: bool = False
    align: WD_ALIGN_PARAGRAPH | None = None
    left_cm: float | None = None
    outline: int | None = None
    next: str | None = None


P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE

# Styles Word has built in. They are named as Word names them in styles.xml
# (lower-case "toc 1", "footnote text") and carry Word's style ids, so Word
# treats them as its own (the TOC field refills with "toc 1"), and a
# reference document's versions are found rather than duplicated.
BUILTIN_IDS = {
    "toc 1": "TOC1",
    "toc 2": "TOC2",
    "toc 3": "TOC3",
    "footnote text": "FootnoteText",
    "footnote reference": "FootnoteReference",
}
BUILTIN = {
    *BUILTIN_IDS,
    "Normal",
    "Body Text",
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "TOC Heading",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
    "List Continue",
    "List Continue 2",
    "List Continue 3",
    "Caption",
    "Quote",
    "Header",
    "Footer",
    "Hyperlink",
    "Strong",
    "Emphasis",
}
BODY = "Body Text"

STYLES: dict[str, Look] = {
    # 11.5 pt on page.MEASURE_MM: about 74 characters a full line, as in the PDF
    "Normal": Look(base=None, size=11.5, colour="text", before=0, after=0, line=1.2),
    BODY: Look(after=8),
    # the title block sits on the brand-coloured band (the PDF's band_title)
    "Title": Look(
        head=True, size=24, bold=True, colour="white", after=6, line=1.05, next="Subtitle"
    ),
    "Subtitle": Look(head=True, size=14, colour="light", after=0, line=1.1),
    "Title Facts Label": Look(head=True, size=7.5, bold=True, colour="accent", after=1),
    "Title Facts Value": Look(head=True, size=10, colour="text", line=1.1),
    "Heading 1": Look(
        head=True,
        size=15,
        bold=True,
        colour="primary",
        before=20,
        after=6,
        keep_next=True,
        outline=0,
        next=BODY,
        line=1.1,
    ),
    "Heading 2": Look(
        head=True,
        size=12.5,
        bold=True,
        colour="primary",
        before=14,
        after=4,
        keep_next=True,
        outline=1,
        next=BODY,
        line=1.1,
    ),
    "Heading 3": Look(
        head=True,
        size=11,
        bold=True,
        colour="text",
        before=10,
        after=3,
        keep_next=True,
        outline=2,
        next=BODY,
        line=1.1,
    ),
    "TOC Heading": Look(
        head=True,
        size=12,
        bold=True,
        colour="primary",
        before=6,
        after=8,
        keep_next=True,
        next=BODY,
        outline=9,
    ),
    # the contents in the heading face, as in the PDF (toc1, toc2)
    "toc 1": Look(head=True, size=10, bold=True, before=5, after=2),
    "toc 2": Look(head=True, size=9.5, left_cm=0.5, after=2, colour="muted"),
    "toc 3": Look(head=True, size=9.5, left_cm=1.0, after=2, colour="muted"),
    "List Bullet": Look(base=BODY, after=4),
    "List Bullet 2": Look(base=BODY, after=3),
    "List Bullet 3": Look(base=BODY, after=3),
    "List Number": Look(base=BODY, after=4),
    "List Number 2": Look(base=BODY, after=3),
    "List Number 3": Look(base=BODY, after=3),
    "List Continue": Look(base=BODY, after=4, left_cm=0.63),
    "List Continue 2": Look(base=BODY, after=3, left_cm=1.26),
    "List Continue 3": Look(base=BODY, after=3, left_cm=1.89),
    "Caption": Look(size=9, bold=True, colour="primary", before=4, after=2, keep_next=True),
    "Source": Look(size=8.5, colour="muted", after=12),
    "Figure": Look(align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=4, keep_next=True, line=1.0),
    "Quote": Look(
        base=BODY, size=11, italic=True, colour="primary", before=6, after=10, left_cm=0.6
    ),
    "footnote text": Look(size=8.5, after=2, line=1.05),
    "Header": Look(head=True, size=8.5, colour="muted", align=WD_ALIGN_PARAGRAPH.RIGHT),
    "Footer": Look(head=True, size=8.5, colour="muted", align=WD_ALIGN_PARAGRAPH.RIGHT),
    "Brief Meta": Look(head=True, size=9.5, colour="muted", after=3),
    "Table Text": Look(size=9.5, line=1.1, before=1, after=1),
    "Table Heading": Look(base="Table Text", bold=True, colour="white"),
    "Key Figures Title": Look(
        head=True, size=9, bold=True, colour="primary", before=10, after=4, keep_next=True
    ),
    "Key Figure": Look(head=True, size=20, bold=True, colour="primary", line=1.0, after=2),
    "Key Figure Label": Look(head=True, size=8.5, colour="muted", line=1.1),
    "Callout Title": Look(
        head=True, size=10.5, bold=True, colour="primary", after=4, keep_next=True
    ),
    "Callout Text": Look(base=BODY, after=4),
    "Thematic Break": Look(before=4, after=14, line=1.0, size=4),
    "Logo": Look(after=14),
    "Spacer": Look(size=6, line=1.0),
    "Hyperlink": Look(base=None, kind=C, colour="primary"),
    "Strong": Look(base=None, kind=C, bold=True),
    "Emphasis": Look(base=None, kind=C, italic=True),
    "Verbatim Char": Look(base=None, kind=C, mono=True, size=9.5),
    "footnote reference": Look(base=None, kind=C),
    "Meta Label": Look(base=None, kind=C, bold=True, colour="text"),
    "Brief Table": Look(base="Normal Table", kind=T),
    "Key Figures Table": Look(base="Normal Table", kind=T),
    "Callout Box": Look(base="Normal Table", kind=T),
    "Key Messages Box": Look(base="Normal Table", kind=T),
    "Title Band": Look(base="Normal Table", kind=T),
    "Title Facts": Look(base="Normal Table", kind=T),
}

# List styles by kind and depth; deeper lists reuse the third level.
LIST_STYLES = {
    "bullet": ("List Bullet", "List Bullet 2", "List Bullet 3"),
    "number": ("List Number", "List Number 2", "List Number 3"),
    "continue": ("List Continue", "List Continue 2", "List Continue 3"),
}
BULLET_LEVELS = (
    ("bullet", "•", LATIN_BODY),
    ("bullet", "–", LATIN_BODY),
    ("bullet", "▪", LATIN_BODY),
)
NUMBER_LEVELS = (
    ("decimal", "%1.", None),
    ("lowerLetter", "%2.", None),
    ("lowerRoman", "%3.", None),
)


class StyleBook:
    """Creates, looks up and (for the built-in look) restyles the styles."""

    def __init__(
        self,
        docx: DocxDocument,
        meta: m.Metadata,
        restyle: bool,
        words: dict[str, str] | None = None,
    ) -> None:
        self.docx = docx
        self.words = words or WORD_FONTS  # role -> family name
        digest = meta.layout == "digest"
        chinese = CHINESE_DIGEST if digest else CHINESE_BODY
        self.chinese = chinese if meta.lang.lower().startswith("zh") else None
        self.restyle = restyle  # False with a reference .docx: its styles win
        self.palette = Palette(
            primary=_hex(meta.colour("primary", "#1F3A5F"), "primary"),
            accent=_hex(meta.colour("accent", "#C8102E"), "accent"),
        )
        self.lang, self.east_asia_lang = _run_langs(meta.lang)
        self._by_name: dict[str, BaseStyle] | None = None
        self._para_ids: dict[str, str | None] = {}
        self.created: set[str] = set()

    def get(self, name: str) -> BaseStyle:
        """A style by name, case-insensitively as Word matches them: reference
        documents spell built-ins "heading 1" or "Heading 1"."""
        if self._by_name is None:
            self._by_name = {s.name.lower(): s for s in self.docx.styles if s.name}
        try:
            return self._by_name[name.lower()]
        except KeyError:
            raise RenderError(f"the Word document has no style {name!r}") from None

    def has(self, name: str) -> bool:
        try:
            self.get(name)
        except RenderError:
            return False
        return True

    def id(self, name: str) -> str:
        return self.get(name).style_id

    def paragraph(self, container: Container, name: str) -> DocxParagraph:
        """``container.add_paragraph(style=...)`` with the style id looked up
        once per style: python-docx finds it by scanning every style for the
        default one on each call, a third of a small brief's Word time."""
        if name not in self._para_ids:
            self._para_ids[name] = self.docx.part.get_style_id(self.get(name), P)
        p = container.add_paragraph()
        p._p.style = self._para_ids[name]
        return p

    def setup(self) -> None:
        if self.restyle:
            self._defaults()
        for name, look in STYLES.items():
            self._ensure(name, look)
        self._table_styles()
        self._extras()
        if self.ours("Normal") and self.chinese:
            self._chinese_body()

    def _chinese_body(self) -> None:
        """The Chinese body size and pitch, as in the PDF (fonts.catalog):
        at least, not exactly, so a picture in a paragraph is not cut."""
        size, pitch = self.chinese
        fmt = self.get("Normal").paragraph_format
        self.get("Normal").font.size = Pt(size)
        fmt.line_spacing = Pt(pitch)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        for level in (1, 2, 3):  # the hierarchy the PDF draws (layout.headings)
            look = headings.chinese(level)
            font = self.get(f"Heading {level}").font
            font.size, font.bold = Pt(size + look.step), look.bold

    def _defaults(self) -> None:
        rpr, ppr = ox.doc_defaults(self.docx.styles.element)
        ox.set_fonts(rpr, self.words["body"], self.words["cjk_body"])
        ox.set_rpr(rpr, ox.el("w:sz", {"w:val": "23"}))
        ox.set_lang(rpr, self.lang, self.east_asia_lang)
        ox.set_ppr(ppr, ox.el("w:spacing", {"w:after": "0", "w:line": "288", "w:lineRule": "auto"}))

    def _ensure(self, name: str, look: Look) -> None:
        exists = self.has(name)
        if exists and not self.restyle:
            return
        style = self.get(name) if exists else self._add(name, look.kind)
        if exists:
            _strip_formatting(style)
        style.hidden = False
        style.unhide_when_used = False
        if look.kind == P:
            style.quick_style = True
        self._apply(style, look)

    def _add(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        style = self.docx.styles.add_style(name, kind, builtin=name in BUILTIN)
        if name in BUILTIN_IDS:
            style.style_id = BUILTIN_IDS[name]
        if self._by_name is not None:  # add it rather than rebuild the index of all
            self._by_name[style.name.lower()] = style
        self._para_ids.clear()
        self.created.add(name)
        return style

    def _apply(self, style: BaseStyle, look: Look) -> None:
        if look.base and self.has(look.base):
            style.base_style = self.get(look.base)
        if look.kind == T:
            return
        self._apply_font(style, look)
        if look.kind == P:
            self._apply_paragraph(style, look)

    def _apply_font(self, style: BaseStyle, look: Look) -> None:
        font = style.font
        if look.head or look.mono or (look.base is None and look.kind == P):
            latin = self.words["mono" if look.mono else "headings" if look.head else "body"]
            east_role = "cjk_headings" if look.head else "cjk_body"
            east = self.words[EAST_ASIA_ROLE.get(style.name, east_role)]
            ox.set_fonts(style.element.get_or_add_rPr(), latin, east)
        if look.size is not None:
            font.size = Pt(look.size)
        font.bold = look.bold
        font.italic = look.italic
        if look.colour:
            font.color.rgb = RGBColor.from_string(getattr(self.palette, look.colour))

    def _apply_paragraph(self, style: BaseStyle, look: Look) -> None:
        fmt = style.paragraph_format
        if look.before is not None:
            fmt.space_before = Pt(look.before)
        if look.after is not None:
            fmt.space_after = Pt(look.after)
        if look.line is not None:
            fmt.line_spacing = look.line
        if look.keep_next:
            fmt.keep_with_next = True
            fmt.keep_together = True
        if look.align is not None:
            fmt.alignment = look.align
        if look.left_cm is not None:
            fmt.left_indent = Cm(look.left_cm)
        if look.next:
            style.next_paragraph_style = self.get(look.next)
        if look.outline is not None:  # what the TOC field collects; 9 = body text
            ox.outline_level(style.element.get_or_add_pPr(), look.outline)

    def _extras(self) -> None:
        """Borders, tabs and the like that python-docx has no API for, on
        the styles that are ours to shape."""
        pal, width = self.palette, self.text_width_twips()
        extras: dict[str, Callable[[BaseStyle], None]] = {
            "Quote": lambda st: ox.paragraph_borders(
                _ppr(st), ox.border("left", pal.primary, 18, 10)
            ),
            "Brief Meta": lambda st: ox.paragraph_borders(
                _ppr(st), ox.border("bottom", pal.primary, 12, 8)
            ),
            "Header": lambda st: ox.paragraph_borders(
                _ppr(st), ox.border("bottom", pal.rule, 4, 4)
            ),
            "Thematic Break": lambda st: ox.paragraph_borders(
                _ppr(st), ox.border("bottom", pal.rule, 6, 1)
            ),
            "footnote reference": lambda st: ox.set_rpr(
                st.element.get_or_add_rPr(), ox.el("w:vertAlign", {"w:val": "superscript"})
            ),
            "Hyperlink": lambda st: ox.set_rpr(
                st.element.get_or_add_rPr(), ox.el("w:u", {"w:val": "single"})
            ),
        }
        for name in ("toc 1", "toc 2", "toc 3"):
            extras[name] = lambda st: ox.right_tab(_ppr(st), width)
        for name, extra in extras.items():
            if self.ours(name):
                extra(self.get(name))

    def ours(self, name: str) -> bool:
        """True for styles this writer defines: all of them with the built-in
        look, only the ones it had to add to a reference document."""
        return self.restyle or name in self.created

    def text_width_twips(self) -> int:
        section = self.docx.sections[0]
        return int((section.page_width - section.left_margin - section.right_margin) / 635)

    def _table_styles(self) -> None:
        makers = {
            "Brief Table": _brief_table,
            "Key Figures Table": _key_figures_table,
            "Callout Box": _callout_box,
            "Key Messages Box": _key_messages_box,
            "Title Band": _title_band,
            "Title Facts": _title_facts_table,
        }
        for name, make in makers.items():
            if self.ours(name):
                make(self.get(name).element, self.palette)


def _ppr(style: BaseStyle) -> etree._Element:
    return style.element.get_or_add_pPr()


def _strip_formatting(style: BaseStyle) -> None:
    """Forget the template's look (theme fonts, old colours) before ours."""
    for tag in ("w:pPr", "w:rPr"):
        for node in style.element.findall(qn(tag)):
            style.element.remove(node)


def _word_lang(lang: str) -> str:
    """Word wants a region for Chinese to pick the script: zh -> zh-CN."""
    tag = (lang or "en").replace("_", "-")
    if tag.lower() in ("zh", "zh-hans"):
        return "zh-CN"
    if tag.lower() == "zh-hant":
        return "zh-TW"
    return tag


def _run_langs(lang: str) -> tuple[str, str]:
    """(w:val, w:eastAsia) for the document's default run language.

    w:val tags Latin-script text and w:eastAsia tags CJK text. For a Chinese
    brief the CJK tag is the brief's language, but Latin runs in it (names,
    English terms) stay en-US, as in Word's own Chinese templates: tagging them
    zh-CN makes LibreOffice break Latin words anywhere, mid-word."""
    tag = _word_lang(lang)
    if tag[:2].lower() in ("zh", "ja", "ko"):
        return "en-US", tag
    return tag, "zh-CN"


def _brief_table(style: etree._Element, pal: Palette) -> None:
    """Rules above and below, hairlines between rows, a filled header row,
    faint banding; no vertical lines."""
    tblpr, tcpr = ox.table_style_parts(style)
    ox.set_tblpr(tblpr, ox.el("w:tblStyleRowBandSize", {"w:val": "1"}))
    ox.set_tblpr(
        tblpr,
        ox.table_borders(
            top=ox.border("top", pal.primary, 8),
            bottom=ox.border("bottom", pal.primary, 8),
            insideH=ox.border("insideH", pal.rule, 4),
            left=None,
            right=None,
            insideV=None,
        ),
    )
    ox.set_tblpr(tblpr, ox.cell_margins(40, 100, 40, 100))
    tcpr.append(ox.el("w:vAlign", {"w:val": "top"}))
    ox.conditional(
        style,
        "firstRow",
        rpr=[ox.el("w:b"), ox.el("w:color", {"w:val": pal.white})],
        tcpr=[ox.shading(pal.primary), ox.el("w:vAlign", {"w:val": "bottom"})],
    )
    ox.conditional(style, "band2Horz", tcpr=[ox.shading(pal.band)])


#: left + right cell margins of the key-figure cards, in twips
_KEY_FIGURE_MARGINS = 320


def _key_figures_table(style: etree._Element, pal: Palette) -> None:
    """Shaded tiles separated by white gutters (thick white inner borders)."""
    tblpr, tcpr = ox.table_style_parts(style)
    ox.set_tblpr(
        tblpr,
        ox.table_borders(
            top=None,
            bottom=None,
            left=None,
            right=None,
            insideH=ox.border("insideH", pal.white, 36),
            insideV=ox.border("insideV", pal.white, 48),
        ),
    )
    half = _KEY_FIGURE_MARGINS // 2
    ox.set_tblpr(tblpr, ox.cell_margins(140, half, 140, half))
    tcpr.append(ox.shading(pal.tint))


def _callout_box(style: etree._Element, pal: Palette) -> None:
    """A tinted box with a strong bar on the left."""
    tblpr, tcpr = ox.table_style_parts(style)
    ox.set_tblpr(
        tblpr,
        ox.table_borders(
            left=ox.border("left", pal.primary, 24),
            top=None,
            bottom=None,
            right=None,
            insideH=None,
            insideV=None,
        ),
    )
    ox.set_tblpr(tblpr, ox.cell_margins(140, 200, 100, 200))
    tcpr.append(ox.shading(pal.tint))


def _key_messages_box(style: etree._Element, pal: Palette) -> None:
    """Page one's key messages, as in the PDF: a tinted box ruled all round
    in the brand colour, with a heavy top rule."""
    tblpr, tcpr = ox.table_style_parts(style)
    ox.set_tblpr(
        tblpr,
        ox.table_borders(
            top=ox.border("top", pal.primary, 24),
            left=ox.border("left", pal.primary, 6),
            bottom=ox.border("bottom", pal.primary, 6),
            right=ox.border("right", pal.primary, 6),
            insideH=None,
            insideV=None,
        ),
    )
    ox.set_tblpr(tblpr, ox.cell_margins(160, 280, 120, 280))
    tcpr.append(ox.shading(pal.tint))


def _title_band(style: etree._Element, pal: Palette) -> None:
    """The band behind the title: the brand colour with an accent rule under it."""
    tblpr, tcpr = ox.table_style_parts(style)
    ox.set_tblpr(
        tblpr,
        ox.table_borders(
            bottom=ox.border("bottom", pal.accent, 32),
            top=None,
            left=None,
            right=None,
            insideH=None,
            insideV=None,
        ),
    )
    tcpr.append(ox.shading(pal.primary))


def _title_facts_table(style: etree._Element, pal: Palette) -> None:
    """The facts row under the band: no lines but a hairline below."""
    tblpr, _ = ox.table_style_parts(style)
    ox.set_tblpr(
        tblpr,
        ox.table_borders(
            bottom=ox.border("bottom", pal.rule, 6),
            top=None,
            left=None,
            right=None,
            insideH=None,
            insideV=None,
        ),
    )
    ox.set_tblpr(tblpr, ox.cell_margins(20, 0, 60, 160))


# --------------------------------------------------------------------------
# Inline content


@dataclass(frozen=True)
class Fmt:
    """The character formatting in force while walking inline nodes."""

    strong: bool = False
    emph: bool = False
    code: bool = False
    link: bool = False
    in_note: bool = False
    heading: bool = False  # Word sets a heading's line whole: no joiners


def _bookmark_names(doc: m.Document) -> dict[str, str]:
    """Heading anchor -> a Word-safe bookmark name: a letter first, at most 40
    characters of [A-Za-z0-9_], unique."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for index, heading in enumerate(doc.headings(), start=1):
        base = re.sub(r"[^A-Za-z0-9_]+", "_", heading.anchor).strip("_")
        if not base or not base[0].isalpha():
            base = f"h{index}_{base}".rstrip("_")
        base, name, n = base[:40], base[:40], 1
        while name in used:
            n += 1
            suffix = f"_{n}"
            name = base[: 40 - len(suffix)] + suffix
        used.add(name)
        names.setdefault(heading.anchor, name)
    return names


def _safe_href(href: str) -> bool:
    return links.is_safe_url(href)


def _logo_mm(data: bytes) -> tuple[float, float]:
    """The logo's size in mm, fitted into the same box as in the PDF."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # the header only
            return logo_size(*image.size)
    except (UnidentifiedImageError, OSError) as exc:
        raise RenderError(f"the logo is not an image Word can show: {exc}") from exc


def _toc_inlines(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """Heading inlines for a contents entry: note marks left out, links
    unwrapped (the entry is a link already), line breaks as spaces."""
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.NoteRef):
            continue
        if isinstance(node, m.LineBreak):
            out.append(m.Text(" "))
        elif isinstance(node, m.Link):
            out.extend(_toc_inlines(node.children))
        elif isinstance(node, (m.Strong, m.Emphasis)):
            out.append(replace(node, children=_toc_inlines(node.children)))
        else:
            out.append(node)
    return tuple(out)


# --------------------------------------------------------------------------
# The writer


@dataclass(frozen=True)
class Ctx:
    """Where blocks are going: the paragraph style for plain paragraphs and
    how deep in lists we are."""

    para_style: str = BODY
    depth: int = 0


Container = object  # python-docx _Body or _Cell: anything with add_paragraph/add_table


class DocxWriter:
    def __init__(self, doc: m.Document, options: WriterOptions) -> None:
        self.doc = doc
        self.meta = doc.meta
        self.options = options
        self.docx = _base_document(options.reference_docx)
        self.styles = StyleBook(
            self.docx, self.meta, options.reference_docx is None, word_fonts(options)
        )
        self.bookmarks = _bookmark_names(doc)
        self.bookmark_id = 0
        self.footnotes: etree._Element | None = None
        self.footnote_part: Part | None = None
        self.note_marks: dict[int, tuple[int, str]] = {}  # note number -> (id, bookmark)
        self.list_numbering = ListNumbering(self.docx, self.styles)
        self.break_before = False
        self.toc_pages: dict[str, etree._Element] = {}
        self.blocks: dict[str, Callable[[Container, object, Ctx], None]] = {
            "heading": self.heading,
            "paragraph": self.paragraph,
            "bullet_list": self.bullet_list,
            "ordered_list": self.ordered_list,
            "table": self.table,
            "key_figures": self.key_figures,
            "callout": self.callout,
            "block_quote": self.block_quote,
            "chart": self.chart,
            "thematic_break": self.thematic_break,
        }

    # -- the whole document ------------------------------------------------

    def build(self) -> bytes:
        _page_setup(self.docx, self.meta, keep=self.options.reference_docx is not None)
        self.styles.setup()
        self.list_numbering.setup()
        body = self.docx._body
        self.title_block(body)
        digest = self.meta.layout == "digest"  # one compact page: no contents, no turn
        if self.meta.contents and not digest:
            self.contents(body)
        # page one carries the opening of the brief unless the profile asks for a cover
        self.break_before = self.meta.cover and not digest
        pages = PageEstimate(self.docx, first_page=2 if self.break_before else 1)
        for block in self.doc.blocks:
            pages.place(block)
            self.block(body, block, Ctx())
        for anchor, cached in self.toc_pages.items():
            cached.text = str(pages.heading_page.get(anchor, ""))
        self.unreferenced_notes(body)
        _keep_the_end_together(self.docx.element.body)
        _keep_openings(self.docx.element.body, pages.chars)
        self.header_footer()
        self.finish_footnotes()
        _properties(self.docx, self.meta)
        return _save(self.docx)

    def block(self, container: Container, node: object, ctx: Ctx) -> None:
        handler = self.blocks.get(getattr(node, "kind", ""))
        if handler is None:
            kind = getattr(node, "kind", type(node).__name__)
            raise RenderError(f"the Word writer cannot write a {kind!r} block")
        handler(container, node, ctx)

    def para(self, container: Container, style: str) -> DocxParagraph:
        """A new paragraph; the first body paragraph starts a new page."""
        p = self.styles.paragraph(container, style)
        if self.break_before:
            p.paragraph_format.page_break_before = True
            self.break_before = False
        return p

    # -- title block, contents, header and footer -------------------------

    def title_block(self, body: Container) -> None:
        """Page one's head, as in the PDF: the title and subtitle on a band
        of the brand colour across the page, then the facts row (issuing
        body, number, date, contact) with the logo at the profile's side."""
        meta = self.meta
        # with a reference .docx its Title style may not read on our band
        place = self.band(body) if self.styles.restyle else body
        first = place.paragraphs[0] if isinstance(place, _Cell) else None
        title = first or self.styles.paragraph(place, "Title")
        title.style = self.styles.get("Title")
        # a heading: Word sets it whole, with no joiner (spans.for_word)
        title._p.append(ox.run(ox.clean_text(meta.title)))
        if meta.subtitle:
            sub = self.styles.paragraph(place, "Subtitle")
            sub._p.append(ox.run(ox.clean_text(meta.subtitle)))
        self.title_facts(body)

    def band(self, body: Container) -> _Cell:
        """A one-cell table in the brand colour, pulled out to both page
        edges; its cell margins put the text on the body's left edge."""
        section = self.docx.sections[0]
        page_w, left = int(section.page_width / 635), int(section.left_margin / 635)
        right = int(section.right_margin / 635)
        table = body.add_table(1, 1, Emu(page_w * 635))
        table.style = self.styles.get("Title Band")
        tblpr = table._tbl.tblPr
        # a cover page's band is tall, as the PDF's: the title low in it
        top = 1400 if self.meta.cover else 400
        ox.set_tblpr(tblpr, ox.cell_margins(top, left, 320, right))
        ox.bleed(tblpr, page_w)
        ox.fixed_layout(tblpr)
        if self.meta.cover:
            ox.row_height(table.rows[0]._tr, int(section.page_height / 635 * 0.28))
        table.columns[0].width = table.cell(0, 0).width = Emu(page_w * 635)
        return table.cell(0, 0)

    def title_facts(self, body: Container) -> None:
        """Labels over values in one or two tiers, sized by their text as in
        the PDF (``page.fact_rows``); the logo takes a column of the first."""
        fields = title_facts(self.meta)
        logo = self.options.logo
        if not fields and not logo:
            return
        size = _logo_mm(logo) if logo else (0.0, 0.0)
        logo_twips = round(size[0] * 56.7) + 240 if logo else 0  # the picture and a gutter
        total = self.styles.text_width_twips()
        rows = fact_rows(fields, total, size=200, first=total - logo_twips)
        for n, row in enumerate(rows or [[]]):
            self.facts_tier(body, row, logo if n == 0 else None, logo_twips)
        self.spacer(body)

    def facts_tier(
        self, body: Container, row: list[tuple[str, str, float]], logo: bytes | None, logo_w: int
    ) -> None:
        cols = len(row) + (1 if logo else 0)
        table = self.add_table(body, 2, cols, "Title Facts")
        offset = 1 if logo and self.meta.logo == "left" else 0
        for i, (label, value, _) in enumerate(row):
            head = _first_paragraph(table.cell(0, i + offset), self.styles.get("Title Facts Label"))
            head._p.append(ox.run(ox.clean_text(label).upper()))
            cell = _first_paragraph(table.cell(1, i + offset), self.styles.get("Title Facts Value"))
            cell._p.append(ox.run(ox.clean_text(value)))
        widths = [width for *_, width in row]
        if logo:
            at = 0 if offset else cols - 1
            self.logo(table.cell(0, at).merge(table.cell(1, at)), logo)
            widths.insert(at, logo_w)
        self.set_widths(table, widths)

    def meta_line(self, body: Container, label: str, value: str) -> None:
        p = self.styles.paragraph(body, "Brief Meta")
        if label:
            p._p.append(ox.run(f"{label}: ", self.styles.id("Meta Label")))
        p._p.append(ox.run(value))

    def logo(self, cell: _Cell, data: bytes) -> None:
        p = _first_paragraph(cell, self.styles.get("Logo"))
        left = self.meta.logo == "left"
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.RIGHT
        try:
            width, height = _logo_mm(data)  # the PDF's size: page.logo_size
            shape = p.add_run().add_picture(io.BytesIO(data), Mm(width), Mm(height))
        except Exception as exc:  # python-docx raises several kinds for bad images
            raise RenderError(f"the logo is not an image Word can show: {exc}") from exc
        alt = self.meta.author or self.meta.title
        ox.describe_picture(shape._inline, alt, alt)

    def contents(self, body: Container) -> None:
        """Every heading as a link to its bookmark, with its page number as a
        PAGEREF field. Not wrapped in a TOC field: LibreOffice shows a TOC
        field's cached text as it was written (an estimate, wrong whenever
        the estimate is), but computes a PAGEREF from its own layout, and
        Word refreshes the fields on opening (``updateFields``)."""
        headings = list(self.doc.headings())
        if not headings:
            return
        body.add_paragraph(
            ox.clean_text(self.meta.label("contents")) or None,
            style=self.styles.get("TOC Heading"),
        )
        for heading in headings:
            self.toc_entry(body, heading)
        ox.settings_update_fields(self.docx.settings.element)

    def toc_entry(self, body: Container, heading: m.Heading) -> DocxParagraph:
        level = min(max(heading.level, 1), 3)
        p = self.styles.paragraph(body, f"toc {level}")
        link = ox.internal_link(self.bookmarks[heading.anchor])
        # the heading's own emphasis kept (series titles stay italic), as in the PDF
        self.inlines(link, _toc_inlines(heading_inlines(heading)), Fmt())
        link.append(ox.tab_run())
        runs = ox.field(f"PAGEREF {self.bookmarks[heading.anchor]} \\h", "")
        self.toc_pages.setdefault(heading.anchor, runs[3])  # the cached number, set later
        for r in runs:
            link.append(r)
        p._p.append(link)
        return p

    def header_footer(self) -> None:
        section = self.docx.sections[0]
        section.different_first_page_header_footer = True
        header, footer = section.header, section.footer
        header.is_linked_to_previous = footer.is_linked_to_previous = False
        section.first_page_header.is_linked_to_previous = False
        section.first_page_footer.is_linked_to_previous = False
        hp = _only_paragraph(header, self.styles.get("Header"))
        hp._p.append(ox.run(self.meta.title))
        _only_paragraph(section.first_page_header, self.styles.get("Normal"))
        # page one has no running title (the band is there) but has its number
        for part in (footer, section.first_page_footer):
            fp = _only_paragraph(part, self.styles.get("Footer"))
            if self.meta.page_label == DASH:  # '— 1 —' sits in the middle
                fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for r in _page_of(self.meta.page_label):
                fp._p.append(r)

    # -- blocks ------------------------------------------------------------

    def heading(self, container: Container, node: m.Heading, ctx: Ctx) -> None:
        level = min(max(node.level, 1), 3)
        p = self.para(container, f"Heading {level}")
        self.inlines(p._p, heading_inlines(node), Fmt(heading=True))
        name = self.bookmarks.get(node.anchor)
        if name:
            ox.bookmark_around(p._p, self.next_bookmark_id(), name)

    def paragraph(self, container: Container, node: m.Paragraph, ctx: Ctx) -> None:
        p = self.para(container, ctx.para_style)
        self.inlines(p._p, node.children, Fmt())

    def bullet_list(self, container: Container, node: m.BulletList, ctx: Ctx) -> None:
        depth = min(ctx.depth, 2)
        style = LIST_STYLES["bullet"][depth]
        for item in node.items:
            self.list_item(container, item, ctx, style, None)

    def ordered_list(self, container: Container, node: m.OrderedList, ctx: Ctx) -> None:
        depth = min(ctx.depth, 2)
        style = LIST_STYLES["number"][depth]
        numbering = self.list_numbering.restart(style, node.start)
        for item in node.items:
            self.list_item(container, item, ctx, style, numbering)

    def list_item(
        self,
        container: Container,
        item: m.ListItem,
        ctx: Ctx,
        style: str,
        numbering: etree._Element | None,
    ) -> None:
        """The item's first paragraph carries the bullet or number; later
        paragraphs continue at its indent; nested lists go one level in."""
        inner = replace(
            ctx, depth=ctx.depth + 1, para_style=LIST_STYLES["continue"][min(ctx.depth, 2)]
        )
        for index, block in enumerate(item.blocks):
            if index == 0 and isinstance(block, m.Paragraph):
                p = self.para(container, style)
                if numbering is not None:
                    ox.set_ppr(p._p.get_or_add_pPr(), _copy(numbering))
                self.inlines(p._p, block.children, Fmt())
            else:
                self.block(container, block, inner)

    def table(self, container: Container, node: m.Table, ctx: Ctx) -> None:
        ncols = len(node.header)
        if ncols == 0:
            raise RenderError("a table has no columns")
        if node.caption:
            self.inlines(self.para(container, "Caption")._p, node.caption, Fmt())
        rows = [_fit_row(r, ncols) for r in node.rows]
        table = self.add_table(container, 1, ncols, "Brief Table")
        ox.caption(table._tbl.tblPr, m.plain_text(node.caption))
        ox.mark_header_row(table.rows[0]._tr)
        aligns = [_ALIGN.get(a, WD_ALIGN_PARAGRAPH.LEFT) for a in _fit_align(node.align, ncols)]
        for c, cell in enumerate(node.header):
            p = _first_paragraph(table.cell(0, c), self.styles.get("Table Heading"))
            if aligns[c] != WD_ALIGN_PARAGRAPH.LEFT:
                p.alignment = aligns[c]  # per column; no style per alignment
            self.inlines(p._p, cell.children, Fmt())
        shares = _column_shares(node.header, rows, self.table_width(table))
        widths = self.set_widths(table, shares)
        self.body_rows(table, rows, widths, aligns)
        self.spacer(container)

    def body_rows(
        self,
        table: DocxTable,
        rows: list[tuple[m.TableCell, ...]],
        widths: list[int],
        aligns: list[WD_ALIGN_PARAGRAPH],
    ) -> None:
        """The data rows, built as XML in bulk: python-docx's ``table.cell()``
        rebuilds the list of every cell on each call, so filling a table cell by
        cell is quadratic (minutes for 1,000 rows). One prototype row with the
        widths, style and alignments is copied per row, then filled."""
        style_id = self.docx.part.get_style_id(self.styles.get("Table Text"), P)
        jcs = [None if a == WD_ALIGN_PARAGRAPH.LEFT else _JC[a] for a in aligns]
        proto = ox.table_row(widths, style_id, jcs)
        tbl, p_tag = table._tbl, qn("w:p")
        kept = breaks.rows_kept_with_next(len(rows))  # the layout's page turns
        if rows:
            ox.keep_with_next(tbl.tr_lst[0])  # the header stays with a body row
        for index, cells in enumerate(rows):
            tr = copy.deepcopy(proto)
            for p, cell in zip(list(tr.iter(p_tag)), cells, strict=True):
                self.inlines(p, cell.children, Fmt())
            if index in kept:
                ox.keep_with_next(tr)
            tbl.append(tr)

    def add_table(self, container: Container, rows: int, cols: int, style: str) -> DocxTable:
        if self.break_before:  # a table cannot carry page-break-before
            self.para(container, "Normal")
        if isinstance(container, _Cell):
            table = container.add_table(rows, cols)
        else:
            table = container.add_table(rows, cols, Emu(self.styles.text_width_twips() * 635))
        table.style = self.styles.get(style)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        tblpr = table._tbl.tblPr
        ox.set_tblpr(
            tblpr,
            ox.table_look(first_row=style == "Brief Table", banded_rows=style == "Brief Table"),
        )
        ox.full_width(tblpr)
        ox.fixed_layout(tblpr)
        return table

    def table_width(self, table: DocxTable) -> int:
        """The width ``table`` spans in twips: the text width, or its box's."""
        container = table._parent
        if isinstance(container, _Cell) and container.width:  # inside a box: its width
            return int(container.width / 635) - 400
        return self.styles.text_width_twips()

    def set_widths(self, table: DocxTable, weights: list[float]) -> list[int]:
        """Column and cell widths in twips, in proportion to ``weights``;
        returns them."""
        total = self.table_width(table)
        widths = [int(total * w / sum(weights)) for w in weights]
        for i, column in enumerate(table.columns):
            column.width = Emu(widths[i] * 635)
            for cell in column.cells:
                cell.width = Emu(widths[i] * 635)
        return widths

    def key_figures(self, container: Container, node: m.KeyFigures, ctx: Ctx) -> None:
        if not node.items:
            return
        if node.title:
            self.inlines(self.para(container, "Key Figures Title")._p, node.title, Fmt())
        cols, nrows = grid.figure_grid(len(node.items))
        table = self.add_table(container, nrows, cols, "Key Figures Table")
        size = self.figure_value_size(table, node, cols)
        for i, figure in enumerate(node.items):
            cell = table.cell(i // cols, i % cols)
            value = _first_paragraph(cell, self.styles.get("Key Figure"))
            self.inlines(value._p, figure.value, Fmt())
            for run in value.runs if size else ():
                run.font.size = Pt(size)
            label = self.styles.paragraph(cell, "Key Figure Label")
            self.inlines(label._p, figure.label, Fmt())
        for row in table.rows:
            ox.cant_split(row._tr)
        self.set_widths(table, [1.0] * cols)
        self.spacer(container)

    def figure_value_size(self, table: DocxTable, node: m.KeyFigures, cols: int) -> float | None:
        """The layout's size for the values (``grid.value_size``) when it is
        below the style's: each value keeps to one line of its card."""
        largest = self.styles.get("Key Figure").font.size.pt
        # the card's text width: its share of the table less the style's cell margins
        width = self.table_width(table) / cols / 20 - (_KEY_FIGURE_MARGINS / 20)
        size = grid.value_size([m.plain_text(f.value) for f in node.items], width, largest)
        return size if size < largest else None

    def callout(self, container: Container, node: m.Callout, ctx: Ctx) -> None:
        box = "Key Messages Box" if node.style == "key-messages" else "Callout Box"
        table = self.add_table(container, 1, 1, box)
        cell = table.cell(0, 0)
        first = cell.paragraphs[0]
        if node.title:
            self.inlines(self.para(cell, "Callout Title")._p, node.title, Fmt())
        for block in node.blocks:
            self.block(cell, block, Ctx(para_style="Callout Text"))
        _drop_if_unused(cell, first)
        self.set_widths(table, [1.0])
        self.spacer(container)

    def block_quote(self, container: Container, node: m.BlockQuote, ctx: Ctx) -> None:
        for block in node.blocks:
            self.block(container, block, replace(ctx, para_style="Quote"))

    def thematic_break(self, container: Container, node: m.ThematicBreak, ctx: Ctx) -> None:
        self.para(container, "Thematic Break")

    def chart(self, container: Container, node: m.Chart, ctx: Ctx) -> None:
        try:
            from ... import charts  # drawn by the charts module for both writers
        except ImportError as exc:
            raise RenderError(f"charts cannot be drawn here: {exc}") from exc
        # the text width exactly (EMU, not whole twips), so the chart's layout
        # is the PDF writer's, laid out once for both
        section = self.docx.sections[0]
        width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700
        try:
            png = charts.to_png(
                node, width_pt, dpi=200, brand=dict(self.meta.brand), cjk_font=self.options.cjk_font
            )
        except ReportgenError:
            raise
        except Exception as exc:
            raise RenderError(f"chart {node.title!r} could not be drawn: {exc}") from exc
        p = self.para(container, "Figure")
        shape = p.add_run().add_picture(io.BytesIO(png), width=Pt(width_pt))
        ox.describe_picture(shape._inline, node.title, node.alt or node.title)
        # the picture draws its title; a caption repeating it reads twice (the
        # PDF prints a caption only when the chart has one)
        if node.caption:
            self.para(container, "Caption")._p.append(ox.run(node.caption))
        if node.source:
            self.para(container, "Source")._p.append(ox.run(node.source))

    def spacer(self, container: Container) -> None:
        """Room after a box; Word tables have no space-after of their own."""
        if not isinstance(container, _Cell):
            self.para(container, "Spacer")

    # -- inlines -----------------------------------------------------------

    def inlines(
        self,
        parent: etree._Element,
        nodes: tuple[m.Inline, ...],
        fmt: Fmt,
        part: Part | None = None,
    ) -> None:
        previous = None
        for node in nodes:
            if isinstance(node, m.NoteRef) and isinstance(previous, m.NoteRef):
                # ⁵,⁶ rather than ⁵⁶, which reads as note 56
                parent.append(ox.run(notes.SEPARATOR, self.styles.id("footnote reference")))
            self.inline(parent, node, fmt, part or self.docx.part)
            previous = node

    def inline(self, parent: etree._Element, node: m.Inline, fmt: Fmt, part: Part) -> None:
        kind = getattr(node, "kind", "")
        if kind == "text":
            parent.extend(self.text_runs(node.text, fmt))
        elif kind == "strong":
            self.inlines(parent, node.children, replace(fmt, strong=True), part)
        elif kind == "emphasis":
            self.inlines(parent, node.children, replace(fmt, emph=True), part)
        elif kind == "code":
            parent.extend(self.text_runs(node.text, replace(fmt, code=True)))
        elif kind == "link":
            self.link(parent, node, fmt, part)
        elif kind == "note_ref":
            self.note_ref(parent, node, fmt)
        elif kind == "line_break":
            parent.append(ox.break_run())
        else:
            raise RenderError(f"the Word writer cannot write a {kind or node!r} inline")

    def text_runs(self, text: str, fmt: Fmt) -> list[etree._Element]:
        """The runs for ``text``: the layout's joiners only where Word needs
        them (``spans.for_word``); emphasised CJK upright in Kai, the rest
        italic (``layout.emphasis``)."""
        text = spans.for_word(text, fmt.heading)
        if not fmt.emph or fmt.code:
            return [self.text_run(text, fmt)]
        kai = self.styles.words[emphasis.CJK_ROLE]
        runs = [(self.text_run(piece, fmt), cjk) for piece, cjk in emphasis.runs(text)]
        return [ox.upright_east_asian(r, kai) if cjk else r for r, cjk in runs]

    def text_run(self, text: str, fmt: Fmt) -> etree._Element:
        """A run in the one character style that fits; a second attribute
        (bold inside a link, say) has no style of its own and is direct."""
        flags = [
            ("link", "Hyperlink"),
            ("code", "Verbatim Char"),
            ("strong", "Strong"),
            ("emph", "Emphasis"),
        ]
        style = next((name for attr, name in flags if getattr(fmt, attr)), None)
        bold = fmt.strong and style != "Strong"
        italic = fmt.emph and style != "Emphasis"
        return ox.run(text, self.styles.id(style) if style else None, bold, italic)

    def link(self, parent: etree._Element, node: m.Link, fmt: Fmt, part: Part) -> None:
        href = node.href.strip()
        target = None
        if fmt.link:
            pass  # hyperlinks cannot nest in Word; the outer link wins
        elif href.startswith("#"):
            name = self.bookmarks.get(href[1:])
            target = ox.internal_link(name) if name else None
        elif _safe_href(href):
            target = ox.external_link(part.relate_to(href, RT.HYPERLINK, is_external=True))
        if target is None:  # unsafe or dangling: the words stay, the link goes
            self.inlines(parent, node.children, fmt, part)
            return
        self.inlines(target, node.children, replace(fmt, link=True), part)
        parent.append(target)

    # -- notes -------------------------------------------------------------

    def note_ref(self, parent: etree._Element, node: m.NoteRef, fmt: Fmt) -> None:
        """The first reference to a note makes a Word footnote; later ones are
        NOTEREF cross-references to it (formatted as a footnote mark), so
        each source appears once at the foot of the page and keeps one number."""
        ref_style = self.styles.id("footnote reference")
        if fmt.in_note:  # a note citing a note: just the number
            parent.append(ox.run(str(node.number), ref_style))
            return
        if not 1 <= node.number <= len(self.doc.notes):
            raise RenderError(
                f"note {node.number} is referenced but the document has {len(self.doc.notes)} notes"
            )
        if node.number in self.note_marks:
            note_id, mark = self.note_marks[node.number]
            for r in ox.field(f"NOTEREF {mark} \\f \\h", str(note_id), ref_style):
                parent.append(r)
            return
        note_id = len(self.note_marks) + 1
        mark = f"_RefNote{node.number}"
        self.note_marks[node.number] = (note_id, mark)
        self.add_footnote(note_id, self.doc.notes[node.number - 1])
        bid = self.next_bookmark_id()
        parent.append(ox.bookmark_start(bid, mark))
        parent.append(ox.footnote_reference(note_id, ref_style))
        parent.append(ox.bookmark_end(bid))

    def add_footnote(self, note_id: int, note: m.Note) -> None:
        if self.footnotes is None:
            self.footnotes, self.footnote_part = _footnotes_part(self.docx)
        note_el, para = ox.footnote(
            note_id, self.styles.id("footnote text"), self.styles.id("footnote reference")
        )
        self.inlines(para, note.children, Fmt(in_note=True), self.footnote_part)
        self.footnotes.append(note_el)

    def unreferenced_notes(self, body: Container) -> None:
        """Notes nothing points at cannot be footnotes; list them at the end
        so no source is lost."""
        rest = [n for i, n in enumerate(self.doc.notes, 1) if i not in self.note_marks]
        if not rest:
            return
        label = self.meta.label("notes")
        if label:
            self.para(body, "Heading 3")._p.append(ox.run(label))
        for note in rest:
            p = self.para(body, "footnote text")
            p._p.append(ox.run(f"{note.number}. "))
            self.inlines(p._p, note.children, Fmt(in_note=True))

    def finish_footnotes(self) -> None:
        if self.footnotes is None:
            return
        ox.settings_footnote_pr(self.docx.settings.element)
        if isinstance(self.footnote_part, XmlPart):
            self.footnote_part._element = self.footnotes
        else:  # a reference document's part loaded as plain bytes
            self.footnote_part._blob = etree.tostring(
                self.footnotes, xml_declaration=True, encoding="UTF-8", standalone=True
            )

    def next_bookmark_id(self) -> int:
        self.bookmark_id += 1
        return self.bookmark_id


# --------------------------------------------------------------------------
# Page numbers for the cached contents


class PageEstimate:
    """Where each heading will roughly fall, counted in body lines, so the
    cached contents shows plausible page numbers before Word recalculates
    them (LibreOffice never does). Deliberately simple: text length over
    characters per line, fixed allowances for boxes and charts."""

    LINE_PT = 14.5  # 10.5 pt Arial at 1.2 line spacing

    def __init__(self, docx: DocxDocument, first_page: int) -> None:
        section = docx.sections[0]
        width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700
        height_pt = (section.page_height - section.top_margin - section.bottom_margin) / 12700
        self.chars = max(20, int(width_pt / 5.4))
        self.per_page = max(10.0, height_pt / self.LINE_PT)
        self.first_page = first_page
        self.lines = 0.0
        self.heading_page: dict[str, int] = {}

    def place(self, block: object) -> None:
        page = self.first_page + int(self.lines // self.per_page)
        for node in m.walk(block):
            if isinstance(node, m.Heading):
                self.heading_page.setdefault(node.anchor, page)
        self.lines += self.lines_of(block, self.chars)

    def lines_of(self, block: object, chars: int) -> float:
        if isinstance(block, m.Heading):
            return 2.6 if block.level <= 1 else 2.0
        if isinstance(block, m.Paragraph):
            return _wrapped(m.plain_text(block.children), chars) + 0.6
        if isinstance(block, (m.BulletList, m.OrderedList)):
            inner = [b for item in block.items for b in item.blocks]
            return sum(self.lines_of(b, chars - 6) - 0.3 for b in inner)
        if isinstance(block, (m.Callout, m.BlockQuote)):
            return 2.0 + sum(self.lines_of(b, chars - 6) for b in block.blocks)
        if isinstance(block, m.Table):
            return 3.0 + sum(self.row_lines(row, chars) for row in (block.header, *block.rows))
        if isinstance(block, m.KeyFigures):
            return 3.0 + 5.0 * grid.figure_grid(len(block.items))[1]
        if isinstance(block, m.Chart):
            return 6.0 + 1.8 * len(block.points)
        return 1.5

    def row_lines(self, row: tuple[m.TableCell, ...], chars: int) -> float:
        share = max(8, chars // max(1, len(row)))
        return max((_wrapped(m.plain_text(c.children), share) for c in row), default=1) * 0.9


def _wrapped(text: str, chars: int) -> int:
    return max(1, math.ceil(_display_width(text) / max(chars, 8)))


# --------------------------------------------------------------------------
# Lists


class ListNumbering:
    """Numbering definitions behind the list styles, and one new list
    instance per ordered list so each restarts at its own ``start``."""

    def __init__(self, docx: DocxDocument, styles: StyleBook) -> None:
        self.docx = docx
        self.styles = styles

    @property
    def numbering(self) -> etree._Element:
        return self.docx.part.numbering_part.element

    def setup(self) -> None:
        """Link each list style to a level of our definitions, unless a
        reference document already numbers it."""
        todo = {
            kind: [s for s in LIST_STYLES[kind] if self.restyle_or_unnumbered(s)]
            for kind in ("bullet", "number")
        }
        for kind, levels in (("bullet", BULLET_LEVELS), ("number", NUMBER_LEVELS)):
            if not todo[kind]:
                continue
            names = LIST_STYLES[kind]
            spec = [
                (f, t, font, self.styles.id(n))
                for (f, t, font), n in zip(levels, names, strict=True)
            ]
            abstract_id = ox.next_abstract_id(self.numbering)
            ox.insert_abstract_num(self.numbering, ox.abstract_num(abstract_id, spec))
            num_id = int(self.numbering.add_num(abstract_id).numId)
            for ilvl, name in enumerate(names):
                if name in todo[kind]:
                    ox.set_ppr(self.ppr(name), ox.num_pr(num_id, ilvl))

    def restyle_or_unnumbered(self, name: str) -> bool:
        return self.styles.restyle or self.ppr(name).find(qn("w:numPr")) is None

    def ppr(self, name: str) -> etree._Element:
        return self.styles.get(name).element.get_or_add_pPr()

    def restart(self, style: str, start: int) -> etree._Element | None:
        """A numPr for a fresh list instance of ``style``'s numbering."""
        num_pr = self.ppr(style).find(qn("w:numPr"))
        if num_pr is None:
            return None
        num_id = int(num_pr.find(qn("w:numId")).get(qn("w:val")))
        ilvl_el = num_pr.find(qn("w:ilvl"))
        ilvl = int(ilvl_el.get(qn("w:val"))) if ilvl_el is not None else 0
        num = self.numbering.num_having_numId(num_id)
        abstract_id = int(num.abstractNumId.val)
        new_id = ox.restart_num(self.numbering, abstract_id, ilvl, max(start, 0))
        return ox.num_pr(new_id, ilvl)


# --------------------------------------------------------------------------
# Helpers


_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
#: the w:jc values python-docx writes for these alignments
_JC = {WD_ALIGN_PARAGRAPH.CENTER: "center", WD_ALIGN_PARAGRAPH.RIGHT: "right"}


def _copy(node: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(node))


def _fit_row(row: tuple[m.TableCell, ...], ncols: int) -> tuple[m.TableCell, ...]:
    """Pad short rows with empty cells and cut long ones: Word tables are grids."""
    return tuple(row[:ncols]) + (m.TableCell(children=()),) * max(0, ncols - len(row))


def _fit_align(align: tuple[str, ...], ncols: int) -> list[str]:
    return (list(align) + ["left"] * ncols)[:ncols]


def _display_width(text: str) -> int:
    """Characters counted as columns: CJK ideographs take two."""
    return display_width(visible(text))


#: the Brief Table style's text size, which the column proportions assume
_TABLE_TEXT_PT = 9.5


def _column_shares(
    header: tuple[m.TableCell, ...], rows: list[tuple[m.TableCell, ...]], total_twips: int
) -> list[float]:
    """The layout's column proportions (``layout.columns``), as the PDF has."""
    texts = [[m.plain_text(c.children) for c in row] for row in [header, *rows]]
    return columns.column_shares(texts, columns.columns_in(total_twips / 20, _TABLE_TEXT_PT))


def _first_paragraph(cell: _Cell, style: BaseStyle) -> DocxParagraph:
    p = cell.paragraphs[0]
    p.style = style
    return p


def _drop_if_unused(cell: _Cell, first: DocxParagraph) -> None:
    """A new cell starts with an empty paragraph; remove it once the cell has
    content of its own (a cell must keep at least one paragraph)."""
    children = [c for c in cell._tc if etree.QName(c).localname in ("p", "tbl")]
    if len(children) > 1 and not first.text and not first._p.xpath("./w:r"):
        cell._tc.remove(first._p)


def _only_paragraph(part: object, style: BaseStyle) -> DocxParagraph:
    """The header/footer's single paragraph, emptied (a reference document
    may bring its own content)."""
    paragraphs = part.paragraphs
    for extra in paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for table in part.tables:
        table._tbl.getparent().remove(table._tbl)
    p = paragraphs[0]
    for child in list(p._p):
        p._p.remove(child)
    p.style = style
    return p


def _page_of(template: str) -> Iterator[etree._Element]:
    """'Page {page} of {pages}' as runs with PAGE and NUMPAGES fields."""
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece == "{page}":
            yield from ox.field("PAGE", "1")
        elif piece == "{pages}":
            yield from ox.field("NUMPAGES", "1")
        elif piece:
            yield ox.run(piece)


def _base_document(reference: bytes | None) -> DocxDocument:
    """python-docx's template, or the organisation's .docx with its body
    emptied (section properties kept) like pandoc's --reference-doc."""
    if reference is None:
        docx = open_docx()
        _drop_template_extras(docx)
        return docx
    try:
        docx = open_docx(io.BytesIO(reference))
    except Exception as exc:  # zip, XML and package errors alike
        raise RenderError(f"the reference .docx cannot be read: {exc}") from exc
    body = docx.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return docx


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_template_extras(docx: DocxDocument) -> None:
    """The template's thumbnail shows a blank page, and its Word 2010
    stylesWithEffects copy would still hold the old look; unlinked parts are
    not saved."""
    for rels, reltype in (
        (docx.part.package.rels, RT.THUMBNAIL),
        (docx.part.rels, _STYLES_WITH_EFFECTS),
    ):
        for r_id, rel in list(rels.items()):
            if rel.reltype == reltype:
                rels.pop(r_id)


#: header and footer distances from the page edge
_FURNITURE_CM = 1.1


def _page_setup(docx: DocxDocument, meta: m.Metadata, keep: bool) -> None:
    """The profile's paper and margins (``page.py``), the same as the PDF's;
    with ``keep`` (a reference document) only what its section leaves unset:
    some, like pandoc's, carry no page size at all."""
    section = docx.sections[0]
    if not keep:
        section.orientation = WD_ORIENT.PORTRAIT
    width, height = paper(meta.page_size)
    top, right, bottom, left = meta.margins
    chosen = {
        "page_width": Mm(width),
        "page_height": Mm(height),
        "top_margin": Mm(top),
        "bottom_margin": Mm(bottom),
        "left_margin": Mm(left),
        "right_margin": Mm(right),
        "header_distance": Cm(_FURNITURE_CM),
        "footer_distance": Cm(_FURNITURE_CM),
    }
    for name, value in chosen.items():
        if not keep or getattr(section, name) is None:
            setattr(section, name, value)


def _footnotes_part(docx: DocxDocument) -> tuple[etree._Element, Part]:
    """Our footnotes root and the part it will be written to."""
    root = ox.footnotes_root()
    for rel in docx.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return root, rel.target_part
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, docx.part.package)
    docx.part.relate_to(part, RT.FOOTNOTES)
    return root, part


def _properties(docx: DocxDocument, meta: m.Metadata) -> None:
    when = dt.datetime.fromtimestamp(meta.timestamp, dt.timezone.utc).replace(tzinfo=None)
    props = docx.core_properties
    props.title = ox.clean_text(meta.title)
    props.subject = ox.clean_text(meta.subject)
    props.author = ox.clean_text(meta.author)
    props.keywords = _keywords(meta.keywords)
    props.language = _word_lang(meta.lang)
    props.created = props.modified = when
    props.last_modified_by = "reportgen"
    props.comments = ""
    props.revision = 1
    ox.set_theme_font_lang(docx.settings.element, *_run_langs(meta.lang))


#: python-docx refuses core properties longer than this (a brief with many
#: cases has a keyword per series title)
_PROPERTY_LIMIT = 255


def _keywords(keywords: tuple[str, ...]) -> str:
    """As many whole keywords as fit the core-property limit, in order."""
    kept: list[str] = []
    for word in (ox.clean_text(k) for k in keywords):
        if len(", ".join([*kept, word])) > _PROPERTY_LIMIT:
            break
        kept.append(word)
    return ", ".join(kept)


# Fixed zip metadata so the same Document always gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _save(docx: DocxDocument) -> bytes:
    raw = io.BytesIO()
    docx.save(raw)
    return _normalise_zip(raw.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the package: content types first, then sorted names, fixed
    times, permissions and compression."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, src.read(name), compresslevel=6)
    return out.getvalue()


def _keep_openings(body: etree._Element, chars: int) -> None:
    """A heading keeps with the paragraph after it (its style says so); a
    paragraph shorter than the layout's ``LINES_AFTER_HEADING`` keeps with
    what follows too, so a section never opens at a page's foot with one
    line of text under its heading."""
    heading_ids = {f"Heading{n}" for n in (1, 2, 3)}
    children = list(body.iterchildren(qn("w:p"), qn("w:tbl")))
    for before, after in pairwise(children):
        if _style_of(before) not in heading_ids or after.tag != qn("w:p"):
            continue
        text = "".join(t.text or "" for t in after.iter(qn("w:t")))
        short = _wrapped(text, chars) < breaks.LINES_AFTER_HEADING
        if short and _style_of(after) not in heading_ids:
            ox.keep_with_next(after)


def _style_of(p: etree._Element) -> str:
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else style.get(qn("w:val"), "")


def _keep_the_end_together(body: etree._Element) -> None:
    """The brief's last paragraph keeps the one before it on its page (the
    notes are footnotes, so they stay with their text already): a last
    page never holds a lone citation line."""
    children = list(body.iterchildren(qn("w:p"), qn("w:tbl")))
    last_two = children[-2:]
    if len(last_two) == 2 and all(c.tag == qn("w:p") for c in last_two):
        ox.keep_with_next(last_two[0])


def write(doc: m.Document, options: WriterOptions) -> bytes:
    """The brief as the bytes of a .docx file."""
    doc = lay_out(doc)  # the layout's decisions, the same the PDF draws
    return DocxWriter(doc, options).build()
