"""Inline nodes to reportlab paragraph markup.

reportlab's Paragraph parses a small XML dialect, so every piece of text is
escaped here and nowhere else; text also gets its font fallback here, which
is where characters no font has are noticed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from ...errors import RenderError
from ...layout import emphasis, links, notes
from ...model import Code, Emphasis, Inline, LineBreak, Link, NoteRef, Span, Strong, Text
from ...text.script import NO_BREAK_SPACE, clean, latin_faced
from ._fonts import Family, FontSet, pick_family

__all__ = ["InlineRenderer", "clean", "escape", "is_safe_url", "note_key"]

#: the layout's link policy (``layout.links``), used here as a last guard
is_safe_url = links.is_safe_url


def escape(text: str) -> str:
    """``text`` made literal for reportlab markup, attribute-safe too."""
    text = clean(text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


@dataclass(frozen=True)
class Setting:
    """What is in force while nodes are marked up: the family, the weight
    and slant (reportlab's <font> tag resets both, so a run set in another
    family must name the right face), and ``where``, the block's name for a
    missing-glyph report. Passed down, never stored: no state is shared
    between calls."""

    family: Family
    where: str = "the document"
    bold: bool = False
    italic: bool = False
    emphasis: bool = False  # drawn by ``layout.emphasis``: italic or upright Kai


@dataclass(frozen=True)
class InlineRenderer:
    """Turns inline nodes into markup for one document.

    ``anchors`` maps heading anchors to PDF destination names, ``notes`` the
    note numbers that exist."""

    fontset: FontSet
    anchors: dict[str, str]
    notes: frozenset[int]
    link_colour: str
    _dispatch: dict[str, Callable[[object, Setting], str]] = field(
        init=False, repr=False, compare=False
    )
    #: per family (by id: families live as long as the fontset), the
    #: characters known to be drawn in that family whatever their neighbours
    _homes: dict[int, set[str]] = field(default_factory=dict, init=False, repr=False, compare=False)
    #: pick_family's answers, which depend only on (family, char, latin)
    _picks: dict[tuple[int, str, bool], Family | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        dispatch = {
            Text.kind: self._text,
            Strong.kind: self._strong,
            Emphasis.kind: self._emphasis,
            Code.kind: self._code,
            Link.kind: self._link,
            NoteRef.kind: self._note_ref,
            LineBreak.kind: self._line_break,
        }
        object.__setattr__(self, "_dispatch", dispatch)

    def markup(
        self,
        nodes: tuple[Inline, ...],
        family: Family,
        where: str = "the document",
        weight: tuple[bool, bool] = (False, False),
    ) -> str:
        """Markup for ``nodes`` set in ``family`` (``weight``: bold, italic
        of the style's face); ``where`` names the block in glyph errors."""
        return self._markup(nodes, Setting(family, where, *weight))

    def text(self, text: str, family: Family, where: str = "the document") -> str:
        """Escaped ``text`` with runs the family lacks wrapped in a font
        that has them."""
        return self._text_in(text, Setting(family, where))

    def _markup(self, nodes: tuple[Inline, ...], setting: Setting) -> str:
        parts = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            if isinstance(node, NoteRef) and i and isinstance(nodes[i - 1], NoteRef):
                parts.append(f"<super>{notes.SEPARATOR}</super>")  # 5,6 rather than 56
            end = _glued_marks(nodes, i)
            if isinstance(node, Text) and end > i + 1:  # a text and the marks glued to it
                marks = self._markup(nodes[i + 1 : end], setting)
                parts.append(self._text(node, setting, marks))
            else:
                parts.append(self._node(node, setting))
            i = end
        return "".join(parts)

    def _node(self, node: Inline, setting: Setting) -> str:
        handler = self._dispatch.get(node.kind)
        if handler is None:
            raise RenderError(f"the PDF writer cannot draw inline node {node.kind!r}")
        return handler(node, setting)

    def _text_in(self, text: str, setting: Setting) -> str:
        text = clean(text)
        if self._all_home(text, setting.family):
            return escape(text)  # what the loop below makes of it, in one run
        runs: list[tuple[Family, list[str]]] = []
        latin = latin_faced(text)
        for i, ch in enumerate(text):
            fam = self._pick(setting.family, ch, i in latin)
            if fam is None:
                self._missing(ch, setting.where)
                continue
            if not fam.embedded:
                self.fontset.unembedded_used = True
            if runs and runs[-1][0] is fam:
                runs[-1][1].append(ch)
            else:
                runs.append((fam, [ch]))
        return "".join(self._run(fam, "".join(chars), setting) for fam, chars in runs)

    def _all_home(self, text: str, family: Family) -> bool:
        """True when every character of ``text`` is drawn in ``family``
        itself: English in the body face, the common case, then needs no
        character-by-character fallback (a 10,000-row table is millions of
        characters). Only for a family with no Latin partner, where the
        choice never depends on the neighbours (``latin_faced``)."""
        if not family.embedded or self.fontset.latin_partner(family) is not None:
            return False
        home = self._homes.setdefault(id(family), set())
        for ch in set(text).difference(home):
            if self._pick(family, ch, False) is not family:
                return False
            home.add(ch)
        return True

    def _pick(self, family: Family, ch: str, latin: bool) -> Family | None:
        key = (id(family), ch, latin)
        try:
            return self._picks[key]
        except KeyError:
            fam = self._picks[key] = pick_family(self.fontset, family, ch, latin)
            return fam

    def _run(self, fam: Family, chars: str, setting: Setting) -> str:
        body = escape(chars)
        if fam is setting.family:
            return body
        return f'<font name="{_face(fam, setting.bold, setting.italic)}">{body}</font>'

    def _missing(self, ch: str, where: str) -> None:
        # format characters (zero-width joiners and the like) are invisible,
        # so dropping them loses nothing; anything else must be reported
        if unicodedata.category(ch) == "Cf":
            return
        places = self.fontset.missing.setdefault(ch, [])
        if where not in places:
            places.append(where)

    # ------------------------------------------------------------------

    def _text(self, node: Text, setting: Setting, marks: str = "") -> str:
        """``node``'s markup: each of its unbreakable spans (``nobreak``) in
        a ``<nobr>``, which the CJK line breaker keeps whole (``_cjk``),
        with its spaces no-break spaces (Platypus breaks Latin lines only
        at spaces); ``marks``, the markup of note marks glued to the last
        character, inside the last span. Emphasis is drawn by script over
        the whole text (``layout.emphasis``), then cut at the spans."""
        spans = _with_marks(node, bool(marks))
        text = _no_break_spaces(node.text, spans)
        pieces: list[tuple[str, bool | None]] = [(text, None)]
        if setting.emphasis:
            pieces = list(emphasis.runs(text))
        if not spans:
            return "".join(self._piece(piece, cjk, setting) for piece, cjk in pieces)
        out = []
        for start, end, inside in _segments(len(text), spans):
            body = "".join(self._piece(p, cjk, setting) for p, cjk in _cut(pieces, start, end))
            tail = marks if inside and end == len(text) else ""
            out.append(f"<nobr>{body}{tail}</nobr>" if inside else body)
        return "".join(out)

    def _piece(self, piece: str, cjk: bool | None, setting: Setting) -> str:
        """A piece of text: plain (``cjk`` None) or emphasised by script."""
        if cjk is None:
            return self._text_in(piece, setting)
        return self._emphasised(piece, cjk, setting)

    def _emphasised(self, piece: str, cjk: bool, setting: Setting) -> str:
        """A Latin piece in italic; a CJK piece upright in the Kai face (CJK
        has no italic, see ``layout.emphasis``)."""
        if not cjk:
            return f"<i>{self._text_in(piece, replace(setting, italic=True))}</i>"
        kai = self.fontset.cjk_second or self.fontset.cjk
        upright = replace(setting, family=kai, italic=False)
        return (
            f'<font name="{_face(kai, setting.bold, False)}">{self._text_in(piece, upright)}</font>'
        )

    def _strong(self, node: Strong, setting: Setting) -> str:
        return f"<b>{self._markup(node.children, replace(setting, bold=True))}</b>"

    def _emphasis(self, node: Emphasis, setting: Setting) -> str:
        return self._markup(node.children, replace(setting, emphasis=True))

    def _code(self, node: Code, setting: Setting) -> str:
        mono = self.fontset.mono
        inner = self._text_in(node.text, replace(setting, family=mono))
        return f'<font name="{mono.regular}">{inner}</font>'

    def _link(self, node: Link, setting: Setting) -> str:
        inner = self._markup(node.children, setting)
        target = self._target(node.href)
        if target is None:
            return inner
        return f'<a href="{escape(target)}" color="{self.link_colour}">{inner}</a>'

    def _target(self, href: str) -> str | None:
        """The href to put in the PDF, or None for no live link."""
        if href.startswith("#"):
            key = self.anchors.get(href[1:])
            return f"#{key}" if key else None
        return href.strip() if is_safe_url(href) else None

    def _note_ref(self, node: NoteRef, setting: Setting) -> str:
        number = str(node.number)
        if node.number not in self.notes:
            return f"<super>{number}</super>"
        link = f'<a href="#{note_key(node.number)}" color="{self.link_colour}">{number}</a>'
        return f"<super>{link}</super>"

    def _line_break(self, node: LineBreak, setting: Setting) -> str:
        return "<br/>"


def _glued_marks(nodes: tuple[Inline, ...], i: int) -> int:
    """Past the note marks after ``nodes[i]``, a text, when the first is
    glued to it (``NoteRef.glued``); else ``i + 1``."""
    node, end = nodes[i], i + 1
    after = nodes[end] if end < len(nodes) else None
    if isinstance(node, Text) and node.text and isinstance(after, NoteRef) and after.glued:
        while end < len(nodes) and isinstance(nodes[end], NoteRef):
            end += 1
    return end


def _with_marks(node: Text, marks: bool) -> list[Span]:
    """``node``'s spans, the last one reaching its last character when
    note marks are glued to it."""
    spans = list(node.nobreak)
    size = len(node.text)
    if marks and not (spans and spans[-1][1] == size):
        spans.append((size - 1, size))
    return spans


def _no_break_spaces(text: str, spans: list[Span]) -> str:
    """``text`` with the spaces inside ``spans`` no-break spaces."""
    if not spans or " " not in text:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] == " ":
                chars[i] = NO_BREAK_SPACE
    return "".join(chars)


def _segments(size: int, spans: list[Span]) -> list[tuple[int, int, bool]]:
    """(start, end, inside a span) of each stretch of a text ``size`` long."""
    out: list[tuple[int, int, bool]] = []
    at = 0
    for start, end in spans:
        if start > at:
            out.append((at, start, False))
        out.append((start, end, True))
        at = end
    if at < size:
        out.append((at, size, False))
    return out


def _cut(
    pieces: list[tuple[str, bool | None]], start: int, end: int
) -> list[tuple[str, bool | None]]:
    """The parts of ``pieces`` (a text cut into runs) from ``start`` to ``end``."""
    out: list[tuple[str, bool | None]] = []
    at = 0
    for piece, cjk in pieces:
        lo, hi = max(start, at), min(end, at + len(piece))
        if lo < hi:
            out.append((piece[lo - at : hi - at], cjk))
        at += len(piece)
    return out


def _face(fam: Family, bold: bool, italic: bool) -> str:
    if bold:
        return fam.bold_italic if italic else fam.bold
    return fam.italic if italic else fam.regular


def weight_of(fam: Family, name: str) -> tuple[bool, bool]:
    """(bold, italic) of the face called ``name`` in ``fam`` (regular
    first: a one-weight family uses one name for several styles)."""
    for face, styles in (
        (fam.regular, (False, False)),
        (fam.bold, (True, False)),
        (fam.italic, (False, True)),
        (fam.bold_italic, (True, True)),
    ):
        if name == face:
            return styles
    return False, False


def note_key(number: int) -> str:
    """The PDF destination name of endnote ``number``."""
    return f"note-{number}"
