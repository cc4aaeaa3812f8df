"""Page labels ('Page {page} of {pages}'), parsed once by the layout
(``page.label_parts``) and drawn by each writer its own way: the same label
reads the same in the PDF (pdftotext) as in the .docx (its runs and its
PAGE and NUMPAGES fields), doubled braces printing one brace in both; a
placeholder that is not one is refused when the labels are loaded."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph
from pypdf import PdfReader

from reportgen.cli import main
from reportgen.errors import RenderError
from reportgen.layout.page import LabelPart, label_parts, label_text

from .conftest import labels_folder, refused
from .test_writers_docx import render as docx_render
from .test_writers_pdf import document as pdf_document
from .test_writers_pdf import para as pdf_para
from .test_writers_pdf import render as pdf_render

PAGE, PAGES = LabelPart("page"), LabelPart("pages")


def text(value: str) -> LabelPart:
    return LabelPart("text", value)


@pytest.mark.parametrize(
    ("label", "parts"),
    [
        ("Page {page} of {pages}", (text("Page "), PAGE, text(" of "), PAGES)),
        ("\u2014 {page} \u2014", (text("\u2014 "), PAGE, text(" \u2014"))),
        ("{{page}}", (text("{page}"),)),
        ("{{{page}}} of }}{pages}{{", (text("{"), PAGE, text("} of }"), PAGES, text("{"))),
        ("no number", (text("no number"),)),
        ("", ()),
    ],
)
def test_a_label_is_text_and_the_two_numbers_with_doubled_braces_as_braces(
    label: str, parts: tuple[LabelPart, ...]
) -> None:
    assert label_parts(label) == parts


def test_a_label_prints_the_numbers_of_the_page() -> None:
    assert label_text(label_parts("Page {page} of {pages} {{draft}}"), 3, 12) == (
        "Page 3 of 12 {draft}"
    )


@pytest.mark.parametrize(
    "bad", ["Page {n}", "{Page}", "{page", "page}", "{}", "{page.__class__}", "{pages:>9}"]
)
def test_any_other_brace_is_refused_naming_the_label_and_what_to_write(bad: str) -> None:
    with pytest.raises(ValueError, match=r"page_of.*use only \{page\}, \{pages\}") as caught:
        label_parts(bad)
    assert repr(bad) in str(caught.value)


def test_an_unknown_placeholder_stops_the_brief_when_the_labels_are_loaded(
    runner: CliRunner, in_tmp: Path
) -> None:
    labels_folder(in_tmp / "t", "Page {page} of {total}")
    refused(
        runner,
        in_tmp,
        ["brief", "-t", "t", "-a", "international", "-f", "docx"],
        "t/labels.yaml:",
        "label 'page_of'",
        "'{total}' is not a placeholder",
        "use only {page}, {pages} (and {{ or }} for a literal brace)",
    )


# --------------------------------------------------------------------------
# The same label in both writers


def pdf_footers(path: Path, pages: int) -> list[str]:
    """The last line of each page as pdftotext reads it: the footer."""
    footers = []
    for n in range(1, pages + 1):
        run = ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"]
        lines = subprocess.run(run, capture_output=True, text=True, check=True).stdout
        footers.append(" ".join([ln for ln in lines.splitlines() if ln.strip()][-1].split()))
    return footers


def word_label(paragraph: DocxParagraph) -> list[str | tuple[str]]:
    """A footer paragraph as its literal text and its fields' codes (a
    field's cached result left out: Word fills it in)."""
    out: list[str | tuple[str]] = []
    state, code = "text", ""
    for node in paragraph._p.iter(qn("w:t"), qn("w:fldChar"), qn("w:instrText")):
        if node.tag == qn("w:fldChar"):
            kind = node.get(qn("w:fldCharType"))
            state = {"begin": "code", "separate": "result", "end": "text"}[kind]
            if kind == "begin":
                code = ""
            elif kind == "end":
                out.append((code.strip(),))
        elif node.tag == qn("w:instrText"):
            code += node.text or ""
        elif state == "text":
            out.append(node.text or "")
    return out


def as_word_shows(parts: list[str | tuple[str]], page: int, pages: int) -> str:
    fields = {"PAGE": str(page), "NUMPAGES": str(pages)}
    return "".join(p if isinstance(p, str) else fields[p[0]] for p in parts)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
@pytest.mark.parametrize(
    ("label", "first", "fields"),
    [
        ("Page {page} of {pages}", "Page 1 of #", ["PAGE", "NUMPAGES"]),
        ("{{page}}", "{page}", []),
        ("p. {page}/{pages} {{draft}}", "p. 1/# {draft}", ["PAGE", "NUMPAGES"]),
        ("{{{page}}} of }}{pages}{{", "{1} of }#{", ["PAGE", "NUMPAGES"]),
    ],
)
def test_a_label_reads_the_same_in_the_pdf_and_in_word(
    runner: CliRunner, in_tmp: Path, label: str, first: str, fields: list[str]
) -> None:
    labels_folder(in_tmp / "t", label)
    args = ["brief", "-t", "t", "-a", "international", "-f", "pdf", "-f", "docx", "-o", "out/"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    (pdf,), (docx,) = sorted(in_tmp.glob("out/*.pdf")), sorted(in_tmp.glob("out/*.docx"))
    pages = len(PdfReader(pdf).pages)
    assert pages > 1  # numbered (a page of its own is not)
    printed = pdf_footers(pdf, pages)
    assert printed[0] == first.replace("#", str(pages))
    section = open_docx(str(docx)).sections[0]
    on_first = word_label(section.first_page_footer.paragraphs[0])
    on_later = word_label(section.footer.paragraphs[0])
    shown = [as_word_shows(on_first, 1, pages)]
    shown += [as_word_shows(on_later, n, pages) for n in range(2, pages + 1)]
    assert shown == printed
    # Word draws the numbers as fields it fills in, never as typed digits
    for parts in (on_first, on_later):
        assert [p[0] for p in parts if isinstance(p, tuple)] == fields


@pytest.mark.parametrize("render", [pdf_render, docx_render], ids=["pdf", "docx"])
def test_a_writer_given_a_bad_label_refuses_it(render: Callable[..., bytes]) -> None:
    with pytest.raises(RenderError, match=r"'Page \{n\}'.*use only \{page\}, \{pages\}"):
        render(pdf_document(pdf_para("x"), page_label="Page {n}"))
