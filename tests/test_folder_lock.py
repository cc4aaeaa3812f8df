"""The batch folder lock (``folder_lock``): one batch per folder, across
processes, and never left behind by a run that died."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.errors import OutputError
from reportgen.files.folder_lock import LOCK_NAME, locked

HOLD = """
import sys, time
from pathlib import Path
from reportgen.files.folder_lock import locked
with locked(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


def _holder(folder: Path) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def _end(process: subprocess.Popen[str]) -> None:
    process.kill()  # no chance to remove its lock file
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def test_a_folder_another_process_holds_is_refused_naming_it(tmp_path: Path) -> None:
    process = _holder(tmp_path)
    try:
        with pytest.raises(OutputError) as info, locked(tmp_path):
            pass
        assert f"process {process.pid}" in str(info.value)
        assert "another batch is writing into this folder" in str(info.value)
    finally:
        _end(process)


def test_a_lock_whose_holder_died_is_taken_by_the_next_run(tmp_path: Path) -> None:
    _end(_holder(tmp_path))
    deadline = time.monotonic() + 30  # the system lets go as the process ends
    while True:
        try:
            with locked(tmp_path):
                assert "process" in (tmp_path / LOCK_NAME).read_text()
            break
        except OutputError:
            assert time.monotonic() < deadline, "the dead run's lock was never released"
            time.sleep(0.1)
    assert not (tmp_path / LOCK_NAME).exists()
