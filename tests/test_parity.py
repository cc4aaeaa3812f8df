"""Word and PDF made from one model carry the same text in the same order:
headings, paragraphs, list items, table cells, key figures and notes."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from itertools import pairwise

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from reportgen import model as m
from reportgen.pipeline import BriefRequest, render_brief, render_outputs
from reportgen.writers import WriterOptions
from reportgen.writers import docx as docx_writer
from reportgen.writers import pdf as pdf_writer

AUDIENCES = ["policymakers", "newsletter"]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def segments(inlines: tuple) -> list[str]:
    """The runs of text of ``inlines`` between note references (PDF prints
    note numbers inline, Word puts them in footnote marks)."""
    out, current = [], []
    for node in inlines:
        if isinstance(node, m.NoteRef):
            out.append("".join(current))
            current = []
        else:
            current.append(m.plain_text((node,)))
    out.append("".join(current))
    return [squash(s) for s in out if squash(s)]


def units(doc: m.Document) -> list[str]:
    """Every piece of text a reader sees, in reading order."""
    found: list[str] = []
    for node in m.walk(doc):
        if isinstance(node, (m.Heading, m.Paragraph, m.TableCell)):
            found += segments(node.children)
        elif isinstance(node, m.KeyFigure):
            found += segments(node.value) + segments(node.label)
        elif isinstance(node, m.Chart):
            found += [squash(node.caption), squash(node.source)]
    return [u for u in found if u]


def body_text_docx(payload: bytes) -> str:
    """Body paragraphs and table cells in document order, then footnotes."""
    document = docx.Document(io.BytesIO(payload))
    parts = []
    for element in document.element.body.iter(qn("w:p")):
        parts.append("".join(t.text or "" for t in element.iter(qn("w:t"))))
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        notes = (
            z.read("word/footnotes.xml").decode("utf-8")
            if "word/footnotes.xml" in z.namelist()
            else ""
        )
    parts.append(re.sub(r"<[^>]+>", "", notes))
    return squash("".join(parts))


def body_text_pdf(payload: bytes) -> str:
    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(payload)).pages))


def assert_in_order(pieces: list[str], text: str, where: str) -> None:
    position = 0
    for piece in pieces:
        found = text.find(piece, position)
        assert found >= 0, f"{where}: {piece!r} missing after position {position}"
        position = found + len(piece)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_pdf_and_docx_carry_the_same_text_in_the_same_order(audience: str) -> None:
    request = BriefRequest(audience=audience, formats=("pdf", "docx"))
    brief = render_brief(request)
    outputs = render_outputs(brief, request)
    pieces = units(brief.document)
    notes = [squash(m.plain_text(n.children)) for n in brief.document.notes]
    # the one-page digest holds its key messages, the limits and the source
    assert len(pieces) > (5 if audience == "newsletter" else 10)
    assert_in_order(pieces, body_text_pdf(outputs["pdf"]), "pdf")
    assert_in_order(pieces, body_text_docx(outputs["docx"]), "docx")
    for note in notes:
        assert note in body_text_pdf(outputs["pdf"]) and note in body_text_docx(outputs["docx"])


# --------------------------------------------------------------------------
# The same decisions: links kept, key-figure grid, column proportions,
# heading numbers, unbreakable spans (issue 19 item 7). Each test builds one
# model, renders it with both writers and reads the decision back out of
# each file.


def both(doc: m.Document) -> tuple[bytes, bytes]:
    options = WriterOptions()
    return pdf_writer.write(doc, options), docx_writer.write(doc, options)


def meta(lang: str = "en", **changes: object) -> m.Metadata:
    return m.Metadata(title="Parity", lang=lang, date="2025-01-01", **changes)  # type: ignore[arg-type]


SCHEMES = {
    "https://example.org/a": True,
    "http://example.org/b": True,
    "mailto:desk@example.org": True,
    "ftp://example.org/c": False,
    "javascript:alert(1)": False,
    "file:///etc/passwd": False,
    "data:text/html,x": False,
    "relative/page.html": False,
}


def pdf_uris(payload: bytes) -> set[str]:
    found = set()
    for page in PdfReader(io.BytesIO(payload)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                found.add(str(action["/URI"]))
    return found


def docx_uris(payload: bytes) -> set[str]:
    document = docx.Document(io.BytesIO(payload))
    return {
        rel.target_ref
        for rel in document.part.rels.values()
        if rel.reltype.endswith("/hyperlink") and rel.is_external
    }


def test_both_writers_keep_the_same_links_live() -> None:
    links = tuple(m.Link(href, (m.Text(f"link {n}"),)) for n, href in enumerate(SCHEMES))
    gaps = tuple(node for link in links for node in (link, m.Text(" ")))
    doc = m.Document(meta(), (m.Paragraph(gaps),))
    pdf, word = both(doc)
    live = {href for href, kept in SCHEMES.items() if kept}
    assert pdf_uris(pdf) == live
    assert docx_uris(word) == live
    # the words of a dead link stay in both
    assert "link3" in body_text_pdf(pdf) and "link3" in body_text_docx(word)


def page_point(cm: list[float], tm: list[float]) -> tuple[float, float]:
    """Where a text run starts on the page: its text matrix through the CTM."""
    x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
    y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
    return round(x, 1), round(y, 1)


def figure_positions(payload: bytes, values: list[str]) -> dict[str, tuple[float, float]]:
    """Where each key-figure value is drawn on page one (x, y)."""
    found: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() in values:
            found.setdefault(text.strip(), page_point(cm, tm))

    PdfReader(io.BytesIO(payload)).pages[0].extract_text(visitor_text=visit)
    return found


def docx_key_figure_grid(payload: bytes) -> tuple[int, int]:
    document = docx.Document(io.BytesIO(payload))
    style_id = document.styles["Key Figures Table"].style_id
    for table in document.tables:
        style = table._tbl.tblPr.find(qn("w:tblStyle"))
        if style is not None and style.get(qn("w:val")) == style_id:
            columns = len(table._tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))
            return columns, len(table.rows)
    raise AssertionError("no key-figures table in the .docx")


@pytest.mark.parametrize("n", range(1, 10))
def test_both_writers_lay_out_key_figures_in_the_same_grid(n: int) -> None:
    values = [f"V{i}X" for i in range(1, n + 1)]
    items = tuple(m.KeyFigure((m.Text(v),), (m.Text("label"),)) for v in values)
    pdf, word = both(m.Document(meta(), (m.KeyFigures(items),)))
    positions = figure_positions(pdf, values)
    assert set(positions) == set(values)
    pdf_grid = (len({x for x, _ in positions.values()}), len({y for _, y in positions.values()}))
    assert pdf_grid == docx_key_figure_grid(word)


def cell(text: str) -> m.TableCell:
    return m.TableCell((m.Text(text),))


TABLES = {
    "narrow": (
        ["Year", "Revenue", "Users"],
        [["2022", "208.6", "1.03"], ["2023", "225.5", "1.07"]],
    ),
    "wide": (
        ["Series", "Producer", "Platform", "How it went abroad"],
        [
            ["Nothing But Thirty", "Ningmeng", "Netflix", "popular on Netflix and YouTube " * 3],
            ["Little Min's Family", "Yaoke", "Disney+", "global rights bought by Disney+"],
        ],
    ),
    "chinese": (
        ["剧名", "出品方", "出海方式"],
        [
            ["《二十不惑2》", "柠萌影业", "Netflix购买，覆盖100余个国家和地区"],
            ["《小敏家》", "原文未提及", "Disney+购买全球版权"],
        ],
    ),
}


def pdf_column_starts(payload: bytes, header: list[str]) -> list[float]:
    starts: dict[str, float] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        for name in header:
            if text.strip().startswith(name) and name not in starts:
                starts[name] = page_point(cm, tm)[0]

    PdfReader(io.BytesIO(payload)).pages[0].extract_text(visitor_text=visit)
    return [starts[name] for name in header]


def docx_column_widths(payload: bytes) -> list[int]:
    table = docx.Document(io.BytesIO(payload)).tables[-1]
    grid = table._tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    return [int(col.get(qn("w:w"))) for col in grid]


@pytest.mark.parametrize("name", TABLES)
def test_both_writers_give_table_columns_the_same_proportions(name: str) -> None:
    header, rows = TABLES[name]
    table = m.Table(
        tuple(cell(h) for h in header),
        tuple(tuple(cell(c) for c in row) for row in rows),
        ("left",) * len(header),
    )
    lang = "zh" if name == "chinese" else "en"
    pdf, word = both(m.Document(meta(lang), (table,)))
    # every column but the last, as a share of their sum: the PDF's from
    # where the header texts start (cells share one padding), the .docx's grid
    starts = pdf_column_starts(pdf, header)
    pdf_widths = [b - a for a, b in pairwise(starts)]
    word_widths = docx_column_widths(word)[:-1]
    pdf_shares = [w / sum(pdf_widths) for w in pdf_widths]
    word_shares = [w / sum(word_widths) for w in word_widths]
    assert pdf_shares == pytest.approx(word_shares, abs=0.02)


def outline_titles(payload: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(payload))

    def walk_outline(items: list) -> list[str]:
        out: list[str] = []
        for item in items:
            if isinstance(item, list):
                out += walk_outline(item)
            else:
                out.append(str(item.title))
        return out

    return walk_outline(reader.outline)


def numbered_doc(sections: list[str], numbering: str = "auto", lang: str = "zh") -> m.Document:
    blocks: list[m.Block] = []
    for n, title in enumerate(sections):
        blocks.append(m.Heading(1, (m.Text(title),), f"s{n}"))
        blocks.append(m.Heading(2, (m.Text(f"{title}甲"),), f"s{n}a"))
        blocks.append(m.Heading(2, (m.Text(f"{title}乙"),), f"s{n}b"))
        blocks.append(m.Paragraph((m.Text("正文。"),)))
    summary = m.Heading(1, (m.Text("内容提要"),), "summary", numbered=False)
    return m.Document(meta(lang, numbering=numbering, contents=True), (summary, *blocks))


def docx_headings(payload: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(payload))
    paragraphs = document.paragraphs
    return [p.text for p in paragraphs if p.style.name.startswith("Heading")]


def docx_contents(payload: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(payload))
    entries = [p.text for p in document.paragraphs if p.style.name.startswith("toc")]
    return [entry.split("\t")[0] for entry in entries]


def test_both_writers_number_headings_alike_in_text_contents_and_bookmarks() -> None:
    pdf, word = both(numbered_doc(["政策", "产业", "案例"]))
    expected = [
        "内容提要",
        "一、政策",
        "（一）政策甲",
        "（二）政策乙",
        "二、产业",
        "（一）产业甲",
        "（二）产业乙",
        "三、案例",
        "（一）案例甲",
        "（二）案例乙",
    ]
    assert docx_headings(word) == expected
    assert docx_contents(word) == expected
    assert outline_titles(pdf) == expected
    text = body_text_pdf(pdf)
    assert_in_order([squash(e) for e in expected], text, "pdf")
    assert "两" not in text and "两" not in body_text_docx(word)


def test_leaving_out_a_section_renumbers_the_rest_in_both_writers() -> None:
    pdf, word = both(numbered_doc(["政策", "案例"]))
    assert "二、案例" in outline_titles(pdf) and "二、案例" in docx_headings(word)
    assert "三、案例" not in body_text_pdf(pdf) + body_text_docx(word)


def test_english_headings_are_numbered_only_when_the_profile_asks() -> None:
    pdf, word = both(numbered_doc(["Policy"], lang="en"))
    assert "Policy" in outline_titles(pdf) and "Policy" in docx_headings(word)
    pdf, word = both(numbered_doc(["Policy"], numbering="decimal", lang="en"))
    assert "1. Policy" in outline_titles(pdf) and "1. Policy" in docx_headings(word)
    assert "1.1 Policy甲" in outline_titles(pdf) and "1.1 Policy甲" in docx_headings(word)


UNITS = "亿元年个余"


def chinese_text_doc() -> m.Document:
    """Paragraphs dense with numbers, units, titles and note marks, each
    sentence a little longer than the last, so that without the layout's
    rules some number would meet a line end with its unit."""
    children: list[m.Inline] = []
    for i in range(1, 25):
        filler = "产业" * (i % 7)
        children += [
            m.Text(f"{filler}第{i}年规模达到{2200 + i}亿元，覆盖{100 + i}余个国家，"),
            m.Text(f"《二十不惑{i}》于{2000 + i}年播出。"),
            m.NoteRef(1 + i % 3),
            m.NoteRef(2 + i % 2),
            m.Text("企业，"),
            m.NoteRef(1),
            m.Text(f"{2010 + i}年起步"),
        ]
    notes = tuple(m.Note(n, (m.Text(f"来源{n}。"),)) for n in range(1, 5))
    return m.Document(meta("zh"), (m.Paragraph(tuple(children)),), notes)


def broken_lines(text: str) -> list[str]:
    """Line ends the rules forbid: a digit whose unit starts the next line,
    a line starting with closing punctuation or with a note mark before it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    found = [line for line in lines if line[0] in "，。、；：？！）》"]
    found += [line for line in lines if re.match(r"^\d+[,，。]", line)]
    found += [f"{a} | {b}" for a, b in pairwise(lines) if a[-1].isdigit() and b[0] in UNITS]
    return found


def test_no_pdf_line_breaks_inside_a_number_and_unit_or_before_a_note_mark(tmp_path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    pdf, _ = both(chinese_text_doc())
    path = tmp_path / "brief.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert len(text.splitlines()) > 20  # the paragraph really wraps
    assert broken_lines(text) == []
    assert "。1" not in squash(text)  # the mark goes before the full stop


def test_the_docx_holds_the_same_unbreakable_spans_and_note_order() -> None:
    _, word = both(chinese_text_doc())
    with zipfile.ZipFile(io.BytesIO(word)) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    # Word breaks between ideographs as Chinese setting allows, and obeys
    # kinsoku by itself: its text is the text as typed, nothing hidden in it
    assert "2201亿元" in xml and "《二十不惑1》" in xml
    assert "\u2060" not in xml
    # the mark before the comma, never between the comma and a number
    assert "企业，</w:t>" not in xml and "<w:t>，2011年起步</w:t>" in xml
    assert "2201亿元" in body_text_docx(word)
    # each of the 24 pairs of adjacent marks has a comma between its marks
    assert xml.count("<w:t>,</w:t>") == 24
