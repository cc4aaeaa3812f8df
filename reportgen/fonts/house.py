"""House fonts: font files a profile ships in its templates folder.

A profile names them per role under ``brand.fonts``, relative to the
templates folder, for example::

    brand:
      fonts:
        body: [fonts/HouseSerif-Regular.ttf, fonts/HouseSerif-Bold.ttf]
        cjk_body: fonts/HouseSong.ttf

The Latin roles (body, headings) take up to four files: regular, bold,
italic, bold italic. They are searched before every folder. A file that is
missing, outside the folder or not embeddable is the profile's error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ProfileError
from . import sfnt
from .catalog import ROLES
from .roles import HouseFonts


def _files(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def _check(folder: Path, name: str, where: str) -> Path:
    path = (folder / name).resolve()
    if folder.resolve() not in path.parents:
        raise ProfileError(f"{where} '{name}' leaves the templates folder; keep the file inside it")
    if not path.is_file():
        raise ProfileError(f"{where} '{name}' does not exist; put the font file in {folder}")
    problem = sfnt.problem(path)
    if problem:
        raise ProfileError(f"{where} '{name}': {problem}; give a TrueType (.ttf) file")
    return path


def house_fonts(profile: Any, profile_path: Path) -> HouseFonts:
    """The profile's font files per role, checked, in role order."""
    table = getattr(getattr(profile, "brand", None), "fonts", None) or {}
    folder = profile_path.parent.parent
    out = []
    for role in ROLES:
        names = _files(table.get(role))
        if names:
            where = f"{profile_path}: brand.fonts.{role}"
            out.append((role, tuple(_check(folder, n, where) for n in names[:4])))
    return tuple(out)
