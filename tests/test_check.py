"""reportgen check: clean on our data, and each kind of finding located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from reportgen.cli import main

ARTICLE_LIKE = """An opening paragraph of the project's own words.
A heading
In the base, more than 2,880 companies work; in 2010 the park was approved and in 2005 a \
platform began. In 2023 the base paid over 1.7 billion in tax, earned over 18 billion, and \
the market reached 225.5 billion, 1/3 of the nation.
In 2023 a fund began.
Two platforms were helped.
Another heading
A paragraph.
Series reached more than 100 countries; in 2020 one led in Malaysia; it won at the 27th festival.
A remake is coming.
Culture travels.
Authors.
Publication.
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_the_built_in_data_and_templates_are_clean() -> None:
    code, out, err = run()
    assert code == 0
    assert out.startswith("check clean: 0 errors")
    # the only warnings: names whose Chinese form is not certain, so left out
    assert all("has no zh text" in line for line in err.splitlines()), err
    assert "a claim typed into a template?" not in err


def test_a_claim_typed_into_a_user_template_is_flagged_with_file_and_line(
    tmp_path: Path,
) -> None:
    sections = tmp_path / "sections"
    sections.mkdir()
    (sections / "cases.md.j2").write_text(
        "# Cases\n\nFestivals are where rights are sold, so producers should attend them.\n"
        "{{ cases | length }} cases.\n",
        encoding="utf-8",
    )
    code, _, err = run("-t", str(tmp_path))
    assert code == 0  # a warning, not an error
    flagged = [line for line in err.splitlines() if "a claim typed into a template?" in line]
    assert len(flagged) == 1
    assert flagged[0].startswith(f"{sections / 'cases.md.j2'}:3: warning:")
    assert "Festivals are where rights are sold" in flagged[0]


def test_check_lists_the_data_each_built_in_section_uses() -> None:
    _, out, _ = run()
    lines = [line.strip() for line in out.splitlines()[1:]]  # after the verdict
    assert "sections/recommendations.md.j2 uses: issuer, recommendations" in lines
    assert "sections/executive-summary.md.j2 uses: key_figures, key_messages" in lines
    assert "sections/zh/cases.md.j2 uses: cases, subject" in lines


def test_the_fictional_sample_renders_through_the_same_templates() -> None:
    code, out, _ = run("-d", str(Path(__file__).parents[1] / "fixtures" / "sample-fictional.yaml"))
    assert code == 0, out


def test_each_numeric_fact_is_found_in_the_paragraph_it_cites(tmp_path: Path) -> None:
    text = tmp_path / "original.txt"
    text.write_text(ARTICLE_LIKE, encoding="utf-8")
    code, out, err = run("--source-text", str(text))
    assert code == 0, err
    assert "source text original.txt" in out


def test_a_changed_figure_in_the_text_is_a_finding_naming_it(tmp_path: Path) -> None:
    text = tmp_path / "original.txt"
    text.write_text(ARTICLE_LIKE.replace("225.5", "252.5"), encoding="utf-8")
    code, out, err = run("--source-text", f"liu-jiang-2025={text}")
    assert code == 2 and out.startswith("check failed: 1 error")
    assert f"{text}, paragraph 3: error: figures.market_size: the figure 225.5" in err


def test_a_changed_figure_in_the_data_is_a_finding_too(
    tmp_path: Path, data_copy: Callable[..., Path]
) -> None:
    text = tmp_path / "original.txt"
    text.write_text(ARTICLE_LIKE, encoding="utf-8")
    data = data_copy(lambda t: t.replace("value: 2880", "value: 2800"))
    code, _, err = run("-d", str(data), "--source-text", str(text))
    assert code == 2 and "figures.companies: the figure 2,800 does not occur" in err


def test_a_figure_typed_into_a_template_is_an_orphan(tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "cases.md.j2").write_text("# Cases\n\nSales rose by 4,321 units.\n")
    code, _, err = run("-t", str(tmp_path))
    assert code == 2 and "the figure '4,321' in the brief does not come from the data" in err


def test_an_undeclared_variable_is_found_without_rendering(tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "extra.md.j2").write_text("# X\n\n{{ regoin }}\n")
    code, _, err = run("-t", str(tmp_path))
    assert code == 2 and "extra.md.j2:3: error: uses 'regoin'" in err


def test_a_profile_naming_a_missing_section_is_a_finding(tmp_path: Path) -> None:
    (tmp_path / "audiences").mkdir()
    (tmp_path / "audiences" / "mine.yaml").write_text(
        "description: d\naudience: a\ntitle: '{{ title }}'\nsections: [nowhere]\n"
    )
    code, _, err = run("-t", str(tmp_path))
    assert code == 2 and "section 'nowhere' has no template" in err


def test_a_section_over_its_budget_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "audiences").mkdir()
    (tmp_path / "audiences" / "tight.yaml").write_text(
        "description: d\naudience: a\ntitle: '{{ title }}'\nsections: [cases, sources]\n"
        "budget: {cases: 20}\n"
    )
    code, out, err = run("-t", str(tmp_path))
    assert code == 0 and "0 errors" in out and " warning" in out
    assert "warning: section 'cases'" in err and "over its budget of 20" in err


def test_broken_data_is_reported_not_raised(data_copy: Callable[..., Path]) -> None:
    code, _, err = run("-d", str(data_copy(lambda t: t.replace("slug:", "slgu:"))))
    assert code == 2 and "did you mean 'slug'?" in err
