"""Which links stay live: one policy for both writers.

A link is live when its target is ``http:``, ``https:`` or ``mailto:``, or
``#anchor`` naming a heading of the document. Everything else (``ftp:``,
which no current browser opens, ``javascript:``, ``file:``, ``data:``,
relative paths, a dangling anchor) keeps its words and loses the link, in
the PDF and in the .docx alike.
"""

from __future__ import annotations

SAFE_SCHEMES = ("http:", "https:", "mailto:")


def is_safe_url(href: str) -> bool:
    """True for an external link with an allowed scheme. Browsers ignore
    whitespace and control characters inside a scheme ("java\\tscript:"), so
    they are squeezed out before deciding."""
    squeezed = "".join(ch for ch in href if ord(ch) > 0x20).lower()
    return squeezed.startswith(SAFE_SCHEMES)


def is_live(href: str, anchors: frozenset[str] | set[str]) -> bool:
    """Does a link to ``href`` stay live, given the document's anchors?"""
    href = href.strip()
    if href.startswith("#"):
        return href[1:] in anchors
    return is_safe_url(href)
