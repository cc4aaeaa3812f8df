"""The shape of the package, read from its source with ``ast``: imports run
one way (no cycle), python-docx's private members stay in the raw-XML
module, and modules and functions stay small enough to read.

The writers are checked apart from the rest of the package so a failure
says which side broke the rule; both must meet it.
"""

from __future__ import annotations

import ast
import re
import textwrap
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


#: The layers, from the top down. A module may import its own package and
#: the packages of any layer below its own; nothing above, nothing beside.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("__main__",),
    ("cli",),
    ("batch", "check", "newsletter"),
    ("pipeline",),
    ("writers",),
    ("charts",),
    ("fonts", "layout"),
    ("templating",),
    ("model",),
    ("data",),
    ("text",),
    ("files",),
    ("errors",),
)


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in the module: at the top level, inside
    functions and classes, under ``if TYPE_CHECKING``. An import inside a
    function is still a dependency; deferring it only hides a cycle."""
    return [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]


def _targets(name: str, node: ast.Import | ast.ImportFrom, known: dict[str, Path]) -> set[str]:
    """The package modules an import statement in module ``name`` loads."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if not node.level:  # absolute: from reportgen.x import y
        base = node.module or ""
    else:  # relative: from ..x import y climbs from the module's package
        base = name if known[name].name == "__init__.py" else name.rpartition(".")[0]
        for _ in range(node.level - 1):
            base = base.rpartition(".")[0]
        base = f"{base}.{node.module}" if node.module else base
    out = set()
    for alias in node.names:
        child = f"{base}.{alias.name}"
        out.add(child if child in known else base)
    return {t for t in out if t in known}


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the package modules it imports, anywhere in its source."""
    known = modules(root)
    graph = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[name] = {t for node in _imports(tree) for t in _targets(name, node, known)}
        graph[name].discard(name)
    return graph


@cache
def package_graph() -> dict[str, set[str]]:
    return import_graph()


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


def layer_of(module: str) -> tuple[int, str]:
    """The layer (its depth from the top) and the top-level entry of a module
    of the package; the package's own ``__init__`` sits below everything."""
    parts = module.split(".")
    if len(parts) == 1:
        return len(LAYERS), ""
    for depth, entries in enumerate(LAYERS):
        if parts[1] in entries:
            return depth, parts[1]
    raise AssertionError(f"{module}: in no layer; add its package to LAYERS")


def climbing_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports of a layer above the module's own, or of a neighbour in its layer."""
    found = []
    for module, targets in sorted(graph.items()):
        depth, entry = layer_of(module)
        for target in sorted(targets):
            t_depth, t_entry = layer_of(target)
            if t_entry != entry and t_depth <= depth:
                found.append(f"{module} -> {target}")
    return found


def test_the_import_graph_is_read_from_real_imports() -> None:
    graph = package_graph()
    # the walk sees the package as it is (so an empty graph cannot pass)
    assert "reportgen.writers.formats" in graph["reportgen.cli.options"]
    assert "reportgen.templating.environment" in graph["reportgen.pipeline"]
    assert "reportgen.cli" not in graph["reportgen.cli.newsletter_command"]


def test_a_cycle_is_found_when_there_is_one() -> None:
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "reportgen"
    for name, source in {"__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def test_an_upward_import_inside_a_function_is_caught(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "cli/__init__.py": "",
            "data/__init__.py": """
                def load():
                    from ..cli import main  # deferred, and still a climb
                    return main
            """,
        },
    )
    assert climbing_imports(import_graph(root)) == ["reportgen.data -> reportgen.cli"]


def test_a_cycle_under_type_checking_is_caught(tmp_path: Path) -> None:
    root = _plant(
        tmp_path,
        {
            "model/__init__.py": "from . import a",
            "model/a.py": "from . import b",
            "model/b.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from .a import Thing
            """,
        },
    )
    assert find_cycles(import_graph(root)) == [["reportgen.model.a", "reportgen.model.b"]]


def test_a_neighbour_in_the_same_layer_is_not_importable() -> None:
    graph = {"reportgen.batch": {"reportgen.check"}, "reportgen.check": set()}
    assert climbing_imports(graph) == ["reportgen.batch -> reportgen.check"]


def test_every_top_level_entry_has_a_layer() -> None:
    entries = {
        p.stem for p in PACKAGE.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()
    }
    assert entries - {"__init__"} == {e for layer in LAYERS for e in layer}


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert climbing_imports(package_graph()) == []


def test_no_module_imports_itself_back_through_others() -> None:
    assert find_cycles(package_graph()) == []


def test_the_word_writers_helpers_never_import_the_writer() -> None:
    """The furniture, table and list modules get the body being written
    (``_flow.Flow``), not the writer: only the package's ``write`` uses it."""
    graph = package_graph()
    docx = "reportgen.writers.docx"
    importers = sorted(m for m, targets in graph.items() if f"{docx}._writer" in targets)
    assert importers == [docx]
    assert find_cycles({m: t for m, t in graph.items() if m.startswith(docx)}) == []


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


#: the one module of a package allowed reportlab's internals: the PDF
#: writer's, and the font cache's (the parsed faces it stores)
REPORTLAB_INTERNALS = {
    WRITERS / "pdf": WRITERS / "pdf" / "_rl.py",
    PACKAGE / "fonts": PACKAGE / "fonts" / "cache.py",
}
#: the built-ins that name an attribute by a string
_BY_NAME = frozenset({"getattr", "hasattr", "setattr", "delattr"})


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@cache
def reportlab_private_names() -> frozenset[str]:
    """Every private name in reportlab's own source: its modules' and
    classes' members, its instances' attributes (``self._code``), the names
    it imports or reads by string. Read from the installed reportlab, so
    the privates of a new version count as well."""
    import reportlab

    names: set[str] = set()
    for path in Path(reportlab.__file__).parent.rglob("*.py"):
        try:
            tree = ast.parse(path.read_bytes())
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                names.add(node.attr)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                names.add(node.value)
    return frozenset(n for n in names if n.isidentifier() and _private(n))


def _reportlab_bound(tree: ast.Module) -> dict[str, int]:
    """The names a module binds to reportlab modules or their members,
    and the line of each private one it imports (``_FUZZ``)."""
    bound: dict[str, int] = {}
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            names = [(a.asname or a.name.split(".")[0], a.name) for a in node.names]
            names = [(b, full) for b, full in names if full.split(".")[0] == "reportlab"]
        elif not node.level and (node.module or "").split(".")[0] == "reportlab":
            names = [(a.asname or a.name, a.name) for a in node.names]
        else:
            continue
        for local, imported in names:
            bound[local] = node.lineno if any(map(_private, imported.split("."))) else 0
    return bound


def _base_names(node: ast.ClassDef) -> list[str]:
    """A class's bases as names: ``Table`` and ``_rl.SizedCellTable`` both
    by their last part, and by their first (a module bound to reportlab)."""
    out = []
    for base in node.bases:
        parts = ast.unparse(base).split(".")
        out += [parts[0], parts[-1]]
    return out


def reportlab_subclasses(trees: list[ast.Module]) -> set[str]:
    """The classes of these modules that derive from a reportlab class,
    directly or through one another (``KinsokuParagraph``)."""
    classes = [
        (node, set(_reportlab_bound(tree)))
        for tree in trees
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    ]
    derived: set[str] = set()
    grew = True
    while grew:
        grew = False
        for node, bound in classes:
            if node.name not in derived and set(_base_names(node)) & (bound | derived):
                derived.add(node.name)
                grew = True
    return derived


class _PrivateUses(ast.NodeVisitor):
    """Where a module uses a reportlab private: imports one, reads or sets
    one on a reportlab object (``canv._doc``, ``pdfmetrics._fonts``, by
    string too), overrides one in a subclass, or builds a reportlab object
    without its constructor or copies it through ``__dict__``. On ``self``
    of a class of its own a name is the module's own."""

    def __init__(self, bound: dict[str, int], derived: set[str]) -> None:
        self.bound, self.derived, self.private = bound, derived, reportlab_private_names()
        self.found: list[tuple[int, str]] = [(n, "import") for n in bound.values() if n]
        self.classes: list[str] = []

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node.name)
        for item in node.body if node.name in self.derived else ():
            if isinstance(item, ast.FunctionDef) and item.name in self.private:
                self.found.append((item.lineno, f"overrides {item.name}"))
        self.generic_visit(node)
        self.classes.pop()

    def _counts(self, owner: ast.expr, name: str) -> bool:
        if isinstance(owner, ast.Name) and owner.id in self.bound:
            return _private(name)
        if name not in self.private:
            return False
        own = isinstance(owner, ast.Name) and owner.id in ("self", "cls")
        return not own or (bool(self.classes) and self.classes[-1] in self.derived)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in ("__dict__", "__new__") or self._counts(node.value, node.attr):
            self.found.append((node.lineno, f".{node.attr}"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = node.args[1] if len(node.args) > 1 else None
        by_name = isinstance(node.func, ast.Name) and node.func.id in _BY_NAME
        text = name.value if isinstance(name, ast.Constant) else None
        if by_name and isinstance(text, str) and self._counts(node.args[0], text):
            self.found.append((node.lineno, f"{ast.unparse(node.func)}(..., {text!r})"))
        self.generic_visit(node)


def reportlab_private_uses(sources: dict[str, str], allowed: str) -> list[str]:
    """``file:line what`` for each use of a reportlab private in the
    modules ``sources`` (name -> source) other than ``allowed``."""
    trees = {name: ast.parse(textwrap.dedent(source)) for name, source in sources.items()}
    derived = reportlab_subclasses(list(trees.values()))
    found = []
    for name, tree in trees.items():
        if name == allowed:
            continue
        uses = _PrivateUses(_reportlab_bound(tree), derived)
        uses.visit(tree)
        found += [f"{name}:{line} {what}" for line, what in sorted(uses.found)]
    return found


def test_the_reportlab_private_check_sees_every_kind_of_use() -> None:
    planted = {
        "_rl.py": "from reportlab.rl_config import _FUZZ\nFUZZ = _FUZZ\n",
        "_cells.py": """
            from reportlab.pdfbase import pdfmetrics
            from reportlab.platypus import Paragraph, Table
            from reportlab.rl_config import _FUZZ

            class Cells(Table):
                def _listCellGeom(self, V, w, s):
                    return getattr(self.canv, "_doctemplate", None)

            class Text(Paragraph):
                def wrap(self, width, height):
                    self._wrapped_at = width  # a name of ours
                    return self._code

            class Plain:
                def _code(self):  # its own, though reportlab has one too
                    return self._code

            def _lines(p):
                pdfmetrics._fonts["x"] = Text.__new__(Text)
                return p.canv._doc
        """,
    }
    assert reportlab_private_uses(planted, "_rl.py") == [
        "_cells.py:4 import",
        "_cells.py:7 overrides _listCellGeom",
        "_cells.py:8 getattr(..., '_doctemplate')",
        "_cells.py:13 ._code",
        "_cells.py:20 .__new__",
        "_cells.py:20 ._fonts",
        "_cells.py:21 ._doc",
    ]


@pytest.mark.parametrize("folder", sorted(REPORTLAB_INTERNALS), ids=lambda p: p.name)
def test_no_reportlab_private_is_used_outside_the_one_module_that_keeps_them(
    folder: Path,
) -> None:
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py"))}
    allowed = REPORTLAB_INTERNALS[folder]
    assert reportlab_private_uses(sources, allowed.name) == []
    # the allowed module is where they are: the check reads them there
    assert reportlab_private_uses(sources, "") != []


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
