"""The pipeline, in one direction:

    load -> validate -> context -> templates render Markdown
         -> parse into the document model -> writers return Rendered -> atomic write

Only the first step and the last touch the disk. No Click here: the CLI
builds a ``BriefRequest`` and calls ``write_brief``. This module only
orchestrates: the files a profile names are read and checked by
``profiles``, output names and atomic writes are ``output``'s, the
provenance sidecar is ``provenance``'s, the formats are ``formats``'.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.schema import CaseData
from ..data.validate import load_case_data
from ..errors import ProfileError, UsageError
from ..files import limits, resources
from ..files.safe_io import check_regular, check_zip_sizes, read_bounded
from ..fonts.house import house_fonts
from ..layout import bounds as layout_limits
from ..model import Document
from ..model.markup import parse
from ..templating import coverage
from ..templating.citations import Citations
from ..templating.context import build_context
from ..templating.environment import localised, make_environment, render, render_string
from ..templating.filters import RenderState
from ..templating.labels import load_labels
from ..templating.profiles import (
    DEFAULT_AUDIENCE,
    Profile,
    load_profile,
    read_logo,
    read_reference_docx,
)
from ..writers import WriterOptions, draw
from ..writers import formats as registry
from ..writers.frontmatter import markdown_file
from ..writers.rendered import Rendered
from . import gcpause
from .metadata import brief_metadata
from .output import check_extension, check_not_input, sidecar_path, stem, write_files
from .output import output_paths as named_outputs
from .provenance import sidecar

LANGS = ("en", "zh")


@dataclass(frozen=True)
class BriefRequest:
    """What to render: the CLI's options, resolved to paths."""

    data: Path | None = None
    audience: str = DEFAULT_AUDIENCE
    lang: str = "en"
    templates: Path | None = None
    formats: tuple[str, ...] = (registry.DEFAULT,)
    output: Path | None = None
    cjk_font: Path | None = None
    reference_docx: Path | None = None
    provenance: bool = False
    output_is_folder: bool = False


@dataclass(frozen=True, slots=True)
class Brief:
    """A rendered brief before any writer runs: typed fields, never read
    by string keys, and never changed once built."""

    data: CaseData
    data_path: Path
    profile: Profile
    profile_path: Path
    markdown: str
    document: Document
    state: RenderState
    #: every file the brief was made from: never to be written over
    inputs: tuple[Path, ...] = ()
    #: (section name, its Markdown), in order
    sections: tuple[tuple[str, str], ...] = ()
    #: what the templates saw (the newsletter's lead starts from it)
    context: dict[str, Any] = field(default_factory=dict)


def template_folders(user: Path | None) -> list[Path]:
    """The user's folder first (it overlays), then the built-in one."""
    builtin = resources.builtin_templates()
    if user is None:
        return [builtin]
    if not user.is_dir():
        problem = "is not a folder" if user.exists() else "does not exist"
        raise UsageError(f"templates folder {user} {problem}; give a folder with -t")
    return [user, builtin]


def _section(
    env: Any, folders: list[Path], name: str, lang: str, context: dict[str, Any], state: Any
) -> str:
    """Section ``name`` rendered: a language-specific template when a folder
    has it (``sections/zh/name.md.j2``), else the shared one."""
    missing = ProfileError(
        f"section '{name}' has no template sections/{name}.md.j2 in "
        f"{', '.join(map(str, folders))}; add it or remove it from the profile"
    )
    return render(env, localised("sections", f"{name}.md.j2", lang), context, state, missing)


@functools.lru_cache(maxsize=16)
def _environment(
    folders: tuple[Path, ...],
    lang: str,
    labels: tuple[tuple[str, str], ...],
    resolved: tuple[Path, ...] = (),
) -> Any:
    """One environment per folders and language, so a process that renders
    many briefs (a batch worker) compiles each template once; ``resolved``
    (the folders' absolute paths) only keys the cache."""
    return make_environment(list(folders), lang, dict(labels))


def render_brief(request: BriefRequest, data: CaseData | None = None) -> Brief:
    """Everything up to the document model. ``data`` may be passed in when
    it was loaded already (a batch loads it once per worker)."""
    if request.lang not in LANGS:
        raise UsageError(f"unknown language '{request.lang}'; known: {', '.join(LANGS)}")
    data_path = request.data or resources.default_data()
    if data is None:
        data = load_case_data(data_path)
    folders = template_folders(request.templates)
    profile, profile_path = load_profile(folders, request.audience)
    labels = load_labels(folders, request.lang)
    # keyed by the resolved folders too: the same relative folder in another
    # working directory (an in-process caller that changes directory) is
    # another folder, and must not get the first one's compiled templates
    resolved = tuple(f.resolve() for f in folders)
    env = _environment(tuple(folders), request.lang, tuple(sorted(labels.items())), resolved)
    context = build_context(data, request.lang)
    context.update(labels=labels, tone=profile.tone, audience=request.audience)
    state = RenderState(Citations(data, request.lang))
    # the title is rendered first, like any template: figures it prints are
    # recorded for provenance with the rest
    titles = _titles(env, profile, request.lang, context, state, profile_path)
    meta = brief_metadata(data, profile, request.audience, request.lang, labels, titles)
    # the suggested citation at the end of a brief names its title and date
    context.update(brief_title=meta.title, date=meta.date, brief_number=meta.number)
    parts = [
        _section(env, folders, name, request.lang, context, state) for name in profile.sections
    ]
    sections = list(zip(profile.sections, parts, strict=True))
    notes = state.citations.definitions()
    _warn_untranslated(state, data, "\n".join([*parts, notes]), request.lang)
    markdown = "\n\n".join(part.strip("\n") for part in parts) + "\n\n" + notes + "\n"
    inputs = [*_data_files(data_path, data), profile_path, *folders]
    inputs += [
        profile_path.parent.parent / name
        for name in (profile.brand.logo, profile.brand.reference_docx)
        if name
    ]
    if request.cjk_font:
        inputs.append(request.cjk_font)
    inputs += [path for _, files in house_fonts(profile, profile_path) for path in files]
    return Brief(
        data=data,
        data_path=data_path,
        profile=profile,
        profile_path=profile_path,
        markdown=markdown,
        document=parse(markdown, meta, state.charts),
        state=state,
        inputs=tuple(inputs),
        sections=tuple(sections),
        context=context,
    )


def _warn_untranslated(state: RenderState, data: CaseData, printed: str, lang: str) -> None:
    """Warn once for the fields a brief printed in another language: those
    its filters noted, and names found in its text (a reference's authors)."""
    state.untranslated.update(dict.fromkeys(coverage.printed_in_english(data, printed, lang)))
    if state.untranslated:
        # the brief is still written: English text in a Chinese brief is a
        # gap in the data the analyst should know about, not a failure
        warnings.warn(
            coverage.message(state.untranslated, lang),
            coverage.LanguageCoverageWarning,
            stacklevel=3,
        )


def _titles(
    env: Any,
    profile: Profile,
    lang: str,
    context: dict[str, Any],
    state: RenderState,
    origin: Path,
) -> tuple[str, str]:
    """The profile's title and subtitle, rendered like any template."""
    title = render_string(env, profile.title.get(lang), context, state, f"{origin} title")
    subtitle = (
        render_string(env, profile.subtitle.get(lang), context, state, f"{origin} subtitle")
        if profile.subtitle
        else ""
    )
    return title, subtitle


def _data_files(data_path: Path, data: CaseData) -> list[Path]:
    """Every file the data was read from: never to be written over."""
    files = [data_path]
    for ref in (data.sources_from, data.cases_from):
        if ref:
            files.append(data_path.parent / ref)
    return files


# --------------------------------------------------------------------------
# Writing


def output_paths(request: BriefRequest, data: CaseData) -> dict[str, Path]:
    """Format -> path. ``-o`` is a file for one format, else a folder."""
    name = stem(data.slug, request.audience, request.lang)
    return named_outputs(name, request.formats, request.output, request.output_is_folder)


def render_formats(brief: Brief, request: BriefRequest) -> dict[str, Rendered]:
    """Every requested format rendered, one after the other in this
    process, before anything is written; the first that fails stops the
    rest (its error is the one the user sees)."""
    options = WriterOptions(
        cjk_font=request.cjk_font,
        reference_docx=_read_reference(request, brief),
        logo=read_logo(brief.profile, brief.profile_path),
        fonts=house_fonts(brief.profile, brief.profile_path),
    )
    if request.cjk_font is not None:
        check_regular(request.cjk_font, limits.current().font_bytes, "--cjk-font", _FONT_ENV)
    meta = brief.document.meta
    titles = {"the title": meta.title, "the subtitle": meta.subtitle}
    layout_limits.check_brief(list(brief.sections), titles)
    wanted = tuple(dict.fromkeys(request.formats))
    return {fmt: _render(fmt, brief, options) for fmt in wanted}


def _render(fmt: str, brief: Brief, options: WriterOptions) -> Rendered:
    """One format: Markdown is the rendered source itself, the others are
    laid out by their writer."""
    if registry.get(fmt).writer is None:  # Markdown: the source itself
        source = markdown_file(brief.markdown, brief.document.meta).encode("utf-8")
        return registry.get(fmt).describe(source)
    return draw(fmt, brief.document, options)


def render_outputs(brief: Brief, request: BriefRequest) -> dict[str, bytes]:
    """Every requested format as bytes (``render_formats`` without the
    pages and fonts)."""
    return {fmt: r.payload for fmt, r in render_formats(brief, request).items()}


_FONT_ENV = "REPORTGEN_MAX_FONT_BYTES"


def _read_reference(request: BriefRequest, brief: Brief) -> bytes | None:
    """The reference .docx: the option wins over the profile's setting."""
    path = request.reference_docx
    if path is None:
        return read_reference_docx(brief.profile, brief.profile_path)
    cap = limits.current()

    def fail(message: str) -> UsageError:
        return UsageError(f"{path}: {message}")

    payload = read_bounded(
        path, cap.docx_bytes, "the reference .docx", "REPORTGEN_MAX_DOCX_BYTES", fail
    )
    # a zip bomb is refused by the sizes it declares, before python-docx unpacks it
    check_zip_sizes(payload, cap.unzipped_bytes, "the reference .docx", fail)
    return payload


@gcpause.paused()  # one brief's objects all live until it is written (see gcpause)
def brief_files(request: BriefRequest, data: CaseData | None = None) -> dict[Path, Rendered]:
    """Every file of one brief (formats and sidecar), checked against the
    inputs, before anything is written."""
    brief = render_brief(request, data)
    paths = output_paths(request, brief.data)
    rendered = render_formats(brief, request)
    files = {paths[fmt]: result for fmt, result in rendered.items()}
    if request.provenance:
        trace = sidecar(brief.state, brief.data, brief.data_path, request.audience, request.lang)
        files.update({sidecar_path(path): Rendered(trace) for path in paths.values()})
    inputs = [*brief.inputs] + ([request.reference_docx] if request.reference_docx else [])
    for path in files:
        check_not_input(path, inputs)
    for fmt, path in paths.items():
        if path == request.output:  # -o named the file itself
            check_extension(path, fmt)
    return files


def brief_payloads(request: BriefRequest, data: CaseData | None = None) -> dict[Path, bytes]:
    """``brief_files`` as bytes."""
    return {path: r.payload for path, r in brief_files(request, data).items()}


def write_brief(request: BriefRequest) -> list[Path]:
    """Render and write the brief; returns the paths written. Every target
    is checked before any is written (see ``output.write_files``)."""
    payloads = brief_payloads(request)
    write_files(payloads)
    return list(payloads)
