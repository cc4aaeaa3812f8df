"""The PDF writer, tested on documents built by hand from model nodes.

Text is read back with pypdf; structure (outline, fonts, catalog) from
pypdf's object tree; ``qpdf --check`` and ``pdffonts`` when installed.
"""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFace

from reportgen import fonts
from reportgen.errors import RenderError
from reportgen.model import (
    BlockQuote,
    BulletList,
    Callout,
    Chart,
    ChartPoint,
    ChartText,
    Code,
    Document,
    Emphasis,
    Heading,
    KeyFigure,
    KeyFigures,
    Link,
    ListItem,
    Metadata,
    Note,
    NoteRef,
    OrderedList,
    Paragraph,
    Strong,
    Table,
    TableCell,
    Text,
    ThematicBreak,
    plain_text,
    walk,
)
from reportgen.writers import WriterOptions
from reportgen.writers.pdf import write

LABELS = (
    ("contents", "Contents"),
    ("notes", "Notes"),
    ("page_of", "Page {page} of {pages}"),
    ("issuer", "Issued by"),
    ("number", "Brief no."),
    ("date", "Date"),
    ("contact", "Contact"),
    ("key_messages", "Key messages"),
)


# --------------------------------------------------------------------------
# Building documents by hand


def t(text: str) -> tuple[Text]:
    return (Text(text),)


def para(*parts: object) -> Paragraph:
    return Paragraph(tuple(Text(p) if isinstance(p, str) else p for p in parts))


def heading(level: int, text: str, anchor: str | None = None) -> Heading:
    return Heading(level, t(text), anchor or text.lower().replace(" ", "-"))


def cell(text: str) -> TableCell:
    return TableCell(t(text))


def table(header: list[str], rows: list[list[str]], caption: str = "") -> Table:
    return Table(
        header=tuple(cell(h) for h in header),
        rows=tuple(tuple(cell(c) for c in row) for row in rows),
        align=("left",) + ("right",) * (len(header) - 1),
        caption=t(caption) if caption else (),
    )


def meta(**kw: object) -> Metadata:
    base: dict[str, object] = dict(
        title="Streaming Markets Brief",
        subtitle="What the 2023 numbers mean for licensing policy",
        author="Policy Unit",
        subject="Online audiovisual markets",
        keywords=("streaming", "licensing"),
        lang="en",
        audience="ministers",
        audience_label="Ministers' offices",
        edition="Second edition",
        date="2024-03-01",
        date_text="1 March 2024",
        number="2024-07",
        contact="unit@example.org",
        timestamp=1709251200,
        labels=LABELS,
        page_label="Page {page} of {pages}",
    )
    base.update(kw)
    return Metadata(**base)  # type: ignore[arg-type]


def document(*blocks: object, notes: tuple[Note, ...] = (), **meta_kw: object) -> Document:
    return Document(meta=meta(**meta_kw), blocks=tuple(blocks), notes=notes)  # type: ignore[arg-type]


def sample(**meta_kw: object) -> Document:
    """A brief that uses every block kind but charts."""
    return document(
        heading(1, "Summary"),
        para("The market grew ", Strong(t("fast")), " in 2023", NoteRef(1), "."),
        KeyFigures(
            items=(
                KeyFigure(t("225.5 bn yuan"), t("online audiovisual market, 2023")),
                KeyFigure(t("1.07 bn"), t("users of short video")),
                KeyFigure(t("+8.1%"), t("year-on-year growth")),
            ),
            title=t("Key figures"),
        ),
        heading(2, "Why it matters"),
        BulletList(
            (
                ListItem((para("Licensing rules were written for broadcast."),)),
                ListItem(
                    (
                        para("Platforms now commission most new drama."),
                        BulletList((ListItem((para("Nested point."),)),)),
                    )
                ),
            )
        ),
        heading(3, "Detail"),
        OrderedList((ListItem((para("First, at 98."),)), ListItem((para("Then 99."),))), start=98),
        Callout("note", (para("A boxed aside with ", Emphasis(t("emphasis")), "."),), t("Note")),
        BlockQuote((para("A quotation from the regulator."),)),
        ThematicBreak(),
        heading(1, "Evidence"),
        para("See ", Link("#summary", t("the summary")), " and ", Code("x = 1"), "."),
        table(
            ["Year", "Revenue", "Users"],
            [["2022", "208.6", "1.03"], ["2023", "225.5", "1.07"]],
            caption="Market size",
        ),
        notes=(Note(1, t("Industry report, 2024, p. 12.")),),
        **meta_kw,
    )


# --------------------------------------------------------------------------
# Reading PDFs back


def render(doc: Document, **opts: object) -> bytes:
    return write(doc, WriterOptions(**opts))  # type: ignore[arg-type]


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(data).pages]


def full_text(data: bytes) -> str:
    return "\n".join(page_texts(data))


def flat(text: str) -> str:
    return " ".join(text.split())


def outline_tree(data: bytes) -> list:
    """The outline as nested [title, [children...]] lists."""

    def walk(items: list) -> list:
        out: list = []
        for item in items:
            if isinstance(item, list):
                out[-1][1].extend(walk(item))
            else:
                out.append([item.title, []])
        return out

    return walk(reader(data).outline)


def font_descriptors(data: bytes) -> list[dict]:
    """(BaseFont, descriptor or None) of every font on every page, also
    fonts inside form XObjects."""
    found: dict[str, object] = {}

    def visit(resources: object) -> None:
        if resources is None:
            return
        res = resources.get_object()
        for ref in (res.get("/Font") or {}).values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            found[str(font["/BaseFont"])] = desc.get_object() if desc is not None else None
        for ref in (res.get("/XObject") or {}).values():
            visit(ref.get_object().get("/Resources"))

    for page in reader(data).pages:
        visit(page.get("/Resources"))
    return [{"name": name, "descriptor": desc} for name, desc in found.items()]


def save(tmp_path: Path, data: bytes, name: str = "out.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------
# Content and reading order


def test_sample_brief_text_appears_in_reading_order() -> None:
    text = flat(full_text(render(sample(contents=True))))
    order = [
        "Streaming Markets Brief",
        "What the 2023 numbers mean",
        "ISSUED BY",
        "Policy Unit",
        "1 March 2024",
        "unit@example.org",
        "Contents",
        "Summary",
        "The market grew fast in 2023",
        "225.5 bn yuan",
        "online audiovisual market, 2023",
        "Why it matters",
        "Licensing rules were written for broadcast.",
        "Nested point.",
        "Detail",
        "A boxed aside with emphasis.",
        "A quotation from the regulator.",
        "Evidence",
        "Market size",
        "Year Revenue Users",
        "2023 225.5 1.07",
        "Notes",
        "Industry report, 2024, p. 12.",
    ]
    at = 0
    for snippet in order:  # each must come after the one before
        found = text.find(snippet, at)
        assert found >= 0, f"{snippet!r} missing or out of order"
        at = found + len(snippet)


def test_ordered_list_numbers_start_at_the_given_start() -> None:
    text = flat(full_text(render(sample())))
    assert "98. First, at 98." in text
    assert "99. Then 99." in text


def test_every_page_footer_says_page_n_of_the_real_total() -> None:
    data = render(sample())
    pages = page_texts(data)
    assert len(pages) >= 2
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text


def test_total_pages_stay_right_when_the_contents_push_the_body_back() -> None:
    headings = [heading(1, f"Section {n}") for n in range(60)]
    data = render(document(*headings, contents=True))
    pages = page_texts(data)
    assert len(pages) > 3
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    assert "Page 1 of" in pages[0]


def test_a_brief_without_contents_is_laid_out_once_with_the_real_page_total(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reportgen.writers.pdf._layout import BriefTemplate

    passes: list[int] = []
    begin = BriefTemplate.handle_documentBegin
    monkeypatch.setattr(
        BriefTemplate, "handle_documentBegin", lambda self: passes.append(1) or begin(self)
    )
    blocks = [para("Filler text for a page. " * 40) for _ in range(12)]
    pages = page_texts(render(document(heading(1, "Body"), *blocks)))
    assert len(passes) == 1
    assert len(pages) >= 3
    for n, text in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in text


def test_running_header_carries_the_title_except_on_page_one() -> None:
    blocks = [para("Filler text for a page. " * 40) for _ in range(8)]
    pages = page_texts(render(document(heading(1, "Body"), *blocks, title="Header Title")))
    assert len(pages) >= 3
    assert all(p.count("Header Title") == 1 for p in pages[1:])
    assert pages[0].count("Header Title") == 1  # the title band only


def test_a_section_title_is_never_left_alone_above_its_first_subheading() -> None:
    filler = "Words that fill the page line after line until little room is left. " * 4
    for count in range(10, 22, 2):  # push the pair down the page step by step
        doc = document(
            *[para(filler) for _ in range(count)],
            heading(1, "Big Section"),
            heading(2, "Small Sub"),
            para("Body " * 80),
        )
        pages = page_texts(render(doc))
        where = [
            next(n for n, t in enumerate(pages) if h in t) for h in ("Big Section", "Small Sub")
        ]
        assert where[0] == where[1], count


def test_page_one_holds_the_title_block_and_the_opening_of_the_brief() -> None:
    first = flat(page_texts(render(sample()))[0])
    assert "Streaming Markets Brief" in first and "ISSUED BY" in first
    assert "The market grew fast in 2023" in first
    assert "Contents" not in first  # a short brief has no contents unless asked


def test_a_cover_page_holds_the_title_facts_and_contents_and_nothing_else() -> None:
    pages = page_texts(render(sample(cover=True, contents=True)))
    cover = flat(pages[0])
    assert "Streaming Markets Brief" in cover and "Policy Unit" in cover
    assert "Contents" in cover
    assert "The market grew" not in cover
    assert "The market grew fast in 2023" in flat(pages[1])


def test_contents_list_headings_with_their_page_numbers() -> None:
    cover = flat(page_texts(render(sample(cover=True, contents=True)))[0])
    assert re.search(r"Summary[ .]*2", cover)
    assert "Evidence" in cover and "Notes" in cover
    first = flat(page_texts(render(sample(contents=True)))[0])
    assert re.search(r"Summary[ .]*1", first)  # no cover: the summary starts on page one


def test_the_page_follows_the_profiles_paper_size() -> None:
    a4 = reader(render(document(para("x")))).pages[0].mediabox
    letter = reader(render(document(para("x"), page_size="Letter"))).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)


def test_the_margins_set_where_the_text_stands() -> None:
    def left_edge(margins: tuple[float, float, float, float]) -> float:
        found: list[float] = []
        page = reader(render(document(para("Leftmost words."), margins=margins))).pages[0]

        def seen(text: str, cm: list[float], tm: list[float], *_: object) -> None:
            if "Leftmost" in text:  # the text matrix's x, placed by the current matrix
                found.append(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])

        page.extract_text(visitor_text=seen)
        return found[0]

    assert left_edge((24, 20, 22, 20)) == pytest.approx(20 * 72 / 25.4, abs=1)
    assert left_edge((24, 40, 22, 50)) == pytest.approx(50 * 72 / 25.4, abs=1)


@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("\u2014 {page} \u2014", "\u2014 1 \u2014"),
        ("第 {page} 页 共 {pages} 页", "第 1 页 共 {pages} 页"),
    ],
)
def test_page_numbers_follow_the_profiles_style(label: str, shown: str) -> None:
    if not shown.startswith("\u2014") and fonts.cjk() is None:
        pytest.skip("no CJK TrueType font installed")
    pages = page_texts(render(sample(page_label=label)))  # more than one page: numbered
    assert shown.replace("{pages}", str(len(pages))) in pages[0]


def test_no_page_numbers_when_the_profile_turns_them_off() -> None:
    plain = document(para("x"), page_label="", date_text="", number="")
    lines = [ln.strip() for ln in page_texts(render(plain))[0].splitlines()]
    assert lines[-1] == "x"  # the last thing on the page is the text, no number under it


def test_key_messages_open_page_one_under_their_label() -> None:
    box = Callout(
        "key-messages",
        (BulletList((ListItem((para("First message."),)), ListItem((para("Second."),)))),),
        t("Key messages"),
    )
    first = flat(page_texts(render(document(box, heading(1, "Body"), para("Text."))))[0])
    assert first.index("Key messages") < first.index("First message.") < first.index("Body")


def test_body_lines_hold_60_to_80_characters(tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    prose = (
        "The city's support for going abroad pays for translation, for promotion at "
        "international festivals and for the sale of copyright, and it names the "
        "companies and series that receive it. "
    )
    path = save(tmp_path, render(document(*[para(prose * 3) for _ in range(6)])))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    body = [len(ln.strip()) for ln in text.splitlines() if "the" in ln and len(ln.strip()) > 30]
    assert len(body) > 20
    assert 60 <= statistics.median(body) <= 80


# --------------------------------------------------------------------------
# Structure: outline, catalog, metadata, fonts


def test_outline_has_every_heading_nested_by_level() -> None:
    tree = outline_tree(render(sample()))
    assert tree == [
        ["Summary", [["Why it matters", [["Detail", []]]]]],
        ["Evidence", []],
        ["Notes", []],
    ]


def test_headings_that_skip_a_level_still_nest_in_the_outline() -> None:
    doc = document(heading(1, "Top"), heading(3, "Deep"), heading(2, "Middle"))
    assert outline_tree(render(doc)) == [["Top", [["Deep", []], ["Middle", []]]]]


def test_headings_inside_callouts_get_outline_entries() -> None:
    doc = document(heading(1, "Top"), Callout("note", (heading(2, "Boxed"), para("Inside."))))
    assert outline_tree(render(doc)) == [["Top", [["Boxed", []]]]]


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_catalog_declares_the_document_language(lang: str) -> None:
    root = reader(render(document(para("Text."), lang=lang))).trailer["/Root"]
    assert root["/Lang"] == lang


def test_metadata_holds_title_author_subject_keywords_and_creator() -> None:
    info = reader(render(sample())).metadata
    assert info["/Title"] == "Streaming Markets Brief"
    assert info["/Author"] == "Policy Unit"
    assert info["/Subject"] == "Online audiovisual markets"
    assert info["/Keywords"] == "streaming, licensing"
    assert info["/Creator"] == "reportgen"


def test_file_dates_come_from_the_metadata_timestamp() -> None:
    info = reader(render(sample())).metadata
    assert info["/CreationDate"].startswith("D:20240301000000")
    assert info["/ModDate"] == info["/CreationDate"]


def test_every_font_is_an_embedded_truetype_subset() -> None:
    found = font_descriptors(render(sample()))
    assert found
    for font in found:
        assert font["descriptor"] is not None, font["name"]
        assert "/FontFile2" in font["descriptor"], font["name"]
        assert "+" in font["name"], font["name"]  # a subset tag


@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_pdffonts_reports_every_font_embedded(tmp_path: Path) -> None:
    path = save(tmp_path, render(sample()))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        emb = row[-26:].split()[0]  # columns: emb sub uni object ID
        assert emb == "yes", row
        assert "Helvetica" not in row and "Times" not in row


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf not installed")
def test_qpdf_check_passes(tmp_path: Path) -> None:
    path = save(tmp_path, render(sample()))
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_same_document_gives_identical_bytes() -> None:
    assert render(sample()) == render(sample())


def test_bytes_are_identical_in_a_fresh_process() -> None:
    script = (
        "import sys; sys.path.insert(0, 'tests');"
        "import test_writers_pdf as t;"
        "sys.stdout.buffer.write(t.render(t.sample()))"
    )
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=root, check=True)
    assert out.stdout == render(sample())


# --------------------------------------------------------------------------
# Tables


def test_long_table_splits_with_the_header_on_every_page() -> None:
    rows = [[f"Region {n}", f"{n * 3.5:.1f}", f"{n}"] for n in range(300)]
    data = render(document(heading(1, "Data"), table(["Place", "Amount", "Count"], rows)))
    pages = page_texts(data)[1:]  # after the cover
    assert len(pages) >= 5
    for text in pages:
        assert "Place Amount Count" in flat(text)
    body = flat(" ".join(pages))
    assert "Region 0 " in body and "Region 299 " in body


def test_row_taller_than_a_page_warns_and_is_continued() -> None:
    long_text = "A very long cell that goes on and on. " * 700
    doc = document(table(["Name", "Text"], [["short", long_text], ["after", "last row"]]))
    with pytest.warns(UserWarning, match="taller than a page"):
        data = render(doc)
    text = flat(full_text(data))
    assert text.count("goes") == 700  # every word kept, though split over pages
    assert "last row" in text


def test_rows_that_repeat_their_neighbours_cells_each_show_them() -> None:
    # equal cells of a column share one paragraph; each row still draws it
    rows = [[f"Series {i}", "Yaoke Media and a long producer name", "–"] for i in range(60)]
    text = flat(full_text(render(document(table(["Series", "Producer", "Reach"], rows)))))
    assert text.count("Yaoke Media and a long producer name") == 60
    assert all(f"Series {i} " in text for i in range(60))


def test_two_rows_taller_than_a_page_with_the_same_text_each_keep_every_word() -> None:
    # a tall row is cut from paragraphs of its own: cutting a shared one
    # would change the other row that holds it
    long_text = "A very long cell that goes on and on. " * 500
    doc = document(table(["Name", "Text"], [["one", long_text], ["two", long_text]]))
    with pytest.warns(UserWarning, match="taller than a page"):
        text = flat(full_text(render(doc)))
    assert text.count("goes") == 1000


def test_a_text_repeated_in_two_columns_wraps_at_each_columns_width() -> None:
    from reportgen.writers.pdf._table import _Cells

    ctx = _pdf_ctx()
    maker = _Cells(ctx, ["left", "left"])
    words = "several words that wrap differently in columns of other widths"
    first = maker.row((cell(words), cell(words)), "cell", "a table row 1")
    again = maker.row((cell(words), cell("other")), "cell", "a table row 2")
    own = maker.row((cell(words), cell(words)), "cell", "a table row 3", share=False)
    assert first[0] is again[0]  # same column, same markup: one paragraph
    assert first[0] is not first[1]  # another column may be another width
    assert own[0] is not first[0]


def test_a_missing_glyph_in_a_repeated_cell_is_reported_for_every_row() -> None:
    from reportgen.writers.pdf._table import _Cells

    ctx = _pdf_ctx()
    maker = _Cells(ctx, ["left"])
    for r in (1, 2):
        maker.row((cell("odd \U000f0000"),), "cell", f"a table row {r}")
    assert ctx.inline.fontset.missing["\U000f0000"] == [
        "a table row 1, column 1",
        "a table row 2, column 1",
    ]


def test_a_paragraph_wrapped_again_keeps_its_lines_only_at_the_same_width() -> None:
    from reportlab.lib.styles import ParagraphStyle

    from reportgen.writers.pdf._bold import BoldableParagraph

    p = BoldableParagraph("words that wrap " * 12, ParagraphStyle("s", leading=12))
    wide = p.wrap(400, 1e9)
    narrow = p.wrap(100, 1e9)
    assert narrow[1] > wide[1]
    assert p.wrap(100, 1e9) == narrow
    assert p.wrap(400, 1e9) == wide and len(p.blPara.lines) == wide[1] / 12
    # a width too narrow to wrap at is refused every time, not answered
    # with the lines of an earlier wrap
    assert p.wrap(1e-9, 1e9)[1] == p.wrap(1e-9, 1e9)[1] == 0x7FFFFFFF
    assert p.wrap(400, 1e9) == wide
    # a paragraph kept whole by its split is wrapped anew on the next page
    assert p.split(400, 20) == []
    assert p.wrap(400, 1e9) == wide


@pytest.mark.parametrize(
    "markup",
    [
        "plain words",
        "  spaced\n  over lines  ",
        "<i>Synthetic Series 12</i>",
        "<b><i> two tags </i></b>",
        "no\u00a0break here",
        '<font name="Helvetica-Bold">other face</font>',
        '<a href="#note-1" color="#112233">a link</a>',
    ],
)
def test_one_run_of_markup_gets_the_fragment_the_parser_would_make(markup: str) -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph as RLParagraph

    from reportgen.writers.pdf._frags import Fragments

    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)
    text, frags = Fragments().of(markup, style)
    parsed = RLParagraph(markup, style)
    assert frags is not None and len(parsed.frags) == 1
    made = RLParagraph(text, style, frags=frags)
    assert made.text == parsed.text
    assert vars(made.frags[0]) == vars(parsed.frags[0])
    assert made.wrap(60, 1e9) == parsed.wrap(60, 1e9)


@pytest.mark.parametrize(
    "markup",
    ["a &amp; b", "a <b>b</b> c", '<a name="k"/>text', "<greek>a</greek>", "", "<i></i>", "x<br/>"],
)
def test_markup_of_several_runs_entities_or_anchors_is_left_to_the_parser(markup: str) -> None:
    from reportlab.lib.styles import ParagraphStyle

    from reportgen.writers.pdf._frags import Fragments

    style = ParagraphStyle("s", fontName="Helvetica", fontSize=10, leading=12)
    assert Fragments().of(markup, style) == (markup, None)


def test_the_tight_kai_face_narrows_ideographs_alike_in_regular_and_bold() -> None:
    from reportlab.pdfbase import pdfmetrics

    from reportgen.writers.pdf import _fonts

    kai = _fonts.load(None).cjk_second
    if not kai.regular.endswith("-tight"):
        pytest.skip("no Kai face here that needs setting tight")
    full = kai.regular.removesuffix("-tight")
    width = pdfmetrics.stringWidth
    assert width("国", kai.regular, 10) == width("国", kai.bold, 10) < width("国", full, 10)
    assert width("A1", kai.regular, 10) == width("A1", kai.bold, 10) == width("A1", full, 10)


def test_a_chinese_line_has_the_words_reportlab_makes_of_its_characters() -> None:
    # lines are built from runs of one fragment, not character by character
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus.paragraph import makeCJKParaLine

    from reportgen.writers.pdf import _fonts
    from reportgen.writers.pdf._cjk import KinsokuParagraph

    face = _fonts.load(None).cjk.regular
    style = ParagraphStyle("zh", fontName=face, fontSize=12, leading=18, wordWrap="CJK")
    markup = "网络视听<b>市场规模</b>达到2255亿元，<i>同比</i>增长<br/>百分之八" * 3
    p = KinsokuParagraph(markup, style)
    p.wrap(150, 1e9)
    units, _, starts = p.blPara.rg_text
    ends = [*starts[1:], len(units)]
    assert len(p.blPara.lines) == len(starts) > 3
    for line, start, end in zip(p.blPara.lines, starts, ends, strict=True):
        made = makeCJKParaLine(units[start:end], 150, 0, 0, False, False)
        assert [(w.text, w.fontName) for w in line.words] == [
            (w.text, w.fontName) for w in made.words
        ]
        assert (line.ascent, line.descent, line.fontSize) == (
            made.ascent,
            made.descent,
            made.fontSize,
        )


def _pdf_ctx():  # the writer's private context, for its table cells
    from reportgen.writers.pdf import _fonts
    from reportgen.writers.pdf._inline import InlineRenderer
    from reportgen.writers.pdf._para import Ctx
    from reportgen.writers.pdf._styles import make_theme

    fontset = _fonts.load(None)
    inline = InlineRenderer(fontset, {}, frozenset(), "#000000")
    return Ctx(make_theme(meta(), fontset), inline, {}, 400.0)


def test_table_cells_keep_their_alignment_and_caption() -> None:
    text = flat(full_text(render(sample())))
    assert "Market size Year Revenue Users" in text


# --------------------------------------------------------------------------
# Hostile and awkward text


def test_markup_in_text_comes_out_literally() -> None:
    hostile = "<b>bold?</b> & </para> {{ 7*7 }} <font name='x'>"
    doc = document(
        heading(1, hostile, "h"),
        para(hostile),
        table(["<i>"], [[hostile]]),
        title="Title <b>&</b>",
        contents=True,
    )
    text = flat(full_text(render(doc)))
    assert text.count(hostile) == 4  # contents, heading, paragraph, table cell
    assert "Title <b>&</b>" in text
    assert "49" not in text


def test_control_characters_are_dropped() -> None:
    text = flat(full_text(render(document(para("bell\x07 and\x00 nul\x1b done")))))
    assert "bell and nul done" in text


def _annotations(data: bytes) -> list:
    annots = []
    for page in reader(data).pages:
        annots += [a.get_object() for a in page.get("/Annots") or []]
    return annots


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:x",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox",
    ],
)
def test_dangerous_links_are_plain_text(href: str) -> None:
    data = render(document(para("Click ", Link(href, t("here")), " now.")))
    assert "Click here now." in flat(full_text(data))
    uris = [a["/A"].get("/URI") for a in _annotations(data) if "/A" in a]
    assert not [u for u in uris if u is not None]


def test_web_links_are_live() -> None:
    data = render(document(para(Link("https://example.org/a?b=1&c=2", t("site")))))
    uris = [a["/A"]["/URI"] for a in _annotations(data) if "/A" in a and "/URI" in a["/A"]]
    assert uris == ["https://example.org/a?b=1&c=2"]


def test_anchor_links_and_note_numbers_jump_inside_the_document() -> None:
    data = render(sample(cover=True))  # the body starts on the second page
    pdf = reader(data)
    body = pdf.pages[1]
    links = [a.get_object() for a in body.get("/Annots") or []]
    dests = [a["/Dest"] for a in links if "/Dest" in a]
    assert len(dests) == 2  # the note number 1 and the '#summary' link
    note_page = next(i for i, text in enumerate(page_texts(data)) if "Industry report" in text)
    targets = {pdf.get_page_number(d[0].get_object()) for d in dests}
    assert targets == {1, note_page}


def test_unknown_block_kind_raises_render_error() -> None:
    class Odd:
        kind = "odd_block"

    with pytest.raises(RenderError, match="odd_block"):
        render(document(Odd()))


def test_bad_page_label_raises_render_error() -> None:
    with pytest.raises(RenderError, match="page_of"):
        render(document(para("x"), page_label="Page {n}"))


# --------------------------------------------------------------------------
# Fonts and scripts

needs_cjk = pytest.mark.skipif(fonts.cjk() is None, reason="no CJK TrueType font installed")


@needs_cjk
def test_cjk_title_renders_in_an_embedded_cjk_font() -> None:
    data = render(document(para("正文包含中文。"), title="流媒体市场简报"))
    text = full_text(data)
    assert "流媒体市场简报" in text and "正文包含中文。" in text
    names = [f["name"] for f in font_descriptors(data)]
    cjk = fonts.cjk()
    assert cjk is not None
    # the PDF names a font by the PostScript name inside the file
    ps_name = TTFontFace(str(cjk.path), subfontIndex=cjk.index).name.decode()
    assert any(ps_name in n for n in names), (ps_name, names)
    for font in font_descriptors(data):
        assert "/FontFile2" in font["descriptor"]


@needs_cjk
def test_a_chinese_bullet_list_shows_its_bullets() -> None:
    items = BulletList((ListItem((para("上海拥有全国首个国家级网络视听产业基地。"),)),))
    text = flat(full_text(render(document(items, lang="zh-CN", title="简报"))))
    assert "• 上海拥有" in text


@needs_cjk
def test_chinese_brief_lines_obey_kinsoku() -> None:
    sentence = "在线视听市场规模（2023年）达到二千二百亿元，同比增长百分之八；短视频用户达十亿。"
    doc = document(para(sentence * 12), lang="zh-CN", title="简报")
    lines = [ln.strip() for ln in full_text(render(doc)).splitlines() if ln.strip()]
    body = [ln for ln in lines if "在线" in ln or "增长" in ln]
    assert len(body) > 5
    for line in body:
        assert line[0] not in "，。、；：？！）》」』", line
        assert line[-1] not in "（《「『", line


@needs_cjk
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
def test_no_chinese_paragraph_ends_on_a_line_of_one_character(tmp_path: Path) -> None:
    # "奖¹。" or "质⁷。" alone on a line reads as a stray mark (audit4 item
    # 23): paragraphs of every length around a line's worth end on two or more
    paras = [para("汉" * n + "字", NoteRef(1), "。") for n in range(20, 90)]
    notes = (Note(1, t("资料来源。")),)
    path = save(tmp_path, render(document(*paras, notes=notes, lang="zh-CN", title="简报")))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [ln.strip() for ln in text.splitlines() if "汉" in ln or "字" in ln]
    last = [ln for ln in lines if ln.endswith("。")]
    assert len(last) == 70
    assert any(len(ln) < 10 for ln in last)  # short last lines occur, as they should
    for line in last:
        assert len(line.rstrip("。0123456789")) >= 2, line


def _runs(data: bytes) -> list[tuple[str, str]]:
    """(text, font name without subset prefix) of each text run."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:
        if text.strip() and font:
            runs.append((text, str(font.get("/BaseFont", "")).split("+", 1)[-1]))

    for page in reader(data).pages:
        page.extract_text(visitor_text=visit)
    return runs


def _line_starts(data: bytes, marker: str) -> list[tuple[float, float]]:
    """(x, font size) where each text run holding ``marker`` starts."""
    starts: list[tuple[float, float]] = []

    def visit(text: str, cm: list, tm: list, font: object, size: float) -> None:
        if marker in text:
            starts.append((cm[4] + tm[4], size))

    reader(data).pages[0].extract_text(visitor_text=visit)
    return starts


@needs_cjk
def test_a_chinese_body_paragraph_indents_its_first_line_by_two_characters() -> None:
    # 首行缩进2字符 (audit4 item 38); an English paragraph keeps block form
    zh = _line_starts(render(document(para("汉" * 80 + "。"), lang="zh-CN", title="简报")), "汉")
    assert len(zh) >= 3
    (first, size), rest = zh[0], [x for x, _ in zh[1:]]
    assert len(set(rest)) == 1 and first - rest[0] == pytest.approx(2 * size)
    en = _line_starts(render(document(para("Word " * 60))), "Word")
    assert len({round(x, 1) for x, _ in en}) == 1


@needs_cjk
def test_latin_words_in_chinese_text_are_spaced_and_quoted_in_the_latin_face() -> None:
    # the CJK face's spaces and ’ are full width: "Shanghai ’ s", and wide
    # gaps between the English words of a Chinese line (audit4 items 16, 24)
    doc = document(
        para("Online Audiovisual Content Creators Conference等活动，见Shanghai\u2019s Practice。"),
        lang="zh-CN",
        title="简报",
    )
    runs = _runs(render(doc))
    latin = {font for text, font in runs if "Audiovisual" in text or "Shanghai" in text}
    assert any("Online Audiovisual Content Creators Conference" in text for text, _ in runs)
    assert any("Shanghai\u2019s Practice" in text for text, _ in runs)
    chinese = {font for text, font in runs if "活动" in text}
    assert len(latin) == 1 and latin.isdisjoint(chinese), (latin, chinese)


@needs_cjk
def test_latin_digits_in_bold_chinese_text_take_the_bold_latin_face() -> None:
    doc = document(para(Strong(t("2880余家")), "企业入驻基地。"), lang="zh-CN", title="简报")
    digits = [font for text, font in _runs(render(doc)) if "2880" in text]
    assert digits and all(font.endswith("-Bold") for font in digits), digits


def test_a_character_no_font_has_raises_render_error() -> None:
    doc = document(heading(1, "Fine"), para("A symbol \U000f0000 here."))
    with pytest.raises(RenderError) as info:
        render(doc)
    assert "U+F0000" in str(info.value)
    assert "paragraph" in str(info.value) and "A symbol" in str(info.value)


def _no_cjk_fonts(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Search only an empty folder: no CJK TrueType font anywhere."""
    monkeypatch.setenv("REPORTGEN_FONT_DIRS", str(tmp_path))
    monkeypatch.setenv("REPORTGEN_FONT_DIRS_ONLY", "1")


def test_missing_cjk_font_falls_back_to_cid_font_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _no_cjk_fonts(monkeypatch, tmp_path)
    with pytest.warns(UserWarning, match="not embedded"):
        data = render(document(para("Latin and 中文 text.")))
    assert "Latin and 中文 text." in full_text(data)
    assert "STSong-Light" in [f["name"].lstrip("/") for f in font_descriptors(data)]


def test_missing_cjk_font_is_no_concern_for_a_latin_brief(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _no_cjk_fonts(monkeypatch, tmp_path)
    assert "Latin only." in full_text(render(document(para("Latin only."))))  # no warning


# --------------------------------------------------------------------------
# The CJK line breaker and the layout's spans (``<nobr>`` in the markup)


def _cjk_style() -> object:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # built in: no font file needed
    return ParagraphStyle("spans", fontName="STSong-Light", fontSize=10, wordWrap="CJK")


def _lines_of(made: Any) -> list[str]:
    return ["".join(getattr(w, "text", "") for w in ln.words) for ln in made.blPara.lines]


def _cjk_lines(markup: str, width: float) -> list[str]:
    from reportgen.writers.pdf._cjk import KinsokuParagraph

    made = KinsokuParagraph(markup, _cjk_style())
    made.wrap(width, 1000)
    return _lines_of(made)


def test_the_cjk_breaker_never_breaks_inside_a_span_even_one_set_in_two_faces() -> None:
    amount = '2<font name="Helvetica">255</font>亿元'
    assert _cjk_lines(f"规模达{amount}", 55) == ["规模达2255", "亿元"]
    assert _cjk_lines(f"规模达<nobr>{amount}</nobr>", 55) == ["规模达", "2255亿元"]


def test_two_spans_side_by_side_may_break_between_them() -> None:
    # a heading's pieces: 面向国际伙伴： and 片目推介, each whole
    assert _cjk_lines("<nobr>面向国际伙伴：</nobr><nobr>片目推介</nobr>", 95) == [
        "面向国际伙伴：",
        "片目推介",
    ]
    # one span too long for its line is still cut, as a last resort
    assert _cjk_lines("<nobr>面向国际伙伴：片目推介</nobr>", 95) == ["面向国际伙伴：片目", "推介"]


def test_the_part_of_a_split_paragraph_carried_over_keeps_its_spans() -> None:
    from reportgen.writers.pdf._cjk import KinsokuParagraph

    markup = "".join("上海网络视听"[: i % 6 + 1] + "<nobr>2255亿元</nobr>" for i in range(30))
    made = KinsokuParagraph(markup, _cjk_style())
    made.wrap(75, 1000)
    head, tail = made.split(75, 37)  # three lines on this page, the rest on the next
    tail.wrap(75, 1000)
    assert len(_lines_of(head)) == 3
    assert sum(line.count("2255亿元") for line in _lines_of(head) + _lines_of(tail)) == 30


def test_each_fragment_learns_its_span_from_the_markup_it_came_from() -> None:
    from reportlab.platypus import Paragraph

    from reportgen.writers.pdf._cjk import mark_spans

    markup = 'a &amp; <nobr>b<font name="Helvetica">c</font></nobr><nobr>d</nobr><br/>e'
    frags = Paragraph(markup, _cjk_style()).frags
    assert mark_spans(frags, markup)
    by_text = [(getattr(f, "text", ""), f.rg_span) for f in frags]
    # b and c one span in two faces, d another beside it
    assert [span for text, span in by_text if text in "bcd" and text] == [1, 1, 2]
    assert all(span is None for text, span in by_text if text not in "bcd")
    # text the markup does not hold (fragments of another paragraph): one span for all
    assert not mark_spans(frags, "<nobr>x</nobr>")
    assert {f.rg_span for f in frags if getattr(f, "nobr", False)} == {0}


# --------------------------------------------------------------------------
# Pictures


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (200, 80), (200, 16, 46)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize("side", ["left", "right"])
def test_logo_is_drawn_on_page_one_at_the_profiles_side(side: str) -> None:
    found: list[float] = []
    page = reader(render(sample(logo=side), logo=_png())).pages[0]
    page.extract_text(
        visitor_operand_before=lambda op, args, cm, tm: found.append(cm[4]) if op == b"Do" else 0
    )
    assert found, "no image drawn on page one"
    middle = float(page.mediabox.width) / 2
    assert (found[0] < middle) == (side == "left")


def test_logo_is_drawn_on_the_cover() -> None:
    data = render(sample(), logo=_png())
    xobjects = reader(data).pages[0]["/Resources"].get("/XObject") or {}
    assert any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())


def test_unreadable_logo_raises_render_error() -> None:
    with pytest.raises(RenderError, match="logo"):
        render(sample(), logo=b"not an image")


def test_a_tables_source_line_is_set_in_the_charts_source_style() -> None:
    # "*Source: ….*" under a table was italic body text, the chart's source a
    # small upright caption: one style for both now (audit4 item 20)
    chart = Chart(
        "bar", "Size", (ChartPoint(ChartText.of("2023"), 225.5),), source="Source: chart."
    )
    line = para(Emphasis(t("Source: table, para. 3.")))
    labels = (*LABELS, ("source", "Source"))
    data = render(document(line, chart, para(Emphasis(t("An aside."))), labels=labels))
    sized: dict[str, tuple[str, float]] = {}

    def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:
        if text.strip() and font:
            sized[text.strip()] = (str(font["/BaseFont"]).split("+", 1)[-1], size)

    reader(data).pages[0].extract_text(visitor_text=visit)
    assert sized["Source: table, para. 3."] == sized["Source: chart."]
    assert sized["An aside."] != sized["Source: chart."]  # other emphasis stays as it was


@pytest.mark.parametrize("filler", [20, 21, 22, 50, 51, 52])
def test_a_source_line_stays_on_the_page_of_its_table(filler: int) -> None:
    # 资料来源 alone at the top of a page, its table on the page before
    # (audit4, IZ p. 2): these filler counts bring the pair to a page's foot
    rows = [[f"Row {n}", f"{n}.5"] for n in range(4)]
    blocks = [para(f"Filler line {n}.") for n in range(filler)]
    line = para(Emphasis(t("Source: Liu and Jiang 2025, para. 3.")))
    labels = (*LABELS, ("source", "Source"))
    doc = document(*blocks, table(["Item", "Value"], rows), line, labels=labels)
    pages = page_texts(render(doc))
    (page,) = [n for n, text in enumerate(pages) if "Source: Liu" in text]
    assert "Row 3" in pages[page], filler


def test_chart_is_drawn_with_caption_and_source() -> None:
    pytest.importorskip("reportgen.charts")
    chart = Chart(
        "bar",
        "Market size",
        (
            ChartPoint(ChartText.of("2022"), 208.6, "208.6"),
            ChartPoint(ChartText.of("2023"), 225.5),
        ),
        caption="Figure 1: growth.",
        source="Source: report.",
    )
    data = render(document(heading(1, "Charts"), chart))
    text = flat(full_text(data))
    assert text.index("Market size") < text.index("Figure 1: growth.") < text.index("Source")
    for font in font_descriptors(data):
        assert font["descriptor"] is not None and "/FontFile2" in font["descriptor"]


def test_adjacent_note_numbers_are_separated_by_commas() -> None:
    notes = tuple(Note(n, t(f"Source {n}.")) for n in (1, 2))
    doc = document(para("Claim.", NoteRef(2), NoteRef(1)), notes=notes)
    assert "Claim.2,1" in flat(full_text(render(doc)))


def test_an_empty_document_is_one_page_without_a_page_number() -> None:
    # "Page 1 of 1" reads as a form left unfilled (audit4 item 22)
    pages = page_texts(render(document()))
    assert len(pages) == 1
    assert "Streaming Markets Brief" in pages[0] and "Page 1" not in pages[0]


def test_headings_sharing_an_anchor_each_get_an_outline_entry() -> None:
    doc = document(
        heading(1, "One", "same"), heading(1, "Two", "same"), para(Link("#same", t("x")))
    )
    assert outline_tree(render(doc)) == [["One", []], ["Two", []]]


def test_deep_headings_and_lists_render() -> None:
    deep = BulletList((ListItem((para("level 1"),)),))
    for depth in range(2, 6):
        deep = BulletList((ListItem((para(f"level {depth}"), deep)),))
    doc = document(heading(1, "A"), heading(2, "B"), heading(3, "C"), heading(4, "D"), deep)
    text = flat(full_text(render(doc)))
    assert all(f"level {n}" in text for n in range(1, 6))
    assert outline_tree(render(doc)) == [["A", [["B", [["C", [["D", []]]]]]]]]


def test_an_unusable_cjk_font_file_raises_render_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(RenderError, match=r"bogus\.ttf"):
        render(document(para("x")), cjk_font=bogus)


def _table_rows_by_page(data: bytes) -> list[list[int]]:
    """The numbers of the "Row n" cells on each page that holds some."""
    pages = [[int(n) for n in re.findall(r"Row (\d+)\b", text)] for text in page_texts(data)]
    return [rows for rows in pages if rows]


# 44 to 55 one-line paragraphs bring a table to every place at a page's foot
@pytest.mark.parametrize("filler", range(44, 56, 2))
def test_a_short_table_is_never_split_across_pages(filler: int) -> None:
    lines = [para(f"Line {n} of the text before the table.") for n in range(filler)]
    rows = [[f"Row {n}", "figure"] for n in range(5)]
    data = render(document(*lines, table(["Item", "Value"], rows)))
    assert _table_rows_by_page(data) == [[0, 1, 2, 3, 4]]


@pytest.mark.parametrize("filler", [45, 49, 54])
def test_a_long_table_turns_a_page_only_between_two_rows_or_more_on_each_side(
    filler: int,
) -> None:
    lines = [para(f"Line {n} of the text before the table.") for n in range(filler)]
    rows = [[f"Row {n}", "figure"] for n in range(12)]
    data = render(document(*lines, table(["Item", "Value"], rows)))
    parts = _table_rows_by_page(data)
    assert [row for part in parts for row in part] == list(range(12))
    assert all(len(part) >= 2 for part in parts), parts


# the filler brings the table's start to every place at a page's foot, and
# with it every place of its end
@pytest.mark.parametrize("filler", range(44, 56))
def test_a_table_over_many_pages_leaves_two_rows_or_more_on_each_page(filler: int) -> None:
    lines = [para(f"Line {n} of the text before the table.") for n in range(filler)]
    rows = [[f"Row {n}", "figure"] for n in range(80 + filler)]
    data = render(document(*lines, table(["Item", "Value"], rows)))
    parts = _table_rows_by_page(data)
    assert len(parts) >= 3
    assert [row for part in parts for row in part] == list(range(80 + filler))
    assert all(len(part) >= 2 for part in parts), [len(part) for part in parts]


def _noted_text(lines: int, notes: int = 6) -> Document:
    paras = [para(f"Line {n} of the text.", NoteRef(n % notes + 1)) for n in range(lines)]
    sources = tuple(Note(k, t(f"Liu and Jiang 2025, para. {k}.")) for k in range(1, notes + 1))
    return document(*paras, notes=sources)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
def test_short_notes_are_set_in_two_columns_each_read_down(tmp_path: Path) -> None:
    path = save(tmp_path, render(_noted_text(5)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pairs = [re.findall(r"(\d)\.\s+Liu", line) for line in text.splitlines() if "Liu" in line]
    assert pairs == [["1", "4"], ["2", "5"], ["3", "6"]]


@pytest.mark.parametrize("filler", range(21, 27))
def test_a_short_paragraph_is_never_split_across_pages(filler: int) -> None:
    # a four-line reference entry split 2 / 2 over a page turn read as two
    # entries and left a near-empty page (audit4 item 24); fillers of every
    # count bring the entry to every place at the page's foot
    entry = " ".join(f"word{i}" for i in range(1, 40))
    blocks = [para(f"Filler line {n}.") for n in range(filler)]
    pages = page_texts(render(document(*blocks, para(entry))))
    holding = [n for n, text in enumerate(pages) if "word1 " in text or "word39" in text]
    assert len(holding) == 1, (filler, holding)


# 48 to 57 lines of text bring the notes to every place at the last page's foot
@pytest.mark.parametrize("lines", range(48, 58))
def test_no_page_holds_the_notes_alone(lines: int) -> None:
    last = page_texts(render(_noted_text(lines)))[-1]
    assert "Liu and Jiang" in last and "of the text." in last


# --------------------------------------------------------------------------
# Section openings (layout.breaks.leads_into): a heading and its lead travel
# with the block they open


def _page_of(data: bytes, text: str) -> int:
    """The first page (from 1) whose text holds ``text``."""
    return next(n for n, page in enumerate(page_texts(data), 1) if text in page)


#: a table cell that takes two lines, so six rows outweigh a heading's room
_TWO_LINES = "Row {n} with a cell long enough to wrap onto a second line of the table"


# 74 to 82 lines of text bring the opening to the foot of page three
@pytest.mark.parametrize("filler", range(74, 84, 2))
def test_a_heading_and_its_lead_go_to_the_page_of_the_short_table_they_open(filler: int) -> None:
    lines = [para(f"Line {n} of the text before the section.") for n in range(filler)]
    rows = [[_TWO_LINES.format(n=n), "figure"] for n in range(6)]
    opening = [heading(1, "Recommendations"), para("The office recommends the following.")]
    data = render(document(*lines, *opening, table(["Item", "Value"], rows)))
    table_page = _page_of(data, "Row 0")
    assert _page_of(data, "Recommendations") == table_page
    assert _page_of(data, "recommends the following") == table_page


# 76 to 82 lines leave room at the foot for a heading and a few lines, not
# for a heading and its whole twelve-line paragraph
@pytest.mark.parametrize("filler", range(76, 84, 2))
def test_a_long_paragraph_after_a_heading_breaks_rather_than_moving_whole(filler: int) -> None:
    lines = [para(f"Line {n} of the text before the section.") for n in range(filler)]
    long_text = " ".join(f"Sentence {n} of the section's first paragraph." for n in range(20))
    data = render(document(*lines, heading(1, "Findings"), para(long_text)))
    heading_page = _page_of(data, "Findings")
    assert _page_of(data, "Sentence 0 of") == heading_page
    assert _page_of(data, "Sentence 19 of") == heading_page + 1


def _builtin_pdf(tmp_path: Path, audience: str, lang: str) -> bytes:
    from reportgen.pipeline import BriefRequest, brief_payloads

    request = BriefRequest(audience=audience, lang=lang, formats=("pdf",), output=tmp_path)
    (payload,) = brief_payloads(request).values()
    return payload


@pytest.mark.skipif(fonts.cjk() is None, reason="no TrueType CJK font (fonts-arphic-gbsn00lp)")
def test_the_chinese_recommendations_open_on_the_page_of_their_table(tmp_path: Path) -> None:
    from reportgen.layout import breaks
    from reportgen.pipeline import BriefRequest, render_brief, render_outputs

    request = BriefRequest(audience="policymakers", lang="zh", formats=("pdf",), output=tmp_path)
    brief = render_brief(request)
    blocks = brief.document.blocks
    pages = page_texts(render_outputs(brief, request)["pdf"])
    squeezed = [re.sub(r"\s", "", page) for page in pages]

    def page_of(node: object) -> int:
        text = re.sub(r"\s", "", plain_text(node.children))[:12]  # type: ignore[attr-defined]
        return next(n for n, page in enumerate(squeezed) if text in page)

    def heading_before(i: int) -> Heading:
        return next(b for b in reversed(blocks[:i]) if isinstance(b, Heading))

    # 七、对策建议's one-line "政策研究室提出以下建议。" (a longer paragraph, such
    # as 二、产业基础's five lines, may end a page on its own: breaks.is_lead)
    leads = [
        i
        for i in sorted(breaks.leads_into(blocks))
        if "对策建议" in plain_text(heading_before(i).children)
    ]
    assert leads
    for i in leads:
        table = next(b for b in blocks[i:] if isinstance(b, Table))
        # the first body cell: a header as short as 建议 is found on page one
        assert page_of(heading_before(i)) == page_of(blocks[i]) == page_of(table.rows[0][0])


@pytest.mark.skipif(fonts.cjk() is None, reason="no TrueType CJK font (fonts-arphic-gbsn00lp)")
def test_the_chinese_first_section_opens_under_the_key_messages_where_it_fits(
    tmp_path: Path,
) -> None:
    from reportgen.pipeline import BriefRequest, brief_payloads

    # imported here: a fresh-process test imports this module on its own
    from .conftest import data_text

    # two key messages leave room on page one for the first section's
    # heading, sub-heading and first lines: it must start there, not page two
    raw = yaml.safe_load(data_text())
    raw["key_messages"] = [
        k for k in raw["key_messages"] if "policymakers" in k.get("audiences", ["policymakers"])
    ][:2]
    path = tmp_path / "data.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    request = BriefRequest(
        data=path, audience="policymakers", lang="zh", formats=("pdf",), output=tmp_path
    )
    (payload,) = brief_payloads(request).values()
    first = page_texts(payload)[0]
    assert "一、政策工具" in first and "（一）资金扶持" in first


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", ["policymakers", "industry", "international", "newsletter"])
def test_page_one_carries_the_first_key_message(tmp_path: Path, audience: str, lang: str) -> None:
    from reportgen.pipeline import BriefRequest, render_brief, render_outputs

    if lang == "zh" and fonts.cjk() is None:
        pytest.skip("no TrueType CJK font installed (fonts-arphic-gbsn00lp)")
    request = BriefRequest(audience=audience, lang=lang, formats=("pdf",), output=tmp_path)
    brief = render_brief(request)
    box = next(
        b for b in brief.document.blocks if isinstance(b, Callout) and b.style == "key-messages"
    )
    first = next(n for n in walk(box.blocks[0]) if isinstance(n, Paragraph))
    message = re.sub(r"\s+", "", plain_text(first.children))[:40]
    page_one = re.sub(r"\s+", "", page_texts(render_outputs(brief, request)["pdf"])[0])
    assert message in page_one


def test_a_glyph_the_body_face_lacks_falls_back_after_plain_text_in_that_face() -> None:
    from reportgen.writers.pdf import _fonts
    from reportgen.writers.pdf._inline import InlineRenderer

    fontset = _fonts.load(None)
    body = fontset.serif
    others = [f.coverage for f in fontset.fallbacks() if f.coverage and f is not body]
    lacking = [
        ch
        for ch in "\u2654\u2691\u2603\u2230\u0e01"
        if ord(ch) not in (body.coverage or ()) and any(ord(ch) in c for c in others)
    ]
    if not lacking:
        pytest.skip("every fallback candidate is in the body face")
    inline = InlineRenderer(fontset, {}, frozenset(), "#000000")
    assert inline.text("Plain words", body) == "Plain words"
    marked = inline.text(f"Plain {lacking[0]} words", body)
    assert re.fullmatch(r'Plain <font name="[^"]+">.</font> words', marked), marked
    assert inline.text("Plain words & more", body) == "Plain words &amp; more"
