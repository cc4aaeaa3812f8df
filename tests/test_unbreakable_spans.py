"""Unbreakable spans end to end: the layout decides them once, as data on
the model's text (``Text.nobreak``, ``NoteRef.glued``), each writer keeps
them whole its own way, and no invisible character carries them: not in
the model's text, not in the PDF's text, not in any part of the .docx."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen import fonts
from reportgen import model as m
from reportgen.layout import lay_out, spans
from reportgen.pipeline import BriefRequest, render_brief, render_outputs
from reportgen.writers import WriterOptions
from reportgen.writers.pdf import write as write_pdf

from .conftest import model_strings

#: zero width space, non-joiner and joiner, word joiner, zero width no-break space
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
AUDIENCES = ["policymakers", "industry", "international", "newsletter"]
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"
)


@functools.cache
def built_in(audience: str, lang: str) -> tuple[m.Document, dict[str, bytes]]:
    """A built-in brief laid out, and its PDF and .docx; each made once."""
    request = BriefRequest(audience=audience, lang=lang, formats=("pdf", "docx"))
    brief = render_brief(request)
    return lay_out(brief.document), render_outputs(brief, request)


def hidden(text: str) -> list[str]:
    return [f"U+{ord(ch):04X}" for ch in ZERO_WIDTH if ch in text]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_laid_out_model_marks_spans_as_data_and_hides_nothing_in_its_text(
    audience: str, lang: str
) -> None:
    doc, _ = built_in(audience, lang)
    assert hidden("".join(model_strings(doc))) == []
    marked = [n.text[s:e] for n in m.walk(doc) if isinstance(n, m.Text) for s, e in n.nobreak]
    assert marked  # every built-in brief has numbers with units
    assert all(n.text for n in m.walk(doc) if isinstance(n, m.Text) and n.nobreak)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_pdf_text_layer_holds_no_zero_width_character(
    audience: str, lang: str, tmp_path: Path
) -> None:
    payload = built_in(audience, lang)[1]["pdf"]
    pdf = PdfReader(io.BytesIO(payload))
    text = "".join(page.extract_text() or "" for page in pdf.pages)
    outline = "".join(str(item.title) for item in pdf.outline if not isinstance(item, list))
    assert text and hidden(text + outline) == []
    if shutil.which("pdftotext"):
        path = tmp_path / "brief.pdf"
        path.write_bytes(payload)
        shown = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert shown and hidden(shown) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_part_of_the_docx_holds_a_zero_width_character(audience: str, lang: str) -> None:
    payload = built_in(audience, lang)[1]["docx"]
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        parts = {
            n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))
        }
    assert "word/document.xml" in parts
    assert {n: hidden(xml) for n, xml in parts.items() if hidden(xml)} == {}


# --------------------------------------------------------------------------
# A span stays on one line where a line would otherwise break inside it


def _doc(text: str, lang: str) -> m.Document:
    meta = m.Metadata(title="Spans", lang=lang, page_label="")
    return m.Document(meta=meta, blocks=(m.Paragraph((m.Text(text),)),))


def _lines(payload: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "spans.pdf"
    path.write_bytes(payload)
    shown = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [line.strip() for line in shown.splitlines() if line.strip()]


SPANNED = {
    # varying words before each span, so lines end at every offset in one
    "zh": ("".join("上海网络视听"[: i % 6 + 1] + "2255亿元" for i in range(40)), "2255亿元"),
    "en": (
        " ".join("market" * (i % 3 + 1) + " of 2,880 companies" for i in range(40)),
        "2,880 companies",
    ),
}


@needs_pdftotext
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_span_stays_on_one_line_where_a_line_would_otherwise_break_inside_it(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if lang == "zh" and fonts.cjk() is None:
        pytest.skip("no TrueType CJK font installed (fonts-arphic-gbsn00lp)")
    text, span = SPANNED[lang]
    whole = lambda lines: sum(line.replace("\u00a0", " ").count(span) for line in lines)  # noqa: E731
    kept = _lines(write_pdf(_doc(text, lang), WriterOptions()), tmp_path)
    assert len(kept) > 10  # the paragraph really wraps, a dozen times
    assert whole(kept) == 40
    # the same paragraph with no span marked: some lines end inside one
    monkeypatch.setattr(spans, "bind", lambda text: ())
    loose = _lines(write_pdf(_doc(text, lang), WriterOptions()), tmp_path)
    assert whole(loose) < 40
