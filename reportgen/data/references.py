"""Cross-references in the data: organisation ids, sources, paragraphs and
repeated ids.

These checks read the raw mapping, not the validated model, so they run
even when the schema found problems elsewhere: a bad organisation id is
reported in the same run as a misspelt key, not after it is fixed. Values
of the wrong type are skipped here; the schema reports them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import Problem
from .loader import Path_

Locate = Callable[[Path_], str]
Named = Callable[[Path_], str]

_ID_LISTS = (
    "organisations",
    "policies",
    "cases",
    "channels",
    "distribution_models",
    "themes",
    "sources",
)


def reference_problems(
    data: dict[str, Any], registered: dict[str, int], locate: Locate, name: Named
) -> Iterator[Problem]:
    """Every broken reference in ``data``. ``registered`` maps the ids of
    sources from a register file to their paragraph counts; ``name`` writes
    a path as ``cases[2].deals[0]``."""
    yield from _duplicate_ids(data, locate, name)
    org_ids = {i for _, i in _ids(data.get("organisations"))}
    # organisations the schema refused cannot be looked up: no references
    # reported against them (each would repeat the schema's one problem)
    orgs_known = _all_have_ids(data.get("organisations", []))
    for path, ref in _org_refs(data) if orgs_known else ():
        if ref not in org_ids:
            close = difflib.get_close_matches(ref, sorted(org_ids), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield Problem(
                locate(path),
                f"{name(path)}: no organisation has id '{ref}'{hint}; "
                "add it under organisations or fix the id",
            )
    if not _all_have_ids(data.get("sources", [])):
        return  # the schema reports the source without an id; cites would all fail
    sources = {**_own_sources(data), **registered}
    default = data.get("default_source")
    if isinstance(default, str) and default not in sources:
        known = ", ".join(sorted(sources)) or "none"
        path = ("default_source",)
        yield Problem(
            locate(path), f"default_source: no source has id '{default}'; registered: {known}"
        )
    for path, cite in _cites(data, ()):
        if cite.get("source") or default in sources or not isinstance(default, str):
            yield from _cite_problems(data, sources, path, cite, locate, name)


def _all_have_ids(value: Any) -> bool:
    """A list whose every item is a mapping with a text id."""
    return isinstance(value, list) and all(
        isinstance(item, dict) and isinstance(item.get("id"), str) for item in value
    )


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _ids(value: Any) -> Iterator[tuple[int, str]]:
    for index, item in _items(value):
        if isinstance(item.get("id"), str):
            yield index, item["id"]


def _duplicate_ids(data: dict[str, Any], locate: Locate, name: Named) -> Iterator[Problem]:
    for key in _ID_LISTS:
        seen: set[str] = set()
        for index, item_id in _ids(data.get(key)):
            if item_id in seen:
                path = (key, index, "id")
                yield Problem(locate(path), f"{name(path)}: id '{item_id}' is used twice")
            seen.add(item_id)


def _strings(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield (*path, index), item


def _org_refs(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    base = data.get("base")
    if isinstance(base, dict):
        yield from _strings(base.get("members"), ("base", "members"))
    for i, policy in _items(data.get("policies")):
        yield from _strings(policy.get("beneficiaries"), ("policies", i, "beneficiaries"))
    for i, case in _items(data.get("cases")):
        if isinstance(case.get("producer"), str):
            yield ("cases", i, "producer"), case["producer"]
        for key in ("deals", "availability"):
            for j, deal in _items(case.get(key)):
                if isinstance(deal.get("platform"), str):
                    yield ("cases", i, key, j, "platform"), deal["platform"]


def _own_sources(data: dict[str, Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for _, source in _items(data.get("sources")):
        if isinstance(source.get("id"), str):
            paragraphs = source.get("paragraphs")
            found[source["id"]] = paragraphs if isinstance(paragraphs, int) else 0
    return found


def _cites(node: Any, path: Path_) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Every ``cite:`` mapping in the data with its path, in file order."""
    if isinstance(node, dict):
        for key, item in node.items():
            if key == "cite" and isinstance(item, dict):
                yield (*path, key), item
            else:
                yield from _cites(item, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _cites(item, (*path, index))


def _source_of(data: dict[str, Any], cite: dict[str, Any], sources: dict[str, int]) -> Any:
    """The source a cite points at: its own, the default, or the only one
    (as ``CaseData.source_id``)."""
    if cite.get("source"):
        return cite["source"]
    if data.get("default_source"):
        return data["default_source"]
    return next(iter(sources)) if len(sources) == 1 else None


def _cite_problems(
    data: dict[str, Any],
    sources: dict[str, int],
    path: Path_,
    cite: dict[str, Any],
    locate: Locate,
    name: Named,
) -> Iterator[Problem]:
    source_id = _source_of(data, cite, sources)
    where, field = locate(path), name(path)
    paragraph = cite.get("paragraph")
    if source_id is None:
        yield Problem(
            where, f"{field}: names no source and the data sets no default_source; add one"
        )
    elif not isinstance(source_id, str):
        return  # the schema reports a source that is not text
    elif source_id not in sources:
        known = ", ".join(sorted(sources)) or "none"
        yield Problem(where, f"{field}: cites unknown source '{source_id}'; registered: {known}")
    elif isinstance(paragraph, int) and 0 < sources[source_id] < paragraph:
        yield Problem(
            where,
            f"{field}: paragraph {paragraph} does not exist; source "
            f"'{source_id}' has {sources[source_id]} paragraphs",
        )
