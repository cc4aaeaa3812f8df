"""The .docx package is the brief's own, not python-docx's template
underneath: a theme of the brief's faces, a font table declaring every face
the file names, Word 2013's compatibility mode, a zoom with its percent,
only the styles in use (and Word's gallery), app.xml naming reportgen; and
a reference .docx keeps its own theme and font table."""

from __future__ import annotations

import functools
import io
import unicodedata
import zipfile

import pytest
from docx import Document as open_docx
from lxml import etree

from reportgen import __version__
from reportgen.pipeline import BriefRequest, render_brief, render_outputs
from reportgen.writers import WriterOptions
from reportgen.writers.docx import write
from reportgen.writers.docx._package import app_version

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
FOREIGN = ("Calibri", "Cambria", "ＭＳ")
#: the built-ins Word lists in its gallery, kept though a brief may not use them
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
LANGS = ["en", "zh"]
TITLES = ["三十而已", "二十不惑2", "小敏家"]


@functools.cache
def built_in(lang: str, audience: str = "policymakers") -> bytes:
    request = BriefRequest(audience=audience, lang=lang, formats=("docx",))
    brief = render_brief(request)
    return render_outputs(brief, request)["docx"]


@functools.cache
def with_reference(lang: str) -> bytes:
    request = BriefRequest(audience="policymakers", lang=lang, formats=("docx",))
    brief = render_brief(request)
    return write(brief.document, WriterOptions(reference_docx=reference()))


def reference() -> bytes:
    """A house template: python-docx's own, whose theme and font table are
    another locale's (Calibri, Cambria, ＭＳ 明朝), with a heading in Georgia."""
    ref = open_docx()
    ref.styles["Heading 1"].font.name = "Georgia"
    out = io.BytesIO()
    ref.save(out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(parts(data)[name])


def wml_parts(data: bytes) -> dict[str, etree._Element]:
    """Every WordprocessingML part but the font table, by name."""
    return {
        name: etree.fromstring(blob)
        for name, blob in parts(data).items()
        if name.startswith("word/") and name.endswith(".xml") and "/theme/" not in name
        if name != "word/fontTable.xml"
    }


def faces_named(data: bytes) -> dict[str, set[str]]:
    """Face -> the w:rFonts attributes (ascii, hAnsi, eastAsia, cs) naming it."""
    found: dict[str, set[str]] = {}
    for root in wml_parts(data).values():
        for fonts in root.iter(f"{W}rFonts"):
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                name = fonts.get(f"{W}{attr}")
                if name:
                    found.setdefault(name, set()).add(attr)
    return found


def theme_fonts(data: bytes) -> dict[str, dict[str, str]]:
    """majorFont/minorFont -> {latin, ea, cs: typeface}."""
    theme = xml(data, "word/theme/theme1.xml")
    return {
        tag: {
            child: theme.find(f".//{A}{tag}/{A}{child}").get("typeface")
            for child in ("latin", "ea", "cs")
        }
        for tag in ("majorFont", "minorFont")
    }


def style_fonts(data: bytes, style_name: str) -> dict[str, str]:
    styles = xml(data, "word/styles.xml")
    for style in styles.iter(f"{W}style"):
        if style.find(f"{W}name").get(f"{W}val") == style_name:
            fonts = style.find(f"{W}rPr/{W}rFonts")
            return {k.removeprefix(W): v for k, v in fonts.attrib.items()}
    raise AssertionError(f"no style {style_name!r}")


def default_fonts(data: bytes) -> dict[str, str]:
    fonts = xml(data, "word/styles.xml").find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    return {k.removeprefix(W): v for k, v in fonts.attrib.items()}


def font_table(data: bytes) -> dict[str, etree._Element]:
    fonts = xml(data, "word/fontTable.xml")
    return {node.get(f"{W}name"): node for node in fonts.iter(f"{W}font")}


# --------------------------------------------------------------------------
# The theme


@pytest.mark.parametrize("lang", LANGS)
def test_the_theme_names_no_face_of_another_locale_and_no_per_script_list(lang: str) -> None:
    theme = parts(built_in(lang))["word/theme/theme1.xml"].decode("utf-8")
    assert [face for face in FOREIGN if face in theme] == []
    assert "<a:font script=" not in theme


@pytest.mark.parametrize("lang", LANGS)
def test_the_themes_latin_fonts_are_the_briefs_heading_and_body_faces(lang: str) -> None:
    data = built_in(lang)
    theme = theme_fonts(data)
    assert theme["majorFont"]["latin"] == style_fonts(data, "heading 1")["ascii"]
    assert theme["minorFont"]["latin"] == default_fonts(data)["ascii"]


def test_a_chinese_themes_east_asian_fonts_are_the_chinese_heading_and_body_faces() -> None:
    data = built_in("zh")
    theme = theme_fonts(data)
    assert theme["majorFont"]["ea"] == style_fonts(data, "heading 1")["eastAsia"] != ""
    assert theme["minorFont"]["ea"] == default_fonts(data)["eastAsia"] != ""


def test_an_english_theme_names_no_east_asian_face_of_its_own() -> None:
    theme = theme_fonts(built_in("en"))
    assert theme["majorFont"]["ea"] == theme["minorFont"]["ea"] == ""


# --------------------------------------------------------------------------
# The font table


@pytest.mark.parametrize("lang", LANGS)
def test_the_font_table_declares_every_face_the_file_and_its_theme_name(lang: str) -> None:
    data = built_in(lang)
    named = set(faces_named(data))
    themed = {v for fonts in theme_fonts(data).values() for v in fonts.values() if v}
    declared = set(font_table(data))
    assert named and themed <= named | themed
    assert (named | themed) - declared == set()
    assert declared - (named | themed) == set()  # nothing it does not use


def test_a_chinese_briefs_faces_are_declared_with_both_names_and_the_gb_charset() -> None:
    data = built_in("zh")
    east_asian = {face for face, attrs in faces_named(data).items() if "eastAsia" in attrs}
    table = font_table(data)
    assert {"SimSun", "SimHei"} <= east_asian
    for face in east_asian:
        entry = table[face]
        alt = entry.find(f"{W}altName").get(f"{W}val")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in alt), (face, alt)
        assert entry.find(f"{W}charset").get(f"{W}val") == "86"
        assert entry.find(f"{W}family") is not None
        assert len(entry.find(f"{W}panose1").get(f"{W}val")) == 20
    assert table["SimSun"].find(f"{W}altName").get(f"{W}val") == "宋体"


def test_latin_faces_are_declared_in_their_family_with_their_panose_number() -> None:
    table = font_table(built_in("en"))
    for face in ("Arial", "Times New Roman"):
        assert table[face].find(f"{W}charset").get(f"{W}val") == "00"
        assert table[face].find(f"{W}panose1") is not None
    assert table["Arial"].find(f"{W}family").get(f"{W}val") == "swiss"
    assert table["Times New Roman"].find(f"{W}family").get(f"{W}val") == "roman"


# --------------------------------------------------------------------------
# Settings


@pytest.mark.parametrize("lang", LANGS)
def test_word_opens_the_file_in_its_own_mode_at_a_zoom_of_its_own(lang: str) -> None:
    settings = xml(built_in(lang), "word/settings.xml")
    modes = [
        s.get(f"{W}val")
        for s in settings.iter(f"{W}compatSetting")
        if s.get(f"{W}name") == "compatibilityMode"
    ]
    assert modes == ["15"]
    zoom = settings.find(f"{W}zoom")
    assert zoom is not None and zoom.get(f"{W}percent") == "100"


# --------------------------------------------------------------------------
# Styles


def styles_in_use(data: bytes) -> set[str]:
    """Style ids the content names, the defaults and Word's gallery, with
    those they are based on, linked to or followed by."""
    used = style_refs(data, {"pStyle", "rStyle", "tblStyle", "numStyleLink"})
    styles = {s.get(f"{W}styleId"): s for s in xml(data, "word/styles.xml").iter(f"{W}style")}
    kept = {
        sid
        for sid, s in styles.items()
        if s.get(f"{W}default") == "1" or s.find(f"{W}name").get(f"{W}val").lower() in GALLERY
    }
    todo, seen = [*used, *kept], set()
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in styles:
            continue
        seen.add(sid)
        links = ("basedOn", "link", "next")
        todo += [n.get(f"{W}val") for tag in links for n in styles[sid].iter(f"{W}{tag}")]
    return seen


def style_refs(data: bytes, refs: set[str]) -> set[str]:
    """Style ids named by the ``refs`` elements of every part but styles.xml."""
    return {
        node.get(f"{W}val")
        for name, root in wml_parts(data).items()
        if name != "word/styles.xml"
        for node in root.iter()
        if isinstance(node.tag, str) and node.tag.removeprefix(W) in refs
    }


def content_styles(data: bytes) -> set[str]:
    """Style ids the paragraphs, runs and tables themselves name."""
    return style_refs(data, {"pStyle", "rStyle", "tblStyle"})


@pytest.mark.parametrize("lang", LANGS)
def test_every_style_is_used_a_default_or_in_words_gallery(lang: str) -> None:
    data = built_in(lang)
    used = styles_in_use(data)
    idle = [
        s.find(f"{W}name").get(f"{W}val")
        for s in xml(data, "word/styles.xml").iter(f"{W}style")
        if s.get(f"{W}styleId") not in used
    ]
    assert idle == []


@pytest.mark.parametrize("lang", LANGS)
def test_no_table_style_is_carried_that_no_table_uses(lang: str) -> None:
    data = built_in(lang)
    used = content_styles(data)
    tables = {
        s.find(f"{W}name").get(f"{W}val"): s.get(f"{W}styleId") in used
        for s in xml(data, "word/styles.xml").iter(f"{W}style")
        if s.get(f"{W}type") == "table"
    }
    assert "Light Shading" not in tables and "Colorful Grid" not in tables
    assert tables.pop("Table Grid") is False  # in the gallery, unused
    assert tables.pop("Normal Table") is False  # the default
    assert tables and all(tables.values()), tables


@pytest.mark.parametrize("lang", LANGS)
def test_the_gallery_built_ins_are_kept(lang: str) -> None:
    styles = xml(built_in(lang), "word/styles.xml")
    names = {s.find(f"{W}name").get(f"{W}val").lower() for s in styles.iter(f"{W}style")}
    assert names >= GALLERY


# --------------------------------------------------------------------------
# Properties


@pytest.mark.parametrize("lang", LANGS)
def test_app_xml_names_reportgen_and_nothing_it_cannot_count(lang: str) -> None:
    app = xml(built_in(lang), "docProps/app.xml")
    assert app.findtext(f"{EP}Application") == "reportgen"
    assert app.findtext(f"{EP}AppVersion") == app_version(__version__)
    for unknown in ("Pages", "Words", "Characters", "Lines", "Paragraphs", "Template"):
        assert app.find(f"{EP}{unknown}") is None, unknown


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("0.1.0", "00.0001"),
        ("1.2", "01.0002"),
        ("12.345.6", "12.0345"),
        ("1.0rc1", None),
        ("100.1", None),
        ("3", None),
    ],
)
def test_the_app_version_takes_the_form_the_schema_wants_or_none(
    version: str, expected: str | None
) -> None:
    assert app_version(version) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_the_core_properties_keep_the_briefs_metadata(lang: str) -> None:
    props = open_docx(io.BytesIO(built_in(lang))).core_properties
    assert props.title and props.author and props.subject
    assert props.language == ("zh-CN" if lang == "zh" else "en")
    assert props.last_modified_by == "reportgen"


# --------------------------------------------------------------------------
# A reference document


def test_a_reference_docx_keeps_its_own_theme() -> None:
    ours, theirs = parts(with_reference("zh")), parts(reference())
    assert ours["word/theme/theme1.xml"] == theirs["word/theme/theme1.xml"]


def test_a_reference_docx_keeps_its_font_table_and_gains_the_faces_it_lacks() -> None:
    data = with_reference("zh")
    before = set(font_table(reference()))
    after = font_table(data)
    assert before <= set(after)  # ＭＳ 明朝 and the rest are the house's own
    assert set(faces_named(data)) - set(after) == set()
    assert "Georgia" in after and "SimSun" in after
    assert after["SimSun"].find(f"{W}charset").get(f"{W}val") == "86"


def test_a_reference_docx_keeps_its_styles_whether_used_or_not() -> None:
    names = {
        s.find(f"{W}name").get(f"{W}val")
        for s in xml(with_reference("en"), "word/styles.xml").iter(f"{W}style")
    }
    assert {"Light Shading", "Colorful Grid"} <= names


# --------------------------------------------------------------------------
# Nothing invisible


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("audience", ["policymakers", "industry", "international", "newsletter"])
def test_no_part_holds_an_invisible_format_character(audience: str, lang: str) -> None:
    found = {
        name: sorted(
            {f"U+{ord(ch):04X}" for ch in blob.decode("utf-8") if unicodedata.category(ch) == "Cf"}
        )
        for name, blob in parts(built_in(lang, audience)).items()
        if name.endswith((".xml", ".rels"))
    }
    assert {name: chars for name, chars in found.items() if chars} == {}


@pytest.mark.parametrize("audience", ["policymakers", "industry", "international", "newsletter"])
def test_find_for_every_series_title_finds_it_as_typed(audience: str) -> None:
    body = xml(built_in("zh", audience), "word/document.xml")
    texts = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    assert [title for title in TITLES if not any(f"《{title}》" in text for text in texts)] == []
