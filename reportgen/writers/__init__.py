"""Writers turn a ``Document`` into the bytes of one file format.

Each writer module exposes ``write(doc, options) -> bytes`` and reads nothing
but the document (and, for fonts, the system's font files). They are imported
lazily so that ``reportgen --help`` does not pay for reportlab or python-docx.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError
from ..model import Document

#: format name -> module that implements it
WRITER_MODULES = {"pdf": "reportgen.writers.pdf", "docx": "reportgen.writers.docx"}


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


Writer = Callable[[Document, WriterOptions], bytes]


def get_writer(fmt: str) -> Writer:
    try:
        module_name = WRITER_MODULES[fmt]
    except KeyError:
        known = ", ".join(sorted(WRITER_MODULES))
        raise UsageError(f"unknown format {fmt!r}; known: {known}") from None
    return importlib.import_module(module_name).write
