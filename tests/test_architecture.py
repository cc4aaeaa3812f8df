"""The shape of the package, read from its source with ``ast``: imports run
one way (no cycle), python-docx's private members stay in the raw-XML
module, and modules and functions stay small enough to read.

The writers are checked apart from the rest of the package so a failure
says which side broke the rule; both must meet it.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reportgen"
#: the one module allowed python-docx's internals (the elements behind its proxies)
RAW_XML = PACKAGE / "writers" / "docx" / "_oxml.py"
#: the writers' packages (docx/, pdf/) and their shared modules
WRITERS = PACKAGE / "writers"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 60
#: python-docx proxies' private members (p._p, run._r, part._blob, row._tr,
#: shape._inline, table._parent, ...), read after a name or a call, so a
#: relative import such as ``from ._inline import`` is not one
PRIVATE_DOCX = re.compile(
    r"(?<=[\w)\]])\.(_p|_element|_blob|_body|_r|_tbl|_tr|_tc|_parent|_inline)\b"
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Imports that run when the module is imported: at the top level, or in
    a top-level ``try``/``if`` (not ``if TYPE_CHECKING``). Imports inside
    functions run later and are allowed to break a cycle."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.stmt] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            pending += node.body + node.orelse
        elif isinstance(node, ast.Try):
            pending += node.body + node.orelse + node.finalbody
            pending += [stmt for handler in node.handlers for stmt in handler.body]
    return found


def _targets(name: str, node: ast.Import | ast.ImportFrom) -> set[str]:
    """The package modules an import statement in module ``name`` loads."""
    known = modules()
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if not node.level:  # absolute: from reportgen.x import y
        base = node.module or ""
    else:  # relative: from ..x import y climbs from the module's package
        base = name if modules()[name].name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        base = f"{base}.{node.module}" if node.module else base
    out = set()
    for alias in node.names:
        child = f"{base}.{alias.name}"
        out.add(child if child in known else base)
    return {t for t in out if t in known}


@cache
def import_graph() -> dict[str, set[str]]:
    graph = {}
    for name, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {
            t for node in _module_level_imports(tree) for t in _targets(name, node) if t != name
        }
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_the_import_graph_is_read_from_real_imports() -> None:
    graph = import_graph()
    # the walk sees the package as it is (so an empty graph cannot pass)
    assert "reportgen.writers.formats" in graph["reportgen.cli.options"]
    assert "reportgen.templating.environment" in graph["reportgen.pipeline"]
    assert "reportgen.cli" not in graph["reportgen.cli.newsletter_command"]


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_back_through_others() -> None:
    assert find_cycles(import_graph()) == []


def private_docx_uses(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [
        f"{path.relative_to(PACKAGE.parent)}:{n}"
        for n, line in enumerate(lines, 1)
        if PRIVATE_DOCX.search(line.split("#")[0])
    ]


def _files(inside_writers: bool) -> list[Path]:
    return [
        p for p in modules().values() if (WRITERS in p.parents) == inside_writers and p != RAW_XML
    ]


def test_no_private_python_docx_member_is_used_outside_the_writers() -> None:
    assert [use for p in _files(inside_writers=False) for use in private_docx_uses(p)] == []


def test_no_private_python_docx_member_is_used_outside_the_raw_xml_module() -> None:
    assert [use for p in _files(inside_writers=True) for use in private_docx_uses(p)] == []


def oversized(path: Path) -> list[str]:
    """The module itself when over the line limit, and its long functions."""
    source = path.read_text(encoding="utf-8")
    where = path.relative_to(PACKAGE.parent)
    found = []
    if len(source.splitlines()) > MAX_MODULE_LINES:
        found.append(f"{where}: {len(source.splitlines())} lines")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{where}:{node.lineno} {node.name}: {length} lines")
    return found


def test_modules_and_functions_outside_the_writers_are_small() -> None:
    assert [big for p in _files(inside_writers=False) for big in oversized(p)] == []


def test_writer_modules_and_functions_are_small() -> None:
    files = [*_files(inside_writers=True), RAW_XML]
    assert [big for p in files for big in oversized(p)] == []


#: raw WordprocessingML in source: a "w:" tag or attribute, or building one
WML = re.compile(r"""["']w:[A-Za-z]|\bqn\(|OxmlElement\(|SubElement\(""")


def raw_xml_uses(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [f"{path.name}:{n}" for n, line in enumerate(lines, 1) if WML.search(line)]


def test_the_raw_xml_pattern_sees_tags_and_builders() -> None:
    assert WML.search("""ox.el("w:sz", {"w:val": "23"})""")
    assert WML.search("node.find(qn('w:numPr'))")
    assert not WML.search("from . import _oxml as ox")
    assert raw_xml_uses(RAW_XML)  # the raw-XML module itself is full of them


def test_wordprocessingml_is_written_only_in_the_docx_raw_xml_modules() -> None:
    folder = WRITERS / "docx"
    others = [p for p in sorted(folder.glob("*.py")) if not p.name.startswith("_oxml")]
    assert len(others) > 5
    assert [use for p in others for use in raw_xml_uses(p)] == []


@pytest.mark.parametrize("writer", ["docx", "pdf"])
def test_each_writer_is_a_package_with_write_in_its_init_and_private_parts_beside_it(
    writer: str,
) -> None:
    folder = WRITERS / writer
    tree = ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))
    writes = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "write"]
    assert [[a.arg for a in w.args.args] for w in writes] == [["doc", "options"]]
    assert [p.name for p in folder.glob("*.py") if not p.name.startswith("_")] == []
    assert len(list(folder.glob("_[a-z]*.py"))) > 3
