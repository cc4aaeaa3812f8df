"""The one Jinja factory: the same sandbox, finaliser, lookup and filters for
a brief's sections and a newsletter's bodies, escaped for what each writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError

from reportgen.data.validate import load_case_data
from reportgen.errors import ProfileError, TemplateError
from reportgen.files import resources
from reportgen.templating.citations import Citations
from reportgen.templating.context import build_context
from reportgen.templating.environment import localised, make_environment, render
from reportgen.templating.filters import RenderState

TEXT = "A & B <i>*x*</i>"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "t" / "zh").mkdir(parents=True)
    (tmp_path / "t" / "page.j2").write_text("{{ text }}|{{ case.title | series }}")
    (tmp_path / "t" / "zh" / "page.j2").write_text("zh {{ case.title | series }}")
    return tmp_path


def _render(folder: Path, lang: str, escaping: str, name: str = "page.j2") -> str:
    data = load_case_data(resources.default_data())
    env = make_environment([folder], lang, {}, escaping)  # type: ignore[arg-type]
    context = build_context(data, lang)
    context.update(text=TEXT, case=context["cases"][0])
    state = RenderState(Citations(data, lang))
    return render(env, localised("t", name, lang), context, state)


def test_sections_escape_what_they_print_for_markdown_and_set_series_in_italics(
    folder: Path,
) -> None:
    text, series = _render(folder, "en", "markdown").split("|")
    assert text == r"A \& B \<i\>\*x\*\</i\>"
    assert series == "*Twenty Not Confused 2* (二十不惑2)"


def test_a_plain_text_email_prints_values_as_they_are(folder: Path) -> None:
    text, series = _render(folder, "en", "plain").split("|")
    assert text == TEXT
    assert series == "Twenty Not Confused 2 (二十不惑2)"


def test_an_html_email_escapes_every_printed_value(folder: Path) -> None:
    text, series = _render(folder, "en", "html").split("|")
    assert text == "A &amp; B &lt;i&gt;*x*&lt;/i&gt;"
    assert series == "Twenty Not Confused 2 (二十不惑2)"


@pytest.mark.parametrize("escaping", ["markdown", "plain", "html"])
def test_a_language_s_own_template_comes_first(folder: Path, escaping: str) -> None:
    assert _render(folder, "zh", escaping) == "zh 《二十不惑2》"


@pytest.mark.parametrize("escaping", ["markdown", "plain", "html"])
def test_every_environment_is_the_same_guarded_sandbox(folder: Path, escaping: str) -> None:
    (folder / "t" / "page.j2").write_text("{{ ''.__class__.__mro__ }}")
    with pytest.raises(TemplateError, match="blocked by the sandbox") as caught:
        _render(folder, "en", escaping)
    assert isinstance(caught.value.__cause__, SecurityError)


@pytest.mark.parametrize("escaping", ["markdown", "plain", "html"])
def test_every_environment_refuses_a_figure_printed_without_a_filter(
    folder: Path, escaping: str
) -> None:
    (folder / "t" / "page.j2").write_text("{{ figures.companies }}")
    with pytest.raises(TemplateError, match="is a figure: print it through a filter"):
        _render(folder, "en", escaping)


def test_a_missing_template_raises_the_callers_error_naming_what_to_add(folder: Path) -> None:
    data = load_case_data(resources.default_data())
    env = make_environment([folder], "en", {})
    missing = ProfileError("section 'none' has no template; add it")
    state = RenderState(Citations(data, "en"))
    with pytest.raises(ProfileError, match="has no template"):
        render(env, localised("t", "none.j2", "en"), {}, state, missing)
    with pytest.raises(TemplateError, match=r"none of the templates t/en/none\.j2, t/none\.j2"):
        render(env, localised("t", "none.j2", "en"), {}, state)
