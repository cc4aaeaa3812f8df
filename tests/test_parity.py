"""Word and PDF made from one model carry the same text in the same order:
headings, paragraphs, list items, table cells, key figures and notes."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from reportgen import model as m
from reportgen.pipeline import BriefRequest, render_brief, render_outputs

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
    assert len(pieces) > 10
    assert_in_order(pieces, body_text_pdf(outputs["pdf"]), "pdf")
    assert_in_order(pieces, body_text_docx(outputs["docx"]), "docx")
    for note in notes:
        assert note in body_text_pdf(outputs["pdf"]) and note in body_text_docx(outputs["docx"])
