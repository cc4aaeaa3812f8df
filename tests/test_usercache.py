"""The per-user cache folder: private, atomic, bounded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen.files import usercache


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(usercache.ENV_DIR, str(tmp_path / "cache"))
    monkeypatch.delenv(usercache.ENV_OFF, raising=False)
    return tmp_path / "cache"


def test_an_entry_written_is_read_back(cache: Path) -> None:
    folder = usercache.folder("things")
    assert folder == cache / "things"
    usercache.write(folder / "a.bin", b"payload")
    assert usercache.read(folder / "a.bin") == b"payload"
    assert [p.name for p in folder.iterdir()] == ["a.bin"]  # no temporary file left


def test_a_folder_keeps_its_newest_entries_only(cache: Path) -> None:
    folder = usercache.folder("things")
    assert folder is not None
    for i in range(5):
        (folder / f"{i}.bin").write_bytes(b"x")
        os.utime(folder / f"{i}.bin", ns=(i * 10**9, i * 10**9))
    usercache.prune(folder, keep=3)
    assert sorted(p.name for p in folder.iterdir()) == ["2.bin", "3.bin", "4.bin"]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_an_entry_others_may_write_is_not_read(cache: Path) -> None:
    folder = usercache.folder("things")
    assert folder is not None
    usercache.write(folder / "a.bin", b"payload")
    (folder / "a.bin").chmod(0o666)
    assert usercache.read(folder / "a.bin") is None


def test_caching_off_gives_no_folder(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(usercache.ENV_OFF, "1")
    assert usercache.folder("things") is None
    assert not cache.exists()


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, "/home/u/.cache/reportgen"),
        ("linux", {"XDG_CACHE_HOME": "/x"}, "/x/reportgen"),
        ("darwin", {}, "/home/u/Library/Caches/reportgen"),
        ("win32", {"LOCALAPPDATA": "/L"}, "/L/reportgen/Cache"),
        ("linux", {"REPORTGEN_CACHE_DIR": "/moved"}, "/moved"),
    ],
)
def test_the_cache_lives_in_the_platforms_cache_folder(
    platform: str, env: dict[str, str], expected: str
) -> None:
    assert usercache.cache_dir(platform, env, Path("/home/u")) == Path(expected)
