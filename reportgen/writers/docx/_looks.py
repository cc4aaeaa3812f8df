"""What the Word brief looks like: the font families by role, the brand
palette, and the look of every named style (``STYLES``).

Data only, read by ``_styles.StyleBook``, which makes the styles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH

from ...errors import RenderError
from .. import WriterOptions

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


def hex_colour(value: str, what: str) -> str:
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
#: the built-in styles Word lists in its gallery, kept in styles.xml though
#: a brief may not use them, by the names styles.xml gives them (lower case)
GALLERY = {
    "normal",
    "heading 1",
    "heading 2",
    "heading 3",
    "title",
    "subtitle",
    "list bullet",
    "list number",
    "caption",
    "toc 1",
    "toc 2",
    "toc 3",
    "footnote text",
    "table grid",
}
#: points between the title band and the facts under it
BAND_GAP = 12
#: points of room under a table, where the block after it has less space above
TABLE_GAP = 7

STYLES: dict[str, Look] = {
    # 11.5 pt on page.MEASURE_MM: about 74 characters a full line, as in the PDF
    "Normal": Look(base=None, size=11.5, colour="text", before=0, after=0, line=1.2),
    BODY: Look(after=8),
    # the title block sits on the brand-coloured band (the PDF's band_title)
    "Title": Look(
        head=True, size=24, bold=True, colour="white", after=6, line=1.05, next="Subtitle"
    ),
    # the last paragraph on the band: its space after is the gap under it
    "Subtitle": Look(head=True, size=14, colour="light", after=BAND_GAP, line=1.1),
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
    # the running title at the left, as in the PDF
    "Header": Look(head=True, size=8.5, colour="muted", align=WD_ALIGN_PARAGRAPH.LEFT),
    "Footer": Look(head=True, size=8.5, colour="muted", align=WD_ALIGN_PARAGRAPH.RIGHT),
    "Brief Meta": Look(head=True, size=9.5, colour="muted", after=3),
    # the PDF sets tables in its sans (heading) face, not the body's serif
    "Table Text": Look(head=True, size=9.5, line=1.1, before=1, after=1),
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
    "Hyperlink": Look(base=None, kind=C, colour="primary"),
    "Strong": Look(base=None, kind=C, bold=True),
    "Emphasis": Look(base=None, kind=C, italic=True),
    "Verbatim Char": Look(base=None, kind=C, mono=True, size=9.5),
    "footnote reference": Look(base=None, kind=C),
    "Meta Label": Look(base=None, kind=C, bold=True, colour="text"),
    "Brief Table": Look(base="Normal Table", kind=T),
    "Key Figures Table": Look(base="Normal Table", kind=T),
    "Callout Box": Look(base="Normal Table", kind=T),
    "Title Facts": Look(base="Normal Table", kind=T),
}
