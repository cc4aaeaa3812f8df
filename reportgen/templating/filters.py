"""The filters templates print with, and the state they record into
(``RenderState``: figures printed, for provenance; text left untranslated;
the charts made, handed to the document model as nodes).
The environment they run in is ``reportgen.templating.environment``'s.

In section templates every printed value is escaped for Markdown; only
filters that mean to make markup (``cite``, ``series``, ``join``,
``bar_chart``, ``timeline_chart``) return ``MarkdownSafe``. Email templates
get the shared filters as plain text (``shared_filters``).
"""

from __future__ import annotations

import contextlib
import contextvars
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import jinja2

from .. import model as m
from ..data import units
from ..text import chart_text
from ..text import formatting as fmt
from ..text.mdtext import MarkdownSafe, escape, markup
from . import coverage
from .citations import Citations
from .context import Fact, LText


@dataclass
class RenderState:
    """What filters record while one brief renders."""

    citations: Citations
    printed: list[tuple[Fact, str]] = field(default_factory=list)
    #: data paths of text printed in English because the data lacks the
    #: brief's language (an ordered set)
    untranslated: dict[str, None] = field(default_factory=dict)
    #: the charts the chart filters made, by the key their place in the
    #: Markdown names (``::: chart KEY``); ``markup`` puts each in its place
    charts: dict[str, m.Chart] = field(default_factory=dict)


_STATE: contextvars.ContextVar[RenderState] = contextvars.ContextVar("reportgen_render_state")


def _state() -> RenderState:
    return _STATE.get()


@contextlib.contextmanager
def recording(state: RenderState) -> Iterator[None]:
    """Filters record into ``state`` while a template renders in the block."""
    token = _STATE.set(state)
    try:
        yield
    finally:
        _STATE.reset(token)


# --------------------------------------------------------------------------
# Filters


def _record(fact: Fact, text: str) -> str:
    state = _STATE.get(None)
    if state is not None:
        state.printed.append((fact, text))
    return text


def _value(item: Any) -> Any:
    return item.value if isinstance(item, Fact) else item


def note_language(value: Any) -> Any:
    """Note text fields the data lacks in the brief's language; ``value``
    passes through."""
    state = _STATE.get(None)
    if state is not None:
        for path in coverage.missing_in(value, state.citations.lang):
            state.untranslated[path] = None
    return value


def figure_text(fact: Fact, lang: str) -> str:
    """How the ``figure`` filter prints ``fact``."""
    note_language(fact.noun)
    return fmt.figure(
        fact.value, fact.unit, fact.qualifier, str(fact.noun), lang, fact.qualifier_word
    )


def _cites_of(items: Any) -> list[Any]:
    items = items if isinstance(items, (list, tuple)) else [items]
    cites = []
    for item in items:
        cite = getattr(item, "cite", None)
        if cite is None:
            raise jinja2.TemplateRuntimeError(f"cannot cite {item!r}: it has no source")
        cites.append(cite)
    return cites


def text_filters(lang: str) -> dict[str, Callable[..., Any]]:
    """Filters that print figures, years and words as plain text in the
    brief's language; any template (a section, an email body) can use them.
    Figures they print are recorded for the provenance sidecar."""

    def number(item: Any) -> str:
        text = fmt.number(_value(item), lang)
        return _record(item, text) if isinstance(item, Fact) else text

    def share(item: Any) -> str:
        text = fmt.share(_value(item), lang)
        return _record(item, text) if isinstance(item, Fact) else text

    def amount(fact: Fact) -> str:
        return _record(fact, fmt.amount(fact.value, fact.unit, lang))

    def figure(fact: Fact) -> str:
        return _record(fact, figure_text(fact, lang))

    return {
        "number": number,
        "amount": amount,
        "figure": figure,
        "compact": lambda fact: _record(
            fact, fmt.compact(fact.value, fact.unit, fact.qualifier, lang)
        ),
        "capfirst": lambda text: (
            MarkdownSafe(fmt.capfirst(text))
            if isinstance(text, MarkdownSafe)
            else fmt.capfirst(str(text))
        ),
        "share": share,
        "ordinal": lambda n: fmt.ordinal(int(n), lang),
        "year": lambda y: fmt.year(int(y), lang),
        "count": lambda n: fmt.count_word(_how_many(n), lang),
        "plural": lambda n, one, many=None, measure="": _plural(n, one, many, measure, lang),
        "noun": lambda n, one, many=None: _noun(n, one, many),
        "agree": lambda n, one, many: one if _how_many(n) == 1 else many,
    }


def _how_many(n: Any) -> int:
    """A count from a number or a list (the list's length)."""
    return len(n) if hasattr(n, "__len__") and not isinstance(n, str) else int(n)


def _plural(n: Any, one: Any, many: Any, measure: str, lang: str) -> str:
    """``{{ cases | plural(subject) }}`` -> 'three series'; or with words:
    ``{{ themes | plural("theme") }}`` -> 'one theme', 'two themes'. A
    subject (singular, plural, measure) from the data gives all three."""
    if hasattr(one, "singular"):
        one, many, measure = one.singular, one.plural, one.measure
    return fmt.plural(_how_many(n), str(one), None if many is None else str(many), measure, lang)


def _noun(n: Any, one: Any, many: Any) -> str:
    """The noun alone, agreeing with the count: ``{{ cases | noun(subject) }}``."""
    if hasattr(one, "singular"):
        one, many = one.singular, one.plural
    return fmt.noun_for(_how_many(n), str(one), None if many is None else str(many))


#: what a template writes, and so how a printed value is escaped: Markdown
#: for sections, nothing for the plain-text email, HTML for the email's HTML
Escaping = Literal["markdown", "plain", "html"]


def shared_filters(lang: str, escaping: Escaping) -> dict[str, Callable[..., Any]]:
    """The filters every template has, section or email: the text filters,
    series titles and joined lists (as Markdown in a section, as plain text
    in an email), the claims for an audience and the brief's date style."""
    markdown = escaping == "markdown"
    return {
        **text_filters(lang),
        "fits": _fits,
        "longdate": lambda iso: _longdate(str(iso), lang),
        "months_on": lambda iso, months: fmt.end_of_month_after(str(iso), int(months), lang),
        "series": lambda title: _series(title, lang) if markdown else _plain_series(title, lang),
        "join": lambda items, word=None: (
            MarkdownSafe(fmt.join_list([escape(item) for item in items], lang, word))
            if markdown
            else fmt.join_list([str(item) for item in items], lang, word)
        ),
    }


def _series(title: LText, lang: str) -> MarkdownSafe:
    """A series title: italic, with its Chinese original in English text."""
    if fmt.is_zh(lang):
        return markup("《{}》", title)
    if title.zh:
        return markup("*{}* ({})", title.en, title.zh)
    return markup("*{}*", title)


def _plain_series(title: Any, lang: str) -> str:
    """A series title with its Chinese original, as plain text (an email)."""
    if fmt.is_zh(lang):
        return f"《{title}》"
    original = getattr(title, "zh", "")
    return f"{title} ({original})" if original else str(title)


def make_filters(lang: str, labels: dict[str, str]) -> dict[str, Callable[..., Any]]:
    """The filters section templates use: the shared filters, plus those
    that make Markdown (notes, source lines, prose, charts)."""

    def cite(items: Any) -> MarkdownSafe:
        return MarkdownSafe(_state().citations.reference(_cites_of(items)))

    return {
        **shared_filters(lang, "markdown"),
        # 'Source: Liu and Jiang 2025, para. 3' under a box of figures, as
        # under a chart: a note mark after '2023' would read as a digit
        "source_line": lambda items: _source_line(list(items), labels),
        "prose": lambda text: _prose(text, lang),
        "cite": cite,
        "bar_chart": lambda facts, **kw: _bar_chart(list(facts), lang, labels, **kw),
        "timeline_chart": lambda events, **kw: _timeline_chart(list(events), lang, labels, **kw),
    }


def email_filters(lang: str) -> dict[str, Callable[..., Any]]:
    """The filters email bodies use: the shared ones (as plain text), file
    sizes, and wrapping for the text part."""
    return {
        **shared_filters(lang, "plain"),
        "filesize": lambda n: fmt.human_size(int(n), lang),
        "wrap": lambda text, width=72, indent="": _wrap(str(text), width, indent, lang),
    }


def _wrap(text: str, width: int, indent: str, lang: str) -> str:
    """Wrap English at spaces; leave Chinese alone, since it has no spaces
    to break at and mail clients wrap it well themselves."""
    if fmt.is_zh(lang):
        return text
    return textwrap.fill(
        text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )


def _fits(claims: Any, audience: str) -> list[Any]:
    """The claims written for ``audience`` and for the brief's edition: those
    tagged with both (or left untagged, which means every one), in data order."""
    edition = "zh" if fmt.is_zh(_state().citations.lang) else "en"
    return [
        c
        for c in claims
        if (not c.audiences or audience in c.audiences)
        and (not getattr(c, "languages", None) or edition in c.languages)
    ]


def _prose(text: Any, lang: str) -> MarkdownSafe:
    """A sentence from the data, escaped, with the series and publication
    titles it names in italics (English; Chinese text carries them in 《》
    already)."""
    escaped = escape(str(text))
    if fmt.is_zh(lang):
        return MarkdownSafe(escaped)
    data = _state().citations.data
    titles = [c.title.en for c in data.cases] + [s.publication.en for s in data.sources]
    for title in sorted({escape(t) for t in titles}, key=len, reverse=True):
        escaped = escaped.replace(title, f"*{title}*")
    return MarkdownSafe(escaped)


def _longdate(iso: str, lang: str) -> str:
    """The brief's date written as page one writes it, so a brief uses one
    date style throughout."""
    return fmt.date_text(iso, lang)


def _source_line(items: list[Any], labels: dict[str, str]) -> str:
    """'Source: Liu and Jiang 2025, paras. 3, 4' for the cites of ``items``."""
    citations = _state().citations
    by_source: dict[str, list[int]] = {}
    for cite in _cites_of(items):
        source_id = citations.data.source_id(cite) or ""
        paragraphs = by_source.setdefault(source_id, [])
        if cite.paragraph not in paragraphs:
            paragraphs.append(cite.paragraph)
    parts = [
        citations.locator_text(source_id, sorted(paras)) for source_id, paras in by_source.items()
    ]
    lang = citations.lang
    label = labels.get("source", "资料来源" if fmt.is_zh(lang) else "Source")
    return fmt.labelled(label, fmt.join_clauses(parts, lang), lang)


def _bar_chart(
    facts: list[Fact],
    lang: str,
    labels: dict[str, str],
    title: str = "",
    caption: str = "",
    unit: str = "",
) -> MarkdownSafe:
    """Bars on one axis in one unit, taken from the figures (units.axis_for);
    ``{unit}`` in the title is that unit in words."""
    try:
        axis = units.axis_for(facts, lang, title)
    except units.UnitMismatch as exc:
        raise jinja2.TemplateRuntimeError(str(exc)) from exc
    if unit and unit != axis.words:
        raise jinja2.TemplateRuntimeError(
            f"the chart '{title}' is drawn in {axis.words}, the unit its figures give; "
            f'remove unit="{unit}" (the axis takes its unit from the data)'
        )
    title = str(title).replace("{unit}", axis.words)
    points = []
    for fact in facts:
        label = _chart_text(fmt.capfirst(str(note_language(fact.label))), lang)
        if fact.year:
            year = fmt.year(fact.year, lang)
            label = _then(label, f"（{year}）" if fmt.is_zh(lang) else f", {year}")
        display = _record(fact, figure_text(fact, lang))
        points.append(m.ChartPoint(label, float(axis.value(fact)), display))
    said = [(p.label, m.ChartText.of(p.display)) for p in points]
    source = _source_line(facts, labels)
    chart = _chart(
        "bar", title, points, said, caption=caption, source=source, lang=lang, unit=axis.words
    )
    return _placed(chart, said)


def _timeline_chart(
    events: list[Any], lang: str, labels: dict[str, str], title: str = "", caption: str = ""
) -> MarkdownSafe:
    points = [
        m.ChartPoint(
            m.ChartText.of(fmt.year(e.year, lang)),
            float(e.year),
            note=_chart_text(str(note_language(e.event)), lang),
        )
        for e in events
    ]
    said = [(p.label, p.note) for p in points]
    source = _source_line(events, labels)
    chart = _chart("timeline", str(title), points, said, caption=caption, source=source, lang=lang)
    return _placed(chart, said)


def _chart_text(text: str, lang: str) -> m.ChartText:
    """A label or note of a chart from the data's words, the series titles
    it names written as the brief's text writes titles of works: an italic
    run in English, in 《》 in Chinese (the ``series`` filter's rule)."""
    titles = [case.title.get(lang) for case in _state().citations.data.cases]
    pieces = chart_text.title_spans(text, titles)
    if not fmt.is_zh(lang):
        return m.ChartText(tuple(m.ChartRun(piece, italic) for piece, italic in pieces))
    written = ""
    for i, (piece, is_title) in enumerate(pieces):
        after = pieces[i + 1][0] if i + 1 < len(pieces) else ""
        in_marks = written.endswith("《") and after.startswith("》")  # as the data wrote it
        written += _plain_series(piece, lang) if is_title and not in_marks else piece
    return m.ChartText.of(written)


def _then(text: m.ChartText, more: str) -> m.ChartText:
    """``text`` followed by ``more``, upright."""
    return m.ChartText((*text.runs, m.ChartRun(more)))


#: one point of a chart in words: what it is (its label; a timeline's
#: year) and what it says (the value shown; the event)
Said = tuple[m.ChartText, m.ChartText]


def _chart(
    chart_type: str,
    title: str,
    points: list[m.ChartPoint],
    said: list[Said],
    *,
    caption: Any,
    source: str,
    lang: str,
    unit: str = "",
) -> m.Chart:
    """The chart node; its text alternative is the title, then each point
    in ``said`` in plain words, punctuated as the chart's language is."""
    words = [fmt.labelled(what.text, says.text, lang) for what, says in said]
    alt = fmt.labelled(title, fmt.join_clauses(words, lang), lang)
    return m.Chart(chart_type, title, tuple(points), str(caption), source, alt, unit, lang)


def _placed(chart: m.Chart, said: list[Said]) -> MarkdownSafe:
    """``chart`` recorded in the render state, and the Markdown that stands
    where it goes: a ``::: chart KEY`` box, which ``markup`` replaces with
    the recorded node. What the box holds is for a reader of the Markdown
    file: the title, each point of ``said`` in words (titles of works in
    italics, as the text around it has them), the caption, the source."""
    charts = _state().charts
    key = str(len(charts) + 1)
    charts[key] = chart
    shown: list[str] = [markup("**{}**", chart.title)] if chart.title.strip() else []
    points = [fmt.labelled(_markdown(what), _markdown(says), chart.lang) for what, says in said]
    shown.append("\n".join(f"- {point}" for point in points))
    shown += [escape(chart.caption)] if chart.caption.strip() else []
    shown += [markup("*{}*", chart.source)] if chart.source.strip() else []
    return MarkdownSafe(f"\n::: chart {key}\n" + "\n\n".join(shown) + "\n:::\n")


def _markdown(text: m.ChartText) -> str:
    """Chart text as Markdown: its italic runs in emphasis."""
    return "".join(
        markup("*{}*", run.text) if run.italic else escape(run.text) for run in text.runs
    )


def sources_used() -> list[dict[str, Any]]:
    """The sources cited so far (call it in the last section), each with its
    Markdown entry and the paragraphs cited."""
    citations = _state().citations
    return [
        {
            "id": use.source.id,
            "entry": citations.entry(use.source),
            "paragraphs": citations.paragraphs_text(use),
            "location": use.source.text_location,
            "note": use.source.note.get(citations.lang) if use.source.note else "",
        }
        for use in citations.used()
    ]
