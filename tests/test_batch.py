"""reportgen batch: the whole matrix, in parallel, with a manifest that
matches the files, the same bytes every time, and nothing half-done."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen import batch as batch_module
from reportgen.cli import main
from reportgen.files import resources
from reportgen.pipeline import BriefRequest

from .conftest import files_under


def run_batch(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def full_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1735689600")
    code, _, err = run_batch("-a", "all", "-f", "all", "--lang", "all", "-o", str(folder))
    mp.undo()
    assert code == 0, err
    return folder


def test_the_full_matrix_writes_sixteen_briefs_and_a_manifest(full_run: Path) -> None:
    manifest = json.loads((full_run / "manifest.json").read_text())
    outputs = manifest["outputs"]
    assert len(outputs) == 16
    assert {(o["audience"], o["lang"], o["format"]) for o in outputs} == {
        (a, lang, f)
        for a in ("industry", "international", "newsletter", "policymakers")
        for lang in ("en", "zh")
        for f in ("pdf", "docx")
    }
    assert len(manifest["provenance"]) == 8


def test_every_manifest_hash_matches_its_file(full_run: Path) -> None:
    manifest = json.loads((full_run / "manifest.json").read_text())
    for entry in manifest["outputs"] + manifest["provenance"]:
        payload = (full_run / entry["path"]).read_bytes()
        assert len(payload) == entry["bytes"]
        assert hashlib.sha256(payload).hexdigest() == entry["sha256"]
    pages = {
        e["audience"]: e["pages"]
        for e in manifest["outputs"]
        if e["format"] == "pdf" and e["lang"] == "en"
    }
    assert pages["newsletter"] == 1 and pages["policymakers"] >= 4


def test_the_manifest_records_the_run(full_run: Path) -> None:
    manifest = json.loads((full_run / "manifest.json").read_text())
    assert manifest["source_date_epoch"] == 1735689600
    assert len(manifest["data"]["sha256"]) == 64 and len(manifest["templates_sha256"]) == 64
    assert manifest["reportgen_version"]


def test_a_second_run_gives_the_same_bytes(full_run: Path, tmp_path: Path) -> None:
    code, _, _ = run_batch("-o", str(tmp_path), "-j", "2")
    assert code == 0
    assert (tmp_path / "manifest.json").read_bytes() == (full_run / "manifest.json").read_bytes()


def test_one_failing_item_does_not_stop_the_others(tmp_path: Path) -> None:
    templates = tmp_path / "t"
    (templates / "sections").mkdir(parents=True)
    (templates / "sections" / "digest.md.j2").write_text("# Digest\n\n{{ nowhere }}\n")
    out = tmp_path / "out"
    code, _, err = run_batch(
        "-t", str(templates), "--lang", "en", "-f", "pdf", "-o", str(out), "-j", "1"
    )
    assert code == 2
    assert "newsletter/en: " in err and "'nowhere' is undefined" in err
    assert "4 briefs" in err and "1 failed" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(o["audience"] for o in manifest["outputs"]) == [
        "industry",
        "international",
        "policymakers",
    ]


def test_an_unknown_audience_is_refused_before_anything_runs(tmp_path: Path) -> None:
    code, _, err = run_batch("-a", "polcymakers", "-o", str(tmp_path / "o"))
    assert code == 2 and "unknown audience 'polcymakers'" in err
    assert not (tmp_path / "o").exists()


def test_an_interrupted_batch_leaves_no_manifest_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{}")  # from an earlier run
    real_write = batch_module.write_files  # all the files of one brief at once
    calls = []

    def interrupted(payloads: dict[Path, bytes]) -> None:
        calls.append(payloads)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_write(payloads)

    monkeypatch.setattr(batch_module, "write_files", interrupted)
    result = CliRunner().invoke(
        main, ["batch", "--lang", "en", "-f", "pdf", "-o", str(out), "-j", "1"]
    )
    assert isinstance(result.exception, KeyboardInterrupt) or result.exit_code != 0
    names = [p.name for p in files_under(out)]
    assert "manifest.json" not in names
    assert not [n for n in names if n.endswith(".tmp")]
    assert len(names) == 2  # the first brief's PDF and sidecar, whole
    assert not (out / ".reportgen.lock").exists()  # the folder is unlocked again


def test_ctrl_c_while_a_brief_is_written_stops_the_workers_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(payloads: dict[Path, bytes]) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_module, "write_files", interrupted)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", "--lang", "en", "-f", "pdf", "-o", str(out), "-j", "2"]
    )
    assert result.exit_code == 130 and result.stderr.endswith("reportgen: interrupted\n")
    # stopped as the run ended, not left to render the other briefs
    assert multiprocessing.active_children() == []
    assert not out.exists()  # the run made the folder, and removed it


# --------------------------------------------------------------------------
# Workers: spawned, the same way on every system

#: set in this process only: a worker forked from it would see it too
_MARKED: list[str] = []


def where_it_ran(request: BriefRequest) -> batch_module.ItemResult:
    """In place of a brief: what the worker knows of how it was started."""
    found = {"pid": os.getpid(), "parent": os.getppid(), "marked": bool(_MARKED)}
    return batch_module.ItemResult(request.audience, request.lang, error=json.dumps(found))


def test_workers_are_fresh_interpreters_the_batch_spawns_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_fork() -> int:
        raise RuntimeError("the batch forked this process")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(batch_module, "_render_item", where_it_ran)
    request = batch_module.BatchRequest(
        ("industry", "newsletter"), ("en", "zh"), ("pdf",), tmp_path
    )
    _MARKED.append("this process")
    try:
        results = list(
            batch_module._results(batch_module.item_requests(request), resources.default_data(), 2)
        )
    finally:
        _MARKED.clear()
    seen = [json.loads(result.error) for result in results]
    assert len(seen) == 4 and os.getpid() not in {s["pid"] for s in seen}
    assert {s["parent"] for s in seen} == {os.getpid()}  # no fork server between
    assert not any(s["marked"] for s in seen)  # nothing of this process's memory


def test_the_manifest_counts_the_pages_each_pdf_has(full_run: Path) -> None:
    from pypdf import PdfReader

    manifest = json.loads((full_run / "manifest.json").read_text())
    pdfs = [e for e in manifest["outputs"] if e["format"] == "pdf"]
    assert pdfs
    for entry in pdfs:
        assert entry["pages"] == len(PdfReader(full_run / entry["path"]).pages)
    assert all("pages" not in e for e in manifest["outputs"] if e["format"] == "docx")
