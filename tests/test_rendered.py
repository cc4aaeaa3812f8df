"""What a writer hands back: the bytes, and the pages and fonts read once at
the writer boundary, checked against pypdf and python-docx reopening them."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from reportgen.pipeline import BriefRequest, render_brief, render_formats
from reportgen.writers.rendered import Rendered, describe_pdf, pdf_pages

from .conftest import needs_cjk

# the default brief prints Chinese series titles
pytestmark = needs_cjk


@pytest.fixture(scope="module")
def rendered() -> dict[str, Rendered]:
    request = BriefRequest(formats=("pdf", "docx", "md"))
    return render_formats(render_brief(request), request)


def test_a_pdf_knows_how_many_pages_it_has(rendered: dict[str, Rendered]) -> None:
    pdf = rendered["pdf"]
    assert pdf.pages == len(PdfReader(io.BytesIO(pdf.payload)).pages) >= 2


def test_a_pdf_names_the_fonts_it_embeds_without_their_subset_tags(
    rendered: dict[str, Rendered],
) -> None:
    reader = PdfReader(io.BytesIO(rendered["pdf"].payload))
    embedded = {
        str(font["/BaseFont"]).lstrip("/").split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert set(rendered["pdf"].fonts) >= embedded and embedded


def test_a_docx_leaves_its_pages_to_the_word_processor_and_names_its_fonts(
    rendered: dict[str, Rendered],
) -> None:
    word = rendered["docx"]
    assert word.pages is None
    document = docx.Document(io.BytesIO(word.payload))
    body_font = document.styles["Normal"].font.name
    assert body_font is None or body_font in word.fonts
    assert word.fonts and word.fonts == tuple(sorted(word.fonts))


def test_markdown_is_its_source_with_a_header_and_no_pages(
    rendered: dict[str, Rendered],
) -> None:
    md = rendered["md"]
    assert md.payload.startswith(b"---\ntitle: ") and md.pages is None and md.fonts == ()


@pytest.mark.parametrize(
    ("payload", "pages"),
    [
        (b"<< /Count 6 /Kids [ 1 0 R 2 0 R ] /Type /Pages >>", 6),
        (b"not a pdf", None),
    ],
)
def test_the_page_count_comes_from_the_page_tree_root(payload: bytes, pages: int | None) -> None:
    assert pdf_pages(payload) == pages
    assert describe_pdf(payload).pages == pages
