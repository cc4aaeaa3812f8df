"""An advisory lock on an output folder, so two batches never write into
the same folder at once (their files and manifest would not match).

The lock is ``DIR/.reportgen.lock``, held with ``flock`` for the life of the
run and removed when it ends; the kernel releases it if the process dies,
so a crashed batch never leaves the folder locked. The file records who
holds it, for the message a second batch prints. Where ``fcntl`` does not
exist (Windows) the folder is not locked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import OutputError

LOCK_NAME = ".reportgen.lock"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def _holder(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[:200].strip() or "another run"
    except OSError:
        return "another run"


def _try_lock(path: Path) -> int | None:
    """A descriptor holding the lock on ``path``, or None if it is held.
    Retries when the file it locked was removed meanwhile by the holder
    releasing it (the lock would then guard nothing)."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` (created if missing) for the block."""
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = _try_lock(path)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot write here ({exc.strerror}); choose another output folder with -o"
        ) from exc
    if fd is None:
        raise OutputError(
            f"{folder}: another batch is writing into this folder ({_holder(path)}); wait for "
            f"it to finish or choose another folder with -o (if no batch runs, delete {path})"
        )
    try:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        os.ftruncate(fd, 0)
        os.write(fd, f"reportgen batch, process {os.getpid()}, since {stamp}\n".encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)
