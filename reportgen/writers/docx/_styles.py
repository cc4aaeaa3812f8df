"""The styles of the Word brief: ``StyleBook`` creates them from their
looks (``_looks.STYLES``) or, with a reference document, adds only the
missing ones; it also looks them up and makes paragraphs in them.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.blkcntnr import BlockItemContainer
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.text.parfmt import CT_PPr
from docx.shared import Pt
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from ... import model as m
from ...errors import RenderError
from ...fonts.catalog import CHINESE_BODY, CHINESE_DIGEST
from ...layout import headings, paragraphs
from . import _oxml as ox
from . import _oxml_format as oxf
from . import _oxml_styles as oxs
from ._looks import (
    BODY,
    BUILTIN,
    BUILTIN_IDS,
    EAST_ASIA_ROLE,
    STYLES,
    WORD_FONTS,
    Look,
    P,
    Palette,
    T,
    hex_colour,
)
from ._page import page_box
from ._table_styles import TABLE_STYLES, title_band

#: where blocks go: the document body or a table cell (python-docx's common base)
Container = BlockItemContainer


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
            primary=hex_colour(meta.colour("primary", "#1F3A5F"), "primary"),
            accent=hex_colour(meta.colour("accent", "#C8102E"), "accent"),
        )
        self.lang, self.east_asia_lang = run_langs(meta.lang)
        self.indent_chars = paragraphs.first_line_indent_chars(meta.lang)
        # every style element by lower-case name, read once; proxies made as asked
        self._elements: dict[str, etree._Element] | None = None
        self._styles: dict[str, BaseStyle] = {}
        # ids by name, and the id a paragraph or table names each style by:
        # python-docx finds both by scanning every style on each use
        self._ids: dict[str, str] = {}
        self._refs: dict[str, str | None] = {}
        self._default: dict[WD_STYLE_TYPE, etree._Element | None] = {}
        self._text_width: int | None = None
        self._sizes: dict[str, float | None] = {}
        self.created: set[str] = set()

    def get(self, name: str) -> BaseStyle:
        """A style by name, case-insensitively as Word matches them: reference
        documents spell built-ins "heading 1" or "Heading 1"."""
        key = name.lower()
        if key in self._styles:
            return self._styles[key]
        if self._elements is None:
            self._elements = oxs.styles_by_name(self.docx.styles.element)
        if key not in self._elements:
            raise RenderError(f"the Word document has no style {name!r}")
        self._styles[key] = oxs.style_proxy(self._elements[key])
        return self._styles[key]

    def paragraph_style(self, name: str) -> ParagraphStyle:
        """The paragraph style ``name`` (``get``), with its font and
        paragraph format."""
        style = self.get(name)
        if not isinstance(style, ParagraphStyle):
            raise RenderError(f"the Word style {name!r} is not a paragraph style")
        return style

    def has(self, name: str) -> bool:
        try:
            self.get(name)
        except RenderError:
            return False
        return True

    def id(self, name: str) -> str:
        """The style id of ``name`` (what a run's ``w:rStyle`` names)."""
        if name not in self._ids:
            self._ids[name] = self.get(name).style_id
        return self._ids[name]

    def ref_id(self, name: str, kind: WD_STYLE_TYPE = P) -> str | None:
        """The id a paragraph (or, with ``kind`` T, a table) names the style
        ``name`` by: None for the default style of its type, as python-docx
        writes it (``Paragraph.style``, ``Table.style``)."""
        if name not in self._refs:
            style = self.get(name)
            if style.type != kind:
                raise RenderError(f"the Word style {name!r} is not a {kind.name.lower()} style")
            if kind not in self._default:  # no style we add is a default
                self._default[kind] = oxs.default_style(self.docx.styles.element, kind)
            is_default = self._default[kind] is style.element
            self._refs[name] = None if is_default else style.style_id
        return self._refs[name]

    def _chain(self, style_id: str) -> list[CT_PPr]:
        """The paragraph properties of the paragraph style ``style_id`` (the
        default style for '') and of the styles it is based on, nearest first."""
        styles = self.docx.styles.element
        style = styles.get_by_id(style_id) if style_id else styles.default_for(P)
        found: list[CT_PPr | None] = []
        while style is not None and len(found) < 16:  # a loop of bases ends too
            found.append(style.pPr)
            base = style.basedOn_val
            style = styles.get_by_id(base) if base else None
        return [ppr for ppr in found if ppr is not None]

    def space_before_of(self, style_id: str) -> float:
        """The points of space above paragraphs of the style ``style_id``."""
        for ppr in self._chain(style_id):
            if ppr.spacing_before is not None:
                return float(ppr.spacing_before.pt)
        return 0.0

    def paragraph(self, container: Container, name: str) -> DocxParagraph:
        """``container.add_paragraph(style=...)`` with the style's id looked
        up once per brief (``ref_id``)."""
        p = container.add_paragraph()
        ox.set_paragraph_style(ox.p_element(p), self.ref_id(name))
        return p

    def set_style(self, p: DocxParagraph, name: str) -> None:
        """``p.style = name``, by the id looked up once (``ref_id``)."""
        ox.set_paragraph_style(ox.p_element(p), self.ref_id(name))

    def set_table_style(self, table: DocxTable, name: str) -> None:
        """``table.style = name``, by the id looked up once (``ref_id``)."""
        ox.set_table_style(ox.tbl_element(table), self.ref_id(name, T))

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
        if self.chinese is None:
            return
        size, pitch = self.chinese
        normal = self.paragraph_style("Normal")
        fmt = normal.paragraph_format
        normal.font.size = Pt(size)
        fmt.line_spacing = Pt(pitch)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        # 首行缩进2字符, as in the PDF (layout.paragraphs)
        self.paragraph_style(BODY).paragraph_format.first_line_indent = Pt(self.indent_chars * size)
        for level in (1, 2, 3):  # the hierarchy the PDF draws (layout.headings)
            look = headings.chinese(level)
            font = self.paragraph_style(f"Heading {level}").font
            font.size, font.bold = Pt(size + look.step), look.bold

    def _defaults(self) -> None:
        rpr, ppr = oxf.doc_defaults(self.docx.styles.element)
        oxf.set_fonts(rpr, self.words["body"], self.words["cjk_body"])
        oxf.font_size(rpr, 23)
        oxf.set_lang(rpr, self.lang, self.east_asia_lang)
        oxf.spacing(ppr, after=0, line=288)

    def _ensure(self, name: str, look: Look) -> None:
        exists = self.has(name)
        if exists and not self.restyle:
            return
        style = self.get(name) if exists else self._add(name, look.kind)
        if exists:
            _strip_formatting(style)
        oxs.shown_in_gallery(style.element, quick=look.kind == P)
        self._apply(style, look)

    def _add(self, name: str, kind: WD_STYLE_TYPE) -> BaseStyle:
        # has() found no namesake (python-docx's add_style would scan again)
        styles = self.docx.styles.element
        style = oxs.add_style(styles, name, kind, name in BUILTIN, BUILTIN_IDS.get(name))
        if self._elements is not None:  # add it rather than rebuild the index of all
            self._elements[style.name.lower()] = style.element
            self._styles[style.name.lower()] = style
        self._ids.clear()
        self._refs.clear()
        self._sizes.clear()  # a size may come through the new style
        self.created.add(name)
        return style

    def _apply(self, style: BaseStyle, look: Look) -> None:
        if look.base and self.has(look.base):
            oxs.based_on(style.element, self.get(look.base).style_id)
        if look.kind == T:
            return
        self._apply_font(style, look)
        if look.kind == P:
            self._apply_paragraph(style, look)

    def _apply_font(self, style: BaseStyle, look: Look) -> None:
        fonts = None
        if look.head or look.mono or (look.base is None and look.kind == P):
            latin = self.words["mono" if look.mono else "headings" if look.head else "body"]
            east_role = "cjk_headings" if look.head else "cjk_body"
            fonts = latin, self.words[EAST_ASIA_ROLE.get(style.name, east_role)]
        colour = getattr(self.palette, look.colour) if look.colour else None
        rpr = oxs.new_style_part(style.element, "rPr")  # even empty, as python-docx leaves it
        oxs.style_run_properties(rpr, fonts, look.size, look.bold, look.italic, colour)

    def _apply_paragraph(self, style: BaseStyle, look: Look) -> None:
        spacing = (look.before, look.after, look.line)
        shaped = (*spacing, look.left_cm, look.align, look.outline)
        if look.keep_next or any(value is not None for value in shaped):
            ppr = oxs.new_style_part(style.element, "pPr")
            oxs.style_paragraph_properties(ppr, spacing, look.keep_next, look.left_cm, look.align)
            if look.outline is not None:  # what the TOC field collects; 9 = body text
                oxf.outline_level(ppr, look.outline)
        if look.next:
            oxs.next_style(style.element, self.get(look.next).style_id)

    def _extras(self) -> None:
        """Borders, tabs and the like that python-docx has no API for, on
        the styles that are ours to shape."""
        pal, width = self.palette, self.text_width_twips()
        band = title_band(pal)  # one box of the title and subtitle, as the PDF's band
        extras: dict[str, Callable[[BaseStyle], None]] = {
            "Title": lambda st: oxf.paragraph_box(_ppr(st), band, pal.primary),
            "Subtitle": lambda st: oxf.paragraph_box(_ppr(st), band, pal.primary),
            "Quote": lambda st: oxf.paragraph_borders(
                _ppr(st), oxf.border("left", pal.primary, 18, 10)
            ),
            "Brief Meta": lambda st: oxf.paragraph_borders(
                _ppr(st), oxf.border("bottom", pal.primary, 12, 8)
            ),
            "Header": lambda st: oxf.paragraph_borders(
                _ppr(st), oxf.border("bottom", pal.rule, 4, 4)
            ),
            "Thematic Break": lambda st: oxf.paragraph_borders(
                _ppr(st), oxf.border("bottom", pal.rule, 6, 1)
            ),
            "footnote reference": lambda st: oxf.superscript(st.element.get_or_add_rPr()),
            "Hyperlink": lambda st: oxf.underline(st.element.get_or_add_rPr()),
        }
        for name in ("toc 1", "toc 2", "toc 3"):
            extras[name] = lambda st: oxf.right_tab(_ppr(st), width)
        for name, extra in extras.items():
            if self.ours(name):
                extra(self.get(name))

    def ours(self, name: str) -> bool:
        """True for styles this writer defines: all of them with the built-in
        look, only the ones it had to add to a reference document."""
        return self.restyle or name in self.created

    def text_width_twips(self) -> int:
        """The width between the margins; asked for by every table, so read
        once (the section is set up, ``page_setup``, before any style)."""
        if self._text_width is None:
            self._text_width = int(page_box(self.docx).text_width / 635)
        return self._text_width

    def size_of(self, name: str) -> float | None:
        """The font size in points of the paragraph style ``name``, from it or
        a style it is based on; None when no style in the chain sets one.
        Asked once styles are made (``setup``), so remembered."""
        if name not in self._sizes:
            style: BaseStyle | None = self.get(name)
            size = None
            while isinstance(style, CharacterStyle) and size is None:
                size = style.font.size.pt if style.font.size is not None else None
                style = style.base_style
            self._sizes[name] = size
        return self._sizes[name]

    def _table_styles(self) -> None:
        for name, make in TABLE_STYLES.items():
            if self.ours(name):
                make(self.get(name).element, self.palette)


def _ppr(style: BaseStyle) -> etree._Element:
    return style.element.get_or_add_pPr()


def _strip_formatting(style: BaseStyle) -> None:
    """Forget the template's look (theme fonts, old colours) before ours."""
    ox.strip_properties(style.element)


def word_lang(lang: str) -> str:
    """Word wants a region for Chinese to pick the script: zh -> zh-CN."""
    tag = (lang or "en").replace("_", "-")
    if tag.lower() in ("zh", "zh-hans"):
        return "zh-CN"
    if tag.lower() == "zh-hant":
        return "zh-TW"
    return tag


def run_langs(lang: str) -> tuple[str, str]:
    """(w:val, w:eastAsia) for the document's default run language.

    w:val tags Latin-script text and w:eastAsia tags CJK text. For a Chinese
    brief the CJK tag is the brief's language, but Latin runs in it (names,
    English terms) stay en-US, as in Word's own Chinese templates: tagging them
    zh-CN makes LibreOffice break Latin words anywhere, mid-word."""
    tag = word_lang(lang)
    if tag[:2].lower() in ("zh", "ja", "ko"):
        return "en-US", tag
    return tag, "zh-CN"
