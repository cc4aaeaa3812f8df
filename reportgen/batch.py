"""``reportgen batch``: every audience, language and format in one run.

Items (one audience in one language, all its formats) render in worker
processes, started the same way on every system: multiprocessing's "spawn"
(a fresh interpreter that imports what it needs), never a fork of this
process, which Windows lacks and macOS counts unsafe. Each worker loads the
data once and keeps its compiled templates. Workers return bytes; only this
process writes, atomically, so an error or Ctrl-C never leaves half a file.
The manifest is written last: it lists only files that exist, with their
hashes.
"""

from __future__ import annotations

import atexit
import concurrent.futures as cf
import contextlib
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import signal
import threading
import time
import traceback
import warnings
from collections.abc import Callable, Generator, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .data.schema import CaseData
from .data.validate import load_case_data
from .errors import OutputError, ReportgenError, UsageError
from .files import limits, resources
from .files.folder_lock import locked
from .files.safe_io import read_bounded
from .fonts import report as font_report
from .pipeline import BriefRequest, brief_files, template_folders
from .pipeline.metadata import source_timestamp
from .pipeline.output import check_not_input, check_target, write_atomic, write_files
from .writers import formats as registry
from .writers.rendered import Rendered

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
    files: dict[str, Rendered] = field(default_factory=dict)  # relative path -> file
    error: str = ""
    seconds: float = 0.0
    #: the warnings the brief gave, (message, category): the main process
    #: shows them as it takes the result, as it would its own
    warned: list[tuple[str, type[Warning]]] = field(default_factory=list)


@dataclass(frozen=True)
class Written:
    payload: bytes
    audience: str
    lang: str
    pages: int | None = None  # where the writer knows them (a PDF)


@dataclass
class BatchResult:
    written: list[Path]
    failures: list[ItemResult]
    items: int
    seconds: float


# --------------------------------------------------------------------------
# Workers


_WORKER: dict[str, Any] = {}
#: how every worker is started, on every system (see the module's docstring)
START_METHOD = "spawn"


def _init_worker(data_path: Path) -> None:
    """Set up a worker process: tie its life to the main process, leave
    Ctrl-C to the main process, and load the data once."""
    _die_with_parent()
    # Ctrl-C reaches every process of the terminal's group: the main
    # process handles it (and stops the workers); a worker would only
    # print a traceback of its own. The worker was started with Ctrl-C and
    # SIGTERM held (see _signals_held): one that came meanwhile is dropped.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    # a worker ends as a Python program does, and the main process waits
    # for it: what is alive then is frozen, as the command's own process
    # freezes it (see cli.run), so the shutdown's collections skip it
    atexit.register(gc.freeze)
    _load_data(data_path)


def _load_data(data_path: Path) -> None:
    """The data every brief of this process renders, or the message that
    fails each of them."""
    _WORKER.clear()
    try:
        _WORKER["data"] = load_case_data(data_path)
    except ReportgenError as exc:
        _WORKER["error"] = str(exc)


#: signals held while workers are started, so that none reaches a worker
#: before it has set its own handlers; a spawned process starts with the
#: signal mask of the thread that started it (POSIX; Windows has none)
_HELD = {signal.SIGINT, signal.SIGTERM}


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM in this thread for the block; one that
    arrives meanwhile is delivered when it ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _die_with_parent() -> None:
    """End this worker when the main process ends, however it ends (a
    SIGKILL leaves it no chance to stop its workers): a thread waits on
    multiprocessing's handle on the parent (on POSIX a pipe only the
    parent writes to, on Windows its process handle), which is ready the
    moment the parent is gone, and then ends the process."""
    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing
        return

    def watch() -> None:
        parent.join()
        _end_now()

    threading.Thread(target=watch, name="reportgen-watchdog", daemon=True).start()


def _end_now() -> None:
    """End this process at once, from any thread, whatever its main
    thread is doing (a worker writes no file: nothing is left half-done).
    SIGKILL on POSIX; on Windows ``os.kill`` terminates the process."""
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


def _render_item(request: BriefRequest) -> ItemResult:
    """One brief, with its warnings held for the main process to show:
    a worker's own warnings settings are not the command's."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # the main process's filters decide
        result = _render_held(request)
    result.warned = [(str(w.message), w.category) for w in caught]
    return result


def _render_held(request: BriefRequest) -> ItemResult:
    result = ItemResult(request.audience, request.lang)
    start = time.perf_counter()
    try:
        if "error" in _WORKER:
            raise ReportgenError(_WORKER["error"])
        data: CaseData | None = _WORKER.get("data")
        files = brief_files(request, data)
        folder = request.output
        assert folder is not None, "a batch item always names its folder"
        result.files = {
            path.relative_to(folder).as_posix(): rendered for path, rendered in files.items()
        }
    except ReportgenError as exc:
        result.error = str(exc)
    except Exception as exc:  # a bug: reported for this brief, the others go on
        result.error = (
            f"a bug in reportgen ({type(exc).__name__}: {exc}); please report it\n"
            + "".join(traceback.format_exception(exc)).rstrip()
        )
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
    """Render every item, write the files, then the manifest; the output
    folder is locked for the run, so a second batch into it is refused."""
    start = time.perf_counter()
    data_path = request.data or resources.default_data()
    if request.output.exists() and not request.output.is_dir():
        raise UsageError(f"{request.output} is a file; give a folder with -o")
    source_timestamp()  # a bad SOURCE_DATE_EPOCH fails the run before any work
    load_case_data(data_path)  # bad data fails the run once, before any worker starts
    manifest_path = request.output / MANIFEST
    # the manifest is replaced by every run: never when it is an input
    check_not_input(manifest_path, _inputs(request, data_path))
    check_target(manifest_path)
    made = not request.output.exists()
    try:
        with _terminate_as_exit(), locked(request.output):
            return _run_locked(request, data_path, manifest_path, start, progress)
    except BaseException:
        if made:  # a run that fails before writing leaves no new folder
            with contextlib.suppress(OSError):
                request.output.rmdir()
        raise


@contextlib.contextmanager
def _terminate_as_exit() -> Iterator[None]:
    """SIGTERM ends the run like Ctrl-C does, through every ``finally``:
    workers stopped, temporary files removed, the folder unlocked."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _inputs(request: BatchRequest, data_path: Path) -> list[Path]:
    return [data_path, *template_folders(request.templates)]


def _run_locked(
    request: BatchRequest,
    data_path: Path,
    manifest_path: Path,
    start: float,
    progress: Callable[[ItemResult], None] | None,
) -> BatchResult:
    try:
        manifest_path.unlink(missing_ok=True)  # never leave a manifest that may not match
    except OSError as exc:
        raise OutputError(
            f"{manifest_path}: cannot remove the old manifest ({exc.strerror})"
        ) from exc
    items = item_requests(request)
    written: dict[str, Written] = {}
    failures: list[ItemResult] = []
    # closed as soon as this loop ends, however it ends (Ctrl-C while a
    # brief is written): the workers are stopped then, not when the
    # generator happens to be collected
    with contextlib.closing(_results(items, data_path, request.jobs)) as results:
        for result in results:
            for message, category in result.warned:
                warnings.warn(message, category, stacklevel=2)
            _write_item(request.output, result)
            if result.error:
                failures.append(result)
            for relative, rendered in result.files.items():
                written[relative] = Written(
                    rendered.payload, result.audience, result.lang, rendered.pages
                )
            if progress:
                progress(result)
    manifest = build_manifest(request, data_path, written, failures)
    write_atomic(manifest_path, manifest)
    paths = [request.output / rel for rel in sorted(written)] + [manifest_path]
    return BatchResult(paths, failures, len(items), time.perf_counter() - start)


def _write_item(folder: Path, result: ItemResult) -> None:
    """Write one brief's files together; a target that cannot be written
    (a folder or a link in its place) fails this brief, not the batch."""
    if not result.files:
        return
    try:
        write_files({folder / rel: rendered.payload for rel, rendered in result.files.items()})
    except OutputError as exc:
        result.error = result.error or str(exc)
        result.files = {}


def _results(
    items: list[BriefRequest], data_path: Path, jobs: int
) -> Generator[ItemResult, None, None]:
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(items) == 1:  # in this process: no worker to start
        _load_data(data_path)
        yield from map(_render_item, items)
        return
    unfinished: list[BriefRequest] = []
    yield from _in_pool(items, data_path, min(workers, len(items)), unfinished)
    # A worker died (the OOM killer, a signal): the pool is broken and took
    # every unfinished item with it. Each is tried again in a pool of its
    # own, so a brief that kills its worker fails alone.
    for item in unfinished:
        again: list[BriefRequest] = []
        yield from _in_pool([item], data_path, 1, again)
        for lost in again:
            yield ItemResult(
                lost.audience,
                lost.lang,
                error="its worker process died (out of memory, or killed); "
                "run this brief alone with 'reportgen brief' to see why",
            )


def _in_pool(
    items: list[BriefRequest], data_path: Path, workers: int, unfinished: list[BriefRequest]
) -> Iterator[ItemResult]:
    """Run ``items`` in a pool; those lost to a broken pool go to ``unfinished``."""
    # the pool's queues start multiprocessing's resource tracker, which
    # unblocks Ctrl-C and SIGTERM as it starts: made before they are held
    pool = cf.ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=_init_worker,
        initargs=(data_path,),
    )
    try:
        with _signals_held():  # the workers are started here, as items are submitted
            futures = {pool.submit(_render_item, item): item for item in items}
        for future in cf.as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                unfinished.append(futures[future])
                continue
            yield result
    except BaseException:  # Ctrl-C, SIGTERM, an error writing, or the run closed early
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: cf.ProcessPoolExecutor) -> None:
    """Stop a pool now (Ctrl-C, an error writing): cancel what has not
    started and end the workers, instead of waiting for them."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()  # workers write nothing: there is nothing to clean up
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


# --------------------------------------------------------------------------
# The manifest


def _relative(path: Path, folder: Path) -> str:
    """``path`` relative to the manifest's folder: the same bytes from any
    working directory (just the name across Windows drives)."""
    try:
        return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()
    except ValueError:
        return path.name


def _read(path: Path) -> bytes:
    """An input, as a bounded regular file (see ``safe_io``)."""
    return read_bounded(path, limits.current().data_bytes, "input", "REPORTGEN_MAX_DATA_BYTES")


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
            digest.update(_read(path))
    return digest.hexdigest()


def _entry(relative: str, file: Written) -> dict[str, Any]:
    sidecar = relative.endswith(".provenance.json")
    known = registry.by_extension(Path(relative).suffix)
    entry: dict[str, Any] = {
        "path": relative,
        "audience": file.audience,
        "lang": file.lang,
        "format": "provenance" if sidecar else known.name if known else relative,
        "bytes": len(file.payload),
        "sha256": _sha256(file.payload),
    }
    if file.pages is not None:  # what the writer rendered, not read back from the bytes
        entry["pages"] = file.pages
    return entry


def build_manifest(
    request: BatchRequest,
    data_path: Path,
    written: dict[str, Written],
    failures: list[ItemResult] | None = None,
) -> bytes:
    """The record of a run; the same inputs give the same bytes. Briefs
    that failed are listed with the first line of their error."""
    epoch = source_timestamp() if "SOURCE_DATE_EPOCH" in os.environ else None
    document = {
        "reportgen_version": __version__,
        "source_date_epoch": epoch,
        "data": {"path": _relative(data_path, request.output), "sha256": _sha256(_read(data_path))},
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
        "failures": [
            {"audience": f.audience, "lang": f.lang, "error": f.error.splitlines()[0]}
            for f in sorted(failures or [], key=lambda f: (f.audience, f.lang))
        ],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
