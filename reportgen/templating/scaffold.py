"""``reportgen init DIR``: a customisation folder to start from.

It holds a starter audience, copies of the sections that audience uses, a
small fictional data file and a README that walks through adding an audience.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..data.loader import load_yaml
from ..data.validate import load_case_data
from ..errors import OutputError
from ..files import resources
from .context import build_context
from .environment import make_environment
from .needs import section_needs

STARTER = "my-audience"


def scaffold(target: Path) -> list[Path]:
    """Fill ``target`` (new or empty) and return the files written."""
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file; give a new or empty folder")
    if target.exists() and any(target.iterdir()):
        raise OutputError(
            f"{target}: the folder is not empty; give a new or empty folder "
            "so nothing of yours is overwritten"
        )
    builtin = resources.builtin_templates()
    source = builtin / "scaffold"
    profile = source / f"{STARTER}.yaml"
    sections = load_yaml(profile, "starter profile").data["sections"]
    copies = {
        source / "README.md": target / "README.md",
        profile: target / "audiences" / f"{STARTER}.yaml",
        resources.builtin_root() / "fixtures" / "sample-fictional.yaml": target / "data.yaml",
    }
    for name in sections:
        copies[builtin / "sections" / f"{name}.md.j2"] = target / "sections" / f"{name}.md.j2"
    try:
        for origin, destination in copies.items():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(origin, destination)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write the folder ({exc.strerror})") from exc
    return sorted(copies.values())


def data_note(target: Path) -> str:
    """One line for the user: the data the starter sections read, and
    whether ``data.yaml`` holds each (it does: the sample is kept complete)."""
    env = make_environment([target], "en", {})
    names = sorted({name for needs in section_needs(env, [target]) for name in needs.names})
    context = build_context(load_case_data(target / "data.yaml"), "en")
    empty = [name for name in names if not context.get(name)]
    if empty:
        return (
            f"data.yaml lacks what the starter sections read: {', '.join(empty)}; "
            "add them before you render"
        )
    return f"data.yaml holds everything the starter sections read: {', '.join(names)}"
