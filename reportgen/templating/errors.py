"""Template mistakes in a person's words.

Jinja reports what went wrong inside the engine: "'reportgen.templating.context.Node
object' has no attribute 'studio_count'", "No filter named 'shares'", or,
when a misspelt figure reaches a filter, a ``TypeError`` from deep in the
number formatting. A template author needs the data path they asked for,
what the data does have, and the closest spelling. This module holds the
undefined type section templates use, the guard that stops an undefined
value at the filter it is given to, and the words for unknown filters.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any

import jinja2

from .context import Fact, Node


class DataUndefinedError(jinja2.UndefinedError):
    """An attribute the data does not have; the message names the data path,
    what is there instead, and where to add it. Complete as it stands."""


def _close(name: str, known: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _listed(names: Iterable[str]) -> str:
    names = sorted(names)
    return ", ".join(names) if names else "nothing"


def missing_figure(name: str, ids: Iterable[str]) -> str:
    """A template asks for ``figures.name``; the data's figures are ``ids``."""
    return (
        f"the data has no figure '{name}'{_close(name, ids)}; the figures it has: "
        f"{_listed(ids)}. Add '{name}:' under figures in the data, or use one of "
        "those ids in the template"
    )


def missing_attribute(owner: Any, name: str) -> str | None:
    """Words for ``owner.name`` when ``owner`` is a record of the data, or
    None for anything else (Jinja's own words then)."""
    if isinstance(owner, Node):
        path, fields = owner._path, list(vars(owner))
        if path == "figures":
            return missing_figure(name, fields)
        place = f"'{path}'" if path else "this record"
        full = f"{path}.{name}" if path else name
        return (
            f"the data has no '{full}'{_close(name, fields)}; {place} has: "
            f"{_listed(fields)}. Add it to the data, or fix the name in the template"
        )
    if isinstance(owner, list) and name.isdigit():
        return _missing_item(owner, int(name))
    if isinstance(owner, Fact):
        fields = [f.name for f in dataclasses.fields(owner)]
        return (
            f"the figure '{owner.path}' has no '{name}'{_close(name, fields)}; a figure has: "
            f"{_listed(fields)}"
        )
    return None


def _missing_item(items: list[Any], index: int) -> str:
    """``cases[3]`` when the data has one case: how many there are."""
    first = items[0] if items else None
    name = first._path.rpartition("[")[0] if isinstance(first, Node) and first._path else ""
    count = f"{len(items)} item{'s' * (len(items) != 1)}"
    last = len(items) - 1
    if not name:
        return f"this list has no item {index}: it has {count}" + (f" (0 to {last})" * bool(items))
    held = f"{name}[0]" if last == 0 else f"{name}[0] to {name}[{last}]"
    return f"the data has no '{name}[{index}]': {name} has {count} ({held})"


class DataUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message names the data path asked for."""

    __slots__ = ()

    def _fail_with_undefined_error(self, *args: Any, **kwargs: Any) -> Any:
        if self._undefined_hint is None and self._undefined_name is not None:
            words = missing_attribute(self._undefined_obj, str(self._undefined_name))
            if words is not None:
                raise DataUndefinedError(words)
        return super()._fail_with_undefined_error(*args, **kwargs)


# Jinja binds every operator of Undefined (__str__, __iter__, __add__ ...) to
# the base class's method when the class is made: bind them to ours.
for _name, _value in vars(jinja2.StrictUndefined).items() | vars(jinja2.Undefined).items():
    if _value is jinja2.Undefined._fail_with_undefined_error and _name.startswith("__"):
        setattr(DataUndefined, _name, DataUndefined._fail_with_undefined_error)


def strict_filter(func: Callable[..., Any]) -> Callable[..., Any]:
    """``func`` refusing an undefined argument (or an undefined item of a
    list argument) with the undefined value's own message, before the
    filter turns it into a TypeError that names nothing."""

    @functools.wraps(func)
    def call(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            items = value if isinstance(value, (list, tuple)) else (value,)
            for item in items:
                if isinstance(item, jinja2.Undefined):
                    item._fail_with_undefined_error()
        return func(*args, **kwargs)

    return call


_UNKNOWN = re.compile(r"No (filter|test) named '([^']+)'")


def explain_syntax(exc: jinja2.TemplateSyntaxError, known_filters: Iterable[str]) -> str:
    """The message for a template that does not compile; an unknown filter
    gets a did-you-mean and the list of filters."""
    hit = _UNKNOWN.search(exc.message or "")
    if hit and hit.group(1) == "filter":
        name = hit.group(2)
        ours = [f for f in known_filters if f not in jinja2.filters.FILTERS]
        return (
            f"unknown filter '{name}'{_close(name, known_filters)}; reportgen's filters are "
            f"{_listed(ours)}, beside Jinja's built-in ones (join, length, map, ...)"
        )
    if hit:
        return f"unknown test '{hit.group(2)}'{_close(hit.group(2), jinja2.tests.TESTS)}"
    return f"syntax error: {exc.message}"
