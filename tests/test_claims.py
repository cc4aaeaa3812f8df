"""The template claim lint: a long sentence typed into a template without
any data is reported with its template and line; the built-ins are clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.files.resources import builtin_templates
from reportgen.templating.claims import typed_claims


def test_a_typed_claim_is_found_with_its_line() -> None:
    source = (
        "{#- a comment that is long enough to count as a sentence of words -#}\n"
        "# Policy drivers\n"
        "\n"
        "Taken together, the instruments turned a cluster of companies into an exporting "
        "industry.\n"
    )
    [claim] = typed_claims(source)
    assert claim.line == 4
    assert claim.text.startswith("Taken together, the instruments")
    assert "a claim typed into a template?" in claim.message


def test_a_sentence_that_prints_data_is_connective() -> None:
    source = "The base, {{ base.distinction }}, was approved in a year by a body of the state.\n"
    assert list(typed_claims(source)) == []


def test_short_connective_phrases_pass() -> None:
    assert list(typed_claims("# Limits of the evidence\n\n- *Who acts:* \n")) == []


def test_a_long_chinese_sentence_is_counted_in_characters() -> None:
    [claim] = typed_claims(
        "{% if x %}\n资金精准投向制约剧集出海的关键环节和薄弱环节。\n{% endif %}\n"
    )
    assert claim.line == 2


def test_text_inside_jinja_statements_is_not_a_sentence() -> None:
    source = (
        '{% set lead = "Public money is aimed at the costs that stop a series travelling." %}\n'
    )
    assert list(typed_claims(source)) == []


@pytest.mark.parametrize(
    "path",
    sorted((builtin_templates() / "sections").rglob("*.j2"))
    + sorted((builtin_templates() / "newsletter").rglob("*.j2")),
    ids=lambda p: p.relative_to(builtin_templates()).as_posix(),
)
def test_the_built_in_templates_are_clean(path: Path) -> None:
    assert list(typed_claims(path.read_text(encoding="utf-8"))) == []
