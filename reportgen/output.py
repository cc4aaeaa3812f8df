"""Writing files so that a reader never sees half of one.

Bytes go to a temporary file in the target folder, are flushed to disk, and
replace the target in one ``os.replace``: an error or Ctrl-C at any point
leaves the previous file as it was and no temporary file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path, payload: bytes) -> None:
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
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
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(
                f"{path}: cannot write ({exc.strerror}); nothing was changed"
            ) from exc
        raise


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
