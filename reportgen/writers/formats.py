"""The one registry of output formats: what ``-f`` accepts, what ``-f all``
means, the extension a file is named with, the writer that draws it and the
media type it is attached as. The CLI options, the pipeline, the output
naming, ``batch`` and ``newsletter`` read it; no other module lists formats.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import UsageError
from . import rendered


@dataclass(frozen=True, slots=True)
class Format:
    """One output format.

    ``writer`` names the module whose ``write(document, options)`` draws the
    document model; ``None`` for Markdown, which is the rendered source
    itself (with a YAML header), not drawn from the model. ``in_all``: part
    of ``-f all``. ``attachable``: a newsletter can attach a fresh brief in it.
    ``describe`` reads a rendered file's pages and fonts, where known.
    """

    name: str
    extension: str
    media_type: str
    label: str
    writer: str | None
    in_all: bool
    attachable: bool
    describe: Callable[[bytes], rendered.Rendered] = rendered.Rendered

    @property
    def maintype(self) -> str:
        return self.media_type.partition("/")[0]

    @property
    def subtype(self) -> str:
        return self.media_type.partition("/")[2]


_DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: name -> format, in the order help texts and ``-f all`` list them
REGISTRY: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            name="pdf",
            extension=".pdf",
            media_type="application/pdf",
            label="PDF",
            writer="reportgen.writers.pdf",
            in_all=True,
            attachable=True,
            describe=rendered.describe_pdf,
        ),
        Format(
            name="docx",
            extension=".docx",
            media_type=_DOCX_TYPE,
            label="Word",
            writer="reportgen.writers.docx",
            in_all=True,
            attachable=True,
            describe=rendered.describe_docx,
        ),
        Format(
            name="md",
            extension=".md",
            media_type="text/markdown",
            label="Markdown",
            writer=None,  # the rendered source itself (see Format)
            in_all=False,
            attachable=False,
        ),
    )
}

#: every format name ``-f`` accepts (besides 'all')
NAMES: tuple[str, ...] = tuple(REGISTRY)
#: what ``-f all`` means
ALL: tuple[str, ...] = tuple(f.name for f in REGISTRY.values() if f.in_all)
#: the formats a newsletter can attach a fresh brief in
ATTACHABLE: tuple[str, ...] = tuple(f.name for f in REGISTRY.values() if f.attachable)
#: the default of ``reportgen brief`` and ``reportgen newsletter``
DEFAULT = "pdf"


def get(name: str) -> Format:
    """The format called ``name``; an unknown name is the user's mistake."""
    try:
        return REGISTRY[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; known: {', '.join(NAMES)}") from None


def by_extension(suffix: str) -> Format | None:
    """The format a file name ending in ``suffix`` ('.PDF', '.docx') holds."""
    suffix = suffix.lower()
    return next((f for f in REGISTRY.values() if f.extension == suffix), None)


def file_name(stem: str, name: str) -> str:
    """``stem`` named as a file of format ``name``: 'x-policymakers-en.pdf'."""
    return stem + get(name).extension
