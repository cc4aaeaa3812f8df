"""Faults (issue 20, items 6, 9-12): servers that stall, signals, workers
that die, and bad input that used to end in a traceback. Every case ends
in seconds with exit 2 (or 130 for Ctrl-C), one message and no traceback."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen import batch as batch_module
from reportgen.cli import main

from .conftest import data_text, files_under, refused

# --------------------------------------------------------------------------
# SMTP servers that misbehave


@pytest.fixture
def fake_server() -> Iterator[Callable[[Callable[[socket.socket], None]], int]]:
    """A one-connection TCP server on 127.0.0.1 running ``talk(conn)``."""
    servers: list[socket.socket] = []

    def start(talk: Callable[[socket.socket], None]) -> int:
        server = socket.create_server(("127.0.0.1", 0))
        servers.append(server)

        def serve() -> None:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn, contextlib.suppress(OSError):
                talk(conn)

        threading.Thread(target=serve, daemon=True).start()
        return int(server.getsockname()[1])

    yield start
    for server in servers:
        server.close()


def send(port: int, *extra: str) -> list[str]:
    return [
        "newsletter", "--no-brief", "--send", "--smtp-host", "127.0.0.1",
        "--smtp-port", str(port), "--from", "a@example.org", "--to", "b@example.org", *extra,
    ]  # fmt: skip


def test_a_server_trickling_continuation_lines_is_cut_off_at_the_deadline(
    runner: CliRunner, in_tmp: Path, fake_server: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    def trickle(conn: socket.socket) -> None:
        for _ in range(100):  # 20 s of greeting, every read well within its timeout
            conn.sendall(b"220-still here\r\n")
            time.sleep(0.2)

    monkeypatch.setenv("REPORTGEN_MAX_SMTP_SECONDS", "1")
    port = fake_server(trickle)
    # the message says the exchange's deadline ended it, not one read's timeout
    refused(runner, in_tmp, send(port, "--smtp-timeout", "3"), "did not finish within 1 s")


def test_an_http_server_given_as_smtp_server_is_named_as_such(
    runner: CliRunner, in_tmp: Path, fake_server: Callable
) -> None:
    port = fake_server(lambda conn: conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n"))
    refused(
        runner, in_tmp, send(port, "--smtp-timeout", "3"), "does not speak SMTP", "400 Bad Request"
    )


@pytest.mark.parametrize(
    "option",
    [
        ["--to", "b@example.org\r\nRCPT TO:<victim@example.com>"],
        ["--from", "a@example.org\nBcc: victim@example.com"],
        ["--subject", "Hello\r\nBcc: victim@example.com"],
    ],
    ids=["to", "from", "subject"],
)
def test_a_line_break_in_an_address_or_header_is_refused_before_anything_is_sent(
    runner: CliRunner, in_tmp: Path, fake_server: Callable, option: list[str]
) -> None:
    heard: list[bytes] = []
    port = fake_server(lambda conn: heard.append(conn.recv(100)))
    refused(runner, in_tmp, [*send(port), *option], "holds a line break")
    assert heard == []  # the server was never even greeted


def test_a_password_prompt_without_a_terminal_is_refused(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REPORTGEN_SMTP_PASSWORD", raising=False)
    refused(runner, in_tmp, [*send(25), "--smtp-user", "editor"], "REPORTGEN_SMTP_PASSWORD")


# --------------------------------------------------------------------------
# Batch: failures of one brief, dead workers, signals


def branded_folder(folder: Path, logo: bytes) -> None:
    (folder / "audiences").mkdir(parents=True)
    (folder / "audiences" / "branded.yaml").write_text(
        "description: {en: d}\naudience: {en: a}\ntitle: {en: '{{ title }}'}\n"
        "sections: [digest]\nlayout: digest\nbrand: {logo: logo.png}\n",
        encoding="utf-8",
    )
    (folder / "logo.png").write_bytes(logo)


def test_a_brief_with_a_bad_logo_fails_alone_and_the_manifest_lists_it(
    runner: CliRunner, in_tmp: Path
) -> None:
    import json

    branded_folder(in_tmp / "t", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    args = [
        "batch",
        "-t",
        str(in_tmp / "t"),
        "-a",
        "branded",
        "-a",
        "newsletter",
        "-l",
        "en",
        "-f",
        "pdf",
    ]
    result = runner.invoke(main, [*args, "-o", "out", "-j", "1"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "branded/en: " in result.stderr and "logo" in result.stderr
    manifest = json.loads((in_tmp / "out" / "manifest.json").read_text())
    assert [o["path"] for o in manifest["outputs"]] == ["shanghai-online-drama-newsletter-en.pdf"]
    assert [(f["audience"], f["lang"]) for f in manifest["failures"]] == [("branded", "en")]


_REAL_RENDER = batch_module._render_item


def oom_killed(request: object) -> object:
    """A worker that dies as the OOM killer ends it, for one audience."""
    if getattr(request, "audience", "") == "international":
        os.kill(os.getpid(), signal.SIGKILL)
    return _REAL_RENDER(request)  # type: ignore[arg-type]


def test_a_killed_worker_fails_its_brief_and_the_others_finish(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    # the pool sends its function by name: each spawned worker imports this
    # module and runs oom_killed, as it would run the real _render_item
    monkeypatch.setattr(batch_module, "_render_item", oom_killed)
    args = ["batch", "-a", "international", "-a", "newsletter", "-l", "en", "-f", "pdf"]
    result = runner.invoke(main, [*args, "-o", "out", "-j", "2"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr
    assert "international/en: its worker process died" in result.stderr
    manifest = json.loads((in_tmp / "out" / "manifest.json").read_text())
    assert [o["audience"] for o in manifest["outputs"]] == ["newsletter"]
    assert [f["audience"] for f in manifest["failures"]] == ["international"]


#: how long a process is given to end after the main process did: a bound
#: for a machine under load, not a measure of speed (it ends in milliseconds)
ENDS_WITHIN = 60.0


def start_batch(cwd: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """A whole batch in its own session, once its two workers are started;
    with every child it had then (the workers, and multiprocessing's
    resource tracker)."""
    return start_in_session(cwd, ["batch", "-q", "-o", "out", "-j", "2"], workers=2)


def start_in_session(
    cwd: Path, args: list[str], workers: int, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], list[int]]:
    """``reportgen ARGS`` in its own session (so a signal to its group
    reaches it and its children, as Ctrl-C on a terminal does), once it has
    started ``workers`` worker processes; with the children it had (fewer
    if it ended first)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    found: list[int] = []
    deadline = time.monotonic() + ENDS_WITHIN
    while time.monotonic() < deadline:
        found = children(process.pid)
        if len(spawned(found)) >= workers or process.poll() is not None:
            break
        time.sleep(0.01)
    return process, found


def children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def spawned(pids: list[int]) -> list[int]:
    """The processes of ``pids`` that multiprocessing spawned as workers
    (a fresh interpreter running ``spawn_main``)."""
    found = []
    for pid in pids:
        with contextlib.suppress(OSError):
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[1].startswith("Z"))


def still_running(pids: list[int], seconds: float = ENDS_WITHIN) -> list[int]:
    """Wait until every process of ``pids`` has ended (a zombie has: only
    its exit status is left), for ``seconds`` at most; those that have not.
    A process that ends closes its files before the kernel marks it ended:
    the main process's exit (its stderr closed) does not mean its children
    have been marked ended yet, so this waits for the mark itself."""
    deadline = time.monotonic() + seconds
    for pid in pids:
        try:
            handle = os.pidfd_open(pid)  # readable once the process has ended
        except ProcessLookupError:
            continue  # ended, and reaped
        try:
            select.select([handle], [], [], max(0.0, deadline - time.monotonic()))
        finally:
            os.close(handle)
    return [pid for pid in pids if alive(pid)]


linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not hasattr(os, "pidfd_open"),
    reason="pgrep, /proc and pidfd_open",
)


@linux_only
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill", "term"])
def test_workers_die_with_the_main_process(in_tmp: Path, sig: signal.Signals) -> None:
    process, found = start_batch(in_tmp)
    assert len(spawned(found)) >= 2
    process.send_signal(sig)
    process.communicate(timeout=ENDS_WITHIN)
    assert still_running(found) == []
    names = [p.name for p in files_under(in_tmp / "out")]
    assert "manifest.json" not in names and not [n for n in names if n.endswith(".tmp")]


@linux_only
def test_ctrl_c_during_a_batch_exits_130_with_no_manifest_and_no_partial_file(
    in_tmp: Path,
) -> None:
    process, found = start_batch(in_tmp)
    assert len(spawned(found)) >= 2
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole group
    _, err = process.communicate(timeout=ENDS_WITHIN)
    assert process.returncode == 130, err
    assert err.strip().endswith("reportgen: interrupted") and "Traceback" not in err
    names = [p.name for p in files_under(in_tmp / "out")]
    assert "manifest.json" not in names
    assert not [n for n in names if n.endswith(".tmp") or n.startswith(".")]
    assert still_running(found) == []


# --------------------------------------------------------------------------
# Bad input that used to end in a traceback


def data_with(folder: Path, edit: Callable[[str], str]) -> Path:
    path = folder / "data.yaml"
    path.write_text(edit(data_text()), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("addition", "expect"),
    [
        ("huge: " + "9" * 5000, ("data.yaml:14:7:", "cannot read value (Exceeds the limit")),
        ("thing:\n  <<: 5", ("data.yaml:15:7:", "invalid YAML merge key")),
        ("thing:\n  <<: [1, 2]", ("data.yaml:15:8:", "invalid YAML merge key")),
    ],
    ids=["integer-over-4300-digits", "merge-scalar", "merge-list-of-scalars"],
)
@pytest.mark.parametrize("command", ["brief", "check"])
def test_data_that_used_to_crash_is_exit_2_naming_the_line(
    runner: CliRunner, in_tmp: Path, addition: str, expect: tuple[str, str], command: str
) -> None:
    def add(text: str) -> str:
        lines = text.splitlines()
        return "\n".join([*lines[:13], addition, *lines[13:]]) + "\n"

    path = data_with(in_tmp, add)
    refused(runner, in_tmp, [command, "-d", str(path)], *expect)


@pytest.mark.parametrize(
    ("section", "expect"),
    [
        ("> " * 5000 + "deep\n", "nests blockquotes 5000 deep"),
        ("# T\n\n" + "x" * 300_000 + "\n", "a word of 300,000 characters"),
        ("| a " * 1500 + "|\n" + "| - " * 1500 + "|\n" + "| b " * 1500 + "|\n", "1,500 columns"),
    ],
    ids=["blockquotes-5000-deep", "word-of-300-kb", "table-of-1500-columns"],
)
def test_markdown_no_page_can_hold_is_refused_before_layout(
    runner: CliRunner, in_tmp: Path, section: str, expect: str
) -> None:
    (in_tmp / "t" / "sections").mkdir(parents=True)
    (in_tmp / "t" / "sections" / "digest.md.j2").write_text(section, encoding="utf-8")
    # an absolute folder: the pipeline caches environments by folder path
    folder = str(in_tmp / "t")
    refused(runner, in_tmp, ["brief", "-t", folder, "-a", "newsletter", "-f", "all"], expect)
