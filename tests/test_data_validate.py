"""Validation: the built-in data is complete, and every mistake an analyst
can make is reported at once with file, line, field path and a fix."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.data.validate import format_path, load_case_data
from reportgen.errors import ValidationError

from .conftest import FIXTURE


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        load_case_data(path)
    return caught.value.problems


def test_the_built_in_data_holds_every_key_figure_of_the_article() -> None:
    data = load_case_data(FIXTURE)
    figures = {key: (q.number, q.unit.value, q.year) for key, q in data.figures.items()}
    assert figures == {
        "companies": (Decimal(2880), "count", None),
        "tax_revenue": (Decimal("1.7"), "billion_yuan", 2023),
        "trade_revenue": (Decimal(18), "billion_yuan", 2023),
        "market_size": (Decimal("225.5"), "billion_yuan", 2023),
        "national_share": (Fraction(1, 3), "share", 2023),
    }
    assert data.base.approved.year == 2010
    # 2020 is the year of a ranking, recorded with the case, not a milestone
    # the fund's 2023 focus is a key message and an instrument: not a third time
    assert [e.year for e in data.timeline] == [2005, 2010]


def test_the_built_in_data_holds_the_three_cases_with_their_chinese_titles() -> None:
    data = load_case_data(FIXTURE)
    titles = {case.title.en: case.title.zh for case in data.cases}
    assert titles == {
        "Twenty Not Confused 2": "二十不惑2",
        "Little Min's Family": "小敏家",
        "Nothing But Thirty": "三十而已",
    }
    thirty = next(c for c in data.cases if c.id == "nothing-but-thirty")
    assert thirty.reach is not None and thirty.reach.number == 100
    assert {h.edition for h in thirty.honours} == {None, 27}
    assert thirty.remake is not None


def test_every_fact_cites_a_registered_source() -> None:
    data = load_case_data(FIXTURE)
    assert data.default_source in {s.id for s in data.sources}


def test_a_misspelt_key_is_reported_with_its_line_and_a_suggestion(
    data_copy: Callable[..., Path],
) -> None:
    path = data_copy(
        lambda t: t.replace(
            "    deals:\n      - platform: disney-plus", "    deasl:\n      - platform: disney-plus"
        )
    )
    [problem] = problems_of(path)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "deasl" in text)
    assert problem.startswith(f"{path}:{line}:5: cases[1].deasl: unknown key 'deasl'")
    assert "did you mean 'deals'?" in problem


def test_all_problems_are_reported_together(data_copy: Callable[..., Path]) -> None:
    path = data_copy(
        lambda t: (
            t.replace("value: 225.5", "value: lots")
            .replace("year: 2005", "year: long ago")
            .replace("slug: ", "slgu: ")
        )
    )
    problems = problems_of(path)
    assert len(problems) == 4
    joined = "\n".join(problems)
    assert "figures.market_size.value" in joined and "found 'lots'" in joined
    assert "timeline[0].year" in joined
    assert "unknown key 'slgu' (did you mean 'slug'?)" in joined
    assert "slug: is required but missing" in joined


def test_a_wrong_type_names_the_field_path_and_what_was_found(
    data_copy: Callable[..., Path],
) -> None:
    path = data_copy(mutate=lambda d: d["cases"][1]["deals"][0].update(platform=["netflix"]))
    [problem] = problems_of(path)
    assert "cases[1].deals[0].platform" in problem and "found a list" in problem


def test_an_unknown_organisation_id_suggests_the_closest(data_copy: Callable[..., Path]) -> None:
    path = data_copy(lambda t: t.replace("platform: youtube", "platform: youtub"))
    [problem] = problems_of(path)
    assert "cases[2].availability[1].platform: no organisation has id 'youtub'" in problem
    assert "(did you mean 'youtube'?)" in problem


def test_a_paragraph_beyond_the_source_is_refused(data_copy: Callable[..., Path]) -> None:
    path = data_copy(lambda t: t.replace("cite: {paragraph: 10}", "cite: {paragraph: 40}"))
    [problem] = problems_of(path)
    assert "themes[3].cite: paragraph 40 does not exist" in problem


def test_an_unregistered_source_is_refused(data_copy: Callable[..., Path]) -> None:
    path = data_copy(
        lambda t: t.replace("cite: {paragraph: 10}", "cite: {source: other-2024, paragraph: 1}")
    )
    [problem] = problems_of(path)
    assert "cites unknown source 'other-2024'; registered: liu-jiang-2025" in problem


def test_a_repeated_id_is_refused(data_copy: Callable[..., Path]) -> None:
    path = data_copy(lambda t: t.replace("id: yaoke-media", "id: lemon-studios"))
    problems = problems_of(path)
    assert any("organisations[1].id: id 'lemon-studios' is used twice" in p for p in problems)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    [problem] = problems_of(path)
    assert "must hold a mapping" in problem


@pytest.mark.parametrize(
    ("path", "text"),
    [
        (("cases", 2, "platforms", 0), "cases[2].platforms[0]"),
        (("base",), "base"),
        ((), "(top level)"),
    ],
)
def test_field_paths_read_like_code(path: tuple, text: str) -> None:
    assert format_path(path) == text


SAMPLES = FIXTURE.parent


def test_cases_from_a_workbook_join_the_cases_of_the_yaml() -> None:
    data = load_case_data(SAMPLES / "sample-spreadsheet.yaml")
    assert [c.id for c in data.cases] == [
        "harbour-lights-yaml",
        "harbour-lights",
        "paper-cranes",
        "night-ferry",
    ]
    assert data.cases[1].title.zh == "港湾灯火（虚构示例）"


def test_a_problem_in_a_table_row_names_its_row_and_column(tmp_path: Path) -> None:
    table = tmp_path / "cases.csv"
    table.write_bytes(
        "id,title,title.zh,producer,cite.paragraph\na-case,A case,一个案例,nobody-films,1\n".encode(
            "gb18030"
        )
    )
    text = (SAMPLES / "sample-spreadsheet.yaml").read_text(encoding="utf-8")
    data = tmp_path / "data.yaml"
    data.write_text(
        text.replace("cases_from: sample-cases.xlsx", "cases_from: cases.csv"), encoding="utf-8"
    )
    [problem] = problems_of(data)
    assert problem.startswith(f"{table}, row 2, column 4: cases[1].producer: no organisation")


# --------------------------------------------------------------------------
# Each mistake a person makes: exit 2, file:line, and the fix in words


ANIMATION = SAMPLES / "sample-animation.yaml"


def broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int]:
    """A copy of the animation data with ``old`` replaced by ``new``, and
    the line the replacement starts on."""
    text = ANIMATION.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "data.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text[: text.index(old)].count("\n") + 1


def check(path: Path) -> str:
    """``reportgen check -d path``: exit 2 with no traceback; its stderr."""
    result = CliRunner().invoke(main, ["check", "-d", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("old", "new", "fix"),
    [
        ("value: 236", 'value: "2,360"', "figures.studios.value: write 2360, without the comma"),
        (
            "value: 8.6",
            'value: "8.6 billion"',
            "figures.export_revenue.value: write the number alone (8.6) and give its unit "
            "under 'unit:'",
        ),
        (
            "value: 450000000",
            'value: "450 000 000"',
            "figures.dubbing_fund.value: write 450000000, without the space",
        ),
    ],
    ids=["comma", "unit-word", "spaces"],
)
def test_a_number_written_as_text_says_which_number_to_write(
    tmp_path: Path, old: str, new: str, fix: str
) -> None:
    path, line = broken(tmp_path, old, new)
    assert f"{path}:{line}:5: error: {fix}" in check(path)


def test_a_full_date_where_a_year_is_wanted_asks_for_a_year(tmp_path: Path) -> None:
    path, line = broken(tmp_path, "    year: 2021\n    by:", "    year: 2021-03-15\n    by:")
    stderr = check(path)
    assert (
        f"{path}:{line}:5: error: base.approved.year: write a year such as 2021, "
        "not a full date (2021-03-15)"
    ) in stderr


def test_a_list_where_a_mapping_is_wanted_says_to_drop_the_dashes(tmp_path: Path) -> None:
    path, line = broken(
        tmp_path,
        "  approved:\n    year: 2021\n    by: Brightwater City Council\n    cite:",
        "  approved:\n    - year: 2021\n    - by: Brightwater City Council\n    - cite:",
    )
    stderr = check(path)
    assert (
        f"{path}:{line}:3: error: base.approved: write a mapping here, one 'key: value' "
        "per line (by, cite, year), not a list: remove the '- ' before the keys"
    ) in stderr


def test_a_mapping_where_a_list_is_wanted_says_to_start_items_with_dashes(
    tmp_path: Path,
) -> None:
    path, line = broken(
        tmp_path,
        "  ecosystem:\n    - storyboarding\n    - dubbing\n    - licensing\n",
        "  ecosystem:\n    first: storyboarding\n    second: dubbing\n    third: licensing\n",
    )
    stderr = check(path)
    assert (
        f"{path}:{line}:3: error: base.ecosystem: write a list here, each item on its own "
        "line starting with '- ', not a mapping of keys"
    ) in stderr


def test_an_unknown_key_names_the_allowed_keys(tmp_path: Path) -> None:
    path, line = broken(tmp_path, "    genre: animated feature", "    genra: animated feature")
    stderr = check(path)
    assert (
        f"{path}:{line}:5: error: cases[0].genra: unknown key 'genra' (did you mean 'genre'?); "
        "allowed here: availability, cite, deals, genre"
    ) in stderr


def test_four_independent_mistakes_are_four_problems_in_line_order(tmp_path: Path) -> None:
    text = ANIMATION.read_text(encoding="utf-8")
    edits = [
        ("    year: 2021\n    by:", "    year: 2021-03-15\n    by:"),  # a date for a year
        ("  members: [lantern-frame]", "  members: [lantern-frames]"),  # an unknown organisation
        ("value: 236", 'value: "2,360"'),  # a number with a comma
        ("    genre: animated feature", "    genra: animated feature"),  # a misspelt key
    ]
    for old, new in edits:
        text = text.replace(old, new)
    path = tmp_path / "data.yaml"
    path.write_text(text, encoding="utf-8")
    stderr = check(path)
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    assert len(errors) == 4, stderr
    fields = [line.split(": error: ")[1].split(":")[0] for line in errors]
    assert fields == [
        "base.approved.year",
        "base.members[0]",
        "figures.studios.value",
        "cases[0].genra",
    ]
    lines = [int(line.split(":")[1]) for line in errors]
    assert lines == sorted(lines)


def test_a_popular_platform_is_recorded_apart_from_a_purchase() -> None:
    data = load_case_data(FIXTURE)
    thirty = next(c for c in data.cases if c.id == "nothing-but-thirty")
    assert thirty.deals == []  # the source reports it popular there, not bought
    assert {(a.platform, a.kind) for a in thirty.availability} == {
        ("netflix", "popular"),
        ("youtube", "popular"),
    }
    fund = next(p for p in data.policies if p.kind == "fund")
    assert fund.year is None  # the source dates its focus, not its founding


def test_every_claim_is_cited_or_marked_as_judgement() -> None:
    data = load_case_data(FIXTURE)
    claims = [*data.key_messages, *data.findings, *data.limits, *data.recommendations]
    for audience in ("policymakers", "industry", "international", "newsletter"):
        page_one = [k for k in data.key_messages if not k.audiences or audience in k.audiences]
        assert 2 <= len(page_one) <= 5, audience
    assert all((c.cite is None) != (c.basis is None) for c in claims)
    assert all(r.owner.en and r.timeframe.en for r in data.recommendations)
    # the built-in issuer is a placeholder: its address is at the reserved
    # example domain, so no brief goes out under it unnoticed
    assert data.issuer is not None and data.issuer.contact is not None
    assert data.issuer.contact.en.endswith("@example.org")


def test_a_page_one_of_more_than_five_key_messages_is_refused(
    data_copy: Callable[..., Path],
) -> None:
    def six(d: dict) -> None:
        d["key_messages"] += [dict(d["key_messages"][0], audiences=["industry"])] * 2

    [problem] = problems_of(data_copy(mutate=six))
    assert "key_messages" in problem and "the industry brief would print 6" in problem


def test_a_theme_tied_to_an_unknown_case_names_the_case_ids(
    data_copy: Callable[..., Path],
) -> None:
    path = data_copy(mutate=lambda d: d["themes"][0].update(case="nothing-but-forty"))
    [problem] = problems_of(path)
    assert "themes[0].case" in problem and "nothing-but-thirty" in problem


def test_a_claim_with_neither_cite_nor_basis_says_what_to_add(
    data_copy: Callable[..., Path],
) -> None:
    path = data_copy(mutate=lambda d: d["findings"][0].pop("cite"))
    [problem] = problems_of(path)
    assert "findings[0]" in problem
    assert "cite: {paragraph: N}" in problem and "basis: judgement" in problem


def test_a_claim_with_both_cite_and_basis_is_refused(data_copy: Callable[..., Path]) -> None:
    path = data_copy(mutate=lambda d: d["limits"][0].update(cite={"paragraph": 3}))
    [problem] = problems_of(path)
    assert "limits[0]" in problem and "not both" in problem


def test_a_default_source_that_names_no_source_is_one_problem_not_one_per_cite(
    tmp_path: Path,
) -> None:
    path, line = broken(tmp_path, "default_source: okafor-2030", "default_source: okafor-2031")
    errors = [text for text in check(path).splitlines() if ": error: " in text]
    assert errors == [
        f"{path}:{line}:1: error: default_source: no source has id 'okafor-2031'; "
        "registered: okafor-2030"
    ]
