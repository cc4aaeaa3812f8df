"""The layout layer end to end: a real profile's choices reach both files."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import yaml
from pypdf import PdfReader

from reportgen.files import resources
from reportgen.pipeline import BriefRequest, render_brief, render_outputs

from .conftest import needs_cjk


def _profile(tmp_path: Path, drop: str | None = None, **keys: object) -> Path:
    """A templates folder holding the policymakers profile as 'custom',
    without the section ``drop`` and with ``keys`` added."""
    source = resources.builtin_templates() / "audiences" / "policymakers.yaml"
    profile = yaml.safe_load(source.read_text(encoding="utf-8"))
    profile["sections"] = [s for s in profile["sections"] if s != drop]
    profile.update(keys)
    folder = tmp_path / "t"
    (folder / "audiences").mkdir(parents=True)
    text = yaml.safe_dump(profile, allow_unicode=True)
    (folder / "audiences" / "custom.yaml").write_text(text, encoding="utf-8")
    return folder


def _headings(lang: str, templates: Path) -> tuple[list[str], list[str]]:
    """The numbered level-1 headings of the .docx and of the PDF bookmarks."""
    request = BriefRequest(
        audience="custom", lang=lang, templates=templates, formats=("pdf", "docx")
    )
    outputs = render_outputs(render_brief(request), request)
    document = docx.Document(io.BytesIO(outputs["docx"]))
    word = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    outline = PdfReader(io.BytesIO(outputs["pdf"])).outline
    pdf = [str(item.title) for item in outline if not isinstance(item, list)]
    return word, pdf


@needs_cjk
def test_a_profile_without_a_section_renumbers_the_rest_in_both_files(tmp_path: Path) -> None:
    full_word, full_pdf = _headings("zh", _profile(tmp_path / "a"))
    short_word, short_pdf = _headings("zh", _profile(tmp_path / "b", drop="base-in-figures"))
    assert "二、产业基础" in full_word and "三、出海剧集" in full_word
    assert "二、出海剧集" in short_word and not any("产业基础" in h for h in short_word)
    assert [h for h in full_pdf if "、" in h] == [h for h in full_word if "、" in h]
    assert [h for h in short_pdf if "、" in h] == [h for h in short_word if "、" in h]


def test_an_english_profile_asking_for_decimal_numbers_gets_them(tmp_path: Path) -> None:
    word, pdf = _headings("en", _profile(tmp_path, numbering="decimal"))
    assert word[0] == "Executive summary"  # marked unnumbered in its template
    assert word[1] == "1. Policy instruments" and word[2] == "2. The base in figures"
    assert pdf[: len(word)] == word
