"""Opening the files a user names, safely: regular files only, read with a
bound.

Every input (data, register, spreadsheet, template, logo, reference .docx,
font, attachment) comes through here. A path may be anything: a FIFO that
blocks the first ``read`` forever, ``/dev/zero`` that never ends, a folder,
a sparse file of a terabyte. So the file is opened without blocking
(``O_NONBLOCK``: opening a FIFO with no writer returns at once), its type is
checked on the open descriptor (``fstat``: no race with a swap between a
check and the open), and at most ``limit + 1`` bytes are read, so an
oversized file is refused after reading one byte more than the limit, never
after reading it whole.
"""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError, ReportgenError

Fail = Callable[[str], ReportgenError]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_CHUNK = 1 << 20
#: read-only, never blocking on a FIFO, not inherited by child processes
#: (the POSIX flags; Windows has neither FIFOs to block on nor these flags)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


def _default_fail(path: Path) -> Fail:
    return lambda message: InputError(message, path)


def file_kind(mode: int) -> str:
    """'a folder', 'a named pipe (FIFO)', ... for a mode that is not a
    regular file's."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _refuse_kind(mode: int, what: str, fail: Fail) -> None:
    if not stat.S_ISREG(mode):
        raise fail(f"{what} is {file_kind(mode)}, not a regular file; give the path of a file")


def _too_big(size: str, what: str, limit: int, env: str | None, fail: Fail) -> ReportgenError:
    more = f", or raise the limit with {env}" if env else ""
    return fail(f"{what} is {size} bytes, over the limit of {limit:,}; use a smaller file{more}")


def _open(path: Path, what: str, fail: Fail) -> int:
    try:
        return os.open(path, _READ_FLAGS)
    except FileNotFoundError as exc:
        raise fail(f"{what} not found; check the path") from exc
    except OSError as exc:
        raise fail(f"cannot read {what}: {exc.strerror}") from exc


def read_bounded(
    path: Path,
    limit: int,
    what: str = "file",
    env: str | None = None,
    fail: Fail | None = None,
) -> bytes:
    """The bytes of the regular file ``path``, refusing anything else and
    anything over ``limit`` bytes, named ``what`` in messages (``env`` is
    the variable that raises the limit)."""
    fail = fail or _default_fail(path)
    fd = _open(path, what, fail)
    try:
        info = os.fstat(fd)
        _refuse_kind(info.st_mode, what, fail)
        if info.st_size > limit:  # cheap first: the size the file claims
            raise _too_big(f"{info.st_size:,}", what, limit, env, fail)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the claim may lie (a file still growing)
            chunk = os.read(fd, min(_CHUNK, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise fail(f"cannot read {what}: {exc.strerror}") from exc
    finally:
        os.close(fd)
    if size > limit:
        raise _too_big(f"over {limit:,}", what, limit, env, fail)
    return b"".join(chunks)


def check_regular(
    path: Path,
    limit: int,
    what: str = "file",
    env: str | None = None,
    fail: Fail | None = None,
) -> None:
    """Refuse ``path`` unless it is a regular file of at most ``limit``
    bytes, for files a library opens itself (a font reportlab reads)."""
    fail = fail or _default_fail(path)
    fd = _open(path, what, fail)
    try:
        info = os.fstat(fd)
    finally:
        os.close(fd)
    _refuse_kind(info.st_mode, what, fail)
    if info.st_size > limit:
        raise _too_big(f"{info.st_size:,}", what, limit, env, fail)


def check_zip_sizes(
    payload: bytes, limit: int, what: str, fail: Fail, damaged: str = "save it again"
) -> None:
    """Refuse a zip archive (a .docx, an .xlsx) whose members declare more
    than ``limit`` bytes unpacked, before anything is unpacked: a zip bomb
    is refused by what it declares. The declared sizes bind: Python's
    zipfile stops reading a member at its declared size."""
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise fail(f"{what} is not a valid zip archive ({exc}); {damaged}") from exc
    if total > limit:
        raise fail(
            f"{what} unpacks to {total:,} bytes, over the limit of {limit:,} "
            "(a zip bomb?); use a smaller file, or raise REPORTGEN_MAX_UNZIPPED_BYTES"
        )
