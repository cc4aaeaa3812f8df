"""One writer in a process of its own, started before it is needed.

Most of a cold ``reportgen brief`` is imports, and ``-f all`` is two
independent renders of one document. On a machine with two CPUs or more,
``Workers.start`` forks a child as the command begins: the child imports
its writer (reportlab and the PDF writer: about 0.15 s) while the main
process imports the pipeline, loads the data and renders the templates;
then the child lays out its format while the main process lays out the
other. Only the document and the writer options cross, pickled, through a
pipe; the child answers with the ``Rendered`` or the error, and the
warnings it raised, which the main process shows as its own. The bytes are
the same either way (tests prove it), and every check runs where it ran.

Where ``os.fork`` is missing (Windows), one CPU is all the process may use,
or ``REPORTGEN_JOBS=1``, nothing is started and every format is rendered in
the main process.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import struct
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from .. import formats, gcpause, limits
from ..errors import RenderError, ReportgenError, UsageError
from ..model import Document
from ..rendered import Rendered
from . import WriterOptions, lay_out

#: the writers worth a process of their own, heaviest first: the one the
#: child takes is the one whose import it saves the main process
_PREFERENCE = ("pdf", "docx")
#: a document whose Markdown is longer than this is rendered where it is
#: when it is the only writer work left: copying it to the child (about a
#: second per 2.5 MB pickled, at 10,000 cases) costs more than the import
#: the child saved
ALONE_LIMIT = 500_000
_HEADER = struct.Struct("!Q")


def jobs() -> int:
    """Processes one brief may use: ``REPORTGEN_JOBS``, else the CPUs this
    process may run on."""
    value = os.environ.get("REPORTGEN_JOBS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise UsageError(
                f"REPORTGEN_JOBS={value!r} is not a number of processes; "
                "give a whole number from 1 (1: everything in one process)"
            )
        return int(value)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass
class Outcome:
    """One format laid out: its ``Rendered`` or the user's error, and the
    warnings raised meanwhile, held until ``settle`` shows them in the
    order the formats were asked for, as one process would have."""

    rendered: Rendered | None
    error: ReportgenError | None
    warned: list[tuple[str, type[Warning]]] = field(default_factory=list)


def outcome_of(render: Callable[[], Rendered]) -> Outcome:
    """``render()`` with its warnings and its user error held."""
    with warnings.catch_warnings(record=True) as caught:
        try:
            rendered, error = render(), None
        except ReportgenError as exc:
            rendered, error = None, exc
    return Outcome(rendered, error, [(str(w.message), w.category) for w in caught])


def settle(outcomes: dict[str, Outcome]) -> dict[str, Rendered]:
    """Each format's warnings shown and the first error raised, in order:
    the formats after a failure were never laid out, as far as the user
    can tell."""
    done: dict[str, Rendered] = {}
    for fmt, outcome in outcomes.items():
        for message, category in outcome.warned:
            warnings.warn(message, category, stacklevel=2)
        if outcome.error is not None:
            raise outcome.error
        assert outcome.rendered is not None  # one of the two is always set
        done[fmt] = outcome.rendered
    return done


class Worker:
    """The main process's side of one child that renders format ``fmt``."""

    def __init__(self, fmt: str, pid: int, send_fd: int, answer_fd: int) -> None:
        self.fmt, self.pid = fmt, pid
        self._send_fd, self._answer_fd = send_fd, answer_fd
        self._sent = False

    def send(self, document: Document, options: WriterOptions) -> None:
        """Hand the child its work; it starts at once."""
        payload = pickle.dumps((document, options), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            _write_all(self._send_fd, _HEADER.pack(len(payload)) + payload)
        except BrokenPipeError:
            pass  # the child is gone: ``result`` says so
        finally:
            _close(self._send_fd)
            self._sent = True

    def result(self) -> Outcome:
        """The child's outcome; a bug in the child is raised here, with the
        child's traceback."""
        deadline = limits.current().layout_seconds + 60.0
        try:
            answer = _read_answer(self._answer_fd, deadline)
        finally:
            self.stop()
        if answer is None:
            raise RenderError(
                f"the process laying out the {self.fmt} ended without an answer "
                "(out of memory, or killed); run again with REPORTGEN_JOBS=1 to "
                "lay out every format in one process"
            )
        kind, value = answer
        if kind == "bug":
            raise RuntimeError(f"the {self.fmt} writer failed in its own process:\n{value}")
        return value

    def stop(self) -> None:
        """End the child (unused, or done) and reap it."""
        for fd in (self._answer_fd, None if self._sent else self._send_fd):
            if fd is not None:
                _close(fd)
        self._sent = True
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class Workers:
    """The children one command started, by format."""

    def __init__(self, started: dict[str, Worker] | None = None) -> None:
        self._started = started or {}

    @classmethod
    @contextmanager
    def start(cls, wanted: Iterable[str]) -> Iterator[Workers]:
        """Fork a child for the heaviest writer format in ``wanted`` where
        that can help; every child still running when the block ends is
        stopped (an error, Ctrl-C, or work the main process did itself)."""
        workers = cls(_fork_for(tuple(wanted)))
        try:
            yield workers
        finally:
            for worker in workers._started.values():
                worker.stop()

    def take(self, fmt: str) -> Worker | None:
        """The child started for ``fmt``, now the caller's to use."""
        return self._started.get(fmt)


def _fork_for(wanted: tuple[str, ...]) -> dict[str, Worker]:
    fmt = next((f for f in _PREFERENCE if f in wanted), None)
    if fmt is None or not hasattr(os, "fork") or jobs() < 2:
        return {}
    requests_r, requests_w = os.pipe()
    answers_r, answers_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(requests_w)
        os.close(answers_r)
        _child(fmt, requests_r, answers_w)
    os.close(requests_r)
    os.close(answers_w)
    return {fmt: Worker(fmt, pid, requests_w, answers_r)}


def _child(fmt: str, requests: int, answers: int) -> None:
    """Import the writer, wait for the document, lay it out, answer, exit.

    Ctrl-C is the main process's to handle (it stops this child); the child
    leaves by ``os._exit`` so that nothing of the main process's (Click's
    cleanup, atexit, buffered output) runs twice."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        importlib.import_module(formats.get(fmt).writer or "")
        job = _read_message(requests)
        if job is not None:  # None: the main process rendered it itself
            document, options = pickle.loads(job)
            payload = pickle.dumps(_answer(fmt, document, options), pickle.HIGHEST_PROTOCOL)
            _write_all(answers, _HEADER.pack(len(payload)) + payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def _answer(fmt: str, document: Document, options: WriterOptions) -> tuple[str, Any]:
    try:
        with gcpause.paused():
            outcome = outcome_of(lambda: lay_out(fmt, document, options))
    except Exception:  # a bug: its traceback goes to the main process
        return "bug", traceback.format_exc()
    if outcome.error is not None:
        outcome.error = _portable(outcome.error)
    return "ok", outcome


def _portable(exc: ReportgenError) -> ReportgenError:
    """``exc`` if it survives pickling unchanged, else a RenderError with
    its message and exit code (an error whose constructor takes other
    arguments than its message does not)."""
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if type(copy) is type(exc) and str(copy) == str(exc):
            return exc
    except Exception:
        pass
    plain = RenderError(str(exc))
    plain.exit_code = exc.exit_code
    return plain


def _read_answer(fd: int, seconds: float) -> Any | None:
    ready, _, _ = select.select([fd], [], [], seconds)
    if not ready:
        return None
    message = _read_message(fd)
    return None if message is None else pickle.loads(message)


def _read_message(fd: int) -> bytes | None:
    """One length-prefixed message, or None at end of file."""
    header = _read_exactly(fd, _HEADER.size)
    if header is None:
        return None
    return _read_exactly(fd, _HEADER.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _close(fd: int) -> None:
    with suppress(OSError):
        os.close(fd)
