"""What ``reportgen fonts`` prints, and what the batch manifest records."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from . import folders
from .catalog import ROLE_LABELS
from .roles import Choice, Roles


def _face(font_index: int) -> str:
    return f" (face {font_index})" if font_index else ""


def _choice_lines(choice: Choice) -> list[str]:
    lines = [f"{ROLE_LABELS[choice.role]}:"]
    if not choice.fonts:
        lines.append(f"  none: {choice.note}")
    for font in choice.fonts:
        bold = "" if font.bold or choice.role in ("mono", "symbols") else ", bold synthesised"
        lines.append(f"  {font.name}, Word: {font.word} [{font.origin}{bold}]")
        lines += [f"    {path}{_face(font.index)}" for path in font.files()]
    if choice.note:
        lines.append(f"  ({choice.note})")
    lines += [f"  skipped {skip.path}: {skip.reason}" for skip in choice.skipped]
    return lines


def describe(roles: Roles) -> str:
    """The fonts of every role, their files, and what was skipped and why."""
    searched = folders.search_folders()
    lines = ["searched, in order:"]
    lines += [f"  {folder} ({origin})" for folder, origin in searched] or ["  (no folders)"]
    if folders.only_env_folders():
        lines.append(f"  ({folders.ENV_ONLY} is set: system folders left out)")
    else:
        lines.append("  and the files fontconfig lists (fc-list), where it exists")
    for choice in roles.choices:
        lines += ["", *_choice_lines(choice)]
    return "\n".join(lines) + "\n"


def _sha256(path: Path) -> str:
    stat = path.stat()
    # ctime too: a file replaced with its old modification time (cp -p, tar)
    # is a new inode or a new change time
    return _file_sha256(path, (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns))


@functools.lru_cache(maxsize=256)
def _file_sha256(path: Path, version: tuple[int, ...]) -> str:
    """The digest of a font file, once per process and version of the file:
    every audience of a batch names the same fonts, and the CJK faces are
    tens of megabytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(roles: Roles) -> list[dict[str, str]]:
    """Each font file the roles use: role, family, file name and sha256, so
    two machines' outputs can be compared and a difference explained."""
    out = []
    for role, font in roles.used():
        for path in font.files():
            out.append(
                {"role": role, "family": font.name, "file": path.name, "sha256": _sha256(path)}
            )
    return out


def for_audiences(audiences: tuple[str, ...], template_folders: list[Path]) -> list[dict[str, str]]:
    """The font files a batch of these audiences uses (each profile may add
    house fonts), once each, in role order. An audience whose profile
    cannot be read is left out: its failure is reported with the briefs."""
    from ..errors import ReportgenError
    from ..templating.profiles import load_profile
    from .house import house_fonts
    from .roles import resolve

    seen: dict[tuple[str, str, str], dict[str, str]] = {}
    for audience in audiences:
        try:
            profile, path = load_profile(template_folders, audience)
            roles = resolve(house_fonts(profile, path))
        except ReportgenError:
            continue
        for entry in manifest(roles):
            seen.setdefault((entry["role"], entry["file"], entry["sha256"]), entry)
    return list(seen.values())
