"""The sandbox's code generator: the compiled code of a template joins the
output of its macros and blocks through the guard. It overrides a step of
Jinja's code generator (``write_commons``), so these tests read the code
Jinja compiles and fail when a new Jinja binds ``concat`` another way."""

from __future__ import annotations

import ast

import pytest
from jinja2.sandbox import SecurityError

from reportgen.templating.environment import BriefEnvironment, GuardedSandbox
from reportgen.templating.sandbox import bounded_render

BOUND = 10_000  # REPORTGEN_MAX_STRING_CHARS in these tests

#: every construct whose output Jinja joins with the local ``concat``
JOINED = {
    "macro": "{% macro m(t) %}{{ t }}{% endmacro %}{{ m(1) }}",
    "set block": "{% set s %}{{ 1 }}{% endset %}{{ s }}",
    "filter block": "{% filter upper %}{{ 'a' }}{% endfilter %}",
    "call block": "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}x{% endcall %}",
    "block": "{% block b %}{% set s %}{{ 1 }}{% endset %}{{ s }}{% endblock %}",
}


@pytest.fixture(autouse=True)
def _small_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_MAX_STRING_CHARS", str(BOUND))


def concat_bindings(code: str) -> list[tuple[str, str]]:
    """For each use of ``concat`` in compiled code, the function that binds
    it (the nearest enclosing one that assigns it) and what it is bound to
    last; ('', '') for a use no function binds."""
    found: list[tuple[str, str]] = []

    def walk(node: ast.AST, scopes: list[ast.FunctionDef]) -> None:
        if isinstance(node, ast.FunctionDef):
            scopes = [*scopes, node]
        if isinstance(node, ast.Name) and node.id == "concat" and isinstance(node.ctx, ast.Load):
            found.append(_binding(scopes))
        for child in ast.iter_child_nodes(node):
            walk(child, scopes)

    walk(ast.parse(code), [])
    return found


def _binding(scopes: list[ast.FunctionDef]) -> tuple[str, str]:
    for scope in reversed(scopes):
        values = [
            ast.unparse(statement.value)
            for statement in scope.body
            if isinstance(statement, ast.Assign)
            and [ast.unparse(t) for t in statement.targets] == ["concat"]
        ]
        if values:
            return scope.name, values[-1]
    return "", ""


@pytest.mark.parametrize("environment", [GuardedSandbox, BriefEnvironment])
@pytest.mark.parametrize("construct", sorted(JOINED))
def test_every_join_in_compiled_code_is_the_guarded_one(environment: type, construct: str) -> None:
    code = environment().compile(JOINED[construct], raw=True)
    bindings = concat_bindings(code)
    assert bindings  # the construct's output is joined in the code
    assert {value for _, value in bindings} == {"environment.guarded_concat"}


def test_the_binding_check_sees_a_join_left_unguarded() -> None:
    code = (
        "def root():\n    concat = environment.concat\n    def macro():\n"
        "        return concat([])\n"
        "def block():\n    return concat([])\n"
    )
    assert concat_bindings(code) == [("root", "environment.concat"), ("", "")]


#: each construct, joining 20,000 characters
T = "{% for i in range(20) %}{{ 'x' * 1000 }}{% endfor %}"
OVER = {
    "macro": "{% macro m() %}" + T + "{% endmacro %}{{ m() }}",
    "set block": "{% set s %}" + T + "{% endset %}{{ s|length }}",
    "filter block": "{% filter upper %}" + T + "{% endfilter %}",
    "call block": "{% macro m() %}{{ caller()|length }}{% endmacro %}{% call m() %}"
    + T
    + "{% endcall %}",
    "block": "{% block b %}{% set s %}" + T + "{% endset %}{{ s|length }}{% endblock %}",
}


@pytest.mark.parametrize("construct", sorted(OVER))
def test_output_joined_over_the_bound_is_refused_in_every_construct(construct: str) -> None:
    env = GuardedSandbox()
    with pytest.raises(SecurityError, match="over the limit"):
        bounded_render(lambda: env.from_string(OVER[construct]).render())


def test_joins_within_the_bound_render_as_before() -> None:
    env = BriefEnvironment()
    templates = [env.from_string(source) for source in JOINED.values()]
    rendered = [bounded_render(template.render) for template in templates]
    assert rendered == ["1", "1", "A", "x", "1"]
