"""The command line: Click options in, one pipeline call, messages out.

Errors become exit codes in one place, the group (``ReportgenGroup``), for
every command: a ``ReportgenError`` is one message on stderr and its exit
code (2); Ctrl-C is "reportgen: interrupted" and 130; anything else is a bug
and keeps its traceback (exit 1).
"""

from __future__ import annotations

import gc
import io
import os
import sys
import warnings
from pathlib import Path
from typing import Any

import click

from .. import __version__
from ..errors import ReportgenError
from ..writers import formats as registry
from .newsletter_command import newsletter
from .options import audience_option, data_option, formats_option, lang_option, templates_option


def _expand(values: tuple[str, ...], everything: tuple[str, ...], default: str) -> tuple[str, ...]:
    """Repeated option values with 'all' spelled out and duplicates dropped."""
    out: list[str] = []
    for value in values or (default,):
        out.extend(everything if value == "all" else (value,))
    return tuple(dict.fromkeys(out))


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    """Warnings are for the user: one line, no source location."""
    click.echo(f"reportgen: warning: {message}", err=True)


class ReportgenGroup(click.Group):
    """The group that turns errors into messages and exit codes for every
    command, as Click itself does for a ``ClickException``: no command
    needs (or can forget) a decorator of its own."""

    def invoke(self, ctx: click.Context) -> Any:
        with warnings.catch_warnings():
            # warnings about the user's input are messages for the user,
            # each shown once, one line, whatever the interpreter's filters
            warnings.simplefilter("always", UserWarning)
            warnings.showwarning = _show_warning
            try:
                return super().invoke(ctx)
            except ReportgenError as exc:
                click.echo(f"reportgen: error: {exc}", err=True)
                sys.exit(exc.exit_code)
            except KeyboardInterrupt:
                # Ctrl-C is the user's choice, not a bug: no traceback; files
                # are written atomically, so nothing half-written remains
                click.echo("reportgen: interrupted", err=True)
                sys.exit(130)


def run() -> None:
    """The ``reportgen`` command (the script, and ``python -m reportgen``):
    ``main``, which ends the process with the command's exit code.

    The interpreter then shuts down as usual (atexit handlers, streams
    flushed), with one change: the objects still alive are frozen, out of
    the collector's reach. The shutdown's collections would otherwise walk
    every module and object of the brief again for the few reference
    cycles among them, which took 0.1-0.2 s, a fifth of a cold brief; what
    they would free, the process's end frees anyway. Every file was
    written and closed before ``main`` ended (see ``output.write_files``)."""
    try:
        main()
    finally:
        gc.freeze()


@click.group(cls=ReportgenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def main() -> None:
    """Policy briefs in Word and PDF from case data and narrative templates."""


main.add_command(newsletter)


@main.command()
@formats_option(registry.DEFAULT)
@audience_option
@lang_option
@data_option
@templates_option
@click.option(
    "-o",
    "--output",
    type=click.Path(),  # text, not Path: a trailing '/' means a folder
    default=None,
    help="Output file (one format) or folder (several, or ending in '/'). [default: ./out/]",
)
@click.option(
    "--cjk-font",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="TrueType font for Chinese text in the PDF.",
)
@click.option(
    "--reference-docx",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="A .docx whose styles the Word brief uses.",
)
@click.option(
    "--provenance",
    is_flag=True,
    help="Also write NAME.provenance.json: each figure's data path and source.",
)
def brief(
    formats: tuple[str, ...],
    audience: str,
    lang: str,
    data: Path | None,
    templates: Path | None,
    output: str | None,
    cjk_font: Path | None,
    reference_docx: Path | None,
    provenance: bool,
) -> None:
    """Render a brief. Prints each file written, one a line."""
    from ..pipeline import BriefRequest, write_brief

    request = BriefRequest(
        data=data,
        audience=audience,
        lang=lang,
        templates=templates,
        formats=_expand(formats, registry.ALL, registry.DEFAULT),
        output=Path(output) if output else None,
        output_is_folder=output is not None and output.endswith(("/", os.sep)),
        cjk_font=cjk_font,
        reference_docx=reference_docx,
        provenance=provenance,
    )
    for path in write_brief(request):
        click.echo(str(path))


def _source_text(value: str) -> Any:
    from ..check import SourceText

    source_id, sep, file = value.partition("=")
    return SourceText(source_id if sep else None, Path(file if sep else value))


@main.command()
@data_option
@templates_option
@click.option(
    "--source-text",
    "source_texts",
    multiple=True,
    metavar="[ID=]FILE",
    help="The original text of a source: each numeric fact must occur in the "
    "paragraph it cites. Repeat for several sources.",
)
def check(data: Path | None, templates: Path | None, source_texts: tuple[str, ...]) -> None:
    """Check data, templates, audiences and sources; exit 2 on findings."""
    from ..check import run_check

    texts = [_source_text(v) for v in source_texts]
    for text in texts:
        if not text.path.is_file():
            raise click.BadParameter(f"{text.path} is not a file", param_hint="--source-text")
    report = run_check(data, templates, texts)
    for finding in report.findings:
        click.echo(str(finding), err=True)
    click.echo(report.summary())
    for line in report.needs:  # what data each section reads, after the verdict
        click.echo(f"  {line}")
    if report.errors:
        sys.exit(2)


@main.command()
def schema() -> None:
    """Print the JSON Schema of case data (for editors that validate YAML)."""
    import json

    from ..data.schema import CaseData

    document = CaseData.model_json_schema()
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "reportgen case data"
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


@main.command()
@click.option(
    "-t",
    "--templates",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder whose audiences add to or override the built-in ones.",
)
def audiences(templates: Path | None) -> None:
    """List the audiences a brief can be written for."""
    from ..pipeline import template_folders
    from ..templating.profiles import find_profiles, load_profile

    folders = template_folders(templates)
    for name in find_profiles(folders):
        profile, path = load_profile(folders, name)
        origin = "" if path.is_relative_to(folders[-1]) else f"  [{path.parent.parent}]"
        click.echo(f"{name:<14} {profile.description.en}{origin}")


@main.command()
@audience_option
@templates_option
@click.option(
    "--cjk-font",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="TrueType font for Chinese text in the PDF.",
)
def fonts(audience: str, templates: Path | None, cjk_font: Path | None) -> None:
    """List the font each typeface role uses, its files, and what was skipped."""
    from ..fonts import report, resolve
    from ..fonts.house import house_fonts
    from ..pipeline import template_folders
    from ..templating.profiles import load_profile

    profile, path = load_profile(template_folders(templates), audience)
    roles = resolve(house_fonts(profile, path), cjk_font)
    click.echo(report.describe(roles), nl=False)


@main.command()
@click.argument("directory", type=click.Path(path_type=Path))
def init(directory: Path) -> None:
    """Start a folder of your own templates, with a README that walks through it."""
    from ..templating.scaffold import data_note, scaffold

    for path in scaffold(directory):
        click.echo(str(path))
    click.echo(data_note(directory), err=True)


@main.command()
@click.option(
    "-a",
    "--audience",
    "audiences",
    multiple=True,
    metavar="NAME|all",
    help="Audience to render; repeat for several. [default: all]",
)
@formats_option("all")
@click.option(
    "-l",
    "--lang",
    "langs",
    multiple=True,
    metavar="en|zh|all",
    help="Language; repeat for several. [default: all]",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes. [default: the number of CPUs]",
)
@data_option
@templates_option
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Output folder; manifest.json is written there.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress bar and no summary.")
def batch(
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    langs: tuple[str, ...],
    jobs: int | None,
    data: Path | None,
    templates: Path | None,
    output: Path,
    quiet: bool,
) -> None:
    """Render every audience, language and format, in parallel, with a manifest."""
    from ..batch import BatchRequest, run_batch
    from ..pipeline import LANGS, template_folders
    from ..templating.profiles import find_profiles

    known = tuple(find_profiles(template_folders(templates)))
    request = BatchRequest(
        audiences=_expand(audiences, known, "all"),
        langs=_expand(langs, LANGS, "all"),
        formats=_expand(formats, registry.ALL, "all"),
        output=output,
        data=data,
        templates=templates,
        jobs=jobs or 0,
    )
    _check_batch_names(request, known)
    show = not quiet and sys.stderr.isatty()
    with click.progressbar(
        length=len(request.audiences) * len(request.langs),
        label="rendering",
        file=sys.stderr if show else io.StringIO(),
    ) as bar:
        result = run_batch(request, progress=lambda item: bar.update(1))
    for path in result.written:
        click.echo(str(path))
    _batch_summary(result, quiet)


def _check_batch_names(request: Any, known: tuple[str, ...]) -> None:
    from ..errors import UsageError
    from ..pipeline import LANGS

    for name in request.audiences:
        if name not in known:
            raise UsageError(f"unknown audience '{name}'; known: {', '.join(known)}, all")
    for lang in request.langs:
        if lang not in LANGS:
            raise UsageError(f"unknown language '{lang}'; known: {', '.join(LANGS)}, all")


def _batch_summary(result: Any, quiet: bool) -> None:
    files = len(result.written) - 1
    if not quiet:
        click.echo(
            f"reportgen: {result.items} briefs, {files} files in {result.seconds:.1f} s; "
            f"{len(result.failures)} failed",
            err=True,
        )
    for failure in result.failures:
        click.echo(
            f"reportgen: error: {failure.audience}/{failure.lang}: {failure.error}", err=True
        )
    if result.failures:
        sys.exit(2)


if __name__ == "__main__":  # pragma: no cover
    main()
