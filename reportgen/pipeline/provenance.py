"""The provenance sidecar: every figure printed in a brief, traced to the
data path it came from and the source passage that data cites.

Filters record each fact they print while the templates render (see
``templating.RenderState``); this module turns that record into JSON.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..data.schema import CaseData
from ..templating.citations import Citations
from ..templating.context import Fact
from ..templating.filters import RenderState
from .output import stem


def _source_entry(fact: Fact, citations: Citations) -> dict[str, Any]:
    source_id = citations.data.source_id(fact.cite) or ""
    source = citations.sources[source_id]
    return {
        "id": source_id,
        "paragraph": fact.cite.paragraph,
        "citation": citations.note_text(source_id, fact.cite.paragraph),
        "publication": source.publication.en,
        "year": source.year,
        "issue": source.issue,
    }


def data_reference(data_path: Path) -> str:
    """The data file as the sidecar names it: relative to the data file's
    own folder (its name), so the sidecar's bytes are the same whatever the
    working directory was and wherever the folder is moved. Every other
    path a brief records (sources_from, cases_from) is already relative to
    the data file."""
    return data_path.name


def _value(fact: Fact) -> str:
    return str(fact.value)


def provenance(
    printed: list[tuple[Fact, str]], citations: Citations, header: dict[str, Any]
) -> dict[str, Any]:
    """The sidecar document: one entry per (data path, printed text)."""
    entries: dict[tuple[str, str], dict[str, Any]] = {}
    for fact, text in printed:
        key = (fact.path, text)
        if key in entries:
            entries[key]["occurrences"] += 1
            continue
        entries[key] = {
            "text": text,
            "path": fact.path,
            "label": str(fact.label),
            "value": _value(fact),
            "unit": fact.unit,
            "qualifier": fact.qualifier,
            "year": fact.year,
            "source": _source_entry(fact, citations),
            "occurrences": 1,
        }
    return {**header, "figures": list(entries.values())}


def to_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def sidecar(state: RenderState, data: CaseData, data_path: Path, audience: str, lang: str) -> bytes:
    """The JSON sidecar of one brief, tracing every printed figure to data
    and source."""
    header = {
        "brief": stem(data.slug, audience, lang),
        "data": data_reference(data_path),
        "edition": data.edition,
        "audience": audience,
        "lang": lang,
    }
    return to_json(provenance(state.printed, state.citations, header))
