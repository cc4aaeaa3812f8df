"""The Word writer: structure, styles, fields, notes and reproducibility,
checked by reopening the bytes with python-docx and with real clients."""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from reportgen import model as m
from reportgen.errors import RenderError
from reportgen.writers import WriterOptions
from reportgen.writers.docx import word_fonts, write

# --------------------------------------------------------------------------
# A small builder for hand-made documents

LABELS = (
    ("issuer", "Issued by"),
    ("number", "Brief no."),
    ("date", "Date"),
    ("contact", "Contact"),
    ("contents", "Contents"),
    ("page_of", "Page {page} of {pages}"),
)


def inl(*parts: object) -> tuple[m.Inline, ...]:
    """Strings become Text nodes; nodes pass through."""
    return tuple(m.Text(p) if isinstance(p, str) else p for p in parts)  # type: ignore[misc]


def para(*parts: object) -> m.Paragraph:
    return m.Paragraph(inl(*parts))


def heading(level: int, text: str, anchor: str | None = None) -> m.Heading:
    return m.Heading(level, inl(text), anchor or text.lower().replace(" ", "-"))


def item(*blocks: m.Block) -> m.ListItem:
    return m.ListItem(tuple(blocks))


def cells(*texts: str) -> tuple[m.TableCell, ...]:
    return tuple(m.TableCell(inl(t)) for t in texts)


def meta(**changes: object) -> m.Metadata:
    base = {
        "title": "Online drama licensing",
        "subtitle": "Options for the 2025 review",
        "author": "Policy Lab",
        "subject": "Audiovisual regulation",
        "keywords": ("drama", "licensing"),
        "lang": "en",
        "audience_label": "Municipal officials",
        "edition": "Full edition",
        "date": "2024-05-01",
        "date_text": "1 May 2024",
        "number": "2024-03",
        "timestamp": 1714521600,
        "labels": LABELS,
        "page_label": "Page {page} of {pages}",
    }
    base.update(changes)
    return m.Metadata(**base)  # type: ignore[arg-type]


def document(*blocks: m.Block, notes: tuple[m.Note, ...] = (), **changes: object) -> m.Document:
    return m.Document(meta(**changes), tuple(blocks), notes)


def render(doc: m.Document, **options: object) -> bytes:
    return write(doc, WriterOptions(**options))  # type: ignore[arg-type]


def reopen(data: bytes):  # -> docx.document.Document
    return open_docx(io.BytesIO(data))


def body_styles(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in reopen(data).paragraphs]


def part_xml(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}


def xpath(node: etree._Element, path: str) -> list:
    return etree.XPath(path, namespaces=NS)(node)  # python-docx elements override .xpath


def content_tables(docx):  # -> list[docx.table.Table]
    """The document's tables after the title block's facts."""
    return [t for t in docx.tables if t.style.name != "Title Facts"]


def sample(**changes: object) -> m.Document:
    """A brief with every kind of block and inline."""
    return document(
        heading(1, "Summary"),
        para("The market reached ", m.Strong(inl("225.5 billion yuan")), m.NoteRef(1), "."),
        m.KeyFigures(
            (
                m.KeyFigure(inl("225.5bn"), inl("market, 2023")),
                m.KeyFigure(inl("38%"), inl("watched on mobile")),
            ),
            title=inl("Key figures"),
        ),
        heading(2, "Why it matters"),
        m.BulletList((item(para("first bullet")), item(para("second bullet")))),
        m.OrderedList((item(para("option one")), item(para("option two")))),
        m.Table(
            cells("Option", "Cost"),
            (cells("Keep the rules", "0"), cells("Tighten licensing for platforms", "12.5")),
            ("left", "right"),
            caption=inl("Options compared"),
        ),
        m.Callout("note", (para("A boxed aside."),), title=inl("Legal basis")),
        m.BlockQuote((para("Quoted words."),)),
        m.ThematicBreak(),
        heading(1, "Options"),
        para("See ", m.Link("#summary", inl("the summary")), m.NoteRef(1), "."),
        notes=(m.Note(1, inl("CNSA report 2024, p. 12.")),),
        **changes,
    )


# --------------------------------------------------------------------------
# Structure and styles


def test_title_block_puts_title_and_subtitle_on_a_band_of_the_brand_colour() -> None:
    data = render(sample())
    docx = reopen(data)
    assert [(p.style.name, p.text) for p in docx.paragraphs[:2]] == [
        ("Title", "Online drama licensing"),
        ("Subtitle", "Options for the 2025 review"),
    ]
    styles = part_xml(data, "word/styles.xml")
    for name in ("Title", "Subtitle"):  # one box: the same fill and rules on both
        style = xpath(styles, f"//w:style[w:name/@w:val='{name}']")[0]
        assert xpath(style, "w:pPr/w:shd/@w:fill") == ["1F3A5F"]
        assert xpath(style, "w:pPr/w:pBdr/w:bottom/@w:color") == ["C8102E"]  # the accent rule


def _facts_rows(docx) -> list[list[str]]:  # -> each row's cells, a merged cell once
    facts = [t for t in docx.tables if t.style.name == "Title Facts"]
    assert len(facts) == 1
    return [[tc.xpath("string(.)") for tc in row._tr.tc_lst] for row in facts[0].rows]


def test_title_facts_name_the_issuer_number_date_and_contact() -> None:
    rows = _facts_rows(reopen(render(sample(contact="lab@example.org"))))
    labels = [text for row in rows[0::2] for text in row]
    values = [text for row in rows[1::2] for text in row]
    assert labels == ["ISSUED BY", "BRIEF NO.", "DATE", "CONTACT"]
    assert values == ["Policy Lab", "2024-03", "1 May 2024", "lab@example.org"]


def test_a_long_issuing_body_takes_a_row_of_its_own() -> None:
    issuer = "Research Office of the Municipal Committee on Culture and Tourism"
    rows = _facts_rows(reopen(render(sample(author=issuer, contact="research-office@example.org"))))
    assert rows[1] == [issuer]  # the second tier in the same table, under it
    assert rows[3][0] == "2024-03"


def test_the_page_follows_the_profiles_paper_and_margins() -> None:
    section = reopen(render(document(page_size="Letter", margins=(20, 30, 25, 35)))).sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((215.9, 279.4), abs=0.1)
    assert section.top_margin.mm == pytest.approx(20, abs=0.1)
    assert section.right_margin.mm == pytest.approx(30, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(25, abs=0.1)
    assert section.left_margin.mm == pytest.approx(35, abs=0.1)


def test_the_body_follows_the_title_block_unless_the_profile_asks_for_a_cover() -> None:
    def first_heading(data: bytes):  # -> the Summary heading's paragraph
        return next(p for p in reopen(data).paragraphs if p.text == "Summary")

    assert not first_heading(render(sample())).paragraph_format.page_break_before
    assert first_heading(render(sample(cover=True))).paragraph_format.page_break_before


def test_key_messages_are_a_ruled_box_under_their_label() -> None:
    box = m.Callout(
        "key-messages", (m.BulletList((item(para("First message.")),)),), inl("Key messages")
    )
    docx = reopen(render(document(box)))
    assert content_tables(docx) == []
    boxed = [
        p
        for p in docx.paragraphs
        if p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
    ]
    assert [(p.style.name, p.text) for p in boxed if p.style.name not in ("Title", "Subtitle")] == [
        ("Callout Title", "Key messages"),
        ("List Bullet", "First message."),
    ]
    for side in ("top", "left", "bottom", "right"):
        assert xpath(boxed[-1]._p, f"w:pPr/w:pBdr/w:{side}/@w:val") == ["single"]


def test_headings_use_heading_styles_and_deep_levels_clamp_to_three() -> None:
    doc = document(heading(1, "One"), heading(2, "Two"), heading(5, "Five"))
    paragraphs = body_styles(render(doc))
    assert ("Heading 1", "One") in paragraphs
    assert ("Heading 2", "Two") in paragraphs
    assert ("Heading 3", "Five") in paragraphs


def test_lists_use_list_styles_with_nested_levels() -> None:
    doc = document(
        m.BulletList((item(para("outer"), m.BulletList((item(para("inner")),))),)),
        m.OrderedList((item(para("first"), m.OrderedList((item(para("sub")),))),)),
    )
    paragraphs = body_styles(render(doc))
    assert ("List Bullet", "outer") in paragraphs
    assert ("List Bullet 2", "inner") in paragraphs
    assert ("List Number", "first") in paragraphs
    assert ("List Number 2", "sub") in paragraphs


def test_list_styles_are_backed_by_multilevel_numbering_definitions() -> None:
    docx = reopen(render(document(m.BulletList((item(para("x")),)))))
    style = docx.styles["List Bullet 2"].element
    num_id = xpath(style, "w:pPr/w:numPr/w:numId/@w:val")[0]
    assert xpath(style, "w:pPr/w:numPr/w:ilvl/@w:val") == ["1"]
    numbering = docx.part.numbering_part.element
    abstract = xpath(numbering, f"w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val")[0]
    levels = xpath(numbering, f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl")
    assert len(levels) >= 3


def test_each_ordered_list_restarts_at_its_own_start() -> None:
    doc = document(
        m.OrderedList((item(para("a")), item(para("b")))),
        para("between"),
        m.OrderedList((item(para("d")),), start=4),
    )
    docx = reopen(render(doc))
    numbering = docx.part.numbering_part.element
    starts = []
    for p in docx.paragraphs:
        if p.style.name == "List Number":
            num_id = xpath(p._p, "w:pPr/w:numPr/w:numId/@w:val")[0]
            override = f"w:num[@w:numId='{num_id}']/w:lvlOverride/w:startOverride/@w:val"
            starts.append((p.text, num_id, xpath(numbering, override)))
    (_, id_a, start_a), (_, id_b, _), (_, id_d, start_d) = starts
    assert id_a == id_b != id_d
    assert start_a == ["1"] and start_d == ["4"]


def test_table_holds_cell_text_in_the_brief_table_style() -> None:
    table = content_tables(reopen(render(sample())))[1]  # [0] is the key figures box
    assert table.style.name == "Brief Table"
    assert [c.text for c in table.rows[0].cells] == ["Option", "Cost"]
    assert [c.text for c in table.rows[2].cells] == ["Tighten licensing for platforms", "12.5"]
    assert table.rows[2].cells[1].paragraphs[0].alignment == 2  # right


def test_table_header_row_is_marked_to_repeat() -> None:
    table = content_tables(reopen(render(sample())))[1]
    assert xpath(table.rows[0]._tr, "w:trPr/w:tblHeader")
    assert not xpath(table.rows[1]._tr, "w:trPr/w:tblHeader")


def test_table_columns_are_sized_from_their_content() -> None:
    table = content_tables(reopen(render(sample())))[1]
    wide, narrow = (c.width for c in table.columns)
    assert wide > 2 * narrow


def test_table_caption_precedes_it_in_caption_style() -> None:
    paragraphs = body_styles(render(sample()))
    assert ("Caption", "Options compared") in paragraphs


def test_key_figures_are_a_styled_box_of_value_and_label() -> None:
    box = content_tables(reopen(render(sample())))[0]
    assert box.style.name == "Key Figures Table"
    first = box.cell(0, 0).paragraphs
    assert [(p.style.name, p.text) for p in first] == [
        ("Key Figure", "225.5bn"),
        ("Key Figure Label", "market, 2023"),
    ]


def test_callout_and_quote_use_their_styles() -> None:
    docx = reopen(render(sample()))
    callout = content_tables(docx)[2]
    assert callout.style.name == "Callout Box"
    assert [p.style.name for row in callout.rows for p in row.cells[0].paragraphs] == [
        "Callout Title",
        "Callout Text",
    ]
    assert ("Quote", "Quoted words.") in body_styles(render(sample()))


def test_headings_are_sans_in_the_brand_colour_and_keep_with_next() -> None:
    docx = reopen(render(document(heading(1, "x"), brand=(("primary", "#AA3300"),))))
    style = docx.styles["Heading 1"]
    assert str(style.font.color.rgb) == "AA3300"
    assert style.paragraph_format.keep_with_next
    assert xpath(style.element, "w:rPr/w:rFonts/@w:ascii") == ["Arial"]


def test_a_bad_brand_colour_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="primary"):
        render(document(brand=(("primary", "navy"),)))


# --------------------------------------------------------------------------
# Contents, header and footer


def test_no_contents_unless_the_profile_asks() -> None:
    assert not [s for s, _ in body_styles(render(sample())) if s.startswith("toc")]


def test_contents_entries_link_to_bookmarks_outside_a_toc_field() -> None:
    docx = reopen(render(sample(contents=True)))
    body = docx.element.body
    # a TOC field's cached numbers are what LibreOffice shows: not used
    assert not any("TOC" in t for t in xpath(body, ".//w:instrText/text()"))
    entries = [p for p in docx.paragraphs if re.fullmatch(r"toc \d", p.style.name)]
    assert [(p.style.name, p.text.split("\t")[0]) for p in entries] == [
        ("toc 1", "Summary"),
        ("toc 2", "Why it matters"),
        ("toc 1", "Options"),
    ]
    bookmarks = set(xpath(body, ".//w:bookmarkStart/@w:name"))
    anchors = [xpath(p._p, "w:hyperlink/@w:anchor")[0] for p in entries]
    assert set(anchors) <= bookmarks
    assert ("TOC Heading", "Contents") in body_styles(render(sample(contents=True)))


def test_contents_entries_keep_a_series_title_in_italics_and_drop_note_marks() -> None:
    title = m.Heading(2, (m.Emphasis(inl("Nothing But Thirty")), m.NoteRef(1)), "nbt")
    doc = document(title, notes=(m.Note(1, inl("Source.")),), contents=True)
    entry = next(p for p in reopen(render(doc)).paragraphs if p.style.name == "toc 2")
    assert entry.text.split("\t")[0] == "Nothing But Thirty"
    runs = xpath(entry._p, ".//w:r[w:t='Nothing But Thirty']/w:rPr/w:rStyle/@w:val")
    assert runs == ["Emphasis"]


def test_contents_page_numbers_are_pageref_fields_word_refreshes_on_opening() -> None:
    data = render(sample(contents=True))
    body = reopen(data).element.body
    kinds = xpath(body, ".//w:fldChar/@w:fldCharType")
    assert kinds.count("begin") == kinds.count("end")
    pagerefs = [t for t in xpath(body, ".//w:instrText/text()") if "PAGEREF" in t]
    assert len(pagerefs) == 3
    settings = part_xml(data, "word/settings.xml")
    assert xpath(settings, "w:updateFields/@w:val") == ["true"]


def test_headings_inside_boxes_quotes_and_lists_get_an_estimated_page_too() -> None:
    # the estimate looks for headings only among blocks (not in a table's
    # cells); those nested in containers must still be found
    rows = tuple(cells(f"row {n}", "value") for n in range(150))
    doc = document(
        heading(1, "Start"),
        m.Callout("note", (heading(2, "Boxed"), para("aside"))),
        m.Table(cells("Row", "Value"), rows, ("left", "left")),
        m.BlockQuote((heading(2, "Quoted"),)),
        m.BulletList((item(para("first"), heading(3, "Listed")),)),
        contents=True,
    )
    entries = [p.text for p in reopen(render(doc)).paragraphs if p.style.name.startswith("toc")]
    pages = {text.split("\t")[0]: text.split("\t")[-1] for text in entries}
    assert set(pages) == {"Start", "Boxed", "Quoted", "Listed"}
    assert all(page.isdigit() for page in pages.values())
    assert pages["Start"] == pages["Boxed"] < pages["Quoted"] <= pages["Listed"]


@pytest.mark.parametrize(
    ("text", "chars", "lines"),
    [
        ("abcd", 8, 1),
        ("国际合作", 8, 1),
        ("abcdefgh", 8, 1),
        ("国际合作伙", 8, 2),
        ("国" * 9, 8, 3),
    ],
)
def test_the_page_estimate_counts_wide_characters_as_two_columns(
    text: str, chars: int, lines: int
) -> None:
    # a text of at most half a line's characters is one line without
    # measuring; a longer one is measured, where CJK takes two columns
    from reportgen.writers.docx._page import _wrapped

    assert _wrapped(text, chars) == lines


@pytest.mark.parametrize("lines", [1, 2, 5])
@pytest.mark.parametrize(
    "text", ["word " * 20, "国际合作" * 10, "mixed 国际 “quoted” text " * 6, ""]
)
def test_a_text_fits_in_lines_as_its_measured_width_says(text: str, lines: int) -> None:
    # the keep rules skip measuring a text short enough to fit for sure;
    # a longer one is measured (CJK at two columns)
    from reportgen.writers.docx._page import _fits, _wrapped

    for chars in (8, 20, 40, 74):
        assert _fits(text, chars, lines) == (_wrapped(text, chars) <= lines)


def test_bookmark_names_are_word_safe_and_unique() -> None:
    long = "a-very-long-anchor-" * 4
    doc = document(
        heading(1, "One", "1-intro"),
        heading(1, "Two", long),
        heading(1, "Three", long + "x"),
        heading(1, "Four", "背景"),
    )
    body = reopen(render(doc)).element.body
    names = xpath(body, ".//w:bookmarkStart/@w:name")
    assert len(names) == len(set(names)) == 4
    for name in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name), name


def test_header_shows_the_title_and_footer_has_page_and_numpages_fields() -> None:
    section = reopen(render(sample())).sections[0]
    assert section.header.paragraphs[0].text == "Online drama licensing"
    for part in (section.footer, section.first_page_footer):  # page one is numbered too
        footer = part.paragraphs[0]
        instructions = [t.strip() for t in xpath(footer._p, ".//w:instrText/text()")]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert footer.text.startswith("Page ") and " of " in footer.text
    assert not section.first_page_header.paragraphs[0].text  # the band is the title there


def test_a_one_page_digest_has_no_page_number_fields() -> None:
    # "Page 1 of 1" on the one-page digest says nothing (audit4 item 22)
    section = reopen(render(sample(layout="digest"))).sections[0]
    for part in (section.footer, section.first_page_footer):
        footer = part.paragraphs[0]
        assert not xpath(footer._p, ".//w:instrText") and not footer.text


def test_a_dash_page_number_sits_in_the_middle_of_the_footer() -> None:
    footer = reopen(render(sample(page_label="\u2014 {page} \u2014"))).sections[0].footer
    paragraph = footer.paragraphs[0]
    assert paragraph.text == "\u2014 1 \u2014"
    assert paragraph.alignment == 1  # centre


def test_no_page_numbers_when_the_profile_turns_them_off() -> None:
    footer = reopen(render(sample(page_label=""))).sections[0].footer
    assert not xpath(footer.paragraphs[0]._p, ".//w:instrText")


# --------------------------------------------------------------------------
# Inline content


def test_hostile_text_round_trips_literally_without_control_characters() -> None:
    hostile = "<b>bold</b> & {{ 7*7 }} ]]> \x01\x0bend"
    paragraphs = body_styles(render(document(para(hostile))))
    assert ("Body Text", "<b>bold</b> & {{ 7*7 }} ]]> end") in paragraphs


def test_strong_emphasis_and_code_use_character_styles() -> None:
    doc = document(para(m.Strong(inl("b")), m.Emphasis(inl("i")), m.Code("c()")))
    p = reopen(render(doc)).paragraphs[-1]
    assert [(r.style.name, r.text) for r in p.runs] == [
        ("Strong", "b"),
        ("Emphasis", "i"),
        ("Verbatim Char", "c()"),
    ]


def test_external_links_are_hyperlink_relationships() -> None:
    doc = document(para(m.Link("https://example.org/a?b=1&c=2", inl("report"))))
    docx = reopen(render(doc))
    (link,) = xpath(docx.element.body, ".//w:hyperlink[@r:id]")
    rel = docx.part.rels[link.get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://example.org/a?b=1&c=2"


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:x",
        "file:///etc/passwd",
        "data:text/html,x",
        "vbscript:x",
        "#no-such-heading",
    ],
)
def test_unsafe_or_dangling_links_are_plain_text(href: str) -> None:
    docx = reopen(render(document(para("a ", m.Link(href, inl("link")), " b"))))
    assert not xpath(docx.element.body, ".//w:hyperlink[not(@w:anchor)]")
    assert "a link b" in [p.text for p in docx.paragraphs]
    assert not [r for r in docx.part.rels.values() if r.reltype == RT.HYPERLINK]


def test_internal_links_point_at_the_heading_bookmark() -> None:
    body = reopen(render(sample())).element.body
    heading_marks = xpath(body, ".//w:p[w:pPr/w:pStyle/@w:val='Heading1']/w:bookmarkStart/@w:name")
    body_links = xpath(body, ".//w:p[w:pPr/w:pStyle/@w:val='BodyText']/w:hyperlink/@w:anchor")
    assert body_links and set(body_links) <= set(heading_marks)


def test_line_breaks_are_word_breaks() -> None:
    p = reopen(render(document(para("one", m.LineBreak(), "two")))).paragraphs[-1]
    assert xpath(p._p, "w:r/w:br") and p.text == "one\ntwo"


# --------------------------------------------------------------------------
# Notes


def footnotes(data: bytes) -> etree._Element:
    return part_xml(data, "word/footnotes.xml")


def test_notes_become_footnotes_in_their_own_part() -> None:
    data = render(sample())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        types = z.read("[Content_Types].xml").decode()
    assert "footnotes+xml" in types
    notes = footnotes(data)
    assert xpath(notes, "w:footnote[@w:type='separator']/@w:id") == ["-1"]
    assert xpath(notes, "w:footnote[@w:type='continuationSeparator']/@w:id") == ["0"]
    (note,) = xpath(notes, "w:footnote[not(@w:type)]")
    assert "CNSA report 2024, p. 12." in "".join(xpath(note, ".//w:t/text()"))
    assert xpath(note, "w:p/w:pPr/w:pStyle/@w:val") == ["FootnoteText"]


def test_footnote_reference_runs_use_the_footnote_reference_style() -> None:
    body = reopen(render(sample())).element.body
    (ref,) = xpath(body, ".//w:r[w:footnoteReference]")
    assert xpath(ref, "w:rPr/w:rStyle/@w:val") == ["FootnoteReference"]


def test_a_second_reference_to_a_note_cross_references_the_first_footnote() -> None:
    body = reopen(render(sample())).element.body
    assert len(xpath(body, ".//w:footnoteReference")) == 1
    (mark,) = xpath(
        body, ".//w:bookmarkStart[following-sibling::w:r[1]/w:footnoteReference]/@w:name"
    )
    noteref = [t for t in xpath(body, ".//w:instrText/text()") if "NOTEREF" in t]
    assert noteref == [f" NOTEREF {mark} \\f \\h "]


@pytest.mark.parametrize(
    "text",
    [
        "plain",
        " lead",
        "trail ",
        "a\tb",
        "one\ntwo",
        "cr\r\nlf",
        "\t\n",
        "\xa0nbsp",
        "两\u3000",
        "",
    ],
)
@pytest.mark.parametrize("style", [(None, False, False), ("Strong", True, True)])
def test_a_run_is_built_as_python_docx_builds_it(text: str, style: tuple) -> None:
    # runs are made with lxml directly (the 10,000-row table's cost); the
    # XML must be what python-docx's run API makes of the same text
    from docx.oxml import OxmlElement
    from docx.text.font import Font

    from reportgen.writers.docx import _oxml as ox

    style_id, bold, italic = style
    expected = OxmlElement("w:r")
    if style_id:
        expected.style = style_id
        Font(expected).bold, Font(expected).italic = bold, italic
    expected.text = text
    assert etree.tostring(ox.run(text, style_id, bold, italic)) == etree.tostring(expected)
    assert type(ox.run(text)) is type(expected)  # python-docx's element class, CT_R


@pytest.mark.parametrize(
    "look",
    [
        {"size": 11.5, "bold": False, "colour": "1e2329", "before": 0, "after": 0, "line": 1.2},
        {"size": 12.5, "bold": True, "italic": True, "keep_next": True, "after": 4, "line": 1.1},
        {"size": 9.5, "left_cm": 0.63, "align": "CENTER", "before": 6},
        {"italic": False, "left_cm": 1.89, "align": "RIGHT", "line": 1.05},
        {},
    ],
)
def test_style_properties_are_written_as_python_docxs_setters_write_them(look: dict) -> None:
    # the writer builds each style's rPr and pPr in one go; the XML must be
    # what python-docx's Font and ParagraphFormat setters would have made
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    from reportgen.writers.docx import _oxml_styles as oxs

    get = look.get
    align = getattr(WD_ALIGN_PARAGRAPH, get("align", ""), None)
    theirs = open_docx().styles.add_style("Theirs", WD_STYLE_TYPE.PARAGRAPH)
    font, fmt = theirs.font, theirs.paragraph_format
    font.size = Pt(get("size")) if get("size") else None
    font.bold, font.italic = get("bold"), get("italic")
    if get("colour"):
        font.color.rgb = RGBColor.from_string(get("colour").upper())
    for name, value in [
        ("space_before", None if get("before") is None else Pt(get("before"))),
        ("space_after", None if get("after") is None else Pt(get("after"))),
        ("line_spacing", get("line")),
        ("keep_with_next", get("keep_next")),
        ("keep_together", get("keep_next")),
        ("alignment", align),
        ("left_indent", None if get("left_cm") is None else Cm(get("left_cm"))),
    ]:
        if value is not None:
            setattr(fmt, name, value)
    ours = open_docx().styles.add_style("Ours", WD_STYLE_TYPE.PARAGRAPH)
    rpr = ours.element.get_or_add_rPr()
    oxs.style_run_properties(rpr, None, get("size"), get("bold"), get("italic"), get("colour"))
    spacing = (get("before"), get("after"), get("line"))
    ppr = ours.element.get_or_add_pPr()
    oxs.style_paragraph_properties(ppr, spacing, bool(get("keep_next")), get("left_cm"), align)
    for tag in ("w:rPr", "w:pPr"):
        expected = theirs.element.find(qn(tag))
        expected = b"" if expected is None else etree.tostring(expected)
        got = etree.tostring(ours.element.find(qn(tag)))
        assert got == expected or (not expected and len(ours.element.find(qn(tag))) == 0)


@pytest.mark.parametrize("style_id", ["BodyText", None])
@pytest.mark.parametrize("keep", [False, True])
def test_a_paragraph_style_is_named_as_python_docx_names_it(
    style_id: str | None, keep: bool
) -> None:
    # a new paragraph gets its pPr made directly; one that has properties
    # already (keep: w:keepNext) takes python-docx's path, pStyle first
    from docx.oxml import OxmlElement

    from reportgen.writers.docx import _oxml as ox

    ours, theirs = OxmlElement("w:p"), OxmlElement("w:p")
    for p in (ours, theirs):
        p.append(ox.run("text"))
        if keep:
            ox.keep_with_next(p)
    theirs.style = style_id
    ox.set_paragraph_style(ours, style_id)
    assert etree.tostring(ours) == etree.tostring(theirs)


@pytest.mark.parametrize("drop", [(), ("w:compat",), ("w:compat", "w:rsids", "m:mathPr")])
def test_settings_get_their_new_children_where_python_docx_would_put_them(
    drop: tuple[str, ...],
) -> None:
    # the writer slots w:updateFields and w:footnotePr into the settings as
    # python-docx's insert_element_before does, before the first successor
    # the settings hold, whichever of them a reference document left out
    from docx.oxml import OxmlElement

    from reportgen.writers.docx import _oxml_format as oxf

    settings = open_docx().settings.element
    for tag in drop:
        settings.remove(settings.find(qn(tag)))
    ours, theirs = copy.deepcopy(settings), copy.deepcopy(settings)
    oxf.settings_update_fields(ours)
    oxf.settings_footnote_pr(ours)
    tail = oxf._SETTINGS_TAIL
    theirs.insert_element_before(OxmlElement("w:updateFields", {qn("w:val"): "true"}), *tail)
    pr = OxmlElement("w:footnotePr")
    for note_id in ("-1", "0"):
        pr.append(OxmlElement("w:footnote", {qn("w:id"): note_id}))
    theirs.insert_element_before(pr, *tail[tail.index("w:footnotePr") + 1 :])
    assert etree.tostring(ours) == etree.tostring(theirs)
    assert ours.find(qn("w:updateFields")) is not None


def test_an_element_of_another_class_than_python_docxs_is_a_render_error() -> None:
    from docx.oxml.text.paragraph import CT_P

    from reportgen.writers.docx import _oxml as ox

    assert isinstance(ox.element_as(CT_P, ox.el("w:p")), CT_P)
    with pytest.raises(RenderError, match=r"expected a CT_P, not '{.*}footnote'"):
        ox.element_as(CT_P, ox.el("w:footnote"))


def test_a_reference_to_a_missing_note_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="note 3"):
        render(document(para("x", m.NoteRef(3))))


# --------------------------------------------------------------------------
# Properties, language, reproducibility


def test_core_properties_come_from_the_metadata() -> None:
    props = reopen(render(sample())).core_properties
    assert props.title == "Online drama licensing"
    assert props.subject == "Audiovisual regulation"
    assert props.author == "Policy Lab"
    assert props.keywords == "drama, licensing"
    assert props.language == "en"
    assert props.created == dt.datetime(2024, 5, 1, tzinfo=dt.timezone.utc)
    assert props.modified == props.created
    assert props.last_modified_by == "reportgen"


def test_chinese_body_paragraphs_indent_their_first_line_by_two_characters() -> None:
    # 首行缩进2字符, as the PDF sets them (audit4 item 38)
    zh = reopen(render(document(para("网络视听市场"), lang="zh-CN")))
    body = zh.styles["Body Text"]
    size = (body.font.size or zh.styles["Normal"].font.size).pt
    assert body.paragraph_format.first_line_indent.pt == pytest.approx(2 * size)
    assert zh.paragraphs[-1].style.name == "Body Text"
    en = reopen(render(document(para("Online audiovisual market"))))
    assert not en.styles["Body Text"].paragraph_format.first_line_indent


def test_styles_carry_language_and_east_asian_fonts_for_chinese() -> None:
    data = render(document(para("网络视听市场"), lang="zh-CN"))
    styles = part_xml(data, "word/styles.xml")
    lang = xpath(styles, "w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    # Latin runs stay en-US (as in Word's Chinese templates); CJK runs are zh-CN
    assert lang.get(qn("w:val")) == "en-US" and lang.get(qn("w:eastAsia")) == "zh-CN"
    # the Windows names of the faces the PDF embeds for each role (GB/T 9704:
    # Song or FangSong for text, Hei for headings, Kai for the second level)
    words = word_fonts(WriterOptions())
    assert words["cjk_body"] in ("SimSun", "FangSong")
    assert xpath(styles, "w:docDefaults//w:rFonts/@w:eastAsia") == [words["cjk_body"]]
    for style_id, role in (("Heading1", "cjk_headings"), ("Heading2", "cjk_second")):
        east = f"w:style[@w:styleId='{style_id}']/w:rPr/w:rFonts/@w:eastAsia"
        assert xpath(styles, east) == [words[role]]
    assert reopen(data).core_properties.language == "zh-CN"


def test_the_same_document_gives_identical_bytes() -> None:
    assert render(sample()) == render(sample())


def test_zip_entries_have_fixed_times_and_content_types_first() -> None:
    with zipfile.ZipFile(io.BytesIO(render(sample()))) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_the_package_holds_what_python_docx_would_save() -> None:
    # the writer zips python-docx's members itself (once, with fixed times)
    from reportgen.writers.docx import _oxml as ox

    docx = reopen(render(sample()))
    raw = io.BytesIO()
    docx.save(raw)
    with zipfile.ZipFile(raw) as z:
        saved = {name: z.read(name) for name in z.namelist()}
    assert ox.package_members(docx) == saved


def test_an_unknown_block_is_a_clear_render_error() -> None:
    with pytest.raises(RenderError, match="cannot write a 'mystery' block"):
        render(document(type("Mystery", (), {"kind": "mystery"})()))  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Branding: reference document and logo


def reference_docx() -> bytes:
    ref = open_docx()
    ref.styles["Heading 1"].font.color.rgb = None
    ref.styles["Heading 1"].font.name = "Georgia"
    ref.add_paragraph("template body text that must go")
    out = io.BytesIO()
    ref.save(out)
    return out.getvalue()


def test_a_reference_docx_supplies_the_styles_and_loses_its_body() -> None:
    docx = reopen(render(sample(), reference_docx=reference_docx()))
    assert docx.styles["Heading 1"].font.name == "Georgia"
    assert "template body text that must go" not in [p.text for p in docx.paragraphs]
    assert content_tables(docx)[1].style.name == "Brief Table"  # added because it was missing
    assert ("Heading 1", "Summary") in [(p.style.name, p.text) for p in docx.paragraphs]


def _pstyle_of(data: bytes, text: str) -> list[str]:
    """The w:pStyle ids of the body paragraphs whose text is ``text``."""
    body = part_xml(data, "word/document.xml")
    return [
        "".join(xpath(p, "w:pPr/w:pStyle/@w:val"))
        for p in xpath(body, "//w:p")
        if "".join(xpath(p, ".//w:t/text()")) == text
    ]


def test_paragraphs_name_their_style_by_id_and_the_default_style_by_none() -> None:
    # the writer looks style ids up once per brief; it must still write
    # what python-docx writes: no w:pStyle for the document's default
    # paragraph style, whichever style a reference document makes default
    plain = render(sample())
    assert _pstyle_of(plain, "first bullet") == ["ListBullet"]
    header = xpath(part_xml(plain, "word/header2.xml"), "//w:p")
    assert header and not xpath(header[0], "w:pPr/w:pStyle")  # Normal, the default
    ref = open_docx()
    ref.styles.default(ref.styles["Normal"].type).element.set(qn("w:default"), "0")
    ref.styles["List Bullet"].element.set(qn("w:default"), "1")
    out = io.BytesIO()
    ref.save(out)
    data = render(sample(), reference_docx=out.getvalue())
    assert _pstyle_of(data, "first bullet") == [""]
    assert _pstyle_of(data, "Summary") == ["Heading1"]
    headers = [part_xml(data, f"word/header{n}.xml") for n in (1, 2)]
    assert ["Normal"] in [xpath(h, "//w:p/w:pPr/w:pStyle/@w:val") for h in headers]


def test_a_table_style_in_a_reference_docx_that_is_not_a_table_style_is_a_render_error() -> None:
    ref = open_docx()
    ref.styles.add_style("Brief Table", 1)  # a paragraph style of the table style's name
    out = io.BytesIO()
    ref.save(out)
    with pytest.raises(RenderError, match="Brief Table"):
        render(sample(), reference_docx=out.getvalue())


@pytest.mark.parametrize(
    ("name", "kind", "builtin", "style_id"),
    [
        ("Heading 1", 1, True, None),
        ("Caption", 1, True, None),
        ("Brief Table", 3, False, None),
        ("Verbatim Char", 2, False, None),
        ("toc 1", 1, True, "TOC1"),
    ],
)
def test_a_style_is_added_as_python_docx_adds_it(
    name: str, kind: int, builtin: bool, style_id: str | None
) -> None:
    # the writer makes new style elements itself; the XML must be what
    # python-docx's add_style (and a style_id set after it) writes
    from docx.enum.style import WD_STYLE_TYPE

    from reportgen.writers.docx import _oxml_styles as oxs

    template = open_docx().styles
    if name in template:
        template[name].delete()
    theirs = template.add_style(name, WD_STYLE_TYPE(kind), builtin=builtin)
    if style_id:
        theirs.style_id = style_id
    styles = open_docx().styles.element
    ours = oxs.add_style(styles, name, WD_STYLE_TYPE(kind), builtin, style_id)
    assert etree.tostring(ours.element) == etree.tostring(theirs.element)
    assert styles[-1] is ours.element and ours.name == name


def test_a_reference_list_style_numbered_without_a_list_is_a_render_error() -> None:
    # the schema lets w:numPr leave out w:numId; the writer cannot tell
    # which list such a style numbers by, and says so
    ref = open_docx()
    num_pr = ref.styles["List Number"].element.pPr.find(qn("w:numPr"))
    num_pr.remove(num_pr.find(qn("w:numId")))
    out = io.BytesIO()
    ref.save(out)
    with pytest.raises(RenderError, match="numbering has no w:numId in a w:numPr"):
        render(sample(), reference_docx=out.getvalue())


@pytest.mark.parametrize("reference", [False, True])
def test_every_style_keeps_its_parts_in_schema_order(reference: bool) -> None:
    # a style's parts are slotted in by the writer (w:basedOn, w:next,
    # w:qFormat, w:pPr, w:rPr), into the template's own styles too
    from reportgen.writers.docx._oxml_styles import _STYLE_ORDER

    data = render(sample(), **({"reference_docx": reference_docx()} if reference else {}))
    styles = part_xml(data, "word/styles.xml")
    for style in xpath(styles, "w:style"):
        names = [etree.QName(child).localname for child in style]
        assert names == sorted(names, key=_STYLE_ORDER.index), style.get(qn("w:styleId"))
    heading = xpath(styles, "w:style[@w:styleId='Heading1']")[0]
    parts = {etree.QName(child).localname: child for child in heading}
    assert parts["basedOn"].get(qn("w:val")) == "Normal"
    assert "semiHidden" not in parts and "unhideWhenUsed" not in parts
    if not reference:  # ours: restyled, next paragraph in Body Text
        assert parts["next"].get(qn("w:val")) == "BodyText" and "qFormat" in parts


def test_styles_are_found_by_the_names_python_docx_gives_them() -> None:
    # the writer reads the style names with lxml, not python-docx's proxies
    from reportgen.writers.docx import _oxml_styles as oxs

    ref = open_docx()
    ref.styles.add_style("Brief Table", 3).element.set(qn("w:styleId"), "Second")
    ref.styles.element.append(copy.deepcopy(ref.styles["Brief Table"].element))
    expected = {s.name.lower(): s.element for s in ref.styles if s.name}
    assert "heading 1" in expected  # 'heading 1' in styles.xml, 'Heading 1' to python-docx
    assert oxs.styles_by_name(ref.styles.element) == expected


def test_an_unreadable_reference_docx_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="reference"):
        render(sample(), reference_docx=b"not a zip")


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (31, 58, 95)).save(out, format="PNG")
    return out.getvalue()


def all_doc_prs(data: bytes) -> list[etree._Element]:
    return part_xml(data, "word/document.xml").xpath(".//*[local-name()='docPr']")


@pytest.mark.parametrize(("side", "column"), [("left", 0), ("right", -1)])
def test_the_logo_stands_beside_the_issuer_at_the_profiles_side(side: str, column: int) -> None:
    docx = reopen(render(sample(logo=side), logo=png_bytes()))
    first = next(t for t in docx.tables if t.style.name == "Title Facts")
    cell = first.rows[0].cells[column]
    assert xpath(cell._tc, ".//*[local-name()='docPr']")
    assert "Policy Lab" in [c.text for c in first.rows[1].cells]


@pytest.mark.parametrize("side", ["left", "right"])
def test_each_cell_beside_a_logo_is_as_wide_as_its_column(side: str) -> None:
    # widths are set along the grid's cells once (not column by column);
    # the logo's merged cell and the facts beside it keep their columns
    data = render(sample(logo=side), logo=png_bytes())
    body = part_xml(data, "word/document.xml")
    facts = xpath(body, "//w:tbl[w:tblPr/w:tblStyle/@w:val='TitleFacts']")
    assert facts
    for tbl in facts:
        grid = xpath(tbl, "w:tblGrid/w:gridCol/@w:w")
        for tr in xpath(tbl, "w:tr"):
            for column, tc in enumerate(xpath(tr, "w:tc")):
                if xpath(tc, "w:tcPr/w:vMerge[not(@w:val)]"):
                    continue  # the merged logo cell's lower half: the upper one counts
                assert xpath(tc, "w:tcPr/w:tcW/@w:w") == [grid[column]]


def test_the_logo_is_a_picture_with_alt_text() -> None:
    data = render(sample(), logo=png_bytes())
    (doc_pr,) = all_doc_prs(data)
    assert doc_pr.get("descr") == "Policy Lab"


def test_a_logo_that_is_not_an_image_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="logo"):
        render(sample(), logo=b"GIF? no")


def test_charts_are_pictures_with_alt_text_caption_and_source() -> None:
    pytest.importorskip("reportgen.charts")
    chart = m.Chart(
        "bar",
        "Market size",
        (
            m.ChartPoint(m.ChartText.of("2022"), 190, "190"),
            m.ChartPoint(m.ChartText.of("2023"), 225.5, "225.5"),
        ),
        caption="Market size, billion yuan",
        source="Source: CNSA 2024",
        alt="Bar chart: the market grew from 190 to 225.5 billion yuan",
    )
    data = render(document(chart, chart))
    doc_prs = all_doc_prs(data)
    assert len(doc_prs) == 2
    assert all(d.get("descr", "").startswith("Bar chart") for d in doc_prs)
    assert len({d.get("id") for d in doc_prs}) == 2
    paragraphs = body_styles(data)
    assert ("Caption", "Market size, billion yuan") in paragraphs
    assert ("Source", "Source: CNSA 2024") in paragraphs


# --------------------------------------------------------------------------
# Real clients


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandoc_reads_the_document(tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    path.write_bytes(render(sample()))
    text = subprocess.run(
        ["pandoc", "-f", "docx", "-t", "plain", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    text = " ".join(text.split())  # a no-break space (225.5 billion yuan) is a space
    for expected in (
        "Summary",
        "225.5 billion yuan",
        "Keep the rules",
        "CNSA report 2024",
        "A boxed aside",
        "Quoted words",
    ):
        assert expected in text


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_document_to_pdf(tmp_path: Path) -> None:
    path = tmp_path / "brief.docx"
    path.write_bytes(render(sample()))
    profile = (tmp_path / "profile").as_uri()  # own profile: no lock clash with other runs
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    pdf = tmp_path / "brief.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_narrow_columns_get_at_least_the_width_of_their_longest_word() -> None:
    def cell(text: str) -> m.TableCell:
        return m.TableCell((m.Text(text),))

    long = "a long description of the series and its buyers " * 8
    table = m.Table(
        (cell("Platform"), cell("Description")), ((cell("Netflix"), cell(long)),), ("left", "left")
    )
    grid = xpath(reopen(render(document(table))).tables[-1]._tbl, "w:tblGrid/w:gridCol/@w:w")
    widths = [int(w) for w in grid]
    # 9.5 pt table text, about 0.55 em a letter: 'Platform' needs ~42 pt
    assert widths[0] >= len("Platform") * 9.5 * 0.55 * 20
    assert widths[1] > 3 * widths[0]


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_pandocs_reference_docx_works_and_gets_our_missing_table_styles() -> None:
    reference = subprocess.run(
        ["pandoc", "--print-default-data-file", "reference.docx"],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    docx = reopen(render(sample(), reference_docx=reference))
    assert ("Heading 1", "Summary") in [(p.style.name, p.text) for p in docx.paragraphs]
    brief_table = docx.styles["Brief Table"].element
    assert xpath(brief_table, "w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd/@w:fill")
    assert xpath(docx.styles["toc 1"].element, "w:pPr/w:tabs/w:tab/@w:leader") == ["dot"]


# --------------------------------------------------------------------------
# The contents as a reader sees it: LibreOffice's own pagination

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and pdftotext are needed to see where pages fall",
)
#: a contents line: the entry, a dot leader, the page number
CONTENTS_LINE = re.compile(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$")


def libreoffice_pages(docx: Path) -> list[str]:
    """The text of each page as LibreOffice lays the .docx out."""
    profile = (docx.parent / "lo-profile").as_uri()  # its own profile: runs may overlap
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless"]
    command += ["--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    pdf = docx.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def heading_pages(pages: list[str], title: str) -> list[int]:
    """Pages with a line that is ``title`` (a note mark after it allowed)."""
    found = []
    for number, text in enumerate(pages, 1):
        for line in text.splitlines():
            rest = line.strip().removeprefix(title)
            if line.strip().startswith(title) and re.fullmatch(r"[\d,]*", rest):
                found.append(number)
    return found


@needs_soffice
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", ["policymakers", "industry", "international", "newsletter"])
def test_contents_page_numbers_match_the_pages_libreoffice_renders(
    tmp_path: Path, audience: str, lang: str
) -> None:
    from reportgen import fonts
    from reportgen.files import resources
    from reportgen.pipeline import BriefRequest, brief_payloads

    if lang == "zh" and fonts.cjk() is None:  # its charts need a Chinese font
        pytest.skip("no TrueType CJK font installed (fonts-arphic-gbsn00lp)")

    mine = tmp_path / "mine" / "audiences"
    mine.mkdir(parents=True)
    builtin = resources.builtin_templates() / "audiences" / f"{audience}.yaml"
    profile = builtin.read_text(encoding="utf-8") + "\ncontents: true\n"
    (mine / f"{audience}.yaml").write_text(profile, encoding="utf-8")
    request = BriefRequest(
        audience=audience, lang=lang, templates=mine.parent, formats=("docx",), output=tmp_path
    )
    (payload,) = brief_payloads(request).values()
    docx = tmp_path / "brief.docx"
    docx.write_bytes(payload)
    pages = libreoffice_pages(docx)
    lines = [ln for text in pages[:2] for ln in text.splitlines()]
    entries = [(m.group(1), int(m.group(2))) for m in map(CONTENTS_LINE.match, lines) if m]
    if audience == "newsletter":  # a one-page digest never has contents
        assert entries == []
        return
    assert len(entries) >= 3
    for title, number in entries:
        assert number in heading_pages(pages, title), f"{title!r} listed at {number}"


# --------------------------------------------------------------------------
# Chinese emphasis and the layout's unbreakable spans (layout.emphasis, layout.spans)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _runs_of(data: bytes) -> list[etree._Element]:
    return list(part_xml(data, "word/document.xml").iter(f"{W}r"))


def test_chinese_emphasis_is_upright_in_kai_and_latin_emphasis_stays_italic() -> None:
    emphasised = m.Emphasis(inl("“—”表示原文未提及出品方。", "Nothing But Thirty"))
    data = render(document(para("注：", emphasised), lang="zh-CN"))
    kai = word_fonts(WriterOptions())["cjk_second"]
    by_text = {"".join(r.itertext()): r for r in _runs_of(data)}
    chinese = by_text["“—”表示原文未提及出品方。"]
    assert chinese.find(f"{W}rPr/{W}i").get(f"{W}val") == "0"
    assert chinese.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == kai
    latin = by_text["Nothing But Thirty"]
    assert latin.find(f"{W}rPr/{W}rStyle").get(f"{W}val") == "Emphasis"
    assert latin.find(f"{W}rPr/{W}i") is None  # the Emphasis style's italic holds


def test_word_carries_headings_and_body_text_as_typed_with_nothing_hidden_in_them() -> None:
    words = "规模达到2255亿元（2023年），《二十不惑2》在中国（上海）热播"
    data = render(document(heading(1, "上海网络剧出海：片目推介"), para(words), lang="zh-CN"))
    texts = [p.text for p in reopen(data).paragraphs]
    assert any(t.endswith("上海网络剧出海：片目推介") for t in texts)
    assert words in texts  # Word's Find finds 2255亿元 as typed
    xml = part_xml(data, "word/document.xml")
    assert not any(ch in "".join(xml.itertext()) for ch in "\u200b\u200c\u200d\u2060\ufeff")


def test_a_latin_span_keeps_its_words_together_with_no_break_spaces_in_word() -> None:
    data = render(document(para("The base has drawn more than 2,880 companies since 2010.")))
    text = "".join(xpath(part_xml(data, "word/document.xml"), "//w:t/text()"))
    # "more / than" may break, "than 2,880 companies" may not
    assert "more than\u00a02,880\u00a0companies since" in text


def _rows_kept_with_next(data: bytes) -> list[bool]:
    """Per table row: does every paragraph in it keep with the next?"""
    tables = part_xml(data, "word/document.xml").iter(f"{W}tbl")
    table = next(t for t in tables if "Row 0" in "".join(t.itertext()))
    return [
        all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p"))
        for tr in table.iter(f"{W}tr")
    ]


def _table_of(n: int) -> m.Table:
    rows = tuple(cells(f"Row {i}", "figure") for i in range(n))
    return m.Table(cells("Item", "Value"), rows, ("left", "right"))


def test_a_short_word_table_keeps_every_row_with_the_next_so_it_never_splits() -> None:
    kept = _rows_kept_with_next(render(document(_table_of(5))))
    assert kept == [True] * 5 + [False]  # the header and rows 0-3; row 4 ends it


def test_a_long_word_table_keeps_two_rows_on_each_side_of_a_page_turn() -> None:
    kept = _rows_kept_with_next(render(document(_table_of(10))))
    # header + row 0 together at the top; rows 8 and 9 together at the end
    assert kept == [True, True] + [False] * 7 + [True, False]


def test_the_last_paragraph_keeps_the_one_before_it_on_the_last_page() -> None:
    data = render(document(*(para(f"Paragraph {n}.") for n in range(5))))
    body = part_xml(data, "word/document.xml").find(f"{W}body")
    paras = [p for p in body if p.tag == f"{W}p"]
    kept = [p.find(f"{W}pPr/{W}keepNext") is not None for p in paras]
    texts = ["".join(p.itertext()) for p in paras]
    assert texts[-2:] == ["Paragraph 3.", "Paragraph 4."]
    assert kept[-2:] == [True, False]
    assert kept[texts.index("Paragraph 2.")] is False  # only the end is bound


def test_a_one_line_opening_keeps_with_what_follows_its_heading_a_long_one_need_not() -> None:
    long_text = "A long opening paragraph that runs over several lines. " * 8
    doc = document(
        heading(1, "Reach abroad"),
        para("The source names two routes."),
        m.BulletList((item(para("selling abroad")), item(para("broadcasting abroad")))),
        heading(1, "Findings"),
        para(long_text),
        para("More."),
        para("The end."),  # the last two paragraphs keep together anyway
    )
    body = part_xml(render(doc), "word/document.xml").find(f"{W}body")
    kept = {
        "".join(p.itertext())[:20]: p.find(f"{W}pPr/{W}keepNext") is not None
        for p in body
        if p.tag == f"{W}p"
    }
    assert kept["The source names two"] is True
    assert kept[long_text[:20]] is False


def test_the_word_title_carries_no_word_joiner() -> None:
    title = "上海剧集：面向国际合作伙伴的片目推介"
    data = render(document(para("正文"), title=title, lang="zh-CN"))
    body = part_xml(data, "word/document.xml")
    texts = ["".join(p.itertext()) for p in body.iter(f"{W}p")]
    found = [text for text in texts if "片目推介" in text]
    assert found == [title]  # in the title band, searchable as typed


# --------------------------------------------------------------------------
# Page one and section openings as LibreOffice lays them out


def _first_key_message(doc: m.Document) -> str:
    box = next(b for b in doc.blocks if isinstance(b, m.Callout) and b.style == "key-messages")
    text = next(n for n in m.walk(box.blocks[0]) if isinstance(n, m.Paragraph))
    return m.plain_text(text.children)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@needs_soffice
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", ["policymakers", "industry", "international", "newsletter"])
def test_page_one_carries_the_first_key_message_as_libreoffice_lays_it_out(
    tmp_path: Path, audience: str, lang: str
) -> None:
    from reportgen import fonts
    from reportgen.pipeline import BriefRequest, render_brief, render_outputs

    if lang == "zh" and fonts.cjk() is None:  # its charts need a Chinese font
        pytest.skip("no TrueType CJK font installed (fonts-arphic-gbsn00lp)")
    request = BriefRequest(audience=audience, lang=lang, formats=("docx",), output=tmp_path)
    brief = render_brief(request)
    docx = tmp_path / "brief.docx"
    docx.write_bytes(render_outputs(brief, request)["docx"])
    first = _squeezed(_first_key_message(brief.document))
    assert first[:40] in _squeezed(libreoffice_pages(docx)[0])


def test_a_key_messages_box_is_a_paragraph_per_block_so_it_may_break_between_them() -> None:
    items = tuple(m.ListItem((para(f"Message {n}."),)) for n in range(3))
    box = m.Callout("key-messages", (m.BulletList(items), para("Our judgement.")))
    body = part_xml(render(document(heading(1, "Summary"), box)), "word/document.xml")
    band = "w:pPr/w:pStyle[@w:val='Title' or @w:val='Subtitle']"
    boxed = xpath(body, f"/w:document/w:body/w:p[w:pPr/w:pBdr][not({band})]")
    texts = ["".join(xpath(p, ".//w:t/text()")) for p in boxed]
    assert texts == ["Message 0.", "Message 1.", "Message 2.", "Our judgement."]
    assert not xpath(body, "//w:tbl[.//w:t='Message 0.']")


@needs_soffice
def test_a_key_messages_box_taller_than_page_ones_room_starts_on_page_one(
    tmp_path: Path,
) -> None:
    # less than a page, more than the room the text above leaves; its title
    # keeps with the next paragraph, which made LibreOffice move a one-row
    # box whole
    words = " ".join(["a message long enough to take three lines of the box"] * 4)
    items = tuple(m.ListItem((para(f"Message {n}: {words}."),)) for n in range(7))
    box = m.Callout("key-messages", (m.BulletList(items),), inl("Key messages"))
    lines = [para(f"Line {n} of the text above.") for n in range(14)]
    docx = tmp_path / "brief.docx"
    docx.write_bytes(render(document(*lines, heading(1, "Summary"), box)))
    first_page = libreoffice_pages(docx)[0]
    assert "Summary" in first_page and "Message 0:" in first_page


def test_a_short_lead_keeps_with_the_table_it_opens_and_long_text_does_not() -> None:
    leads = [para("The office weighed the evidence."), para("It recommends the following.")]
    text = para(" ".join(f"Sentence {n} of a paragraph of text." for n in range(40)))
    cell = m.TableCell((m.Text("x"),))
    short_table = m.Table((cell,), ((cell,),), ("left",))
    doc = document(heading(1, "A"), *leads, short_table, heading(1, "B"), text, short_table)
    body = part_xml(render(doc), "word/document.xml")
    kept = {
        "".join(xpath(p, ".//w:t/text()"))
        for p in xpath(body, "/w:document/w:body/w:p")
        if xpath(p, "w:pPr/w:keepNext")
    }
    assert {"The office weighed the evidence.", "It recommends the following."} <= kept
    assert not any(t.startswith("Sentence 0") for t in kept)


@needs_soffice
def test_the_chinese_masthead_and_table_headers_break_only_between_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportgen import fonts
    from reportgen.pipeline import BriefRequest, brief_payloads

    if fonts.cjk() is None:
        pytest.skip("no TrueType CJK font installed (fonts-arphic-gbsn00lp)")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796040000")  # 30 November 2026: the widest date
    request = BriefRequest(audience="international", lang="zh", formats=("docx",), output=tmp_path)
    (payload,) = brief_payloads(request).values()
    docx = tmp_path / "brief.docx"
    docx.write_bytes(payload)
    lines = [ln.strip() for page in libreoffice_pages(docx) for ln in page.splitlines()]
    # the title and subtitle whole, each on its line (not 国际合 / 作伙伴)
    assert "“上海出品”剧集出海记录" in lines
    assert "面向国际合作伙伴：海外购买、受欢迎情况与反响" in lines
    date = next(ln for ln in lines if ln.startswith("PRO-2026-"))
    assert "2026年11月30日" in re.sub(r"\s", "", date)  # not 30 / 日 on the next line
    assert not any(ln.endswith("英译本译") for ln in lines)


def test_a_document_number_keeps_plain_hyphens_so_find_matches_it_in_word() -> None:
    data = render(document(para("编号PRO-2026-N1ZH，2026年")))
    run = next(r for r in _runs_of(data) if "PRO" in "".join(r.itertext()))
    # one text element, no w:noBreakHyphen: Word's Find does not match "-"
    # with its own non-breaking hyphen, and an editor searches for the number
    assert [c.tag.removeprefix(W) for c in run if c.tag != f"{W}rPr"] == ["t"]
    assert "编号PRO-2026-N1ZH，2026年" in [p.text for p in reopen(data).paragraphs]


@needs_soffice
@pytest.mark.parametrize("filler", [3, 6])
def test_a_table_row_turns_a_page_whole(tmp_path: Path, filler: int) -> None:
    words = " ".join(["Words that fill the cell of this row for a few lines."] * 6)
    rows = tuple(cells(f"Item {n}", f"Row {n} begins. {words} Row {n} ends.") for n in range(10))
    lines = [para(f"Line {n} of the text above.") for n in range(filler)]
    docx = tmp_path / "brief.docx"
    docx.write_bytes(
        render(document(*lines, m.Table(cells("Item", "Detail"), rows, ("left",) * 2)))
    )
    pages = [re.sub(r"\s+", " ", page) for page in libreoffice_pages(docx)]
    for n in range(10):
        assert any(f"Row {n} begins" in page and f"Row {n} ends" in page for page in pages), n


def test_a_short_paragraph_keeps_its_lines_on_one_page_and_a_long_one_may_turn() -> None:
    # as the PDF keeps a short reference entry whole (audit4 item 24)
    short, long = "A short entry. " * 10, "A long paragraph of many lines. " * 60
    body = part_xml(render(document(para(short), para(long))), "word/document.xml")

    def kept(start: str) -> bool:
        (p,) = [p for p in xpath(body, "//w:body/w:p") if xpath(p, "string(.)").startswith(start)]
        return bool(xpath(p, "w:pPr/w:keepLines"))

    assert kept("A short") and not kept("A long")


def test_a_tables_source_line_takes_the_source_style_of_a_charts() -> None:
    # one caption style for sources in both writers (audit4 item 20)
    labels = (*LABELS, ("source", "Source"))
    line = para(m.Emphasis(inl("Source: table, para. 3.")))
    aside = para(m.Emphasis(inl("Sources vary.")))
    docx = reopen(render(document(line, aside, labels=labels)))
    styles = {p.text: p.style.name for p in docx.paragraphs if p.text}
    assert styles["Source: table, para. 3."] == "Source"
    assert styles["Sources vary."] == "Body Text"


def test_the_table_above_a_source_line_keeps_its_last_row_with_it() -> None:
    labels = (*LABELS, ("source", "Source"))
    table = m.Table(
        (m.TableCell(inl("Item")), m.TableCell(inl("Value"))),
        tuple((m.TableCell(inl(f"Row {n}")), m.TableCell(inl("1"))) for n in range(3)),
        ("left", "right"),
    )
    line = para(m.Emphasis(inl("Source: table, para. 3.")))
    body = part_xml(render(document(table, line, labels=labels)), "word/document.xml")
    rows = xpath(body, "//w:body/w:tbl[last()]/w:tr")
    assert xpath(rows[-1], ".//w:keepNext")
