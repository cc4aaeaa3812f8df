"""The brief's look: page geometry, colours and the type scale.

One modular scale (about 1.25) from a 10.5 pt body: notes 8, captions 8.5,
tables 9, H3 11.5, H2 13.5, H1 17, title 30. Headings and furniture are sans,
running text serif. Chinese briefs follow GB/T 9704's typeface roles: body
text in the CJK body face (FangSong or Song), first-level headings and
furniture in Hei, second-level headings in Kai, with looser leading, since
CJK glyphs fill the em square; Latin letters in them take the paired Latin
face, as Word does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeAlias, TypedDict

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from ...errors import RenderError
from ...fonts.catalog import CHINESE_BODY, CHINESE_DIGEST
from ...layout import headings, page, paragraphs
from ...model import Metadata
from ._fonts import Family, FontSet

if TYPE_CHECKING:
    from typing_extensions import Unpack

    #: a TableStyle command: its name, the first and last cell it applies
    #: to (column, row), and its arguments
    TableCommand: TypeAlias = tuple[
        str, tuple[int, int], tuple[int, int], Unpack[tuple[object, ...]]
    ]

# The default page (A4, page.py's margins); a profile may choose another,
# which _layout.Geometry carries. These stay for code that needs a
# bound before a document exists.
PAGE = A4
MARGIN_X = (210 - page.MEASURE_MM) / 2 * mm
MARGIN_TOP = page.TOP_MM * mm
MARGIN_BOTTOM = page.BOTTOM_MM * mm
FRAME_WIDTH = PAGE[0] - 2 * MARGIN_X
FRAME_HEIGHT = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM

INK = colors.HexColor("#1B1F24")
MUTED = colors.HexColor("#5B6573")
RULE = colors.HexColor("#C5CDD8")

#: Chinese body size and leading (the reasons are in fonts.catalog)
ZH_BODY = CHINESE_BODY
ZH_DIGEST = CHINESE_DIGEST

#: a paragraph's alignment, as reportlab numbers them (``reportlab.lib.enums``)
Alignment: TypeAlias = Literal[0, 1, 2, 4]

ALIGN: dict[str, Alignment] = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


class StyleProps(TypedDict, total=False):
    """The properties a named style sets over its parent's (``_make``)."""

    fontName: str
    fontSize: float
    leading: float
    leftIndent: float
    firstLineIndent: float
    bulletIndent: float
    bulletFontName: str
    bulletFontSize: float
    spaceBefore: float
    spaceAfter: float
    textColor: colors.Color
    alignment: Alignment
    keepWithNext: int


# the properties that several styles share, spread into each of them


class _HeadingLook(TypedDict):
    fontName: str
    keepWithNext: int
    textColor: colors.Color


class _SmallLook(TypedDict):
    fontName: str
    textColor: colors.Color


class _CellLook(TypedDict):
    fontName: str
    fontSize: float
    leading: float


def _colour(meta: Metadata, key: str, default: str) -> colors.Color:
    value = meta.colour(key, default)
    try:
        return colors.HexColor(value)
    except (ValueError, TypeError) as exc:
        raise RenderError(f"brand colour {key!r} is not a hex colour: {value!r}") from exc


@dataclass
class Theme:
    """Colours, families and named paragraph styles for one document."""

    primary: colors.Color
    accent: colors.Color
    zebra: colors.Color
    body: Family
    head: Family
    fontset: FontSet
    cjk_lang: bool
    styles: dict[str, ParagraphStyle] = field(default_factory=dict)
    zh_body: tuple[float, float] = ZH_BODY  # Chinese body size and leading
    indent_chars: int = 0  # a body paragraph's first-line indent (layout.paragraphs)

    @property
    def body_indent(self) -> float:
        """The body paragraphs' first-line indent in points."""
        return self.indent_chars * (self.zh_body[0] if self.cjk_lang else 11.5)

    def style(self, name: str, cjk_text: bool = False) -> ParagraphStyle:
        """The named style; text with CJK in it wraps CJK-style (breaking
        between ideographs) even in a Latin brief."""
        base = self.styles[name]
        if not cjk_text or base.wordWrap == "CJK":
            return base
        key = f"{name}+cjk"
        if key not in self.styles:
            self.styles[key] = ParagraphStyle(key, parent=base, wordWrap="CJK")
        return self.styles[key]

    def aligned(self, name: str, align: str) -> ParagraphStyle:
        key = f"{name}@{align}"
        if key not in self.styles:
            self.styles[key] = ParagraphStyle(key, parent=self.styles[name], alignment=ALIGN[align])
        return self.styles[key]


def _base(theme: Theme) -> ParagraphStyle:
    cjk = theme.cjk_lang
    return ParagraphStyle(
        "base",
        fontName=theme.body.regular,
        # 11.5 pt Latin text on page.MEASURE_MM sets about 74 characters a
        # full line; Chinese follows GB/T 9704's proportions at brief size
        # (see ZH_BODY)
        fontSize=theme.zh_body[0] if cjk else 11.5,
        leading=theme.zh_body[1] if cjk else 16,
        textColor=INK,
        alignment=TA_LEFT,  # ragged right: no rivers, no need to hyphenate
        wordWrap="CJK" if cjk else None,
        hyphenationLang="",
        bulletFontName=theme.head.regular,
        allowWidows=0,
        allowOrphans=0,
    )


def _make(base: ParagraphStyle, name: str, **kw: Unpack[StyleProps]) -> ParagraphStyle:
    return ParagraphStyle(name, parent=base, **kw)


def _zh_heading_styles(theme: Theme, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """GB/T 9704's roles, with the hierarchy the layout gives them
    (``layout.headings``): Hei largest, Kai regular below it, the body face
    bold at body size."""
    families = {
        "cjk_headings": theme.head,
        "cjk_second": theme.fontset.cjk_second or theme.body,
        "cjk_body": theme.body,
    }
    # one face for every role (--cjk-font, or one font installed): the
    # headings can only stand out from the body by weight
    one_face = theme.head.regular == theme.body.regular
    size, leading = theme.zh_body
    spacing = {1: (18, 6), 2: (12, 4), 3: (8, 2)}
    out = {}
    for level, (before, after) in spacing.items():
        look = headings.chinese(level)
        family = families[look.role]
        out[f"h{level}"] = _make(
            base,
            f"h{level}",
            fontName=family.bold if look.bold or one_face else family.regular,
            fontSize=size + look.step,
            leading=max(leading, round((size + look.step) * 1.55, 1)),
            spaceBefore=before,
            spaceAfter=after,
            keepWithNext=1,
            textColor=INK if level == 3 else theme.primary,
        )
    return out


def _heading_styles(theme: Theme, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    if theme.cjk_lang:
        return _zh_heading_styles(theme, base)
    head = theme.head.bold
    common: _HeadingLook = {"fontName": head, "keepWithNext": 1, "textColor": theme.primary}
    return {
        "h1": _make(base, "h1", fontSize=17, leading=21, spaceBefore=20, spaceAfter=8, **common),
        "h2": _make(base, "h2", fontSize=13.5, leading=17, spaceBefore=14, spaceAfter=5, **common),
        "h3": _make(
            base,
            "h3",
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=3,
            **(common | {"textColor": INK}),
        ),
    }


def _text_styles(theme: Theme, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    sans = theme.head.regular
    small: _SmallLook = {"fontName": sans, "textColor": MUTED}
    return {
        # 首行缩进2字符 in a Chinese brief (layout.paragraphs)
        "body": _make(base, "body", spaceAfter=7, firstLineIndent=theme.body_indent),
        "list": _make(base, "list", spaceAfter=3),
        "quote": _make(base, "quote", fontName=theme.body.italic, textColor=MUTED, spaceAfter=4),
        "callout": _make(base, "callout", fontName=sans, fontSize=9.5, leading=13.5, spaceAfter=4),
        "callout_title": _make(
            base,
            "callout_title",
            fontName=theme.head.bold,
            fontSize=9.5,
            leading=13,
            textColor=theme.primary,
            spaceAfter=3,
        ),
        "caption": _make(base, "caption", fontSize=8.5, leading=11, spaceBefore=4, **small),
        "table_caption": _make(
            base,
            "table_caption",
            fontName=theme.head.bold,
            fontSize=9,
            leading=12,
            textColor=INK,
            spaceBefore=4,
            spaceAfter=4,
            keepWithNext=1,
        ),
        "source": _make(base, "source", fontSize=7.5, leading=10, spaceAfter=10, **small),
        "note": _make(
            base,
            "note",
            fontSize=8.5,
            leading=11.5,
            leftIndent=16,
            bulletIndent=0,
            bulletFontName=sans,
            bulletFontSize=8.5,
            spaceAfter=3,
        ),
    }


def _table_styles(theme: Theme, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    sans = theme.head.regular
    cell: _CellLook = {"fontName": sans, "fontSize": 9, "leading": 11.5}
    return {
        "cell": _make(base, "cell", **cell),
        "head_cell": _make(
            base, "head_cell", **(cell | {"fontName": theme.head.bold}), textColor=colors.white
        ),
        "kf_value": _make(
            base,
            "kf_value",
            fontName=theme.head.bold,
            fontSize=22,
            leading=25,
            textColor=theme.primary,
        ),
        "kf_label": _make(
            base,
            "kf_label",
            fontName=sans,
            fontSize=8.5,
            leading=11,
            textColor=MUTED,
            spaceBefore=2,
        ),
        "kf_title": _make(
            base,
            "kf_title",
            fontName=theme.head.bold,
            fontSize=9,
            leading=12,
            textColor=theme.accent,
        ),
    }


def _title_styles(theme: Theme, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """Page one's title block: the title (on a cover or a band) and the facts."""
    sans, bold = theme.head.regular, theme.head.bold
    return {
        "title": _make(
            base, "title", fontName=bold, fontSize=30, leading=35, textColor=colors.white
        ),
        # the title band on page one of a brief without a cover page
        "band_title": _make(
            base, "band_title", fontName=bold, fontSize=24, leading=28, textColor=colors.white
        ),
        "subtitle": _make(
            base,
            "subtitle",
            fontName=sans,
            fontSize=14,
            leading=19,
            textColor=colors.HexColor("#DCE3EC"),
            spaceBefore=8,
        ),
        "cover_label": _make(
            base, "cover_label", fontName=bold, fontSize=7.5, leading=10, textColor=theme.accent
        ),
        "cover_value": _make(
            base, "cover_value", fontName=sans, fontSize=10, leading=13, textColor=INK
        ),
    }


def _furniture_styles(theme: Theme, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """The contents list and the running header and footer."""
    sans, bold = theme.head.regular, theme.head.bold
    return {
        "contents": _make(
            base,
            "contents",
            fontName=bold,
            fontSize=13.5,
            leading=17,
            textColor=theme.primary,
            spaceBefore=10,
            spaceAfter=8,
        ),
        "toc1": _make(
            base, "toc1", fontName=bold, fontSize=10, leading=14, spaceBefore=5, textColor=INK
        ),
        "toc2": _make(
            base, "toc2", fontName=sans, fontSize=9.5, leading=13, leftIndent=14, textColor=MUTED
        ),
        "header": _make(base, "header", fontName=sans, fontSize=8, leading=10, textColor=MUTED),
        "footer": _make(
            base,
            "footer",
            fontName=sans,
            fontSize=8,
            leading=10,
            textColor=MUTED,
            alignment=TA_RIGHT,
        ),
        "footer_centre": _make(
            base,
            "footer_centre",
            fontName=sans,
            fontSize=9,
            leading=11,
            textColor=MUTED,
            alignment=TA_CENTER,
        ),
    }


def make_theme(meta: Metadata, fontset: FontSet) -> Theme:
    """The theme for ``meta``'s language and brand colours."""
    cjk_lang = meta.lang.lower().startswith("zh")
    theme = Theme(
        primary=_colour(meta, "primary", "#1F3A5F"),
        accent=_colour(meta, "accent", "#C8102E"),
        zebra=_colour(meta, "zebra", "#EEF2F7"),
        body=fontset.cjk if cjk_lang else fontset.serif,
        head=(fontset.cjk_head or fontset.cjk) if cjk_lang else fontset.sans,
        fontset=fontset,
        cjk_lang=cjk_lang,
        zh_body=ZH_DIGEST if meta.layout == "digest" else ZH_BODY,
        indent_chars=paragraphs.first_line_indent_chars(meta.lang),
    )
    base = _base(theme)
    parts = (_heading_styles, _text_styles, _table_styles, _title_styles, _furniture_styles)
    for part in parts:
        theme.styles.update(part(theme, base))
    return theme


def table_style(theme: Theme, commands: list[TableCommand]) -> TableStyle:
    """A TableStyle whose cell font is ours: Platypus sets each cell's font
    even for Paragraph cells, and its default would add Helvetica to the
    page resources."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), theme.head.regular), *commands])
