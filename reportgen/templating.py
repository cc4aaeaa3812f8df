"""The Jinja2 side: the sandboxed environment, its filters, and rendering a
section to Markdown with errors that name the template and line.

Templates are untrusted (organisations bring their own), so they run in
Jinja2's SandboxedEnvironment with StrictUndefined. Every printed value is
escaped for Markdown by ``finalize``; only filters that mean to make markup
(``cite``, ``series``, ``join``, ``bar_chart``, ``timeline_chart``) return
``MarkdownSafe``.
"""

from __future__ import annotations

import contextvars
import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from . import chart_text, coverage, limits, units
from . import formatting as fmt
from .citations import Citations
from .context import Fact, LText
from .errors import TemplateError
from .mdtext import MarkdownSafe, escape, markup
from .page import date_text
from .sandbox import ConfinedLoader, ResourceGuard, bounded_render
from .template_errors import DataUndefined, DataUndefinedError, explain_syntax, strict_filter


@dataclass
class RenderState:
    """What filters record while one brief renders."""

    citations: Citations
    printed: list[tuple[Fact, str]] = field(default_factory=list)
    #: data paths of text printed in English because the data lacks the
    #: brief's language (an ordered set)
    untranslated: dict[str, None] = field(default_factory=dict)


_STATE: contextvars.ContextVar[RenderState] = contextvars.ContextVar("reportgen_render_state")


def _state() -> RenderState:
    return _STATE.get()


# --------------------------------------------------------------------------
# Filters


def _record(fact: Fact, text: str) -> str:
    state = _STATE.get(None)
    if state is not None:
        state.printed.append((fact, text))
    return text


def _value(item: Any) -> Any:
    return item.value if isinstance(item, Fact) else item


def _note_language(value: Any) -> Any:
    """Note text fields the data lacks in the brief's language; ``value``
    passes through."""
    state = _STATE.get(None)
    if state is not None:
        for path in coverage.missing_in(value, state.citations.lang):
            state.untranslated[path] = None
    return value


def figure_text(fact: Fact, lang: str) -> str:
    """How the ``figure`` filter prints ``fact``."""
    _note_language(fact.noun)
    return fmt.figure(fact.value, fact.unit, fact.qualifier, str(fact.noun), lang)


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


def make_filters(lang: str, labels: dict[str, str]) -> dict[str, Callable[..., Any]]:
    """The filters section templates use: the text filters, plus those that
    make Markdown (lists joined with escaping, notes, titles, charts)."""

    def cite(items: Any) -> MarkdownSafe:
        return MarkdownSafe(_state().citations.reference(_cites_of(items)))

    def series(title: LText) -> MarkdownSafe:
        """A series title: italic, with its Chinese original in English text."""
        if fmt.is_zh(lang):
            return markup("《{}》", title)
        if title.zh:
            return markup("*{}* ({})", title.en, title.zh)
        return markup("*{}*", title)

    return {
        **text_filters(lang),
        "fits": _fits,
        # 'Source: Liu and Jiang 2025, para. 3' under a box of figures, as
        # under a chart: a note mark after '2023' would read as a digit
        "source_line": lambda items: _source_line(list(items), labels),
        "prose": lambda text: _prose(text, lang),
        "longdate": lambda iso: _longdate(str(iso), lang),
        "join": lambda items, word=None: MarkdownSafe(
            fmt.join_list([escape(item) for item in items], lang, word)
        ),
        "cite": cite,
        "series": series,
        "bar_chart": lambda facts, **kw: _bar_chart(list(facts), lang, labels, **kw),
        "timeline_chart": lambda events, **kw: _timeline_chart(list(events), lang, labels, **kw),
    }


def _fits(claims: Any, audience: str) -> list[Any]:
    """The claims written for ``audience``: those tagged with it and those
    tagged with none (every audience's), in data order."""
    return [c for c in claims if not c.audiences or audience in c.audiences]


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
    return date_text(iso, lang)


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
    if fmt.is_zh(citations.lang):
        return f"{labels.get('source', '资料来源')}：{'；'.join(parts)}"
    return f"{labels.get('source', 'Source')}: {'; '.join(parts)}"


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
    title = title.replace("{unit}", axis.words)
    points = []
    for fact in facts:
        label = _titles_in_italics(fmt.capfirst(str(_note_language(fact.label))), lang)
        if fact.year:
            year = fmt.year(fact.year, lang)
            label += f"（{year}）" if fmt.is_zh(lang) else f", {year}"
        points.append(
            {
                "label": label,
                "value": axis.value(fact),
                "display": _record(fact, figure_text(fact, lang)),
            }
        )
    alt = f"{title}: " + "; ".join(
        f"{chart_text.plain(p['label'])}: {p['display']}" for p in points
    )
    source = _source_line(facts, labels)
    return _chart_block("bar", title, caption, alt, axis.words, points, source)


def _timeline_chart(
    events: list[Any], lang: str, labels: dict[str, str], title: str = "", caption: str = ""
) -> MarkdownSafe:
    points = [
        {
            "label": fmt.year(e.year, lang),
            "value": float(e.year),
            "note": _titles_in_italics(str(_note_language(e.event)), lang),
        }
        for e in events
    ]
    alt = f"{title}: " + "; ".join(f"{p['label']}: {chart_text.plain(p['note'])}" for p in points)
    return _chart_block("timeline", title, caption, alt, "", points, _source_line(events, labels))


def _titles_in_italics(text: str, lang: str) -> str:
    """Series titles the data names, marked italic in English chart text
    (Chinese text carries them in 《》 already)."""
    if fmt.is_zh(lang):
        return text
    cases = _state().citations.data.cases
    return chart_text.mark_titles(text, [case.title.en for case in cases])


def _chart_block(
    chart_type: str,
    title: str,
    caption: str,
    alt: str,
    unit: str,
    points: list[dict[str, Any]],
    source: str,
) -> MarkdownSafe:
    """A fenced ``chart`` block that ``markup`` turns into a Chart node."""
    spec = {
        "type": chart_type,
        "title": title,
        "caption": caption,
        "alt": alt,
        "unit": unit,
        "source": source,
        "points": points,
    }
    body = json.dumps(spec, ensure_ascii=False, default=str)
    return MarkdownSafe(f"\n```chart\n{body}\n```\n")


def _sources_used() -> list[dict[str, Any]]:
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


# --------------------------------------------------------------------------
# The environment


def _finalize(value: Any) -> str:
    if isinstance(value, Fact):
        raise jinja2.TemplateRuntimeError(
            f"'{value.path}' is a figure: print it through a filter, "
            f"e.g. {{{{ {value.path} | figure }}}}"
        )
    return escape("" if value is None else value)


class GuardedSandbox(ResourceGuard):
    """The sandbox with the resource guard of ``reportgen.sandbox``: bounded
    strings, numbers and macro depth. Every environment that runs a user's
    template is one of these."""


class BriefEnvironment(GuardedSandbox):
    """The environment of section templates, which render Markdown."""

    @staticmethod
    def concat(parts: Any) -> MarkdownSafe:
        """What a macro or a ``{% set %}`` block renders is template output,
        already escaped: mark it so printing it does not escape it twice."""
        return MarkdownSafe("".join(parts))

    # Every field a template reads passes here: note the ones printed in
    # English because the data has no text in the brief's language.
    def getattr(self, obj: Any, attribute: str) -> Any:
        return _note_language(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return _note_language(super().getitem(obj, argument))


def make_environment(
    folders: list[Path], lang: str, labels: dict[str, str]
) -> SandboxedEnvironment:
    """A sandboxed environment that looks in ``folders`` in order, so a
    user's folder overlays the built-in one."""
    env = BriefEnvironment(
        loader=ConfinedLoader([str(f) for f in folders]),
        undefined=DataUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    # an undefined value stops at the filter it is given to, with a message
    # naming the data path (not a TypeError from the formatting)
    env.filters.update({k: strict_filter(f) for k, f in make_filters(lang, labels).items()})
    env.globals["sources_used"] = _sources_used
    return env


def render(
    env: SandboxedEnvironment, name: str, context: dict[str, Any], state: RenderState
) -> str:
    """Render template ``name`` within the time and size limits; template
    faults become TemplateError naming the template and line."""
    return _guarded(lambda: env.get_template(name), name, context, state)


def render_string(
    env: SandboxedEnvironment,
    source: str,
    context: dict[str, Any],
    state: RenderState,
    origin: str,
) -> str:
    """Render a one-line template held in a profile (a title, a subtitle)
    under the same rules, limits and error messages as a section."""
    return str(_guarded(lambda: env.from_string(source), origin, context, state))


def _guarded(
    load: Callable[[], jinja2.Template], name: str, context: dict[str, Any], state: RenderState
) -> str:
    token = _STATE.set(state)
    budget = limits.current()
    try:
        template = load()
        with limits.time_budget(budget.render_seconds):
            return bounded_render(
                lambda: _bounded(template.generate(context), budget.section_chars, name)
            )
    except limits.TimeBudgetExceeded as exc:
        raise TemplateError(
            f"took longer than {budget.render_seconds} s to render; check its loops "
            "(or raise REPORTGEN_MAX_RENDER_SECONDS)",
            name,
        ) from exc
    except RecursionError:
        # an include, import or extends that leads back to itself
        raise TemplateError(
            "recurses without end: an include, import, extends or macro leads back to "
            "itself; break the cycle",
            name,
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            explain_syntax(exc, _filter_names()), _origin(exc.filename, name), exc.lineno
        ) from exc
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template '{exc.name}' not found in the templates folders") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError("is not UTF-8; save the template as UTF-8", name) from exc
    except SecurityError as exc:
        file, line = _template_position(exc)
        raise TemplateError(f"blocked by the sandbox: {exc}", _origin(file, name), line) from exc
    except (jinja2.UndefinedError, jinja2.TemplateRuntimeError) as exc:
        file, line = _template_position(exc)
        hint = _undefined_hint(exc)
        raise TemplateError(f"{exc}{hint}", _origin(file, name), line) from exc
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as exc:
        # An expression in the template misuses a value (adds a list to a
        # string, divides by zero): the template's fault, located.
        file, line = _template_position(exc)
        if file is None:
            raise
        raise TemplateError(f"{type(exc).__name__}: {exc}", _origin(file, name), line) from exc
    finally:
        _STATE.reset(token)


def _origin(file: str | None, name: str) -> str:
    """A template's file, or what holds it when it came from a string."""
    return name if file in (None, "<template>") else file


def _bounded(chunks: Any, limit: int, name: str) -> str:
    """Join streamed output, stopping as soon as it passes ``limit``."""
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise TemplateError(
                f"renders more than {limit:,} characters, over the limit; check its "
                "loops (or raise REPORTGEN_MAX_SECTION_CHARS)",
                name,
            )
        parts.append(chunk)
    return "".join(parts)


def _template_position(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line of the innermost template frame: Jinja
    rewrites tracebacks so that template frames carry template lines."""
    found: tuple[str | None, int | None] = (None, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".j2", ".md", ".jinja")) or "<template>" in frame.filename:
            found = (frame.filename, frame.lineno)
    return found


def _filter_names() -> list[str]:
    """Every filter a section template may use: Jinja's and ours."""
    return sorted({*jinja2.filters.FILTERS, *make_filters("en", {})})


def _undefined_hint(exc: Exception) -> str:
    if isinstance(exc, DataUndefinedError):
        return ""  # names the data path and what is there: complete
    if isinstance(exc, jinja2.UndefinedError):
        return "; check the spelling, or see the variables in the README"
    return ""
