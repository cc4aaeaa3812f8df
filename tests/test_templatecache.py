"""Compiled templates kept per user: the same output from cached code, a
changed template or environment compiled afresh, a damaged entry ignored."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from reportgen.files import usercache
from reportgen.pipeline import BriefRequest, render_brief
from reportgen.templating import cache as templatecache
from reportgen.templating.environment import make_environment


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(usercache.ENV_DIR, str(folder))
    monkeypatch.delenv(usercache.ENV_OFF, raising=False)
    return folder / "templates"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "templates"
    path.mkdir()
    (path / "note.md.j2").write_text("{% for x in items %}{{ x }}, {% endfor %}done\n")
    return path


def _render(folder: Path, **context: object) -> str:
    # a new environment each time, as a new process has
    env = make_environment([folder], "en", {})
    return env.get_template("note.md.j2").render(**context)


def _never_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("compiled although the cache holds the template")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)


def test_a_template_is_compiled_once_and_then_read_from_the_cache(
    cache: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _render(folder, items=[1, 2])
    assert [p.suffix for p in cache.iterdir()] == [".jinja"]
    _never_compile(monkeypatch)
    assert _render(folder, items=[1, 2]) == first == "1, 2, done\n"


def test_an_edited_template_is_compiled_afresh(cache: Path, folder: Path) -> None:
    _render(folder, items=[1])
    (folder / "note.md.j2").write_text("{{ items | length }} items\n")
    assert _render(folder, items=[1, 2, 3]) == "3 items\n"


def test_a_damaged_entry_is_compiled_again_silently(cache: Path, folder: Path) -> None:
    _render(folder, items=[1])
    for entry in cache.iterdir():
        entry.write_bytes(entry.read_bytes()[:40] + b"\x00garbage")
    assert _render(folder, items=[4]) == "4, done\n"


def test_environments_that_compile_differently_never_share_code(folder: Path, cache) -> None:
    markdown = make_environment([folder], "en", {})
    html = make_environment([folder], "en", {}, escaping="html")
    assert templatecache.salt(markdown) != templatecache.salt(html)
    plain = jinja2.Environment()
    extended = jinja2.Environment()
    extended.filters["extra"] = str
    assert templatecache.salt(plain) != templatecache.salt(extended)


def test_no_cache_means_nothing_is_kept(
    cache: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(usercache.ENV_OFF, "1")
    assert make_environment([folder], "en", {}).bytecode_cache is None
    _render(folder, items=[1])
    assert not cache.exists()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_brief_renders_the_same_markdown_from_cached_templates(
    cache: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportgen import pipeline

    request = BriefRequest(lang=lang)
    pipeline._environment.cache_clear()  # an earlier test's environment uses another cache
    first = render_brief(request).markdown
    pipeline._environment.cache_clear()  # what a new process starts with
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def compile_(env, source, name=None, *args, **kwargs):
        compiled.append(name)
        return real(env, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    assert render_brief(request).markdown == first
    # only the profile's one-line title templates (from_string, no file)
    assert compiled and set(compiled) == {None}
