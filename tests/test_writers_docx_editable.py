"""The Word brief as colleagues edit it: page one's title band, facts and
key messages are paragraphs and at most one table inside the text block,
space comes from paragraph spacing, and tables, header and band look as
in the PDF. Checked on every built-in brief, read back part by part."""

from __future__ import annotations

import functools
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from lxml import etree

from reportgen import model as m

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
AUDIENCES = ("policymakers", "industry", "international", "newsletter")
BRIEFS = [(a, lang) for a in AUDIENCES for lang in ("en", "zh")]


def xpath(node: etree._Element, path: str) -> list:
    return etree.XPath(path, namespaces=NS)(node)


def attr(node: etree._Element, name: str) -> str | None:
    return node.get(f"{{{W}}}{name}")


@functools.cache
def built_in(audience: str, lang: str) -> tuple[bytes, m.Document]:
    """The built-in brief's .docx and the document it was written from."""
    from reportgen import fonts
    from reportgen.pipeline import BriefRequest, render_brief, render_outputs

    if lang == "zh" and fonts.cjk() is None:  # its charts need a Chinese font
        pytest.skip("no TrueType CJK font installed (fonts-arphic-gbsn00lp)")
    with tempfile.TemporaryDirectory() as tmp:
        request = BriefRequest(audience=audience, lang=lang, formats=("docx",), output=Path(tmp))
        brief = render_brief(request)
        return render_outputs(brief, request)["docx"], brief.document


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def parts(data: bytes) -> dict[str, etree._Element]:
    """Every WordprocessingML part of the package, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]
        return {n: etree.fromstring(z.read(n)) for n in names}


def text_width(data: bytes) -> int:
    """Twips between the margins of the first section."""
    body = part(data, "word/document.xml")
    size = xpath(body, "//w:body/w:sectPr/w:pgSz")[0]
    margins = xpath(body, "//w:body/w:sectPr/w:pgMar")[0]
    return int(attr(size, "w")) - int(attr(margins, "left")) - int(attr(margins, "right"))


def title_block(data: bytes) -> list[etree._Element]:
    """The body's blocks before its first heading: page one's head."""
    blocks = xpath(
        part(data, "word/document.xml"), "/w:document/w:body/*[self::w:p or self::w:tbl]"
    )
    head = []
    for block in blocks:
        if xpath(block, "w:pPr/w:pStyle[starts-with(@w:val, 'Heading')]"):
            break
        head.append(block)
    return head


def style_of(p: etree._Element) -> str:
    found = xpath(p, "w:pPr/w:pStyle/@w:val")
    return found[0] if found else ""


def text_of(node: etree._Element) -> str:
    return "".join(xpath(node, ".//w:t/text()"))


# --------------------------------------------------------------------------
# Editable structures


@pytest.mark.parametrize(("audience", "lang"), BRIEFS)
def test_the_title_block_is_paragraphs_and_at_most_one_table(audience: str, lang: str) -> None:
    data, doc = built_in(audience, lang)
    head = title_block(data)
    tables = [b for b in head if b.tag == f"{{{W}}}tbl"]
    assert len(tables) <= 1
    assert [style_of(p) for p in head[:2]] == ["Title", "Subtitle"]
    assert text_of(head[0]) == doc.meta.title.replace("\u2060", "")


def outdented(data: bytes) -> list[str]:
    """Every indent in the package that reaches out past a margin."""
    found = []
    for name, root in parts(data).items():
        for ind in xpath(root, "//w:ind"):
            sides = [attr(ind, side) for side in ("left", "right", "start", "end")]
            found += [f"{name}: w:ind {v}" for v in sides if v and int(v) < 0]
        for ind in xpath(root, "//w:tblInd/@w:w"):
            found += [f"{name}: w:tblInd {ind}"] if int(ind) < 0 else []
    return found


@pytest.mark.parametrize(("audience", "lang"), BRIEFS)
def test_nothing_is_indented_out_past_the_margins(audience: str, lang: str) -> None:
    data, _ = built_in(audience, lang)
    assert outdented(data) == []


def test_an_indent_out_past_the_margin_is_found() -> None:
    data, _ = built_in("policymakers", "en")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    body = etree.fromstring(files["word/document.xml"])
    ppr = xpath(body, "//w:body/w:p/w:pPr")[0]
    etree.SubElement(ppr, f"{{{W}}}ind", {f"{{{W}}}left": "-1440"})
    files["word/document.xml"] = etree.tostring(body)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    assert outdented(out.getvalue()) == ["word/document.xml: w:ind -1440"]


@pytest.mark.parametrize(("audience", "lang"), BRIEFS)
def test_no_table_is_wider_than_the_text_block(audience: str, lang: str) -> None:
    data, _ = built_in(audience, lang)
    width = text_width(data)
    for table in xpath(part(data, "word/document.xml"), "//w:body/w:tbl"):
        for tblw in xpath(table, "w:tblPr/w:tblW"):
            if attr(tblw, "type") == "dxa":
                assert int(attr(tblw, "w")) <= width
            if attr(tblw, "type") == "pct":
                assert int(attr(tblw, "w").rstrip("%")) <= (100 if "%" in attr(tblw, "w") else 5000)
        grid = [int(attr(c, "w")) for c in xpath(table, "w:tblGrid/w:gridCol")]
        assert sum(grid) <= width, text_of(table)[:40]


def _needed(p: etree._Element) -> bool:
    """An empty paragraph Word requires: one carrying a page break or a
    section break, one between two tables (else they join), or the one
    ending the body after a table."""
    if xpath(p, "w:pPr/w:pageBreakBefore | w:pPr/w:sectPr"):
        return True
    before, after = p.getprevious(), p.getnext()
    tbl = f"{{{W}}}tbl"
    after_table = before is not None and before.tag == tbl
    return after_table and (after is None or after.tag in (tbl, f"{{{W}}}sectPr"))


@pytest.mark.parametrize(("audience", "lang"), BRIEFS)
def test_no_empty_paragraph_is_used_for_space(audience: str, lang: str) -> None:
    data, _ = built_in(audience, lang)
    body = part(data, "word/document.xml")
    for p in xpath(body, "/w:document/w:body/w:p"):
        if not xpath(p, "w:r | w:hyperlink | w:fldSimple") and not text_of(p):
            assert _needed(p), etree.tostring(p)[:300]
    assert not xpath(body, "//w:pStyle[@w:val='Spacer']")


def _key_messages(doc: m.Document) -> list[str]:
    box = next(b for b in doc.blocks if isinstance(b, m.Callout) and b.style == "key-messages")
    return [m.plain_text(n.children) for n in m.walk(box) if isinstance(n, m.Paragraph)]


@pytest.mark.parametrize(("audience", "lang"), BRIEFS)
def test_the_key_messages_are_list_paragraphs_in_one_bordered_shaded_box(
    audience: str, lang: str
) -> None:
    data, doc = built_in(audience, lang)
    body = part(data, "word/document.xml")
    first, last = (
        t.replace("\u2060", "")[:12] for t in (_key_messages(doc)[0], _key_messages(doc)[-1])
    )
    paragraphs = xpath(body, "/w:document/w:body/w:p")
    start = next(i for i, p in enumerate(paragraphs) if text_of(p).startswith(first))
    end = next(i for i, p in enumerate(paragraphs) if text_of(p).startswith(last))
    group = paragraphs[start : end + 1]
    assert not any(p.getparent().tag != f"{{{W}}}body" for p in group)  # in no table
    assert "ListBullet" in {style_of(p) for p in group}
    looks = {
        b"".join(etree.tostring(x) for x in xpath(p, "w:pPr/w:pBdr | w:pPr/w:shd | w:pPr/w:ind"))
        for p in group
    }
    assert len(looks) == 1  # the same rules, fill and indents: one box
    assert xpath(group[0], "w:pPr/w:pBdr/w:top") and xpath(group[0], "w:pPr/w:shd/@w:fill")
    # the paragraphs just outside the box are not in it
    for p in (paragraphs[start - 1], paragraphs[end + 1]):
        assert b"".join(etree.tostring(x) for x in xpath(p, "w:pPr/w:pBdr")) not in looks


# --------------------------------------------------------------------------
# The look of the PDF


def _style(styles: etree._Element, style_id: str) -> etree._Element:
    return xpath(styles, f"//w:style[@w:styleId='{style_id}']")[0]


def _inherited(styles: etree._Element, style_id: str, path: str) -> list:
    """``path`` in the style or the nearest style it is based on."""
    while style_id:
        style = _style(styles, style_id)
        found = xpath(style, path)
        if found:
            return found
        base = xpath(style, "w:basedOn/@w:val")
        style_id = base[0] if base else ""
    return []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_table_text_is_set_in_the_pdfs_table_face(lang: str) -> None:
    # the PDF sets cells in its heading face (sans), not the body's (serif)
    data, _ = built_in("policymakers", lang)
    styles = part(data, "word/styles.xml")
    for script in ("ascii", "eastAsia"):
        path = f"w:rPr/w:rFonts/@w:{script}"
        face = _inherited(styles, "TableText", path)
        assert face == _inherited(styles, "Heading1", path)
    assert _inherited(styles, "TableText", "w:rPr/w:rFonts/@w:ascii") != xpath(
        styles, "//w:style[@w:styleId='Normal']/w:rPr/w:rFonts/@w:ascii"
    )


def test_the_running_header_is_left_aligned_as_in_the_pdf() -> None:
    data, doc = built_in("policymakers", "en")
    styles = part(data, "word/styles.xml")
    headers = [
        p for name, root in parts(data).items() if "header" in name for p in xpath(root, "//w:p")
    ]
    running = [p for p in headers if text_of(p) == doc.meta.title.replace("\u2060", "")]
    assert running
    for p in running:
        direct = xpath(p, "w:pPr/w:jc/@w:val")
        assert (direct or _inherited(styles, style_of(p), "w:pPr/w:jc/@w:val")) in (
            ["left"],
            ["start"],
        )


def test_the_title_band_is_the_pdfs_brand_colour_with_its_accent_rule_under_it() -> None:
    data, doc = built_in("policymakers", "en")
    brand = dict(doc.meta.brand)
    primary = str(brand.get("primary", "#1F3A5F")).lstrip("#").upper()
    accent = str(brand.get("accent", "#C8102E")).lstrip("#").upper()
    styles = part(data, "word/styles.xml")
    for style in ("Title", "Subtitle"):
        assert _inherited(styles, style, "w:pPr/w:shd/@w:fill") == [primary]
        assert _inherited(styles, style, "w:pPr/w:pBdr/w:bottom/@w:color") == [accent]
        heading_face = _inherited(styles, "Heading1", "w:rPr/w:rFonts/@w:ascii")
        assert _inherited(styles, style, "w:rPr/w:rFonts/@w:ascii") == heading_face
    docx = open_docx(io.BytesIO(data))
    assert docx.paragraphs[0].style.name == "Title"
