"""``reportgen batch``: every audience, language and format in one run.

Items (one audience in one language, all its formats) render in worker
processes; each worker loads the data once and keeps its compiled templates.
Workers return bytes; only this process writes, atomically, so an error or
Ctrl-C never leaves half a file. The manifest is written last: it lists
only files that exist, with their hashes.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import itertools
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, resources
from .data.schema import CaseData
from .data.validate import load_case_data
from .errors import ReportgenError, UsageError
from .fonts import report as font_report
from .output import write_atomic
from .pipeline import BriefRequest, brief_payloads, source_timestamp, template_folders

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BatchRequest:
    audiences: tuple[str, ...]
    langs: tuple[str, ...]
    formats: tuple[str, ...]
    output: Path
    data: Path | None = None
    templates: Path | None = None
    jobs: int = 0


@dataclass
class ItemResult:
    audience: str
    lang: str
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> bytes
    error: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class Written:
    payload: bytes
    audience: str
    lang: str


@dataclass
class BatchResult:
    written: list[Path]
    failures: list[ItemResult]
    items: int
    seconds: float


# --------------------------------------------------------------------------
# Workers


_WORKER: dict[str, Any] = {}


def _init_worker(data_path: Path) -> None:
    """Load the data once per worker process."""
    _WORKER.clear()
    try:
        _WORKER["data"] = load_case_data(data_path)
    except ReportgenError as exc:
        _WORKER["error"] = str(exc)


def _render_item(request: BriefRequest) -> ItemResult:
    result = ItemResult(request.audience, request.lang)
    start = time.perf_counter()
    try:
        if "error" in _WORKER:
            raise ReportgenError(_WORKER["error"])
        data: CaseData | None = _WORKER.get("data")
        payloads = brief_payloads(request, data)
        result.files = {
            path.relative_to(request.output).as_posix(): payload
            for path, payload in payloads.items()
        }
    except ReportgenError as exc:
        result.error = str(exc)
    result.seconds = time.perf_counter() - start
    return result


# --------------------------------------------------------------------------
# The run


def item_requests(request: BatchRequest) -> list[BriefRequest]:
    return [
        BriefRequest(
            data=request.data,
            audience=audience,
            lang=lang,
            templates=request.templates,
            formats=request.formats,
            output=request.output,
            provenance=True,
            output_is_folder=True,
        )
        for audience, lang in itertools.product(request.audiences, request.langs)
    ]


def run_batch(
    request: BatchRequest, progress: Callable[[ItemResult], None] | None = None
) -> BatchResult:
    """Render every item, write the files, then the manifest."""
    start = time.perf_counter()
    data_path = request.data or resources.default_data()
    if request.output.exists() and not request.output.is_dir():
        raise UsageError(f"{request.output} is a file; give a folder with -o")
    source_timestamp()  # a bad SOURCE_DATE_EPOCH fails the run before any work
    load_case_data(data_path)  # bad data fails the run once, before any worker starts
    stale = request.output / MANIFEST
    stale.unlink(missing_ok=True)  # never leave a manifest that may not match
    items = item_requests(request)
    written: dict[str, Written] = {}
    failures: list[ItemResult] = []
    for result in _results(items, data_path, request.jobs):
        if result.error:
            failures.append(result)
        for relative, payload in result.files.items():
            write_atomic(request.output / relative, payload)
            written[relative] = Written(payload, result.audience, result.lang)
        if progress:
            progress(result)
    manifest = build_manifest(request, data_path, written)
    write_atomic(request.output / MANIFEST, manifest)
    paths = [request.output / rel for rel in sorted(written)] + [request.output / MANIFEST]
    return BatchResult(paths, failures, len(items), time.perf_counter() - start)


def _results(items: list[BriefRequest], data_path: Path, jobs: int) -> Iterator[ItemResult]:
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(items) == 1:
        _init_worker(data_path)
        yield from map(_render_item, items)
        return
    with cf.ProcessPoolExecutor(
        max_workers=min(workers, len(items)), initializer=_init_worker, initargs=(data_path,)
    ) as pool:
        futures = [pool.submit(_render_item, item) for item in items]
        try:
            for future in cf.as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise


# --------------------------------------------------------------------------
# The manifest


_PAGES = re.compile(rb"/Count (\d+) /Kids \[[^\]]*\] /Type /Pages")


def pdf_pages(payload: bytes) -> int | None:
    """The page count of a reportlab PDF, from its page tree root."""
    counts = [int(m.group(1)) for m in _PAGES.finditer(payload)]
    return max(counts) if counts else None


def _sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


#: what a brief is made from in a templates folder (not outputs kept there)
_TEMPLATE_DIRS = ("sections", "audiences")


def templates_hash(folders: list[Path]) -> str:
    """One hash over every template file used (name and content)."""
    digest = hashlib.sha256()
    for folder in folders:
        files = [p for part in _TEMPLATE_DIRS for p in (folder / part).rglob("*")]
        files += [folder / "labels.yaml"]
        for path in sorted({p for p in files if p.is_file()}):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _entry(relative: str, file: Written) -> dict[str, Any]:
    sidecar = relative.endswith(".provenance.json")
    entry: dict[str, Any] = {
        "path": relative,
        "audience": file.audience,
        "lang": file.lang,
        "format": "provenance" if sidecar else relative.rpartition(".")[2],
        "bytes": len(file.payload),
        "sha256": _sha256(file.payload),
    }
    if entry["format"] == "pdf":
        entry["pages"] = pdf_pages(file.payload)
    return entry


def build_manifest(request: BatchRequest, data_path: Path, written: dict[str, Written]) -> bytes:
    """The record of a run; the same inputs give the same bytes."""
    epoch = source_timestamp() if "SOURCE_DATE_EPOCH" in os.environ else None
    document = {
        "reportgen_version": __version__,
        "source_date_epoch": epoch,
        "data": {"path": str(data_path), "sha256": _sha256(data_path.read_bytes())},
        "templates_sha256": templates_hash(template_folders(request.templates)),
        "fonts": font_report.for_audiences(request.audiences, template_folders(request.templates)),
        "outputs": [
            _entry(rel, written[rel])
            for rel in sorted(written)
            if not rel.endswith(".provenance.json")
        ],
        "provenance": [
            _entry(rel, written[rel]) for rel in sorted(written) if rel.endswith(".provenance.json")
        ],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
