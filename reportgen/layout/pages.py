"""Whether a page carries its number, decided once for both writers.

A page number tells a reader where they are in a document; on a document of
one page it says nothing, and "Page 1 of 1" reads as a form left unfilled.
"""

from __future__ import annotations


def numbered(layout: str, pages: int | None = None) -> bool:
    """Does each page of the document show its number? Not when it has a
    single page. ``pages`` is the count where the writer knows it (the PDF
    lays out every page); Word counts pages only when it opens the file, so
    the Word writer passes None and goes by the layout: a digest is one
    page by design (its test holds it to one)."""
    if pages is not None:
        return pages > 1
    return layout != "digest"
