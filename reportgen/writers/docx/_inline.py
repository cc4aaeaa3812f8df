"""Inline content in Word: runs in the character styles, hyperlinks (the
layout's link policy), note references as footnotes and NOTEREF fields,
and the layout's unbreakable spans with no-break spaces and hyphens.

``InlineWriter`` owns what inline content shares across the brief: the
bookmark names and ids, and the footnotes part it fills as notes are first
cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml import etree

from ... import model as m
from ...errors import RenderError
from ...layout import emphasis, links, notes
from ...text.script import NO_BREAK_SPACE
from . import _oxml as ox
from . import _oxml_format as oxf
from ._package import footnotes_part
from ._styles import StyleBook


@dataclass(frozen=True)
class Fmt:
    """The character formatting in force while walking inline nodes."""

    strong: bool = False
    emph: bool = False
    code: bool = False
    link: bool = False
    in_note: bool = False


def _bookmark_names(doc: m.Document) -> dict[str, str]:
    """Heading anchor -> a Word-safe bookmark name: a letter first, at most 40
    characters of [A-Za-z0-9_], unique."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for index, heading in enumerate(doc.headings(), start=1):
        base = re.sub(r"[^A-Za-z0-9_]+", "_", heading.anchor).strip("_")
        if not base or not base[0].isalpha():
            base = f"h{index}_{base}".rstrip("_")
        base, name, n = base[:40], base[:40], 1
        while name in used:
            n += 1
            suffix = f"_{n}"
            name = base[: 40 - len(suffix)] + suffix
        used.add(name)
        names.setdefault(heading.anchor, name)
    return names


#: what Word keeps whole in a span: a space as a no-break space (what Word
#: honours to keep a number with its unit). A hyphen stays a hyphen: Word's
#: non-breaking hyphen (w:noBreakHyphen) is another character, which Find
#: does not match with "-", and an editor searching for a brief's number
#: ("PRO-2025-P1ZH") must find it.
_UNBROKEN = str.maketrans({" ": NO_BREAK_SPACE})


def unbroken(node: m.Text) -> str:
    """``node``'s text as Word keeps its unbreakable spans (``nobreak``)
    whole: their spaces no-break spaces.
    Nothing else is needed, or added: Word's own line breaking never parts
    a Latin word or a number, and breaks CJK text where Chinese may break."""
    text = node.text
    for start, end in node.nobreak:
        text = text[:start] + text[start:end].translate(_UNBROKEN) + text[end:]
    return text


def word_text(inlines: tuple[m.Inline, ...]) -> str:
    """The text of text nodes as Word carries it (``unbroken``)."""
    return "".join(unbroken(n) if isinstance(n, m.Text) else m.plain_text((n,)) for n in inlines)


def _safe_href(href: str) -> bool:
    return links.is_safe_url(href)


def toc_inlines(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """Heading inlines for a contents entry: note marks left out, links
    unwrapped (the entry is a link already), line breaks as spaces."""
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.NoteRef):
            continue
        if isinstance(node, m.LineBreak):
            out.append(m.Text(" "))
        elif isinstance(node, m.Link):
            out.extend(toc_inlines(node.children))
        elif isinstance(node, (m.Strong, m.Emphasis)):
            out.append(replace(node, children=toc_inlines(node.children)))
        else:
            out.append(node)
    return tuple(out)


class InlineWriter:
    """Writes inline nodes into a paragraph (or link, or footnote) element."""

    def __init__(self, doc: m.Document, docx: DocxDocument, styles: StyleBook) -> None:
        self.doc = doc
        self.docx = docx
        self.styles = styles
        self.bookmarks = _bookmark_names(doc)
        self.bookmark_id = 0
        self.footnotes: etree._Element | None = None
        self.footnote_part: Part | None = None
        self.note_marks: dict[int, tuple[int, str]] = {}  # note number -> (id, bookmark)
        self._looks: dict[Fmt, tuple[str | None, bool, bool]] = {}

    def inlines(
        self,
        parent: etree._Element,
        nodes: tuple[m.Inline, ...],
        fmt: Fmt,
        part: Part | None = None,
    ) -> None:
        previous = None
        for node in nodes:
            if isinstance(node, m.NoteRef) and isinstance(previous, m.NoteRef):
                # ⁵,⁶ rather than ⁵⁶, which reads as note 56
                parent.append(ox.run(notes.SEPARATOR, self.styles.id("footnote reference")))
            self.inline(parent, node, fmt, part or self.docx.part)
            previous = node

    def inline(self, parent: etree._Element, node: m.Inline, fmt: Fmt, part: Part) -> None:
        if isinstance(node, m.Text):
            parent.extend(self.text_runs(unbroken(node), fmt))
        elif isinstance(node, m.Strong):
            self.inlines(parent, node.children, replace(fmt, strong=True), part)
        elif isinstance(node, m.Emphasis):
            self.inlines(parent, node.children, replace(fmt, emph=True), part)
        elif isinstance(node, m.Code):
            parent.extend(self.text_runs(node.text, replace(fmt, code=True)))
        elif isinstance(node, m.Link):
            self.link(parent, node, fmt, part)
        elif isinstance(node, m.NoteRef):
            self.note_ref(parent, node, fmt)
        elif isinstance(node, m.LineBreak):
            parent.append(ox.break_run())
        else:
            kind = getattr(node, "kind", "")
            raise RenderError(f"the Word writer cannot write a {kind or node!r} inline")

    def text_runs(self, text: str, fmt: Fmt) -> list[etree._Element]:
        """The runs for ``text``: emphasised CJK upright in Kai, the rest
        italic (``layout.emphasis``)."""
        if not fmt.emph or fmt.code:
            return [self.text_run(text, fmt)]
        kai = self.styles.words[emphasis.CJK_ROLE]
        runs = [(self.text_run(piece, fmt), cjk) for piece, cjk in emphasis.runs(text)]
        return [ox.upright_east_asian(r, kai) if cjk else r for r, cjk in runs]

    def text_run(self, text: str, fmt: Fmt) -> etree._Element:
        """A run of ``text`` in the character formatting ``fmt``
        (``run_look``, worked out once per formatting: a long table's
        cells are tens of thousands of runs in a handful of them)."""
        look = self._looks.get(fmt)
        if look is None:
            look = self._looks[fmt] = self.run_look(fmt)
        return ox.run(text, *look)

    def run_look(self, fmt: Fmt) -> tuple[str | None, bool, bool]:
        """(character style id, direct bold, direct italic) for ``fmt``: the
        one character style that fits; a second attribute (bold inside a
        link, say) has no style of its own and is direct."""
        flags = [
            ("link", "Hyperlink"),
            ("code", "Verbatim Char"),
            ("strong", "Strong"),
            ("emph", "Emphasis"),
        ]
        style = next((name for attr, name in flags if getattr(fmt, attr)), None)
        bold = fmt.strong and style != "Strong"
        italic = fmt.emph and style != "Emphasis"
        return (self.styles.id(style) if style else None), bold, italic

    def link(self, parent: etree._Element, node: m.Link, fmt: Fmt, part: Part) -> None:
        href = node.href.strip()
        target = None
        if fmt.link:
            pass  # hyperlinks cannot nest in Word; the outer link wins
        elif href.startswith("#"):
            name = self.bookmarks.get(href[1:])
            target = ox.internal_link(name) if name else None
        elif _safe_href(href):
            target = ox.external_link(part.relate_to(href, RT.HYPERLINK, is_external=True))
        if target is None:  # unsafe or dangling: the words stay, the link goes
            self.inlines(parent, node.children, fmt, part)
            return
        self.inlines(target, node.children, replace(fmt, link=True), part)
        parent.append(target)

    # -- notes -------------------------------------------------------------

    def note_ref(self, parent: etree._Element, node: m.NoteRef, fmt: Fmt) -> None:
        """The first reference to a note makes a Word footnote; later ones are
        NOTEREF cross-references to it (formatted as a footnote mark), so
        each source appears once at the foot of the page and keeps one number."""
        ref_style = self.styles.id("footnote reference")
        if fmt.in_note:  # a note citing a note: just the number
            parent.append(ox.run(str(node.number), ref_style))
            return
        if not 1 <= node.number <= len(self.doc.notes):
            raise RenderError(
                f"note {node.number} is referenced but the document has {len(self.doc.notes)} notes"
            )
        if node.number in self.note_marks:
            note_id, mark = self.note_marks[node.number]
            for r in ox.field(f"NOTEREF {mark} \\f \\h", str(note_id), ref_style):
                parent.append(r)
            return
        note_id = len(self.note_marks) + 1
        mark = f"_RefNote{node.number}"
        self.note_marks[node.number] = (note_id, mark)
        self.add_footnote(note_id, self.doc.notes[node.number - 1])
        bid = self.next_bookmark_id()
        parent.append(ox.bookmark_start(bid, mark))
        parent.append(ox.footnote_reference(note_id, ref_style))
        parent.append(ox.bookmark_end(bid))

    def add_footnote(self, note_id: int, note: m.Note) -> None:
        if self.footnotes is None:
            self.footnotes, self.footnote_part = footnotes_part(self.docx)
        note_el, para = ox.footnote(
            note_id, self.styles.id("footnote text"), self.styles.id("footnote reference")
        )
        self.inlines(para, note.children, Fmt(in_note=True), self.footnote_part)
        self.footnotes.append(note_el)

    def finish_footnotes(self) -> None:
        if self.footnotes is None or self.footnote_part is None:
            return
        oxf.settings_footnote_pr(self.docx.settings.element)
        ox.replace_part_xml(self.footnote_part, self.footnotes)

    def next_bookmark_id(self) -> int:
        self.bookmark_id += 1
        return self.bookmark_id
