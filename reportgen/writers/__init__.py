"""Writers turn a ``Document`` into the bytes of one file format.

Each writer package exposes ``render(doc, options) -> Rendered`` (the bytes,
the page count where the format knows it, the fonts) and ``write`` for the
bytes alone; it reads nothing but the document (and, for fonts, the
system's font files). They are imported
lazily so that ``reportgen --help`` does not pay for reportlab or python-docx.
Which module writes which format is the format registry's (``formats``);
``get_writer`` hands back a writer that returns a ``Rendered``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ..errors import RenderError, UsageError
from ..files import limits
from . import formats
from .rendered import Rendered

if TYPE_CHECKING:  # the model is not loaded for --help (the registry is)
    from ..model import Document


@dataclass(frozen=True)
class WriterOptions:
    """Choices that are about the output file, not the content.

    ``cjk_font``: a TrueType font for CJK text in the PDF (else one is looked
    for on the system). ``reference_docx``: the bytes of a .docx whose styles
    the Word writer starts from. ``logo``: image bytes for the title block.
    """

    cjk_font: Path | None = None
    #: a profile's house fonts: (role, files) pairs, searched before all
    fonts: tuple[tuple[str, tuple[Path, ...]], ...] = ()
    reference_docx: bytes | None = None
    logo: bytes | None = None


Writer: TypeAlias = "Callable[[Document, WriterOptions], Rendered]"


def get_writer(fmt: str) -> Writer:
    """The writer of format ``fmt``, as the registry names it."""
    known = formats.get(fmt)
    module_name = known.writer
    if module_name is None:
        drawn = ", ".join(f.name for f in formats.REGISTRY.values() if f.writer)
        raise UsageError(f"format {fmt!r} is not drawn from the document model; known: {drawn}")
    module = importlib.import_module(module_name)
    if hasattr(module, "render"):  # the writer knows its pages and fonts
        render: Writer = module.render
        return render
    write = module.write

    def rendered(document: Document, options: WriterOptions) -> Rendered:
        return known.describe(bytes(write(document, options)))

    return rendered


def draw(fmt: str, document: Document, options: WriterOptions) -> Rendered:
    """Format ``fmt`` of ``document``, within the layout deadline: a brief
    no honest input makes slow (an unbreakable word of 300 KB) stops with a
    message."""
    seconds = limits.current().layout_seconds
    try:
        with limits.time_budget(seconds):
            return get_writer(fmt)(document, options)
    except limits.TimeBudgetExceeded as exc:
        raise RenderError(
            f"laying out the {fmt} took longer than {seconds} s; look for very long words "
            "or tables in the data, or raise REPORTGEN_MAX_LAYOUT_SECONDS"
        ) from exc
