"""Shared fixtures: the built-in data, editable copies of it, a CLI runner."""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportgen import fonts
from reportgen.cli import main
from reportgen.files import resources

FIXTURE = resources.default_data()
SEEDS = resources.builtin_root() / "seeds"


@pytest.fixture(autouse=True)
def _fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test renders with a fixed date, so output is reproducible."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01


@pytest.fixture(autouse=True, scope="session")
def _own_font_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The suite fills a font cache of its own, never the user's."""
    saved = os.environ.get("REPORTGEN_CACHE_DIR")
    os.environ["REPORTGEN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if saved is None:
        os.environ.pop("REPORTGEN_CACHE_DIR", None)
    else:
        os.environ["REPORTGEN_CACHE_DIR"] = saved


@pytest.fixture(autouse=True)
def _cjk_fallback_expected() -> Iterator[None]:
    """Without a CJK TrueType font (the suite run with the optional fonts
    hidden), the Chinese titles in English briefs are set in reportlab's
    CID font with a warning: expected there, so not an error. Its own test
    (test_writers_pdf) still sees it with pytest.warns."""
    from reportgen import fonts

    with warnings.catch_warnings():
        if fonts.cjk() is None:
            warnings.filterwarnings("ignore", message="no CJK TrueType font found")
        yield


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty folder (outputs land in ./out/)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def data_text() -> str:
    """The built-in data file, with its register reference made absolute so
    a copy works from any folder."""
    text = FIXTURE.read_text(encoding="utf-8")
    return text.replace(
        "sources_from: ../seeds/sources.yaml", f"sources_from: {SEEDS / 'sources.yaml'}"
    )


@pytest.fixture
def data_copy(tmp_path: Path) -> Callable[..., Path]:
    """Write an edited copy of the built-in data: ``data_copy(edit)`` where
    ``edit`` maps the text to new text, or ``data_copy(mutate=fn)`` where
    ``fn`` changes the parsed mapping."""

    def make(
        edit: Callable[[str], str] | None = None,
        mutate: Callable[[dict], None] | None = None,
        name: str = "data.yaml",
    ) -> Path:
        text = data_text()
        if edit is not None:
            text = edit(text)
        if mutate is not None:
            loaded = yaml.safe_load(text)
            mutate(loaded)
            text = yaml.safe_dump(loaded, allow_unicode=True, sort_keys=False)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return make


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


__all__ = ["FIXTURE", "SEEDS", "data_text", "files_under", "os"]


# Chinese text (the default brief's series titles, every Chinese brief) needs a
# TrueType CJK font; without one reportgen warns, which the suite treats as an
# error, so such tests skip with the package to install
needs_cjk = pytest.mark.skipif(
    fonts.cjk() is None, reason="no TrueType CJK font installed (fonts-arphic-gbsn00lp)"
)


def labels_folder(folder: Path, page_of: str) -> None:
    """A templates folder whose labels are the built-in ones, but for the
    English ``page_of`` label."""
    folder.mkdir()
    text = (resources.builtin_templates() / "labels.yaml").read_text(encoding="utf-8")
    old = 'page_of: "Page {page} of {pages}"'
    assert old in text
    (folder / "labels.yaml").write_text(text.replace(old, f'page_of: "{page_of}"'), "utf-8")


def refused(runner: CliRunner, cwd: Path | None, args: list[str], *expected: str) -> str:
    """Run the CLI with ``args`` and hold it to a user error: exit 2, one
    message (``check``: its list) naming each of ``expected``, no
    traceback, and (with ``cwd``) no file created, changed or removed
    under ``cwd``. Returns stderr."""
    before = files_under(cwd) if cwd is not None else None
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    if args[0] != "check":  # check lists every problem it found, each with its place
        assert result.stderr.count("reportgen: error:") == 1, result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    if cwd is not None:
        assert files_under(cwd) == before
    return result.stderr


def model_strings(node: object) -> Iterator[str]:
    """Every string a model node holds, however deep: its metadata's, its
    children's, a chart's runs."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, tuple):
        for item in node:
            yield from model_strings(item)
    elif dataclasses.is_dataclass(node):
        for f in dataclasses.fields(node):
            yield from model_strings(getattr(node, f.name))
