"""A second subject, unlike the first: Brightwater's animated films
(fixtures/sample-animation.yaml). One case, one theme, money in yuan and in
billion yuan side by side, a Western author and names only in English. The
briefs made from it must read right for it: its own nouns and counts, charts
in one unit, family-name citations, and a warning when a Chinese brief has
to print its English text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from reportgen import model as m
from reportgen.cli import main
from reportgen.pipeline import BriefRequest, render_brief

from .conftest import needs_cjk

ANIMATION = Path(__file__).parents[1] / "fixtures" / "sample-animation.yaml"
AUDIENCES = ("policymakers", "industry", "international", "newsletter")
STEM = "brightwater-animation"

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="needs pdftotext (poppler-utils)"
)


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[tuple[str, str], Result]]:
    """Every audience in both languages and both formats, rendered once."""
    out = tmp_path_factory.mktemp("animation")
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1735689600")
        for audience in AUDIENCES:
            for lang in ("en", "zh"):
                args = ["brief", "-d", str(ANIMATION), "-a", audience, "-l", lang]
                results[audience, lang] = CliRunner().invoke(
                    main, [*args, "-f", "all", "-o", str(out)]
                )
    return out, results


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_renders_in_both_formats(
    briefs: tuple[Path, dict[tuple[str, str], Result]], audience: str, lang: str
) -> None:
    out, results = briefs
    result = results[audience, lang]
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    stem = out / f"{STEM}-{audience}-{lang}"
    assert len(PdfReader(stem.with_suffix(".pdf")).pages) >= 1
    paragraphs = [p.text for p in docx.Document(str(stem.with_suffix(".docx"))).paragraphs]
    assert any(p.strip() for p in paragraphs)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_an_english_brief_from_english_data_gives_no_language_warning(
    briefs: tuple[Path, dict[tuple[str, str], Result]], audience: str
) -> None:
    _, results = briefs
    assert "warning" not in results[audience, "en"].stderr


@needs_cjk
def test_a_chinese_brief_from_english_only_data_warns_naming_the_fields(
    briefs: tuple[Path, dict[tuple[str, str], Result]],
) -> None:
    _, results = briefs
    stderr = results["international", "zh"].stderr
    [warning] = [line for line in stderr.splitlines() if "warning" in line]
    assert re.search(r"the Chinese brief prints \d+ fields in English", warning)
    # the noun in its title, the film's title, the producer and the platform
    fields = ("subject.plural", "cases[0].title", "organisations[0].name", "organisations[1].name")
    for field in fields:
        assert field in warning
    assert "add 'zh:' beside 'en:'" in warning
    stderr = results["policymakers", "zh"].stderr
    # the count noun printed after 236余, among the fields the check lists
    assert re.search(r"and \d+ more \(reportgen check lists each with its line\)", stderr)


def test_check_lists_each_field_to_complete_at_its_line() -> None:
    result = CliRunner().invoke(main, ["check", "-d", str(ANIMATION)])
    assert result.exit_code == 0, result.stderr  # warnings only
    lines = ANIMATION.read_text(encoding="utf-8").splitlines()
    title_line = next(i for i, text in enumerate(lines, 1) if "title: The Paper Moon" in text)
    assert (
        f"{ANIMATION}:{title_line}:5: warning: cases[0].title has no zh text, so the zh "
        "brief prints it in English; add 'zh:' beside 'en:'"
    ) in result.stderr
    assert "check clean: 0 errors" in result.stdout


@needs_pdftotext
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_english_brief_borrows_the_first_subjects_words(
    briefs: tuple[Path, dict[tuple[str, str], Result]], audience: str
) -> None:
    out, _ = briefs
    text = pdf_text(out / f"{STEM}-{audience}-en.pdf")
    # Shanghai's story is online series: none of its words belong here
    for word in ("Shanghai", "online", "drama", "series", "Series"):
        assert word not in text, f"'{word}' in the {audience} brief"


@needs_pdftotext
def test_one_case_and_one_theme_are_counted_in_the_singular(
    briefs: tuple[Path, dict[tuple[str, str], Result]],
) -> None:
    out, _ = briefs
    text = " ".join(pdf_text(out / f"{STEM}-{a}-en.pdf") for a in AUDIENCES)
    text = re.sub(r"\s+", " ", text)
    for wrong in (r"\bone \w+ films\b", r"\bone themes\b", r"\bOne \w+s (show|stand)\b"):
        assert re.search(wrong, text, re.IGNORECASE) is None, wrong
    for plural in (r"\btwo routes\b", r"\bthree \w+ films\b", r"\btwo themes\b"):
        assert re.search(plural, text) is None, plural


@needs_pdftotext
def test_notes_cite_the_authors_family_name_never_her_given_name(
    briefs: tuple[Path, dict[tuple[str, str], Result]],
) -> None:
    out, _ = briefs
    text = pdf_text(out / f"{STEM}-policymakers-en.pdf")
    assert "Okafor 2030, para. 2." in text
    assert "Mira 2030" not in text


# --------------------------------------------------------------------------
# Charts: one unit per axis, from the figures


CHART_PROFILE = """\
description:
  en: A chart of the money figures
audience:
  en: Testers
title:
  en: "{{ title }}"
  zh: "{{ title }}"
sections:
  - money
"""

MONEY_SECTION = """\
# Money

{% set money = figure_list | selectattr("unit", "in", ["yuan", "billion_yuan"]) | list %}
{{ money | bar_chart(title="Export revenue and the dubbing fund, in {unit}") }}
"""


@pytest.fixture
def chart_templates(tmp_path: Path) -> Path:
    """A templates folder with one audience whose one section charts the
    money figures of the data."""
    (tmp_path / "audiences").mkdir()
    (tmp_path / "audiences" / "money.yaml").write_text(CHART_PROFILE, encoding="utf-8")
    for folder in ("sections", "sections/zh"):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / "money.md.j2").write_text(MONEY_SECTION, encoding="utf-8")
    return tmp_path


def the_chart(templates: Path, lang: str) -> m.Chart:
    brief = render_brief(BriefRequest(ANIMATION, "money", lang, templates))
    [chart] = [block for block in brief.document.blocks if isinstance(block, m.Chart)]
    return chart


def test_yuan_and_billion_yuan_share_one_axis_in_billion_yuan(chart_templates: Path) -> None:
    chart = the_chart(chart_templates, "en")
    assert chart.unit == "billion yuan"
    assert chart.title == "Export revenue and the dubbing fund, in billion yuan"
    assert [(p.label.text, p.value) for p in chart.points] == [
        ("Animation export revenue, 2029", 8.6),
        ("The city’s dubbing fund, 2029", 0.45),
    ]
    # each bar still shows its own figure as the data gives it
    assert [p.display for p in chart.points] == ["8.6 billion yuan", "450 million yuan"]


def test_a_chinese_axis_of_the_same_figures_is_in_yi_yuan(chart_templates: Path) -> None:
    with pytest.warns(UserWarning, match="the Chinese brief prints"):
        chart = the_chart(chart_templates, "zh")
    assert chart.unit == "亿元"
    assert [p.value for p in chart.points] == [86.0, 4.5]


@needs_pdftotext
def test_the_pdf_chart_labels_its_axis_once_in_words(chart_templates: Path, tmp_path: Path) -> None:
    target = tmp_path / "money.pdf"
    args = ["brief", "-d", str(ANIMATION), "-t", str(chart_templates), "-a", "money"]
    result = CliRunner().invoke(main, [*args, "-o", str(target)])
    assert result.exit_code == 0, result.stderr
    text = pdf_text(target)
    ticks = re.search(r"^\s*0(?:\.0)?\s+(?:\d+(?:\.\d+)?\s+)+billion yuan\s*$", text, re.MULTILINE)
    assert ticks is not None, text
    assert [float(t) for t in ticks.group().split()[:-2]][-1] >= 8.6  # the axis reaches 8.6
    assert "600,000,000" not in text  # no yuan drawn as billions


def test_a_count_beside_money_on_one_axis_is_refused_naming_the_chart_and_figures(
    chart_templates: Path,
) -> None:
    section = chart_templates / "sections" / "money.md.j2"
    section.write_text(
        '# Money\n\n{{ figure_list | bar_chart(title="Everything") }}\n', encoding="utf-8"
    )
    args = ["brief", "-d", str(ANIMATION), "-t", str(chart_templates), "-a", "money", "-f", "md"]
    result = CliRunner().invoke(main, [*args, "-o", str(chart_templates / "out.md")])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{section}:3: the chart 'Everything' would put different kinds of quantity" in (
        result.stderr
    )
    assert "figures.studios (a count)" in result.stderr
    assert "figures.export_revenue (an amount of money)" in result.stderr
    assert not (chart_templates / "out.md").exists()


def timeline_note(lang: str, year: str) -> m.ChartText:
    brief = render_brief(BriefRequest(ANIMATION, lang=lang))
    [timeline] = [b for b in brief.document.blocks if isinstance(b, m.Chart)]
    return next(p.note for p in timeline.points if p.label.text == year)


def test_the_film_named_on_the_timeline_is_italic_in_english_and_in_title_marks_in_chinese() -> (
    None
):
    english = timeline_note("en", "2029")
    assert english.runs[0] == m.ChartRun("The Paper Moon (fictional)", italic=True)
    # the sample has no Chinese: its English title is marked as a Chinese text marks titles
    with pytest.warns(UserWarning, match="the Chinese brief prints"):
        chinese = timeline_note("zh", "2029年")
    assert chinese.runs == (
        m.ChartRun("《The Paper Moon (fictional)》 is bought by a foreign platform"),
    )
