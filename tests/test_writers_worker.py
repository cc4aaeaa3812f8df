"""A writer in a process of its own (``writers.worker``): the same files,
messages and exit codes as one process, whatever happens in the child."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import reportgen.writers.docx as docx_writer
from reportgen import pipeline
from reportgen.cli import main
from reportgen.pipeline import BriefRequest, render_brief
from reportgen.writers import WriterOptions, lay_out
from reportgen.writers.worker import Workers, job_of
from tests.test_hostile_faults import alive, start_in_session

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this system")


def _run(monkeypatch: pytest.MonkeyPatch, jobs: int, folder: Path, *args: str) -> Result:
    monkeypatch.setenv("REPORTGEN_JOBS", str(jobs))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return CliRunner().invoke(main, ["brief", "-f", "all", "-o", f"{folder}/", *args])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*"))} if folder.exists() else {}


def _no_cjk_fonts(monkeypatch: pytest.MonkeyPatch, folder: Path) -> tuple[str, ...]:
    folder.mkdir()
    monkeypatch.setenv("REPORTGEN_FONT_DIRS", str(folder))
    monkeypatch.setenv("REPORTGEN_FONT_DIRS_ONLY", "1")
    return ("-l", "zh")


def _unknown_glyph(data_copy: Callable[..., Path]) -> tuple[str, ...]:
    data = data_copy(
        edit=lambda text: text.replace("  en: How Shanghai", "  en: \U000f0000 How", 1)
    )
    return ("-d", str(data))


@pytest.mark.parametrize("case", ["default", "warning", "error", "fork fails", "bug after"])
def test_one_process_and_two_give_the_same_files_messages_and_exit_code(
    case: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_copy: Callable[..., Path]
) -> None:
    args: tuple[str, ...] = ()
    if case == "warning":  # the PDF writer warns about its fallback font
        args = _no_cjk_fonts(monkeypatch, tmp_path / "fonts")
    elif case == "error":  # only the PDF writer checks every glyph
        args = _unknown_glyph(data_copy)
    elif case == "fork fails":  # no process to spare: all laid out here

        def no_fork() -> int:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

        monkeypatch.setattr(os, "fork", no_fork)
    elif case == "bug after":  # the PDF's user error comes first, as in one process
        args = _unknown_glyph(data_copy)
        monkeypatch.setattr(docx_writer, "render", _broken)
    one = _run(monkeypatch, 1, tmp_path / "one", *args)
    two = _run(monkeypatch, 2, tmp_path / "two", *args)
    assert (two.exit_code, two.stderr) == (one.exit_code, one.stderr)
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert "Traceback" not in two.stderr
    if case == "warning":
        assert two.stderr.count("no CJK TrueType font found") == 1, two.stderr
    if case in ("error", "bug after"):
        assert two.exit_code == 2 and "U+F0000" in two.stderr
        assert not (tmp_path / "two").exists()


def _broken(*_: object) -> None:
    raise ValueError("a bug in the Word writer")


def _here_only(monkeypatch: pytest.MonkeyPatch, module: object) -> None:
    """``module.render`` dies in a child: it must run in this process."""
    real, parent = module.render, os.getpid()  # type: ignore[attr-defined]

    def render(*args: object) -> object:
        if os.getpid() != parent:
            os._exit(9)
        return real(*args)

    monkeypatch.setattr(module, "render", render)


@pytest.mark.parametrize(("jobs", "formats"), [(2, ["pdf"]), (3, ["docx", "pdf"])])
def test_a_big_document_keeps_its_lightest_format_here(
    jobs: int, formats: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import reportgen.writers.pdf as pdf_writer

    lightest = docx_writer if "docx" in formats else pdf_writer
    _here_only(monkeypatch, lightest)
    monkeypatch.setattr(pipeline, "ALONE_LIMIT", 0)  # every document is big
    monkeypatch.setenv("REPORTGEN_JOBS", str(jobs))
    options = [arg for fmt in formats for arg in ("-f", fmt)]
    result = CliRunner().invoke(main, ["brief", *options, "-o", f"{tmp_path}/"])
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in tmp_path.iterdir()) == sorted(f".{f}" for f in formats)


def test_each_writer_lays_out_the_same_bytes_in_its_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPORTGEN_JOBS", "3")
    brief = render_brief(BriefRequest(formats=("pdf", "docx")))
    with Workers.start(("docx", "pdf", "md")) as workers:
        assert workers.take("md") is None  # Markdown is the source itself
        away = {fmt: workers.take(fmt) for fmt in ("docx", "pdf")}
        job = job_of(brief.document, WriterOptions())
        for worker in away.values():
            assert worker is not None
            worker.send(job)
        results = {fmt: worker.result().rendered for fmt, worker in away.items() if worker}
    for fmt, rendered in results.items():
        here = lay_out(fmt, brief.document, WriterOptions())
        assert rendered is not None
        assert (rendered.payload, rendered.pages) == (here.payload, here.pages), fmt


def test_two_jobs_send_the_pdf_away_and_keep_the_word_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPORTGEN_JOBS", "2")
    with Workers.start(("docx", "pdf")) as workers:
        assert workers.take("pdf") is not None and workers.take("docx") is None


def test_one_job_starts_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_JOBS", "1")
    with Workers.start(("pdf", "docx")) as workers:
        assert workers.take("pdf") is None


def test_markdown_alone_starts_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTGEN_JOBS", "2")
    with Workers.start(("md",)) as workers:
        assert workers.take("md") is None


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_jobs_setting_is_exit_2_saying_what_to_type(
    value: str, monkeypatch: pytest.MonkeyPatch, in_tmp: Path
) -> None:
    monkeypatch.setenv("REPORTGEN_JOBS", value)
    result = CliRunner().invoke(main, ["brief", "-f", "all"])
    assert result.exit_code == 2
    assert f"REPORTGEN_JOBS={value!r}" in result.stderr and "whole number" in result.stderr
    assert "Traceback" not in result.output and not (in_tmp / "out").exists()


def test_a_bug_in_the_worker_is_exit_1_with_its_traceback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import reportgen.writers.pdf as pdf_writer

    def broken(*_: object) -> None:
        raise ValueError("a bug in the PDF writer")

    monkeypatch.setattr(pdf_writer, "render", broken)  # the child is a copy of this process
    result = _run(monkeypatch, 2, tmp_path / "out")
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)
    message = str(result.exception)
    assert "pdf writer failed in its own process" in message
    assert "ValueError: a bug in the PDF writer" in message and "Traceback" in message
    assert not (tmp_path / "out").exists()


def test_a_worker_that_dies_is_exit_2_and_writes_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import reportgen.writers.pdf as pdf_writer

    parent = os.getpid()

    def killed(*_: object) -> None:
        assert os.getpid() != parent, "the PDF was laid out in the test's own process"
        os._exit(9)  # as the out-of-memory killer would end it

    monkeypatch.setattr(pdf_writer, "render", killed)
    result = _run(monkeypatch, 2, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "ended without an answer" in result.stderr and "REPORTGEN_JOBS=1" in result.stderr
    assert not (tmp_path / "out").exists()


def _start_brief(cwd: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """``reportgen brief -f all`` in its own session, once its worker runs."""
    args = ["brief", "-f", "all", "-o", "out/"]
    return start_in_session(cwd, args, workers=1, env={**os.environ, "REPORTGEN_JOBS": "2"})


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pgrep and /proc")
@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_the_worker_ends_with_the_brief_however_it_ends(how: str, in_tmp: Path) -> None:
    process, workers = _start_brief(in_tmp)
    if not workers:
        pytest.skip("the brief ended before its worker was seen")
    if how == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole group
    else:
        process.kill()
    _, err = process.communicate(timeout=60)
    deadline = time.monotonic() + 30  # a bound for a loaded machine, not a speed test
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(w) for w in workers)
    if how == "ctrl-c" and process.returncode != 0:  # 0: it had finished
        assert process.returncode == 130, err
        assert err.strip().endswith("reportgen: interrupted") and "Traceback" not in err
    # files are written whole or not at all, whenever the signal came
    names = [p.name for p in (in_tmp / "out").glob("*")]
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".")]


def test_a_failing_head_start_leaves_the_layout_to_report_for_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import reportgen.writers.pdf as pdf_writer

    def failing() -> None:
        warnings.warn("a warning the layout never gives", UserWarning, stacklevel=1)
        raise RuntimeError("no fonts to prepare")

    monkeypatch.setattr(pdf_writer, "prepare", failing)  # the child is a copy of this process
    one = _run(monkeypatch, 1, tmp_path / "one")
    two = _run(monkeypatch, 2, tmp_path / "two")
    assert (two.exit_code, two.stderr) == (one.exit_code, one.stderr)
    assert two.exit_code == 0 and "never gives" not in two.stderr
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


def test_a_finished_worker_closes_nothing_of_anyone_elses_when_stopped_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REPORTGEN_JOBS", "2")
    brief = render_brief(BriefRequest(formats=("pdf",)))
    with Workers.start(("pdf",)) as workers:
        worker = workers.take("pdf")
        assert worker is not None
        worker.send(job_of(brief.document, WriterOptions()))
        assert worker.result().rendered is not None
        # the numbers the worker's pipes had are free again: files opened
        # now may get them, and must outlive the block's own stop
        opened = [fd for _ in range(4) for fd in os.pipe()]
    try:
        for fd in opened:
            os.fstat(fd)  # still open
    finally:
        for fd in opened:
            os.close(fd)
