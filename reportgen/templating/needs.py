"""What data each section template reads: the context names it uses and the
figure ids it names. ``reportgen check`` lists it, so a user who brings
their own data knows which keys the sections they render need.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import meta as jinja_meta
from jinja2 import nodes

from ..errors import TemplateError
from .sandbox import read_template_file

#: names every render provides that are not data
_NOT_DATA = {
    "labels",
    "tone",
    "audience",
    "lang",
    "brief_title",
    "brief_number",
    "date",
    "sources_used",
}


@dataclass(frozen=True)
class SectionNeeds:
    """One section template and the data it reads."""

    template: str
    names: tuple[str, ...]
    figure_ids: tuple[str, ...]

    def __str__(self) -> str:
        used = [*self.names, *(f"figures.{key}" for key in self.figure_ids)]
        return f"{self.template} uses: {', '.join(used) or 'no data'}"


def needs_of(env: jinja2.Environment, source: str, template: str) -> SectionNeeds:
    """The data ``source`` reads (raises TemplateSyntaxError if it cannot
    be parsed; ``check`` reports that on its own)."""
    ast = env.parse(source)
    names = sorted(jinja_meta.find_undeclared_variables(ast) - _NOT_DATA)
    return SectionNeeds(template, tuple(names), tuple(sorted(_figure_ids(ast))))


def _figure_ids(ast: nodes.Template) -> set[str]:
    """Ids read as ``figures.ID`` or ``figures["ID"]``."""
    found = (figure_read(node) for node in ast.find_all((nodes.Getattr, nodes.Getitem)))
    return {key for key in found if key is not None}


def figure_read(node: nodes.Node) -> str | None:
    """The figure id ``node`` reads as ``figures.ID`` or ``figures["ID"]``
    (a literal key), or None."""
    if not isinstance(node, (nodes.Getattr, nodes.Getitem)):
        return None
    owner = node.node
    if not (isinstance(owner, nodes.Name) and owner.name == "figures"):
        return None
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def section_needs(env: jinja2.Environment, folders: list[Path]) -> Iterator[SectionNeeds]:
    """The needs of every section template, a user's folder first (a file
    there overlays the built-in one of the same name)."""
    seen: set[str] = set()
    for folder in folders:
        for path in sorted((folder / "sections").rglob("*.j2")):
            name = path.relative_to(folder).as_posix()
            if name in seen:
                continue
            seen.add(name)
            try:
                yield needs_of(env, read_template_file(path, folder), name)
            except (jinja2.TemplateSyntaxError, UnicodeDecodeError, TemplateError):
                continue  # reported by the template checks
