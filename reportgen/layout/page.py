"""Page decisions that both writers read: paper, margins, the page-number
line, whether a page carries its number, and the printed date.

Pure Python, decided once before any writer runs (the pipeline puts the
results into ``model.Metadata``), so the PDF and the .docx cannot drift.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..text import placeholders

if TYPE_CHECKING:
    from ..model import Metadata

#: paper sizes in millimetres (width, height)
PAPER_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}

#: The text measure: 120 mm holds about 74 characters of 11.5 pt serif text
#: on a full line (a full A4 line held about 100), inside the 60-80 that
#: reads comfortably, and 28 CJK characters of 12 pt, the line of the
#: Chinese official-document standard (GB/T 9704). The side margins are
#: what the paper leaves around it.
MEASURE_MM = 120.0
TOP_MM = 24.0
BOTTOM_MM = 22.0

#: page-number styles a profile may ask for; "auto" is "dash" in Chinese
#: (公文 style) and "page-of" otherwise
PAGE_NUMBER_STYLES = ("auto", "dash", "page-of", "none")
DASH = "\u2014 {page} \u2014"


def paper(size: str) -> tuple[float, float]:
    """(width, height) in mm of a paper size name, A4 or Letter."""
    return PAPER_MM[size]


def margins(size: str, given: dict[str, float | None] | None = None) -> tuple[float, ...]:
    """(top, right, bottom, left) in mm: the profile's where it gives them,
    else centred around the text measure."""
    width, _ = paper(size)
    side = round((width - MEASURE_MM) / 2, 2)
    chosen = {"top": TOP_MM, "right": side, "bottom": BOTTOM_MM, "left": side}
    for key, value in (given or {}).items():
        if value is not None:
            chosen[key] = float(value)
    return tuple(chosen[k] for k in ("top", "right", "bottom", "left"))


def page_label(style: str, lang: str, page_of: str) -> str:
    """The footer's format string with {page} and {pages}; empty for none.
    ``page_of`` is the language's 'Page {page} of {pages}' label."""
    if style == "auto":
        style = "dash" if lang.lower().startswith("zh") else "page-of"
    if style == "dash":
        return DASH
    if style == "page-of":
        return page_of
    return ""


@dataclass(frozen=True, slots=True)
class LabelPart:
    """One part of a page label: literal ``text``, the page's own number
    (``kind`` 'page') or the number of pages ('pages'). Each writer draws
    the numbers its own way: the PDF prints them, Word a PAGE or NUMPAGES
    field."""

    kind: Literal["text", "page", "pages"]
    text: str = ""


def label_parts(label: str) -> tuple[LabelPart, ...]:
    """A page label (``page_label``) as its parts in order: ``{page}`` and
    ``{pages}`` the numbers, ``{{`` and ``}}`` a literal brace each. Any
    other ``{...}`` is a ValueError (the labels file is refused for the
    same when it is loaded: ``templating.labels``)."""
    try:
        parsed = placeholders.parse(label, ("page", "pages"))
    except placeholders.PlaceholderError as exc:
        raise placeholders.PlaceholderError(
            f"the page label {label[:80]!r} (page_of in labels.yaml): {exc}"
        ) from None
    return tuple(
        LabelPart("text", part) if isinstance(part, str) else LabelPart(_number_kind(part.name))
        for part in parsed
    )


def _number_kind(name: str) -> Literal["page", "pages"]:
    return "page" if name == "page" else "pages"


def label_text(parts: tuple[LabelPart, ...], page: int, pages: int) -> str:
    """The label as printed on page ``page`` of ``pages``."""
    numbers = {"page": str(page), "pages": str(pages)}
    return "".join(numbers.get(part.kind, part.text) for part in parts)


def title_facts(meta: Metadata) -> list[tuple[str, str]]:
    """Page one's facts under the title, as (label, value): who issues the
    brief, its number, its date and whom to contact, those that are known."""
    fields = [
        (meta.label("issuer", "Issued by"), meta.author),
        (meta.label("number", "Brief no."), meta.number),
        (meta.label("date", "Date"), meta.date_text or meta.date),
        (meta.label("contact", "Contact"), meta.contact),
    ]
    return [(label, value) for label, value in fields if value]


FactRow = list[tuple[str, str, float]]


def fact_rows(
    fields: list[tuple[str, str]], total: float, size: float = 10, first: float | None = None
) -> list[FactRow]:
    """The facts under the title as rows of (label, value, width): one row
    when every value fits on one line, else the issuing body on a row of
    its own and the rest (number, date, contact) beside each other. Widths
    are in the unit of ``total``; ``size`` is the value's font size in that
    unit (10 for 10 pt in points, 200 in twips). ``first`` is the width the
    first row may take when a logo stands beside it."""
    first = total if first is None else first
    natural = [
        max(_unbroken(label), _unbroken(value)) * 0.52 * size + size for label, value in fields
    ]
    if sum(natural) <= first or len(fields) < 2:
        return [_shared(fields, natural, first)] if fields else []
    return [[(*fields[0], first)], _shared(fields[1:], natural[1:], total)]


#: the box a logo is fitted into beside the facts, in mm (width, height)
LOGO_BOX_MM = (48.0, 16.0)


def logo_size(width_px: int, height_px: int) -> tuple[float, float]:
    """The logo's drawn size in mm: the image fitted into ``LOGO_BOX_MM``
    with its proportions kept."""
    scale = min(LOGO_BOX_MM[0] / width_px, LOGO_BOX_MM[1] / height_px)
    return width_px * scale, height_px * scale


def _shared(fields: list[tuple[str, str]], natural: list[float], total: float) -> FactRow:
    """One row: each column its natural width, the room left shared alike."""
    scale = total / sum(natural)
    return [(label, value, n * scale) for (label, value), n in zip(fields, natural, strict=True)]


def _unbroken(text: str) -> int:
    """Columns a value takes on one line, never counted past 40. Latin
    capitals are wider than the average column the estimate assumes: every
    three count one more, so a number such as PRO-2026-P1EN keeps its line."""
    capitals = sum(ch.isascii() and ch.isupper() for ch in text)
    return min(_columns(text) + capitals // 3, 40)


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def numbered(layout: str, pages: int | None = None) -> bool:
    """Does each page of the document show its number? Not when it has a
    single page. ``pages`` is the count where the writer knows it (the PDF
    lays out every page); Word counts pages only when it opens the file, so
    the Word writer passes None and goes by the layout: a digest is one
    page by design (its test holds it to one)."""
    if pages is not None:
        return pages > 1
    return layout != "digest"
