"""Templates: sandboxed, strict, Markdown-safe, and their faults located."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen.data.validate import load_case_data
from reportgen.errors import TemplateError
from reportgen.files import resources
from reportgen.pipeline import BriefRequest, render_brief
from reportgen.text import formatting as fmt

from .conftest import FIXTURE

SECTION = "sections/executive-summary.md.j2"


def user_folder(tmp_path: Path, body: str, name: str = "executive-summary") -> Path:
    folder = tmp_path / "mytemplates"
    (folder / "sections").mkdir(parents=True)
    (folder / "sections" / f"{name}.md.j2").write_text(body, encoding="utf-8")
    return folder


def render_with(folder: Path) -> str:
    return render_brief(BriefRequest(templates=folder)).markdown


def test_a_user_section_overrides_the_built_in_one(tmp_path: Path) -> None:
    markdown = render_with(user_folder(tmp_path, "# Our own summary\n\n{{ region }} leads.\n"))
    assert "# Our own summary" in markdown and "Shanghai leads." in markdown
    assert "# Policy instruments" in markdown  # the other sections fall back to ours


def test_an_undefined_variable_names_the_template_and_line(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "# S\n\nfine\n\n{{ regoin }}\n")
    with pytest.raises(TemplateError) as caught:
        render_with(folder)
    message = str(caught.value)
    assert f"{folder / SECTION}:5:" in message and "'regoin' is undefined" in message


def test_a_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "# S\n\n{% for x in cases %}\nno end\n")
    with pytest.raises(TemplateError, match=r"executive-summary\.md\.j2:\d+: syntax error"):
        render_with(folder)


@pytest.mark.parametrize(
    "escape",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ region.__class__.__base__ }}",
    ],
)
def test_a_sandbox_escape_is_refused_with_its_line(tmp_path: Path, escape: str) -> None:
    folder = user_folder(tmp_path, f"# S\n\n{escape}\n")
    with pytest.raises(TemplateError) as caught:
        render_with(folder)
    assert re.search(r"executive-summary\.md\.j2:3: ", str(caught.value))


def test_a_bare_figure_must_go_through_a_filter(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "# S\n\n{{ figures.market_size }}\n")
    with pytest.raises(TemplateError, match=r"is a figure: print it through a filter"):
        render_with(folder)


def test_data_text_is_markdown_escaped_but_template_markup_is_not(tmp_path: Path) -> None:
    folder = user_folder(tmp_path, "# S\n\n**{{ '*not bold* {{ 7*7 }}' }}**\n")
    brief = render_brief(BriefRequest(templates=folder))
    first = brief.document.blocks[1]
    assert first.kind == "paragraph" and first.children[0].kind == "strong"
    assert "*not bold* {{ 7*7 }}" in brief.document.blocks[1].children[0].children[0].text


def test_a_runaway_template_is_stopped(tmp_path: Path) -> None:
    folder = user_folder(
        tmp_path, "# S\n\n{% for i in range(3000) %}{{ 'x' * 1000 }}{% endfor %}\n"
    )
    with pytest.raises(TemplateError, match="over the limit"):
        render_with(folder)


def _fact_strings() -> set[str]:
    """Every figure and name of the data as it could be typed in a template."""
    data = load_case_data(FIXTURE)
    found: set[str] = set()
    for q in data.figures.values():
        value = q.number
        found |= {fmt.number(value), fmt.number(value, "zh"), str(q.value)}
        if q.year:
            found.add(str(q.year))
    for case in data.cases:
        found |= {case.title.en, case.title.zh or case.title.en}
    for org in data.organisations:
        found |= {org.name.en, org.name.zh or org.name.en}
    found |= {data.region.en, data.base.name.en, *(str(e.year) for e in data.timeline)}
    found |= {p.name.en.strip("the ").strip() for p in data.policies}
    return {s for s in found if len(s) > 2 and s not in {"100"}}


def test_no_template_types_a_fact_of_the_data() -> None:
    facts = _fact_strings()
    offenders = []
    for path in sorted(resources.builtin_templates().rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.name}: {fact}" for fact in facts if fact in text]
    assert offenders == []


SAMPLE = Path(__file__).parents[1] / "fixtures" / "sample-fictional.yaml"
AUDIENCE_NAMES = ["policymakers", "industry", "international", "newsletter"]


def one_item_lists(markdown: str) -> list[str]:
    """Bullet or numbered lists of a single item, outside ::: boxes: an item
    with no list item on the line before it or after it."""
    lines = markdown.splitlines()
    item = re.compile(r"(- |\d+\. )")
    boxed, lonely = False, []
    for i, line in enumerate(lines):
        boxed = (not boxed) if line.startswith(":::") else boxed
        before = lines[i - 1] if i else ""
        after = lines[i + 1] if i + 1 < len(lines) else ""
        if not boxed and item.match(line) and not item.match(before) and not item.match(after):
            lonely.append(line)
    return lonely


@pytest.mark.parametrize("audience", AUDIENCE_NAMES)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_data_with_one_of_each_reads_as_sentences_not_one_item_lists(
    audience: str, lang: str
) -> None:
    brief = render_brief(BriefRequest(data=SAMPLE, audience=audience, lang=lang))
    assert one_item_lists(brief.markdown) == []
    assert "Shanghai" not in brief.markdown and "上海" not in brief.markdown


def test_counts_and_nouns_come_from_the_data(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "subject:\n  singular: {en: series, zh: 剧集}\n  plural: {en: series, zh: 剧集}",
        "subject:\n  singular: {en: game, zh: 游戏}\n  plural: {en: games, zh: 游戏}",
    )
    data = tmp_path / "games.yaml"
    data.write_text(text, encoding="utf-8")
    markdown = render_brief(BriefRequest(data=data)).markdown
    assert "# Games abroad" in markdown and "| Game |" in markdown
    assert "two routes" not in markdown  # the data names one


def _brief(audience: str, lang: str) -> str:
    return render_brief(BriefRequest(data=FIXTURE, audience=audience, lang=lang)).markdown


def test_a_note_on_the_english_translation_prints_in_the_english_edition_only() -> None:
    assert "future tense" in _brief("policymakers", "en")
    chinese = _brief("policymakers", "zh")
    assert "将来时" not in chinese and "英译本将" not in chinese


def test_a_deadline_in_months_prints_as_the_month_after_the_brief_s_date() -> None:
    brief = render_brief(BriefRequest(data=FIXTURE, audience="policymakers", lang="en"))
    deadline = fmt.end_of_month_after(str(brief.context["date"]), 6)
    assert f"| {deadline[0].upper()}{deadline[1:]} |" in brief.markdown
    assert "within 6 months of this brief" not in brief.markdown.lower()


def test_a_two_event_timeline_is_told_in_the_paragraph_not_charted() -> None:
    english = _brief("policymakers", "en")
    assert "```chart" not in english or '"type": "timeline"' not in english
    assert "In 2005 Tudou.com" in english
    assert english.count("approved Shanghai") == 1
