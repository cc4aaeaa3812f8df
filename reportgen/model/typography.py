"""Typographic quotes, set once in the model so both writers print the same.

The data holds straight quotes because people type them; an English brief
prints ‘ ’ “ ” and the apostrophe ’. Whether a quote opens or closes is
decided by the character before it, read across inline nodes (a quote
before *italic* text still opens). Chinese text keeps its quotes as typed:
the Chinese edition's own rules apply there. Code is left alone.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from typing import TYPE_CHECKING, TypeVar

from .. import model as m

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

#: a node of the model (every node is a dataclass), rewritten to its own type
_Node = TypeVar("_Node", bound="DataclassInstance")

_OPENING_CONTEXT = "([{\u2018\u201c\u2014\u2013/-"


def smart_quotes(text: str, before: str = "") -> str:
    """``text`` with straight quotes turned typographic; ``before`` is the
    character that precedes it in the paragraph ('' at the start)."""
    out: list[str] = []
    prev = before
    for i, ch in enumerate(text):
        if ch == '"':
            ch = "\u201c" if _opens(prev) else "\u201d"
        elif ch == "'":
            elided = text[i + 1 : i + 2].isdigit()  # the '90s: an apostrophe, not a quote
            ch = "\u2018" if _opens(prev) and not elided else "\u2019"
        out.append(ch)
        prev = ch
    return "".join(out)


def _opens(prev: str) -> bool:
    """A quote opens at the start, after a space or an opening bracket or
    dash; anywhere else (after a letter, digit or closing mark) it closes,
    which makes the apostrophe of "Shanghai's" a closing single quote."""
    if not prev or prev in _OPENING_CONTEXT:
        return True
    return unicodedata.category(prev)[0] in "ZC"


def typeset_document(doc: m.Document) -> m.Document:
    """``doc`` with typographic quotes in every text node and in the title
    and subtitle, for English briefs; Chinese briefs are returned as they are."""
    if doc.meta.lang.lower().startswith("zh"):
        return doc
    meta = dataclasses.replace(
        doc.meta, title=smart_quotes(doc.meta.title), subtitle=smart_quotes(doc.meta.subtitle)
    )
    blocks = tuple(_node(b) for b in doc.blocks)
    notes = tuple(_node(n) for n in doc.notes)
    return m.Document(meta=meta, blocks=blocks, notes=notes)


def _node(node: _Node) -> _Node:
    """A block or note with every inline run rewritten; runs of one block are
    read as one text, so the character before a run is the last one of the
    run before it."""
    changes = _chart_text(node) if isinstance(node, (m.Chart, m.ChartPoint)) else _run_changes(node)
    return dataclasses.replace(node, **changes) if changes else node


def _run_changes(node: DataclassInstance) -> dict[str, object]:
    """The inline runs of ``node`` rewritten, and its child nodes."""
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if not isinstance(value, tuple) or not value:
            continue
        if all(_is_inline(v) for v in value):
            changes[f.name] = _inlines(value, [""])
        elif f.name == "rows":
            changes[f.name] = tuple(tuple(_node(c) for c in row) for row in value)
        elif all(hasattr(v, "kind") for v in value):
            changes[f.name] = tuple(_node(v) for v in value)
    return changes


def _chart_text(node: m.Chart | m.ChartPoint) -> dict[str, object]:
    """Charts hold plain strings (their title, caption, source and text
    alternative) and runs (their labels and notes): the changes to make
    to ``node``."""
    names = ("title", "caption", "alt", "source", "label", "note")
    changes: dict[str, object] = {}
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        if f.name in names and isinstance(value, str):
            changes[f.name] = smart_quotes(value)
        elif f.name in names and isinstance(value, m.ChartText):
            changes[f.name] = _chart_runs(value)
    if isinstance(node, m.Chart):
        changes["points"] = tuple(_node(p) for p in node.points)
    return changes


def _chart_runs(text: m.ChartText) -> m.ChartText:
    """A label or note rewritten run by run, each read after the one before."""
    runs, last = [], ""
    for run in text.runs:
        runs.append(dataclasses.replace(run, text=smart_quotes(run.text, last)))
        last = runs[-1].text[-1:] or last
    return m.ChartText(tuple(runs))


def _is_inline(value: object) -> bool:
    return isinstance(value, (m.Text, m.Strong, m.Emphasis, m.Code, m.Link, m.NoteRef, m.LineBreak))


def _inlines(nodes: tuple[m.Inline, ...], last: list[str]) -> tuple[m.Inline, ...]:
    """Inline nodes rewritten; ``last`` carries the previous character."""
    out: list[m.Inline] = []
    for node in nodes:
        if isinstance(node, m.Text):
            node = m.Text(smart_quotes(node.text, last[0]))
            last[0] = node.text[-1:] or last[0]
        elif isinstance(node, m.Code):
            last[0] = node.text[-1:] or last[0]
        elif isinstance(node, m.LineBreak):
            last[0] = "\n"
        elif isinstance(node, (m.Strong, m.Emphasis, m.Link)):
            node = dataclasses.replace(node, children=_inlines(node.children, last))
        out.append(node)
    return tuple(out)
