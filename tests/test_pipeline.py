"""The pipeline's own choices: output names, profile files, the Markdown."""

from __future__ import annotations

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
