"""What a writer hands back: the file's bytes and what is known about them
(its pages, its fonts), so no caller has to dig that out of the bytes again.

The PDF and Word writers build a ``Rendered`` themselves (``render``): the
PDF's page count is the page its layout ended on. A writer with only
``write`` is described once at the writer boundary (``writers.get_writer``)
by the function the format registry names (``formats.Format.describe``),
which reads the page count from a PDF's page tree.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rendered:
    """One rendered file: ``payload`` as written, ``pages`` where the format
    knows them (a PDF; a .docx is paginated by the word processor that
    opens it), and ``fonts`` by name, sorted."""

    payload: bytes
    pages: int | None = None
    fonts: tuple[str, ...] = ()


#: reportlab writes one page tree root; nested trees carry their own /Count,
#: so the root's is the largest
_PAGES = re.compile(rb"/Count (\d+) /Kids \[[^\]]*\] /Type /Pages")
#: '/BaseFont /AAAAAA+NotoSansSC-Regular': a subset's tag is not its name
_BASE_FONT = re.compile(rb"/BaseFont /(?:[A-Z]{6}\+)?([A-Za-z0-9_.,#-]+)")


def pdf_pages(payload: bytes) -> int | None:
    """The page count of a reportlab PDF, from its page tree root."""
    counts = [int(m.group(1)) for m in _PAGES.finditer(payload)]
    return max(counts) if counts else None


def pdf_fonts(payload: bytes) -> tuple[str, ...]:
    """The fonts a PDF names, subset tags left off, sorted."""
    return tuple(sorted({m.group(1).decode("ascii") for m in _BASE_FONT.finditer(payload)}))


def describe_pdf(payload: bytes) -> Rendered:
    """A PDF from elsewhere with its page count and the fonts it names (the
    PDF writer's own ``render`` knows its pages without reading them back)."""
    return Rendered(payload, pdf_pages(payload), pdf_fonts(payload))


def describe_docx(payload: bytes) -> Rendered:
    """The fonts a .docx declares in its font table (w:font/@w:name)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(payload)) as package:
        names = set(package.namelist())
        if "word/fontTable.xml" not in names:
            return Rendered(payload)
        # no entities, no network: the table may come from a user's reference .docx
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        root = etree.fromstring(package.read("word/fontTable.xml"), parser)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    fonts = sorted({str(f.get(f"{w}name")) for f in root.iter(f"{w}font") if f.get(f"{w}name")})
    return Rendered(payload, None, tuple(fonts))
