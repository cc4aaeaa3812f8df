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
import selectors
import signal
import struct
import sys
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from ..errors import RenderError, ReportgenError, UsageError
from ..files import limits
from ..model import Document
from . import WriterOptions, formats, gcpause, lay_out
from .rendered import Rendered

#: a document whose Markdown is longer than this has one format laid out
#: in the main process: copying it to a child (about a second per 2.5 MB
#: pickled, at 10,000 cases) costs more than the imports the child saved
ALONE_LIMIT = 500_000
_HEADER = struct.Struct("!Q")
#: the writers by the time their import and first layout take, the PDF's
#: (reportlab, and the fonts) the longest
_HEAVIEST_FIRST = ("pdf", "docx")
#: where a child is forked from the running process: not on Windows (no
#: fork), nor on macOS, where CPython counts fork without exec unsafe
#: (system libraries may hold locks) and multiprocessing spawns instead
FORKS = hasattr(os, "fork") and sys.platform != "darwin"


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
    """One format laid out: its ``Rendered`` or its error (the user's, or a
    bug), and the warnings raised meanwhile, held until ``settle`` shows
    them in the order the formats were asked for, as one process would."""

    rendered: Rendered | None
    error: Exception | None
    warned: list[tuple[str, type[Warning]]] = field(default_factory=list)


def outcome_of(render: Callable[[], Rendered]) -> Outcome:
    """``render()`` with its warnings and its error held."""
    with warnings.catch_warnings(record=True) as caught:
        try:
            rendered, error = render(), None
        except Exception as exc:  # held, and raised by settle in format order
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
    """The main process's side of one child that renders format ``fmt``.

    Each descriptor is closed once and the child is killed and reaped once
    (``stop`` may be called again): a descriptor number or a process id
    freed here may be another file's or process's by then."""

    def __init__(self, fmt: str, pid: int, send_fd: int, answer_fd: int) -> None:
        self.fmt, self.pid = fmt, pid
        self._fds: dict[str, int] = {"send": send_fd, "answer": answer_fd}
        self._ended = False

    def send(self, job: bytes) -> None:
        """Hand the child its work (``job_of``'s bytes); it starts at once."""
        try:
            _write_all(self._fds["send"], _HEADER.pack(len(job)) + job)
        except BrokenPipeError:
            pass  # the child is gone: ``result`` says so
        finally:
            self._close("send")

    def result(self) -> Outcome:
        """The child's outcome (a bug in the child is its error, with the
        child's traceback); an error of its own if the child gave none."""
        seconds = limits.current().layout_seconds + 60.0
        try:
            answer = _read_answer(self._fds["answer"], seconds)
        finally:
            status = self.stop()
        if isinstance(answer, Outcome):
            return answer
        why = (
            f"did not answer within {seconds:.0f} s"
            if answer is _TIMED_OUT
            else f"ended without an answer ({_ending(status)})"
        )
        return Outcome(
            None,
            RenderError(
                f"the process laying out the {self.fmt} {why}; run again with "
                "REPORTGEN_JOBS=1 to lay out every format in one process"
            ),
        )

    def stop(self) -> int | None:
        """End the child (unused, or done) and reap it; its wait status,
        the first time."""
        for name in list(self._fds):
            self._close(name)
        if self._ended:
            return None
        self._ended = True
        # a child that answered, or died, is reaped as it is; one still
        # running (unused, or too slow) is killed first
        with suppress(ChildProcessError):
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
        with suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with suppress(ChildProcessError):
            return os.waitpid(self.pid, 0)[1]
        return None

    def fds(self) -> list[int]:
        """The pipe ends this process still holds."""
        return list(self._fds.values())

    def _close(self, name: str) -> None:
        fd = self._fds.pop(name, None)
        if fd is not None:
            _close(fd)


def job_of(document: Document, options: WriterOptions) -> bytes:
    """What a worker is sent: made once, sent to every child."""
    return pickle.dumps((document, options), protocol=pickle.HIGHEST_PROTOCOL)


class Workers:
    """The children one command started, by format."""

    def __init__(self, started: dict[str, Worker] | None = None) -> None:
        self._started = started or {}

    @classmethod
    @contextmanager
    def start(cls, wanted: Iterable[str]) -> Iterator[Workers]:
        """Fork a child for each writer format in ``wanted`` where that can
        help; every child still running when the block ends is stopped (an
        error, Ctrl-C, or work the main process did itself)."""
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
    """Children for the writer formats in ``wanted``, heaviest first, one
    fewer than the CPUs: while the main process imports the pipeline and
    renders the templates (most of a cold run), each child imports its
    writer and loads its fonts on a CPU of its own, then lays out its
    format at once. On two CPUs that is the PDF alone: a second child would
    only slow the main process down, which has the Word file's import and
    layout to do after the templates anyway. Where no process can be made
    (a limit, no memory), the rest is laid out in the main process."""
    drawn = heaviest_first(wanted)
    count = jobs()  # checked everywhere, used where a process can fork
    if not drawn or not FORKS:
        return {}
    started: dict[str, Worker] = {}
    for fmt in drawn[: count - 1]:
        try:
            started[fmt] = _fork(fmt, [fd for w in started.values() for fd in w.fds()])
        except OSError:
            break
    return started


def heaviest_first(wanted: Iterable[str]) -> list[str]:
    """The writer formats of ``wanted``, by the time their import and
    layout take, the heaviest first."""
    wanted = tuple(dict.fromkeys(wanted))
    drawn = [fmt for fmt in _HEAVIEST_FIRST if fmt in wanted]
    return drawn + [f for f in wanted if f not in drawn and formats.get(f).writer]


def _fork(fmt: str, siblings: list[int]) -> Worker:
    """A child for ``fmt``; ``siblings``: the main process's ends of the
    pipes of children started before, which this child must not hold."""
    ends: list[int] = []
    try:
        ends += os.pipe()
        ends += os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except OSError:
        for fd in ends:
            _close(fd)
        raise
    requests_r, requests_w, answers_r, answers_w = ends
    if pid == 0:  # the child: never returns
        for fd in (requests_w, answers_r, *siblings):
            _close(fd)
        _child(fmt, requests_r, answers_w)
    os.close(requests_r)
    os.close(answers_w)
    return Worker(fmt, pid, requests_w, answers_r)


def _child(fmt: str, requests: int, answers: int) -> None:
    """Import the writer, wait for the document, lay it out, answer, exit.

    Ctrl-C is the main process's to handle (it stops this child); the child
    leaves by ``os._exit`` so that nothing of the main process's (Click's
    cleanup, atexit, buffered output) runs twice."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        head_start(fmt)
        job = _read_message(requests)
        if job is not None:  # None: the main process rendered it itself
            payload = _answer(fmt, job)
            _write_all(answers, _HEADER.pack(len(payload)) + payload)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


def head_start(fmt: str) -> None:
    """Import the writer of ``fmt`` and let it prepare what its first brief
    would load (the PDF's fonts), ahead of any document. Only a head start:
    a failure here (a font missing, a bug) is left for the layout itself to
    meet and report, with its own message, as if this had not run; and the
    warnings are the layout's to give."""
    with warnings.catch_warnings(), suppress(Exception):
        warnings.simplefilter("ignore")
        writer = importlib.import_module(formats.get(fmt).writer or "")
        if hasattr(writer, "prepare"):
            writer.prepare()


def _answer(fmt: str, job: bytes) -> bytes:
    """The pickled outcome of laying out the job; whatever fails on the way
    is a bug, reported with its traceback."""
    try:
        document, options = pickle.loads(job)
        with gcpause.paused():
            outcome = outcome_of(lambda: lay_out(fmt, document, options))
        outcome.error = _portable(fmt, outcome.error)
        return pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception:
        return pickle.dumps(Outcome(None, _bug(fmt, traceback.format_exc())))


def _bug(fmt: str, trace: str) -> RuntimeError:
    return RuntimeError(f"the {fmt} writer failed in its own process:\n{trace}")


def _portable(fmt: str, exc: Exception | None) -> Exception | None:
    """``exc`` as it can cross to the main process: a user error as itself
    if it survives pickling unchanged, else as a RenderError with its
    message and exit code; a bug as its traceback."""
    if exc is None:
        return None
    if not isinstance(exc, ReportgenError):
        return _bug(fmt, "".join(traceback.format_exception(exc)))
    try:
        copy = pickle.loads(pickle.dumps(exc))
        if type(copy) is type(exc) and str(copy) == str(exc):
            return exc
    except Exception:
        pass
    plain = RenderError(str(exc))
    plain.exit_code = exc.exit_code
    return plain


def _ending(status: int | None) -> str:
    """How a child ended, from its wait status."""
    if status is None:
        return "it could not be waited for"
    code = os.waitstatus_to_exitcode(status)
    if code >= 0:
        return f"exit status {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return f"ended by {name}: out of memory, or killed"


#: what _read_answer returns when the child took too long
_TIMED_OUT = object()


def _read_answer(fd: int, seconds: float) -> Any:
    """The child's unpickled answer; None at end of file, ``_TIMED_OUT``
    after ``seconds`` without a byte."""
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        if not selector.select(seconds):
            return _TIMED_OUT
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
