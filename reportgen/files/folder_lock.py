"""An advisory lock on an output folder, so two batches never write into
the same folder at once (their files and manifest would not match).

The lock is ``DIR/.reportgen.lock``, held for the life of the run and
removed when it ends, through portalocker: ``flock`` on Linux and macOS,
``msvcrt.locking`` on Windows. The system releases it if the process dies,
so a crashed batch never leaves the folder locked (on Windows the file may
stay behind, unlocked: the next batch takes it). The file records who holds
it, for the message a second batch prints (on Windows the lock keeps
others from reading it, and the message says "another run").
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import portalocker

from ..errors import OutputError

LOCK_NAME = ".reportgen.lock"

#: opened without truncating: the holder's note stays for the message
_OPEN_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_EXCLUSIVE = portalocker.LockFlags.EXCLUSIVE | portalocker.LockFlags.NON_BLOCKING


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
        fd = os.open(path, _OPEN_FLAGS, 0o644)
        try:
            portalocker.lock(fd, _EXCLUSIVE)
        except portalocker.AlreadyLocked:
            os.close(fd)
            return None
        except portalocker.LockException as exc:  # a file system without locks
            os.close(fd)
            raise OSError(f"cannot lock {path.name}: {exc}") from exc
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _release(path: Path, fd: int) -> None:
    """Remove the lock file and let go of it. Removed while still locked
    where the system allows it (Linux, macOS), so a run that opened it
    meanwhile sees it gone and tries again; Windows removes no open file,
    so there it is removed after closing, if nobody has taken it since."""
    try:
        path.unlink()
    except OSError:
        os.close(fd)
        with contextlib.suppress(OSError):
            path.unlink()
        return
    os.close(fd)


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` (created if missing) for the block."""
    path = folder / LOCK_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = _try_lock(path)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot write here ({exc.strerror or exc}); choose another output "
            "folder with -o"
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
        _release(path, fd)
