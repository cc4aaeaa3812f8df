"""Loading a data file into a typed, cross-checked ``CaseData``.

Every problem is collected with its file, line, column and field path and
reported once, in the manner of mkdocs' config validation: an analyst fixes
the whole file in one pass instead of one error per run.
"""

from __future__ import annotations

import difflib
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from ..errors import ValidationError
from .loader import Loaded, Marks, Path_, load_yaml
from .schema import CaseData, Cite, SourceRegister, type_options
from .spreadsheet import load_cases_table


def format_path(path: Path_) -> str:
    """``('cases', 2, 'deals', 0)`` -> ``cases[2].deals[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(top level)"


Locate = Callable[[Path_], str]
ModelT = TypeVar("ModelT", bound=BaseModel)


def load_case_data(path: Path) -> CaseData:
    """Read, validate and cross-check the data file at ``path``."""
    loaded = load_yaml(path)
    if not isinstance(loaded.data, dict):
        raise ValidationError(
            [
                f"{path}:1:1: the file must hold a mapping of keys, "
                f"found {type(loaded.data).__name__}"
            ]
        )
    data = dict(loaded.data)
    register = _load_register(path, data)
    locate = _with_table(path, data, loaded.marks)
    case_data = _validated(CaseData, data, locate)
    if register is not None:
        case_data = case_data.model_copy(
            update={"sources": [*case_data.sources, *register.sources]}
        )
    problems = list(_reference_problems(case_data, locate))
    if problems:
        raise ValidationError(problems)
    return case_data


def _with_table(path: Path, data: dict[str, Any], marks: Marks) -> Locate:
    """Append the cases of ``cases_from`` to ``data`` and return a locator
    that names the cell of a table case and the line of a YAML one."""
    ref, sheet = data.get("cases_from"), data.get("cases_sheet")
    if not isinstance(ref, str):
        return marks.where
    table = load_cases_table(path.parent / ref, sheet if isinstance(sheet, str) else None)
    own = data.get("cases", [])
    if not isinstance(own, list):
        return marks.where  # the schema reports the bad 'cases' value itself
    data["cases"] = [*own, *table.rows]

    def locate(place: Path_) -> str:
        if (
            len(place) >= 2
            and place[0] == "cases"
            and isinstance(place[1], int)
            and place[1] >= len(own)
        ):
            return table.find(place[1] - len(own), tuple(place[2:]))
        return marks.where(place)

    return locate


def _load_register(path: Path, data: dict[str, Any]) -> SourceRegister | None:
    ref = data.get("sources_from")
    if not isinstance(ref, str):
        return None
    loaded = load_yaml((path.parent / ref).resolve(), "source register")
    return _validated(SourceRegister, loaded.data, loaded.marks.where)


# --------------------------------------------------------------------------
# Schema problems


def _validated(model: type[ModelT], data: Any, locate: Locate) -> ModelT:
    """``data`` as ``model``, or a ValidationError listing every problem."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(list(_schema_problems(model, data, locate, exc))) from None


def _schema_problems(
    model: type[BaseModel], data: Any, locate: Locate, exc: pydantic.ValidationError
) -> Iterator[str]:
    # A union reports one error per branch at the same place: join them.
    grouped: dict[Path_, list[str]] = {}
    for error in exc.errors():
        path = _data_path(data, error["loc"], error["type"])
        message = _describe(model, error, path)
        if message not in grouped.setdefault(path, []):
            grouped[path].append(message)
    for path, messages in grouped.items():
        yield f"{locate(path)}: {format_path(path)}: {'; or '.join(messages)}"


def _data_path(data: Any, loc: tuple[Any, ...], kind: str) -> Path_:
    """The part of pydantic's ``loc`` that names places in the data; drops
    the names of union branches and validators that pydantic adds."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if _has(current, part):
            current = current[part]
        elif kind == "missing" and isinstance(current, dict) and isinstance(part, str):
            path.append(part)
            break
        else:
            continue
        path.append(part)
    return tuple(path)


def _has(container: Any, part: Any) -> bool:
    if isinstance(container, dict):
        return part in container
    return isinstance(container, list) and isinstance(part, int) and part < len(container)


def _describe(model: type[BaseModel], error: Any, path: Path_) -> str:
    kind, found = error["type"], error.get("input")
    if kind == "extra_forbidden":
        return _unknown_key(model, path)
    if kind == "missing":
        return "is required but missing; add it"
    shown = repr(found) if not isinstance(found, (dict, list)) else type(found).__name__
    return f"{error['msg'].lower()}; found {shown}"


def _unknown_key(model: type[BaseModel], path: Path_) -> str:
    key = str(path[-1])
    allowed = sorted(_fields_at(model, path[:-1]))
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    known = f"; allowed here: {', '.join(allowed)}" if allowed else ""
    return f"unknown key '{key}'{hint}{known}"


def _fields_at(model: type[BaseModel], path: Path_) -> set[str]:
    """The field names the schema allows at ``path`` (a mapping's place)."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return set()
    model_cls = _model_in(current)
    return set(model_cls.model_fields) if model_cls else set()


def _step(annotation: Any, part: str | int) -> Any:
    model_cls = _model_in(annotation)
    if model_cls is not None and isinstance(part, str) and part in model_cls.model_fields:
        return model_cls.model_fields[part].annotation
    for arg in type_options(annotation):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(arg)[1]
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for option in type_options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


# --------------------------------------------------------------------------
# Cross-references


def _reference_problems(data: CaseData, locate: Locate) -> Iterator[str]:
    yield from _duplicate_ids(data, locate)
    org_ids = {org.id for org in data.organisations}
    for path, ref in _org_refs(data):
        if ref not in org_ids:
            close = difflib.get_close_matches(ref, sorted(org_ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield (
                f"{locate(path)}: {format_path(path)}: no organisation has id "
                f"'{ref}'{hint}; add it under organisations or fix the id"
            )
    sources = {source.id: source for source in data.sources}
    for path, cite in _cites(data, ()):
        yield from _cite_problems(data, sources, path, cite, locate)


def _duplicate_ids(data: CaseData, locate: Locate) -> Iterator[str]:
    for name in (
        "organisations",
        "policies",
        "cases",
        "channels",
        "distribution_models",
        "themes",
        "sources",
    ):
        seen: set[str] = set()
        for index, item in enumerate(getattr(data, name)):
            if item.id in seen:
                path = (name, index, "id")
                yield f"{locate(path)}: {format_path(path)}: id '{item.id}' is used twice"
            seen.add(item.id)


def _org_refs(data: CaseData) -> Iterator[tuple[Path_, str]]:
    for i, ref in enumerate(data.base.members):
        yield ("base", "members", i), ref
    for i, policy in enumerate(data.policies):
        for j, ref in enumerate(policy.beneficiaries):
            yield ("policies", i, "beneficiaries", j), ref
    for i, case in enumerate(data.cases):
        if case.producer:
            yield ("cases", i, "producer"), case.producer
        for j, deal in enumerate(case.deals):
            yield ("cases", i, "deals", j, "platform"), deal.platform


def _cites(node: Any, path: Path_) -> Iterator[tuple[Path_, Cite]]:
    """Every ``Cite`` in the data with its path, in file order."""
    if isinstance(node, Cite):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _cites(getattr(node, name), (*path, name))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _cites(item, (*path, index))
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from _cites(item, (*path, key))


def _cite_problems(
    data: CaseData, sources: dict[str, Any], path: Path_, cite: Cite, locate: Locate
) -> Iterator[str]:
    source_id = data.source_id(cite)
    where = f"{locate(path)}: {format_path(path)}"
    if source_id is None:
        yield f"{where}: names no source and the data sets no default_source; add one"
    elif source_id not in sources:
        known = ", ".join(sorted(sources)) or "none"
        yield f"{where}: cites unknown source '{source_id}'; registered: {known}"
    elif cite.paragraph > sources[source_id].paragraphs:
        yield (
            f"{where}: paragraph {cite.paragraph} does not exist; source "
            f"'{source_id}' has {sources[source_id].paragraphs} paragraphs"
        )


__all__ = ["Loaded", "format_path", "load_case_data"]
