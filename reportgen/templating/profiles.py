"""Audience profiles: which sections a brief has, in what order, under what
title, with what branding. A profile is a YAML file in ``audiences/`` of a
templates folder; a user's folder overlays the built-in one, so a user file
of the same name replaces ours and a new one adds an audience.

The files a profile names (its logo, its reference .docx) are read and
checked here, once for both writers.
"""

from __future__ import annotations

import difflib
import io
import warnings
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BeforeValidator, Field, StringConstraints

from ..data.loader import load_yaml
from ..data.schema import Model, Text
from ..data.validate import format_path
from ..errors import ProfileError, UsageError
from ..files import limits
from ..files.safe_io import check_zip_sizes, read_bounded

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
SectionName = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]


FontRole = Literal["body", "headings", "mono", "cjk_body", "cjk_headings", "cjk_second", "symbols"]


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
    fonts: dict[FontRole, str | list[str]] = Field(
        default_factory=dict,
        description="house font files per role (body, headings, mono, cjk_body, cjk_headings, "
        "cjk_second, symbols), relative to the folder; searched before the system's",
    )


def _paper_name(value: object) -> object:
    """Paper names as people type them: a4, letter, LETTER."""
    if isinstance(value, str):
        return {"a4": "A4", "letter": "Letter"}.get(value.strip().lower(), value)
    return value


PageSize = Annotated[Literal["A4", "Letter"], BeforeValidator(_paper_name)]
Millimetres = Annotated[float, Field(ge=5, le=80)]


class Margins(Model):
    """Page margins in millimetres; a side left out keeps the default (the
    side margins centre a text measure of about 70 characters)."""

    top: Millimetres | None = None
    right: Millimetres | None = None
    bottom: Millimetres | None = None
    left: Millimetres | None = None


class Issuer(Model):
    """Who issues the brief, when the data does not say (the data's
    ``issuer`` block wins)."""

    name: Text = Field(description="the issuing body, printed on page one and as the author")
    number: str | None = Field(None, description="the brief's number, e.g. 2026-03")
    contact: Text | None = Field(None, description="whom to contact: a name, email or phone")


class Profile(Model):
    """One audience: who it is for and what its brief holds."""

    description: Text = Field(description="one line for `reportgen audiences`")
    audience: Text = Field(description="who the brief is prepared for")
    title: Text = Field(description="a Jinja expression over the data, e.g. '{{ title }}'")
    subtitle: Text | None = None
    layout: Literal["report", "digest"] = Field(
        "report", description="report: a full brief; digest: one compact page"
    )
    page_size: PageSize = Field("A4", description="A4 or Letter")
    margins: Margins = Margins()
    cover: bool = Field(False, description="a separate cover page before the brief")
    contents: bool = Field(False, description="a contents list after the title block")
    logo: Literal["left", "right"] = Field(
        "right", description="where brand.logo sits in the title block"
    )
    numbering: Literal["auto", "none", "decimal", "chinese"] = Field(
        "auto", description="heading numbers: auto is chinese in Chinese, none in English"
    )
    page_numbers: Literal["auto", "dash", "page-of", "none"] = Field(
        "auto", description="dash: '— 1 —'; page-of: 'Page 1 of 6'; auto: dash in Chinese"
    )
    issuer: Issuer | None = None
    code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,8}$")] | None = Field(
        None,
        description="this audience's part of a brief number built from the issuer's series: 'P1'",
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
        problems = list(dict.fromkeys(_problem(error, loaded) for error in exc.errors()))
        if len(problems) == 1:
            raise ProfileError(problems[0]) from exc
        listed = "\n".join(f"  {p}" for p in problems)
        raise ProfileError(f"the audience profile has {len(problems)} problems:\n{listed}") from exc
    return profile, path


def _problem(error: Any, loaded: Any) -> str:
    """One located line: file:line:col: path: what is wrong and what to type."""
    loc = tuple(p for p in error["loc"] if isinstance(p, (str, int)))
    where = f"{loaded.marks.where(loc)}: {format_path(loc)}"
    if error["type"] == "extra_forbidden":
        return f"{where}: {_unknown_key(loc)}"
    return f"{where}: {error['msg'].lower()}"


def _unknown_key(loc: tuple[str | int, ...]) -> str:
    """'unknown key' with a did-you-mean and the keys allowed at that place."""
    model: Any = Profile
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        inner = _model_of(field.annotation) if field else None
        if inner is None:
            break
        model = inner
    allowed = sorted(model.model_fields)
    key = str(loc[-1])
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown key '{key}'{hint}; allowed here: {', '.join(allowed)}"


def _model_of(annotation: Any) -> type[pydantic.BaseModel] | None:
    """The model class inside ``X | None`` or ``X``, if any."""
    for option in getattr(annotation, "__args__", (annotation,)):
        if isinstance(option, type) and issubclass(option, pydantic.BaseModel):
            return option
    return None


# --------------------------------------------------------------------------
# The files a profile names: read bounded, kept inside its folder, checked
# once here for both writers


def profile_file(profile_path: Path, name: str, key: str, limit: int, env: str) -> bytes:
    """A file a profile names, which must stay inside its templates folder:
    a regular file (never a FIFO or a device), read no further than
    ``limit`` bytes."""
    folder = profile_path.parent.parent
    path = (folder / name).resolve()
    where = f"{profile_path}: {key} '{name}'"
    if folder.resolve() not in path.parents:
        raise ProfileError(f"{where} leaves the templates folder; keep the file inside it")
    return read_bounded(path, limit, where, env, ProfileError)


def read_logo(profile: Profile, profile_path: Path) -> bytes | None:
    """The profile's ``brand.logo``, checked (``check_logo``); None without one."""
    logo = profile.brand.logo
    if not logo:
        return None
    payload = profile_file(
        profile_path, logo, "brand.logo", limits.current().logo_bytes, "REPORTGEN_MAX_LOGO_BYTES"
    )
    check_logo(payload, f"{profile_path}: brand.logo '{logo}'")
    return payload


def read_reference_docx(profile: Profile, profile_path: Path) -> bytes | None:
    """The profile's ``brand.reference_docx``; a zip bomb is refused by the
    sizes it declares, before python-docx unpacks it."""
    name = profile.brand.reference_docx
    if not name:
        return None
    cap = limits.current()
    key = "brand.reference_docx"
    payload = profile_file(profile_path, name, key, cap.docx_bytes, "REPORTGEN_MAX_DOCX_BYTES")

    def fail(message: str) -> ProfileError:
        return ProfileError(f"{profile_path}: {key}: {message}")

    check_zip_sizes(payload, cap.unzipped_bytes, "the reference .docx", fail)
    return payload


def check_logo(payload: bytes, where: str) -> None:
    """Refuse logos that are not PNG or JPEG (what both writers embed),
    that are large enough to hurt, or that do not decode whole: a damaged
    or truncated file is refused here, the same for Word and PDF, instead
    of failing inside one writer."""
    from PIL import Image, UnidentifiedImageError

    cap = limits.current()
    if len(payload) > cap.logo_bytes:
        raise ProfileError(
            f"{where} is {len(payload):,} bytes, over the limit of "
            f"{cap.logo_bytes:,}; use a smaller image"
        )
    try:
        with warnings.catch_warnings():
            # our own pixel limit below is stricter than Pillow's bomb warning
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(payload)) as image:  # reads the header only
                (width, height), kind = image.size, image.format
                if kind in _LOGO_FORMATS and width * height <= cap.logo_pixels:
                    image.load()  # decodes every pixel: a truncated file fails here
    except Image.DecompressionBombError as exc:
        raise ProfileError(f"{where} declares an enormous image; use a smaller one") from exc
    except UnidentifiedImageError as exc:
        raise ProfileError(f"{where} is not an image reportgen can read (PNG or JPEG)") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ProfileError(
            f"{where} is damaged or truncated ({exc}); save it again as PNG or JPEG"
        ) from exc
    if kind not in _LOGO_FORMATS:
        raise ProfileError(f"{where} is a {kind} image; save it as PNG or JPEG")
    if width * height > cap.logo_pixels:
        raise ProfileError(
            f"{where} is {width} x {height} pixels, over the limit of "
            f"{cap.logo_pixels:,} pixels; use a smaller image"
        )


#: what both writers can embed (Word refuses WEBP and ICO)
_LOGO_FORMATS = ("PNG", "JPEG")
