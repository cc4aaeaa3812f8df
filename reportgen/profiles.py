"""Audience profiles: which sections a brief has, in what order, under what
title, with what branding. A profile is a YAML file in ``audiences/`` of a
templates folder; a user's folder overlays the built-in one, so a user file
of the same name replaces ours and a new one adds an audience.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Literal

import pydantic
from pydantic import Field, StringConstraints

from .data.loader import load_yaml
from .data.schema import Model, Text
from .data.validate import format_path
from .errors import ProfileError, UsageError

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
SectionName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Brand(Model):
    primary: Colour = "#1F3A5F"
    accent: Colour = "#C8102E"
    zebra: Colour = "#EEF2F7"
    logo: str | None = Field(
        None, description="an image file, relative to the profile's templates folder"
    )
    reference_docx: str | None = Field(
        None, description="a .docx whose styles the Word brief uses, relative to the folder"
    )


class Profile(Model):
    """One audience: who it is for and what its brief holds."""

    description: Text = Field(description="one line for `reportgen audiences`")
    audience: Text = Field(description="who the brief is prepared for, shown on the cover")
    title: Text = Field(description="a Jinja expression over the data, e.g. '{{ title }}'")
    subtitle: Text | None = None
    layout: Literal["report", "digest"] = Field(
        "report", description="report: cover and contents; digest: one compact page"
    )
    sections: list[SectionName] = Field(min_length=1, description="section templates, in order")
    budget: dict[SectionName, Annotated[int, Field(ge=1)]] = Field(
        default_factory=dict, description="target words per section"
    )
    tone: dict[str, str] = Field(default_factory=dict, description="variables templates may use")
    brand: Brand = Brand()


AUDIENCE_DIR = "audiences"
DEFAULT_AUDIENCE = "policymakers"


def find_profiles(folders: list[Path]) -> dict[str, Path]:
    """Audience name -> profile file; earlier folders win."""
    found: dict[str, Path] = {}
    for folder in reversed(folders):
        directory = folder / AUDIENCE_DIR
        if directory.is_dir():
            for path in sorted(directory.glob("*.yaml")):
                found[path.stem] = path
    return dict(sorted(found.items()))


def load_profile(folders: list[Path], name: str) -> tuple[Profile, Path]:
    """The profile called ``name`` and the file it came from."""
    profiles = find_profiles(folders)
    if name not in profiles:
        known = ", ".join(profiles) or "none"
        close = difflib.get_close_matches(name, list(profiles), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        raise UsageError(f"unknown audience '{name}'; known: {known}{hint}")
    path = profiles[name]
    loaded = load_yaml(path, "audience profile")
    try:
        profile = Profile.model_validate(loaded.data)
    except pydantic.ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if isinstance(p, (str, int)))
        raise ProfileError(
            f"{loaded.marks.where(loc)}: {format_path(loc)}: {first['msg'].lower()}"
        ) from exc
    return profile, path
