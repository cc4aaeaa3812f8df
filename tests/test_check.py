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


# --------------------------------------------------------------------------
# Template mistakes in words: exit 2, the template and line, the fix; no
# traceback, and a broken brief written nowhere


ANIMATION = Path(__file__).parents[1] / "fixtures" / "sample-animation.yaml"


def user_section(tmp_path: Path, body: str) -> Path:
    """A templates folder whose executive summary is ``body``."""
    (tmp_path / "sections").mkdir()
    section = tmp_path / "sections" / "executive-summary.md.j2"
    section.write_text(body, encoding="utf-8")
    return section


def test_an_unknown_filter_is_found_with_a_did_you_mean(tmp_path: Path) -> None:
    section = user_section(tmp_path, "# Summary\n\nA third: {{ figures.studios | shares }}.\n")
    code, _, err = run("-d", str(ANIMATION), "-t", str(tmp_path))
    assert code == 2 and "Traceback" not in err
    assert f"{section}:3: error: unknown filter 'shares' (did you mean 'share'?)" in err
    assert "reportgen's filters are agree, amount," in err


def test_a_missing_figure_id_names_the_figure_the_template_line_and_the_ids_there_are(
    tmp_path: Path,
) -> None:
    section = user_section(tmp_path, "# Summary\n\nIt has {{ figures.studio | figure }}.\n")
    code, _, err = run("-d", str(ANIMATION), "-t", str(tmp_path))
    assert code == 2 and "Traceback" not in err and "TypeError" not in err
    assert (
        f"{section}:3: error: the data has no figure 'studio' (did you mean 'studios'?); "
        "the figures it has: dubbing_fund, export_revenue, studios. Add 'studio:' under "
        "figures in the data, or use one of those ids in the template"
    ) in err


def test_a_missing_figure_id_stops_a_brief_with_the_same_words(tmp_path: Path) -> None:
    section = user_section(tmp_path, "# Summary\n\nIt has {{ figures.studio | figure }}.\n")
    target = tmp_path / "brief.pdf"
    result = CliRunner().invoke(
        main, ["brief", "-d", str(ANIMATION), "-t", str(tmp_path), "-o", str(target)]
    )
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{section}:3: the data has no figure 'studio' (did you mean 'studios'?)" in (
        result.stderr
    )
    assert not target.exists()


def test_an_undefined_attribute_names_the_data_path_not_an_internal_class(tmp_path: Path) -> None:
    section = user_section(tmp_path, "# Summary\n\n{{ base.studio_count }} studios.\n")
    code, _, err = run("-d", str(ANIMATION), "-t", str(tmp_path))
    assert code == 2 and "Traceback" not in err and "Node object" not in err
    assert (
        f"{section}:3: the data has no 'base.studio_count'; 'base' has: approved, chain, "
        "cite, distinction, ecosystem, members, name, short_name. Add it to the data, or fix "
        "the name in the template"
    ) in err


def test_a_bar_chart_unit_typed_against_the_data_is_an_error(tmp_path: Path) -> None:
    section = user_section(
        tmp_path,
        "# Summary\n\n{% set money = [figures.export_revenue, figures.dubbing_fund] %}\n"
        '{{ money | bar_chart(title="Money", unit="million yuan") }}\n',
    )
    code, _, err = run("-d", str(ANIMATION), "-t", str(tmp_path))
    assert code == 2 and "Traceback" not in err
    assert (
        f"{section}:4: the chart 'Money' is drawn in billion yuan, the unit its figures give; "
        'remove unit="million yuan"'
    ) in err


def test_an_item_past_the_end_of_a_list_says_how_many_the_data_has(tmp_path: Path) -> None:
    section = user_section(tmp_path, "# Summary\n\n{{ cases[3].title }}\n")
    code, _, err = run("-d", str(ANIMATION), "-t", str(tmp_path))
    assert code == 2 and "Traceback" not in err
    assert f"{section}:3: the data has no 'cases[3]': cases has 1 item (cases[0])" in err
