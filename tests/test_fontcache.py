"""The per-user font cache: same bytes with or without it, and an entry
that is damaged, stale or not safe to read is parsed again, silently."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFace

from reportgen.files import usercache
from reportgen.fonts import cache as fontcache

VERA = Path(__import__("reportlab").__file__).parent / "fonts" / "Vera.ttf"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder, and a fresh process's in-memory state."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(usercache.ENV_DIR, str(folder))
    monkeypatch.delenv(usercache.ENV_OFF, raising=False)
    monkeypatch.setattr(fontcache, "_FACES", {})
    monkeypatch.setattr(fontcache, "_COVERAGE", {})
    return folder


@pytest.fixture
def font(tmp_path: Path) -> Path:
    """A font file of the test's own, so its entries are the test's."""
    path = tmp_path / "fonts" / "Vera.ttf"
    path.parent.mkdir()
    shutil.copy(VERA, path)
    return path


def _new_process() -> None:
    # what a new run starts with: nothing in memory, only the disk cache
    fontcache._FACES.clear()
    fontcache._COVERAGE.clear()


def _entries(cache: Path) -> list[Path]:
    folder = cache / "fonts"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _same_face(face: TTFontFace, path: Path) -> None:
    fresh = TTFontFace(str(path))
    for attr in ("name", "charToGlyph", "charWidths", "hmetrics", "glyphPos", "ascent", "bbox"):
        assert getattr(face, attr) == getattr(fresh, attr), attr
    assert face.makeSubset([65, 66, 0x20AC]) == fresh.makeSubset([65, 66, 0x20AC])


def _render(out: Path, lang: str, env: dict[str, str]) -> bytes:
    subprocess.run(
        [sys.executable, "-m", "reportgen", "brief", "-f", "pdf", "-l", lang, "-o", f"{out}/"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    (pdf,) = out.glob(f"*-{lang}.pdf")
    return pdf.read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pdf_bytes_are_the_same_uncached_while_filling_and_from_the_cache(
    tmp_path: Path, lang: str
) -> None:
    folder = {usercache.ENV_DIR: str(tmp_path / "cache")}
    uncached = _render(tmp_path / "off", lang, {**folder, usercache.ENV_OFF: "1"})
    assert not (tmp_path / "cache").exists()  # off means nothing is written
    filling = _render(tmp_path / "fill", lang, folder)
    assert list((tmp_path / "cache" / "fonts").glob("*.pickle"))
    cached = _render(tmp_path / "warm", lang, folder)
    assert uncached == filling == cached


def test_a_face_from_the_cache_is_the_face_reportlab_parses(cache: Path, font: Path) -> None:
    fontcache.face(font)
    assert [p.suffix for p in _entries(cache)] == [".head", ".pickle"]
    _new_process()
    restored = fontcache.face(font)
    assert "charToGlyph" not in vars(restored)  # registering reads the head only
    assert 65 in fontcache.coverage(font)
    _same_face(restored, font)


def test_a_corrupt_entry_is_parsed_again_and_rewritten_silently(cache: Path, font: Path) -> None:
    fontcache.face(font)
    for entry in _entries(cache):
        entry.write_bytes(b"\x80\x04not a pickle at all" + os.urandom(64))
    _new_process()
    _same_face(fontcache.face(font), font)
    assert fontcache.coverage(font) == frozenset(TTFontFace(str(font)).charToGlyph)
    _new_process()
    assert "charToGlyph" not in vars(fontcache.face(font))  # the head was rewritten


def test_a_bulk_entry_damaged_after_its_head_was_read_is_rebuilt(cache: Path, font: Path) -> None:
    fontcache.face(font)
    _new_process()
    restored = fontcache.face(font)
    (bulk,) = (cache / "fonts").glob("*.pickle")
    bulk.write_bytes(bulk.read_bytes()[:100])
    _same_face(restored, font)


def test_an_entry_that_names_a_class_is_never_loaded(cache: Path, font: Path) -> None:
    fontcache.face(font)
    (bulk,) = (cache / "fonts").glob("*.pickle")
    marker = cache / "ran"
    bulk.write_bytes(pickle.dumps(_Trap(str(marker))))
    _new_process()
    _same_face(fontcache.face(font), font)
    assert not marker.exists()


class _Trap:
    """A pickle that would create a file if it were ever unpickled."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (Path.touch, (Path(self.path),))


def test_a_changed_font_file_is_parsed_afresh(cache: Path, font: Path) -> None:
    fontcache.face(font)
    shutil.copy(VERA.with_name("VeraBd.ttf"), font)
    os.utime(font, ns=(1, 1))
    _new_process()
    assert fontcache.face(font).name == TTFontFace(str(font)).name == b"BitstreamVeraSans-Bold"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_folder_others_may_write_is_not_used(cache: Path, font: Path) -> None:
    (cache / "fonts").mkdir(parents=True)
    (cache / "fonts").chmod(0o777)
    _same_face(fontcache.face(font), font)
    assert _entries(cache) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_the_cache_folder_is_private(cache: Path, font: Path) -> None:
    fontcache.face(font)
    assert (cache / "fonts").stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in _entries(cache))


def test_no_cache_means_no_entries(cache: Path, font: Path, monkeypatch) -> None:
    monkeypatch.setenv(usercache.ENV_OFF, "1")
    _same_face(fontcache.face(font), font)
    assert not cache.exists()
