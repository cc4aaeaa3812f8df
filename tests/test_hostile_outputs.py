"""Hostile output paths (issue 20, items 1-3 and 5; issue 16, item 6):
reportgen writes only regular files, checks every target before writing
any, never replaces or deletes one of its inputs, and locks a batch's
folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen.cli import main
from reportgen.errors import OutputError
from reportgen.files.folder_lock import LOCK_NAME, locked
from reportgen.pipeline import output as output_module

from .conftest import data_text, files_under, refused

STEM = "shanghai-online-drama-newsletter-en"
FAST = ["brief", "-a", "newsletter"]  # the shortest brief


def test_a_fifo_as_the_output_is_refused_and_stays_a_fifo(runner: CliRunner, in_tmp: Path) -> None:
    os.mkfifo(in_tmp / "x.md")
    refused(runner, None, [*FAST, "-f", "md", "-o", "x.md"], "x.md: is a named pipe (FIFO)")
    assert stat.S_ISFIFO((in_tmp / "x.md").lstat().st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_copy_of_dev_null_as_the_output_is_refused_and_stays_a_device(
    runner: CliRunner, in_tmp: Path
) -> None:
    device = in_tmp / "null.md"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.stat("/dev/null").st_rdev)
    refused(runner, None, [*FAST, "-f", "md", "-o", str(device)], "is a character device")
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_a_symlink_as_the_output_is_refused_and_its_target_untouched(
    runner: CliRunner, in_tmp: Path
) -> None:
    target = in_tmp / "elsewhere.md"
    target.write_text("keep me")
    (in_tmp / "x.md").symlink_to(target)
    refused(runner, None, [*FAST, "-f", "md", "-o", "x.md"], "x.md: is a symbolic link")
    assert (in_tmp / "x.md").is_symlink() and target.read_text() == "keep me"


def test_a_link_to_stdout_is_refused(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "x.md").symlink_to("/proc/self/fd/1")
    refused(runner, None, [*FAST, "-f", "md", "-o", "x.md"], "is a symbolic link")
    assert (in_tmp / "x.md").is_symlink()


def test_with_all_formats_a_folder_in_place_of_one_target_writes_nothing(
    runner: CliRunner, in_tmp: Path
) -> None:
    (in_tmp / "out" / f"{STEM}.docx").mkdir(parents=True)
    before = files_under(in_tmp)
    refused(runner, None, [*FAST, "-f", "all"], f"{STEM}.docx: is a folder")
    assert files_under(in_tmp) == before  # the PDF was not written either


def test_a_folder_in_place_of_the_provenance_sidecar_writes_nothing(
    runner: CliRunner, in_tmp: Path
) -> None:
    (in_tmp / "out" / f"{STEM}.provenance.json").mkdir(parents=True)
    before = files_under(in_tmp)
    refused(runner, None, [*FAST, "-f", "md", "--provenance"], "provenance.json: is a folder")
    assert files_under(in_tmp) == before


def test_an_output_extension_that_does_not_match_the_format_is_refused(
    runner: CliRunner, in_tmp: Path
) -> None:
    refused(runner, None, [*FAST, "-f", "md", "-o", "brief.docx"], "does not match the format 'md'")
    assert files_under(in_tmp) == []


def test_an_output_ending_in_a_separator_is_a_new_folder_to_write_into(
    runner: CliRunner, in_tmp: Path
) -> None:
    result = runner.invoke(main, [*FAST, "-f", "md", "-o", "newdir/"])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "newdir").is_dir()
    assert [p.name for p in files_under(in_tmp / "newdir")] == [f"{STEM}.md"]


def test_an_existing_folder_as_the_output_is_written_into(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "briefs").mkdir()
    result = runner.invoke(main, [*FAST, "-f", "md", "-o", "briefs"])
    assert result.exit_code == 0, result.output
    assert (in_tmp / "briefs" / f"{STEM}.md").is_file()


def test_a_failed_run_removes_the_folder_it_made(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output_module.os, "fsync", full)
    with pytest.raises(OutputError, match="No space left"):
        output_module.write_files({in_tmp / "new" / "deeper" / "a.md": b"a"})
    assert list(in_tmp.iterdir()) == []


# --------------------------------------------------------------------------
# Batch


def test_a_batch_whose_data_is_named_manifest_json_keeps_its_data(
    runner: CliRunner, in_tmp: Path
) -> None:
    work = in_tmp / "work"
    work.mkdir()
    data = work / "manifest.json"
    data.write_text(data_text(), encoding="utf-8")
    before = data.read_bytes()
    refused(
        runner,
        None,
        ["batch", "-d", str(data), "-o", str(work), "-q", "-a", "newsletter", "-l", "en"],
        "this is an input of the brief",
    )
    assert data.read_bytes() == before and [p.name for p in work.iterdir()] == ["manifest.json"]


def test_a_second_batch_into_a_locked_folder_is_refused_naming_the_first(
    runner: CliRunner, in_tmp: Path
) -> None:
    out = in_tmp / "out"
    with locked(out):
        args = ["batch", "-o", str(out), "-q", "-a", "newsletter", "-l", "en", "-f", "pdf"]
        message = refused(runner, None, args)
        assert f"process {os.getpid()}" in message and "another batch" in message
    assert not (out / LOCK_NAME).exists()  # released on exit
    assert files_under(out) == []


def test_a_batch_into_a_folder_that_cannot_be_made_is_refused(
    runner: CliRunner, in_tmp: Path
) -> None:
    # a file where a folder should be: what a read-only folder does for
    # root, who may write anywhere
    (in_tmp / "blocked").write_text("a file")
    args = ["batch", "-o", "blocked/out", "-q", "-a", "newsletter"]
    refused(runner, None, args, "cannot write here")
    assert (in_tmp / "blocked").read_text() == "a file"


# --------------------------------------------------------------------------
# Property: whatever stands at the target, only a regular file is replaced


KINDS = ("missing", "file", "folder", "fifo", "link-to-file", "dangling-link", "link-to-folder")


def make_target(path: Path, kind: str) -> None:
    aside = path.with_name(path.name + ".aside")
    if kind == "file":
        path.write_bytes(b"old")
    elif kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "link-to-file":
        aside.write_bytes(b"old")
        path.symlink_to(aside)
    elif kind == "dangling-link":
        path.symlink_to(aside)
    elif kind == "link-to-folder":
        aside.mkdir()
        path.symlink_to(aside)


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str | None]]:
    seen: dict[str, tuple[int, bytes | str | None]] = {}
    for path in sorted(folder.iterdir()):
        mode = path.lstat().st_mode
        content = (
            os.readlink(path)
            if stat.S_ISLNK(mode)
            else path.read_bytes()
            if stat.S_ISREG(mode)
            else None
        )
        seen[path.name] = (stat.S_IFMT(mode), content)
    return seen


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=3))
def test_random_target_kinds_never_replace_anything_but_a_regular_file(
    tmp_path_factory: pytest.TempPathFactory, kinds: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("targets")
    targets = [folder / f"t{i}.bin" for i in range(len(kinds))]
    for path, kind in zip(targets, kinds, strict=True):
        make_target(path, kind)
    before = snapshot(folder)
    payloads = {path: f"new {i}".encode() for i, path in enumerate(targets)}
    try:
        output_module.write_files(payloads)
    except OutputError:
        assert any(k not in ("missing", "file") for k in kinds)
        assert snapshot(folder) == before  # all or nothing
        return
    assert all(k in ("missing", "file") for k in kinds)
    for path, payload in payloads.items():
        assert stat.S_ISREG(path.lstat().st_mode) and path.read_bytes() == payload


def test_the_readme_lists_every_limit_and_its_variable() -> None:
    from reportgen.files import limits

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Limits", 1)[1].split("\n## ", 1)[0]
    for variable, *_ in limits.SETTINGS.values():
        assert f"`{variable}`" in section, variable


def test_a_folder_in_place_of_one_batch_output_fails_that_brief_only(
    runner: CliRunner, in_tmp: Path
) -> None:
    import json

    (in_tmp / "out" / f"{STEM}.pdf").mkdir(parents=True)
    args = ["batch", "-a", "newsletter", "-a", "international", "-l", "en", "-f", "pdf"]
    result = runner.invoke(main, [*args, "-o", "out", "-j", "1", "-q"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"newsletter/en: out/{STEM}.pdf: is a folder" in result.stderr
    manifest = json.loads((in_tmp / "out" / "manifest.json").read_text())
    assert [o["audience"] for o in manifest["outputs"]] == ["international"]
    assert (in_tmp / "out" / f"{STEM}.pdf").is_dir()
    assert not (in_tmp / "out" / f"{STEM}.provenance.json").exists()  # nor its sidecar
