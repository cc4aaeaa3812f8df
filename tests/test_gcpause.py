"""The collector is paused for one brief and restored after it."""

from __future__ import annotations

import gc

import pytest

from reportgen.pipeline import gcpause


@pytest.fixture(autouse=True)
def _restore_collector():
    was_on = gc.isenabled()
    yield
    (gc.enable if was_on else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    gc.enable()
    with gcpause.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_the_collector_is_on_again_after_an_error() -> None:
    gc.enable()
    with pytest.raises(ValueError), gcpause.paused():
        raise ValueError("bad input")
    assert gc.isenabled()


def test_a_caller_that_turned_the_collector_off_keeps_it_off() -> None:
    gc.disable()
    with gcpause.paused():
        pass
    assert not gc.isenabled()


def test_a_brief_is_made_with_the_collector_paused(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen import pipeline

    seen: list[bool] = []
    render_brief = pipeline.render_brief
    monkeypatch.setattr(
        pipeline, "render_brief", lambda *a: seen.append(gc.isenabled()) or render_brief(*a)
    )
    gc.enable()
    pipeline.brief_files(pipeline.BriefRequest(formats=("md",)))
    assert seen == [False]
    assert gc.isenabled()
