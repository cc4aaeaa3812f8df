"""Writing files so that a reader never sees half of one, and never where
reportgen must not write.

Bytes go to a temporary file in the target folder, are flushed to disk, and
replace the target in one ``os.replace``: an error or Ctrl-C at any point
leaves the previous file as it was and no temporary file behind.

Output names are made here too: ``<slug>-<audience>-<lang>.<extension>``,
with the extension from the format registry.

Only regular files are written. A target that exists as anything else (a
folder, a device such as a copy of /dev/null, a FIFO) or that is a symbolic
link is refused: renaming over a device node or a link replaces it, and a
link may lead anywhere. Several files (the formats of a brief and their
provenance sidecars) are checked together and staged together before any
is renamed into place, so an exit 2 leaves nothing new behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from ..errors import OutputError, UsageError
from ..files.safe_io import file_kind
from ..writers import formats


def check_target(path: Path) -> None:
    """Refuse a target that exists and is not a regular file, or is a link."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(
            f"{path}: cannot write here ({exc.strerror}); choose another path"
        ) from exc
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(
            f"{path}: is a symbolic link; reportgen writes only regular files, "
            "choose another output path or remove the link"
        )
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(
            f"{path}: is {file_kind(info.st_mode)}, not a regular file; choose another output path"
        )


def _make_folder(folder: Path, created: list[Path]) -> None:
    """Create ``folder`` and its missing parents, remembering each one made
    (so a failed run can remove them again)."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists() or parent.is_symlink():
            break
        missing.append(parent)
    for parent in reversed(missing):
        parent.mkdir()
        created.append(parent)
    if not folder.is_dir():
        raise OutputError(f"{folder}: is not a folder; choose another output folder with -o")


def _stage(path: Path, payload: bytes, created: list[Path]) -> Path:
    """Write ``payload`` to a temporary file beside ``path``; returns it."""
    folder = path.parent
    try:
        _make_folder(folder, created)
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            f"{folder}: cannot write here ({exc.strerror}); choose another output folder with -o"
        ) from exc
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"{path}: cannot write ({exc.strerror}); nothing was changed"
            ) from exc
        raise
    return Path(temp)


def write_files(payloads: dict[Path, bytes]) -> None:
    """Write several files all or nothing (as far as the file system
    allows): every target is checked, then every file staged, then each
    renamed into place. A failure before the renames leaves nothing new,
    not even a folder made for the output."""
    for path in payloads:
        check_target(path)
    staged: dict[Path, Path] = {}
    created: list[Path] = []
    renamed = 0
    try:
        for path, payload in payloads.items():
            staged[path] = _stage(path, payload, created)
        for path in payloads:
            check_target(path)  # again: the staging took time
        for path in list(staged):
            os.replace(staged[path], path)
            del staged[path]
            renamed += 1
    except BaseException as exc:
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        if not renamed:
            for folder in reversed(created):
                _remove_empty(folder)
        if isinstance(exc, OSError):
            raise OutputError(
                f"{exc.filename or 'output'}: cannot write ({exc.strerror}); choose another path"
            ) from exc
        raise


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: something else put a file there
        folder.rmdir()


def write_atomic(path: Path, payload: bytes) -> None:
    """Write one regular file atomically (see the module docstring)."""
    write_files({path: payload})


#: what reportgen reads from a templates folder
_TEMPLATE_SUFFIXES = (".j2", ".yaml", ".yml")
_TEMPLATE_DIRS = ("sections", "audiences", "newsletter", "scaffold")


def check_not_input(path: Path, inputs: list[Path]) -> None:
    """Refuse an output path that is one of reportgen's own inputs: an input
    file itself, or a template or profile inside an input folder (a brief in
    ``out/`` under a templates folder is fine: nothing reads it)."""
    target = path.resolve()
    for source in inputs:
        source = source.resolve()
        if target == source or (source.is_dir() and _is_template(target, source)):
            raise OutputError(
                f"{path}: this is an input of the brief ({source}); choose another output path"
            )


def _is_template(target: Path, folder: Path) -> bool:
    if folder not in target.parents:
        return False
    top = target.relative_to(folder).parts[0]
    return target.suffix in _TEMPLATE_SUFFIXES or top in _TEMPLATE_DIRS


# --------------------------------------------------------------------------
# Names


def stem(slug: str, audience: str, lang: str) -> str:
    """The name every file of one brief starts with."""
    return f"{slug}-{audience}-{lang}"


def output_paths(
    name: str, wanted: tuple[str, ...], output: Path | None, output_is_folder: bool
) -> dict[str, Path]:
    """Format -> path for the brief named ``name``. ``-o`` is a file for
    one format (unless it ends in '/' or is a folder), else a folder."""
    chosen = list(dict.fromkeys(wanted))
    single_file = len(chosen) == 1 and not output_is_folder
    if output is not None and single_file and not output.is_dir():
        return {chosen[0]: output}
    folder = output or Path("out")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"-o {folder}: is a file, but {len(chosen)} formats need a folder")
    return {fmt: folder / formats.file_name(name, fmt) for fmt in chosen}


def check_extension(path: Path, fmt: str) -> None:
    """``-o brief.docx -f pdf`` would write a PDF named .docx: refuse it."""
    extension = formats.get(fmt).extension
    if path.suffix.lower() != extension:
        raise UsageError(
            f"-o {path}: the extension '{path.suffix or '(none)'}' does not match the format "
            f"'{fmt}'; name the file {path.stem}{extension}, ask for the format that matches "
            f"with -f, or end -o with '/' to write into a folder"
        )


def sidecar_path(path: Path) -> Path:
    """Where the provenance sidecar of the file at ``path`` goes."""
    return path.with_name(path.stem + ".provenance.json")
