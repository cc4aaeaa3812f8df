"""Where fonts live on Windows, macOS and Linux, and an index of the files.

Search order: the folders in ``REPORTGEN_FONT_DIRS`` (separated by the
system's path separator, ``:`` or ``;``), then the system's own folders.
With ``REPORTGEN_FONT_DIRS_ONLY=1`` the system folders are left out, so a
test run (or a reproducible build) sees exactly the fonts it was given.
A profile's house fonts come before all of these; they are files, not
folders, and are handled by ``roles``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

ENV_DIRS = "REPORTGEN_FONT_DIRS"
ENV_ONLY = "REPORTGEN_FONT_DIRS_ONLY"
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


def _windows(env: Mapping[str, str], home: Path) -> list[Path]:
    windir = env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows"
    local = env.get("LOCALAPPDATA") or str(home / "AppData" / "Local")
    # fonts a user installs without admin rights go to the per-user folder
    return [Path(windir) / "Fonts", Path(local) / "Microsoft" / "Windows" / "Fonts"]


def _macos(env: Mapping[str, str], home: Path) -> list[Path]:
    # Supplemental (Songti, Kaiti, Arial, Times New Roman) is a subfolder of
    # /System/Library/Fonts, so the recursive scan finds it
    return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]


def _linux(env: Mapping[str, str], home: Path) -> list[Path]:
    data_home = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share")
    data_dirs = (env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    folders = [data_home / "fonts", home / ".fonts"]
    folders += [Path(d) / "fonts" for d in data_dirs if d]
    folders += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    return list(dict.fromkeys(folders))


def system_folders(platform: str, env: Mapping[str, str], home: Path) -> list[Path]:
    """The font folders of ``platform`` (a ``sys.platform`` value)."""
    if platform.startswith(("win", "cygwin")):
        return _windows(env, home)
    if platform == "darwin":
        return _macos(env, home)
    return _linux(env, home)


def env_folders(env: Mapping[str, str] | None = None) -> list[Path]:
    """The folders ``REPORTGEN_FONT_DIRS`` names, in order."""
    env = os.environ if env is None else env
    raw = env.get(ENV_DIRS, "")
    return [Path(part).expanduser() for part in raw.split(os.pathsep) if part.strip()]


def only_env_folders(env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    return env.get(ENV_ONLY, "").strip().lower() in ("1", "true", "yes")


def search_folders() -> tuple[tuple[Path, str], ...]:
    """(folder, where it came from) in search order, for this process."""
    found = [(folder, ENV_DIRS) for folder in env_folders()]
    if not only_env_folders():
        system = system_folders(sys.platform, os.environ, Path.home())
        found += [(folder, "system") for folder in system]
    return tuple(found)


def _scan(folder: Path) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(folder, followlinks=True):
        dirs.sort()
        files += [Path(root) / n for n in sorted(names) if n.lower().endswith(FONT_SUFFIXES)]
    return files


def fc_list(*args: str) -> list[str]:
    """The distinct lines ``fc-list ARGS`` prints, sorted; none where
    fontconfig is missing (Windows), fails or takes over 10 s."""
    if sys.platform.startswith("win") or not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", *args], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line for line in out.splitlines() if line.strip()})


def _fontconfig_files() -> list[Path]:
    """Files fontconfig knows about (it may list folders beyond ours)."""
    return [Path(line) for line in fc_list("--format", "%{file}\n")]


@functools.lru_cache(maxsize=8)
def index(
    folders: tuple[tuple[Path, str], ...], fontconfig: bool = True
) -> dict[str, tuple[Path, str]]:
    """Lower-case file name -> (path, origin) for every font file, the first
    folder winning. Windows names files in any case (ARIAL.TTF, arial.ttf)."""
    found: dict[str, tuple[Path, str]] = {}
    for folder, origin in folders:
        if folder.is_dir():
            for path in _scan(folder):
                found.setdefault(path.name.lower(), (path, origin))
    if fontconfig:
        for path in _fontconfig_files():
            if path.name.lower().endswith(FONT_SUFFIXES):
                found.setdefault(path.name.lower(), (path, "fontconfig"))
    return found


def current_index() -> dict[str, tuple[Path, str]]:
    """The index for the folders this process searches now."""
    return index(search_folders(), not only_env_folders())
