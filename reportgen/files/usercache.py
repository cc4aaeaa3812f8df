"""The per-user cache folder: where it is, kept private, written atomically.

reportgen keeps work that costs time on every run and whose result only
changes when its inputs do: parsed fonts (``fontcache``) and compiled
templates (``templatecache``). Each has a subfolder here.

The folder is the platform's cache folder (``$XDG_CACHE_HOME`` or
``~/.cache`` on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on
Windows); ``REPORTGEN_CACHE_DIR`` moves it and ``REPORTGEN_NO_CACHE=1`` turns
caching off. A subfolder is made mode 0700 and used only while this user owns
it and no one else may write to it; an entry is read only under the same
rule, so nothing another user wrote is ever loaded. A subfolder keeps its
newest ``MAX_ENTRIES`` entries. Nothing here is an error: a cache that
cannot be made, read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

ENV_DIR = "REPORTGEN_CACHE_DIR"
ENV_OFF = "REPORTGEN_NO_CACHE"


def cache_dir(
    platform: str | None = None, env: Mapping[str, str] | None = None, home: Path | None = None
) -> Path:
    """The folder for reportgen's cache on this platform."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    home = Path.home() if home is None else home
    if env.get(ENV_DIR, "").strip():
        return Path(env[ENV_DIR]).expanduser()
    if platform.startswith(("win", "cygwin")):
        base = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
        return Path(base) / "reportgen" / "Cache"
    if platform == "darwin":
        return home / "Library" / "Caches" / "reportgen"
    base = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else home / ".cache") / "reportgen"


def enabled(env: Mapping[str, str] | None = None) -> bool:
    """False when ``REPORTGEN_NO_CACHE`` turns caching off."""
    env = os.environ if env is None else env
    return env.get(ENV_OFF, "").strip().lower() not in ("1", "true", "yes")


def _owned_by_me(info: os.stat_result) -> bool:
    """Owned by this user and writable by no one else (POSIX); Windows
    keeps %LOCALAPPDATA% per user, and has no uid to compare."""
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def folder(name: str) -> Path | None:
    """The cache's subfolder ``name``, made private; None when caching is
    off, the folder cannot be made, or another user could write to it."""
    if not enabled():
        return None
    path = cache_dir() / name
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or not _owned_by_me(info):
        return None
    return path


def read(entry: Path) -> bytes | None:
    """The entry's bytes if this user owns it and no one else may write it."""
    try:
        with open(entry, "rb") as handle:
            if not _owned_by_me(os.fstat(handle.fileno())):
                return None
            return handle.read()
    except OSError:
        return None


def write(entry: Path, data: bytes) -> None:
    """Store atomically (a temporary file, then ``os.replace``), so a
    reader sees the old entry or the new one, never half of one."""
    try:
        fd, temp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-", suffix=entry.suffix)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, entry)
    except OSError:  # e.g. a full disk: the run goes on uncached
        with contextlib.suppress(OSError):
            os.unlink(temp)
        return
    prune(entry.parent)


#: entries a subfolder keeps; past it the oldest go (they are remade on need)
MAX_ENTRIES = 2000


def prune(path: Path, keep: int = MAX_ENTRIES) -> None:
    """Remove the oldest entries of ``path`` beyond ``keep``. Entries are
    only ever added (a changed font, template or chart makes a new one),
    so without this the folder would grow for as long as it is used."""
    try:
        entries = [e for e in os.scandir(path) if e.is_file(follow_symlinks=False)]
    except OSError:
        return
    if len(entries) <= keep:
        return
    entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
    for old in entries[: len(entries) - keep]:
        with contextlib.suppress(OSError):
            os.unlink(old.path)
