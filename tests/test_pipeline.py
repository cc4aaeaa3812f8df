"""The pipeline's own choices: output names, profile files, the Markdown."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Pt

from reportgen.cli import main
from reportgen.pipeline import BriefRequest, output_paths, render_brief


def reference_docx(path: Path) -> Path:
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Courier New"
    normal.font.size = Pt(13)
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("formats", "output", "expected"),
    [
        (("pdf",), None, ["out/shanghai-online-drama-policymakers-en.pdf"]),
        (
            ("pdf", "docx"),
            None,
            [
                "out/shanghai-online-drama-policymakers-en.pdf",
                "out/shanghai-online-drama-policymakers-en.docx",
            ],
        ),
        (("docx",), "mine.docx", ["mine.docx"]),
        (
            ("pdf", "md"),
            "briefs",
            [
                "briefs/shanghai-online-drama-policymakers-en.pdf",
                "briefs/shanghai-online-drama-policymakers-en.md",
            ],
        ),
    ],
)
def test_output_names_follow_slug_audience_and_language(formats, output, expected) -> None:
    request = BriefRequest(formats=formats, output=Path(output) if output else None)
    data = render_brief(request).data
    assert [p.as_posix() for p in output_paths(request, data).values()] == expected


def test_a_profile_can_name_a_reference_docx(tmp_path: Path) -> None:
    folder = tmp_path / "t"
    (folder / "audiences").mkdir(parents=True)
    reference_docx(folder / "house.docx")
    (folder / "audiences" / "house.yaml").write_text(
        "description: d\naudience: a\ntitle: '{{ title }}'\nsections: [executive-summary]\n"
        "brand: {reference_docx: house.docx}\n"
    )
    out = tmp_path / "brief.docx"
    result = CliRunner().invoke(
        main, ["brief", "-t", str(folder), "-a", "house", "-f", "docx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert docx.Document(str(out)).styles["Normal"].font.name == "Courier New"


def test_the_reference_docx_option_wins(tmp_path: Path) -> None:
    out = tmp_path / "brief.docx"
    ref = reference_docx(tmp_path / "ref.docx")
    result = CliRunner().invoke(
        main, ["brief", "-f", "docx", "--reference-docx", str(ref), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert docx.Document(str(out)).styles["Normal"].font.size == Pt(13)


def test_the_cover_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    meta = render_brief(BriefRequest()).document.meta
    assert (meta.date, meta.timestamp) == ("2023-11-14", 1700000000)


def test_a_bad_source_date_epoch_is_a_usage_error(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    result = runner.invoke(main, ["brief", "-f", "md", "-o", "/tmp/never-written.md"])
    assert result.exit_code == 2 and "SOURCE_DATE_EPOCH='yesterday'" in result.stderr
    assert not Path("/tmp/never-written.md").exists()


def test_markdown_output_is_reproducible() -> None:
    first = render_brief(BriefRequest()).markdown
    assert render_brief(BriefRequest()).markdown == first


# --------------------------------------------------------------------------
# Page one: who issues the brief, and when


def test_the_issuing_body_is_the_author_never_the_sources_authors() -> None:
    brief = render_brief(BriefRequest())
    meta = brief.document.meta
    assert meta.author == brief.data.issuer.name.en  # type: ignore[union-attr]
    source_authors = {a.name.en for s in brief.data.sources for a in s.authors}
    assert source_authors and not any(name in meta.author for name in source_authors)
    issuer = brief.data.issuer
    assert issuer is not None and issuer.contact is not None
    assert meta.number and meta.contact == issuer.contact.en  # a number, given or built


def test_without_an_issuer_in_the_data_the_profile_names_it(tmp_path: Path) -> None:
    from reportgen.files import resources

    data = resources.default_data().read_text(encoding="utf-8")
    start = data.index("\nissuer:\n")
    end = data.index("\n\n", start + 1)
    (tmp_path / "data.yaml").write_text(data[:start] + data[end:], encoding="utf-8")
    for name in ("sources_from",):  # the register sits beside the data
        register = re.search(rf"^{name}: (\S+)", data, re.M).group(1)  # type: ignore[union-attr]
        target = tmp_path / register
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((resources.default_data().parent / register).read_bytes())
    (tmp_path / "t" / "audiences").mkdir(parents=True)
    (tmp_path / "t" / "audiences" / "board.yaml").write_text(
        "description: x\naudience: Board\ntitle: '{{ title }}'\nsections: [sources]\n"
        "issuer: {name: {en: City Policy Unit, zh: 市政策研究室}, number: '7', contact: a@b.org}\n",
        encoding="utf-8",
    )
    request = BriefRequest(data=tmp_path / "data.yaml", audience="board", templates=tmp_path / "t")
    meta = render_brief(request).document.meta
    assert (meta.author, meta.number, meta.contact) == ("City Policy Unit", "7", "a@b.org")
    zh = render_brief(BriefRequest(**{**request.__dict__, "lang": "zh"})).document.meta
    assert zh.author == "市政策研究室"


def test_the_chinese_edition_dates_in_chinese_and_numbers_pages_with_dashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    zh = render_brief(BriefRequest(lang="zh")).document.meta
    en = render_brief(BriefRequest()).document.meta
    assert (zh.date_text, zh.page_label) == ("2026年1月1日", "\u2014 {page} \u2014")
    assert (en.date_text, en.page_label) == ("1 January 2026", "Page {page} of {pages}")


def test_the_policymakers_pdf_sets_60_to_80_characters_a_body_line(tmp_path: Path) -> None:
    import shutil
    import statistics
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = CliRunner().invoke(main, ["brief", "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 0, result.output
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "b.pdf"), "-"], capture_output=True, text=True
    ).stdout
    # body lines: long enough to be running text, no column gaps (tables, headers)
    lines = [ln.strip() for ln in text.splitlines()]
    body = [len(ln) for ln in lines if len(ln) >= 25 and not re.search(r"\S {3,}\S", ln)]
    assert len(body) > 40
    assert 60 <= statistics.median(body) <= 80
    assert max(body) <= 84  # a full line stays near the measure too
