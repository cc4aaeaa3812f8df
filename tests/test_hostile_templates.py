"""Hostile templates (issue 20, items 3, 4, 7 and 11): the resource guard
bounds every string a template builds, macro and include recursion, and
user strings are filled without ``str.format``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import UndefinedError
from jinja2.sandbox import SecurityError

from reportgen.cli import main
from reportgen.templating.environment import GuardedSandbox
from reportgen.templating.sandbox import bounded_render
from reportgen.text.placeholders import PlaceholderError, substitute

from .conftest import labels_folder, refused

BOUND = 10_000  # REPORTGEN_MAX_STRING_CHARS in these tests


@pytest.fixture(autouse=True)
def _small_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_MAX_STRING_CHARS", str(BOUND))


def render(source: str) -> str:
    env = GuardedSandbox()
    return str(bounded_render(lambda: env.from_string(source).render()))


ATTACKS = [
    "{{ 'x'.ljust(3*10**9) }}",
    "{{ 'x'.rjust(10**9) }}",
    "{{ 'x'.center(10**9) }}",
    "{{ '1'.zfill(10**9) }}",
    "{{ 'a\\tb'.expandtabs(10**9) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ '%*d' % (10**9, 1) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '{:>{w}}'.format(1, w=10**9) }}",
    "{{ '{x:>999999999}'.format_map({'x': 1}) }}",
    "{{ ('x' * 5000).replace('x', 'yyyy') }}",
    "{{ 'abc'.translate({97: 'x' * 9000}) }}",
    "{{ ','.join(['x' * 5000] * 3) }}",
    "{{ 'x' * (BOUND + 1) }}".replace("BOUND", str(BOUND)),
    "{{ ['x'] * 10**9 }}",
    "{{ 'x'.encode() * 10**9 }}",
    "{{ 'x'|center(10**9) }}",
    "{{ ('x' * 10)|indent(10**9) }}",
    "{{ '%0999999999d'|format(1) }}",
    "{{ ('x' * 5000)|replace('x', 'yyy') }}",
    "{{ (['x' * 5000] * 3)|join }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
    "{% endfor %}{{ ns.s|length }}",
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}"
    "{% endfor %}{{ ns.s|length }}",
    "{% set s %}{% for i in range(20) %}{{ 'x' * 1000 }}{% endfor %}{% endset %}{{ s|length }}",
    "{% macro twice(t) %}{{ t }}{{ t }}{% endmacro %}{% set ns = namespace(s='x') %}"
    "{% for i in range(40) %}{% set ns.s = twice(ns.s) %}{% endfor %}{{ ns.s|length }}",
    "{% set ns = namespace(n=10) %}{% for i in range(40) %}{% set ns.n = ns.n * ns.n %}"
    "{% endfor %}{{ ns.n > 0 }}",
    "{% set l = [1] %}{% for i in range(40) %}{% if l.extend(l) %}{% endif %}{% endfor %}"
    "{{ l|length }}",
    "{{ ([1]|batch(10**9, 'x')|list)|length }}",
    "{{ ([1]|slice(10**9)|list)|length }}",
    "{{ ([['x'] * 9000] * 100)|sum(start=[])|length }}",
]


@pytest.mark.parametrize("source", ATTACKS)
def test_every_way_to_build_a_huge_string_is_stopped_before_it_is_built(source: str) -> None:
    with pytest.raises(SecurityError, match=r"over the limit|too large|bits"):
        render(source)


def test_no_template_can_generate_filler_text() -> None:
    with pytest.raises(UndefinedError, match="lipsum"):
        render("{{ lipsum(n=10**6) }}")


def test_honest_string_operations_still_work() -> None:
    source = (
        "{{ 'ok'.upper() }} {{ 'a%sb' % 'c' }} {{ '{}-{}'.format(1, 2) }} "
        "{{ 'x'|center(5) }}|{{ 'a,b'.replace(',', ', ') }} {{ ['a', 'b']|join('+') }} "
        "{{ '%05.1f' % 3.14159 }} {{ 'x' ~ 'y' }}"
    )
    assert render(source) == "OK acb 1-2   x  |a, b a+b 003.1 xy"


# --------------------------------------------------------------------------
# Property: random compositions never exceed the bound


def _leaf() -> st.SearchStrategy[str]:
    return st.sampled_from(["'ab'", "'x'", "'%s-%s'", "'{}'", "'a\\tb'", "''"])


def _number() -> st.SearchStrategy[str]:
    return st.sampled_from(["2", "7", "100", "5000", "10**5", "10**9"])


def _compose(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One string operation applied to an expression that builds a string."""
    return st.one_of(
        st.builds(lambda e, n: f"({e}).ljust({n})", inner, _number()),
        st.builds(lambda e, n: f"({e}).center({n})", inner, _number()),
        st.builds(lambda e, n: f"({e}).zfill({n})", inner, _number()),
        st.builds(lambda e, n: f"(({e}) * {n})", inner, _number()),
        st.builds(lambda e, f: f"(({e}) ~ ({f}))", inner, inner),
        st.builds(lambda e, f: f"(({e}) + ({f}))", inner, inner),
        st.builds(lambda e, f: f"({e}).replace('a', {f})", inner, inner),
        st.builds(lambda e, n: f"(({e})|center({n}))", inner, _number()),
        st.builds(lambda e, n: f"(({e})|indent({n}))", inner, _number()),
        st.builds(lambda e, n: f"('%{n}s' % ({e}))", inner, st.sampled_from(["5", "99999"])),
        st.builds(
            lambda e, n: f"('{{:>{n}}}'.format({e}))", inner, st.sampled_from(["5", "99999"])
        ),
        st.builds(lambda e, f: f"([{e}, {f}]|join(({e})))", inner, inner),
        st.builds(lambda e: f"(({e}).upper())", inner),
    )


EXPRESSIONS = st.recursive(_leaf(), _compose, max_leaves=6)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS)
def test_random_compositions_of_string_operations_never_exceed_the_bound(expression: str) -> None:
    try:
        out = render(f"{{{{ {expression} }}}}")
    except SecurityError:
        return  # stopped: what matters is that nothing huge was built
    except (TypeError, ValueError):
        return  # an ill-typed composition, such as '%s-%s' % 'x'
    assert len(out) <= BOUND


# --------------------------------------------------------------------------
# Through the CLI


SECTION = "sections/digest.md.j2"  # the newsletter audience's first section


@pytest.mark.parametrize(
    ("source", "expect"),
    [
        ('{% include "sections/digest.md.j2" %}', "recurses without end"),
        ('{% extends "sections/digest.md.j2" %}', "recurses without end"),
        ('{% import "sections/digest.md.j2" as me %}x', "recurses without end"),
        ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "calls nest over 50 deep"),
        ("{{ 'x'.ljust(3*10**9) }}", "over the limit"),
    ],
    ids=["include", "extends", "import", "macro", "ljust"],
)
@pytest.mark.parametrize("command", ["brief", "check"])
def test_a_runaway_template_is_exit_2_in_brief_and_in_check(
    runner: CliRunner, in_tmp: Path, source: str, expect: str, command: str
) -> None:
    (in_tmp / "t" / "sections").mkdir(parents=True)
    (in_tmp / "t" / SECTION).write_text(source, encoding="utf-8")
    args = ["-t", "t"] + (["-a", "newsletter", "-f", "md"] if command == "brief" else [])
    refused(runner, in_tmp, [command, *args], expect)


def test_a_template_linked_outside_its_folder_is_not_read(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "secret.txt").write_text("root:x:0:0:SECRET", encoding="utf-8")
    (in_tmp / "t" / "sections").mkdir(parents=True)
    (in_tmp / "t" / SECTION).symlink_to(in_tmp / "secret.txt")
    message = refused(
        runner,
        in_tmp,
        ["brief", "-t", "t", "-a", "newsletter", "-f", "md"],
        "outside the templates",
    )
    assert "SECRET" not in message
    result = runner.invoke(main, ["check", "-t", "t"])
    assert result.exit_code == 2 and "outside the templates" in result.stderr
    assert "SECRET" not in result.output + result.stderr


def test_a_template_that_is_a_fifo_is_refused_without_blocking(
    runner: CliRunner, in_tmp: Path
) -> None:
    import os

    (in_tmp / "t" / "sections").mkdir(parents=True)
    os.mkfifo(in_tmp / "t" / SECTION)
    refused(runner, in_tmp, ["brief", "-t", "t", "-a", "newsletter", "-f", "md"], "named pipe")


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_label_that_reaches_for_attributes_is_refused_naming_the_line(
    runner: CliRunner, in_tmp: Path, fmt: str
) -> None:
    labels_folder(in_tmp / "t", "{page.__class__.__init__.__globals__}")
    message = refused(
        runner,
        in_tmp,
        ["brief", "-t", "t", "-a", "newsletter", "-f", fmt],
        "labels.yaml:",
        "label 'page_of'",
        "use only {page}, {pages}",
    )
    assert "__builtins__" not in message


def test_placeholders_fill_only_the_names_given() -> None:
    assert substitute("Page {page} of {pages} {{x}}", {"page": 2, "pages": 5}) == (
        "Page 2 of 5 {x}"
    )
    for bad in ("{page.__class__}", "{page[0]}", "{0}", "{}", "{page!r}", "{page:>9}", "{"):
        with pytest.raises(PlaceholderError):
            substitute(bad, {"page": 1})


@pytest.mark.parametrize(
    ("variable", "value", "expect"),
    [
        ("REPORTGEN_MAX_RENDER_SECONDS", "99999999999", "is too large"),
        ("REPORTGEN_MAX_RENDER_SECONDS", "9" * 5000, "is too large"),
        ("REPORTGEN_MAX_STRING_CHARS", "-3", "must be a positive whole number"),
        ("SOURCE_DATE_EPOCH", "99999999999999", "outside the calendar"),
        ("SOURCE_DATE_EPOCH", "9" * 5000, "is not a whole number"),
    ],
)
def test_absurd_settings_in_the_environment_are_exit_2(
    runner: CliRunner,
    in_tmp: Path,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    expect: str,
) -> None:
    monkeypatch.setenv(variable, value)
    refused(runner, in_tmp, ["brief", "-a", "newsletter", "-f", "md"], variable, expect)


def test_a_relative_templates_folder_in_another_directory_is_another_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # in one process (a test run, an embedding program) 't' in two working
    # directories names two folders: the second must not reuse the first's
    # compiled templates and render the built-in section it fell back to
    first, second = tmp_path / "first", tmp_path / "second"
    (first / "t" / "sections").mkdir(parents=True)
    (second / "t" / "sections").mkdir(parents=True)
    (second / "t" / SECTION).write_text("{{ 'x'.ljust(10**9) }}", encoding="utf-8")
    monkeypatch.chdir(first)
    assert runner.invoke(main, ["brief", "-t", "t", "-a", "newsletter", "-f", "md"]).exit_code == 0
    monkeypatch.chdir(second)
    refused(runner, second, ["brief", "-t", "t", "-a", "newsletter", "-f", "md"], "over the limit")


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x'.ljust(3*10**9) }}",
        "{{ '%0999999999d' % 1 }}",
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
        "{% endfor %}{{ ns.s }}",
    ],
    ids=["ljust", "percent", "doubling"],
)
def test_newsletter_templates_are_guarded_too(runner: CliRunner, in_tmp: Path, source: str) -> None:
    (in_tmp / "t" / "newsletter").mkdir(parents=True)
    (in_tmp / "t" / "newsletter" / "email.txt.j2").write_text(source, encoding="utf-8")
    folder = str(in_tmp / "t")
    refused(
        runner, in_tmp, ["newsletter", "-t", folder, "--no-brief", "-o", "x.eml"], "over the limit"
    )
