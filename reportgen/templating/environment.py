"""The one factory of Jinja2 environments, and rendering with errors that
name the template and line.

Templates are untrusted (organisations bring their own), so every one runs
in the guarded sandbox (``GuardedSandbox``) with strict undefined values and
a finaliser that refuses to print a figure without a filter. The brief's
sections and the newsletter's bodies differ only in what their templates
write (``Escaping``): Markdown for sections (every printed value escaped),
plain text for the email's text part, HTML (autoescaped) for its HTML part.
Templates are found with Jinja's own lookup (``select_template``): a
language's own template first, then the shared one (``localised``).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import ReportgenError, TemplateError
from ..files import limits
from ..text.mdtext import MarkdownSafe, escape
from . import cache as templatecache
from .context import Fact
from .errors import DataUndefined, DataUndefinedError, explain_syntax, strict_filter
from .filters import (
    Escaping,
    RenderState,
    email_filters,
    make_filters,
    note_language,
    recording,
    sources_used,
)
from .sandbox import ConfinedLoader, ResourceGuard, bounded_render

__all__ = ["Escaping", "GuardedSandbox", "make_environment", "render", "render_string"]


def _printable(value: Any) -> Any:
    """What every template may print: a figure only through a filter (which
    records it for provenance), and nothing for None."""
    if isinstance(value, Fact):
        raise jinja2.TemplateRuntimeError(
            f"'{value.path}' is a figure: print it through a filter, "
            f"e.g. {{{{ {value.path} | figure }}}}"
        )
    return "" if value is None else value


def _finalize(value: Any) -> str:
    """Section templates write Markdown: every printed value is escaped."""
    return escape(_printable(value))


class GuardedSandbox(ResourceGuard):
    """The sandbox with the resource guard of ``reportgen.templating.sandbox``: bounded
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
        return note_language(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        return note_language(super().getitem(obj, argument))


def make_environment(
    folders: list[Path],
    lang: str,
    labels: dict[str, str],
    escaping: Escaping = "markdown",
) -> SandboxedEnvironment:
    """The one factory of template environments: sandboxed and guarded,
    strict about undefined values, looking in ``folders`` in order (a
    user's folder overlays the built-in one). ``escaping`` says what the
    templates write: Markdown (sections), plain text or HTML (an email)."""
    markdown = escaping == "markdown"
    env = (BriefEnvironment if markdown else GuardedSandbox)(
        loader=ConfinedLoader([str(f) for f in folders]),
        undefined=DataUndefined,  # a missing figure or field named by its data path
        finalize=_finalize if markdown else _printable,
        autoescape=escaping == "html",
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.do"],
    )
    filters = make_filters(lang, labels) if markdown else email_filters(lang)
    # an undefined value stops at the filter it is given to, with a message
    # naming the data path (not a TypeError from the formatting)
    env.filters.update({k: strict_filter(f) for k, f in filters.items()})
    env.globals["sources_used"] = sources_used
    # templates compiled once per machine, not once per run (templatecache
    # keys each entry by everything set above)
    env.bytecode_cache = templatecache.for_environment(env)
    return env


def localised(folder: str, name: str, lang: str) -> list[str]:
    """Where a template is looked for: the language's own first
    (``sections/zh/x.md.j2``), then the shared one (``sections/x.md.j2``)."""
    return [f"{folder}/{lang}/{name}", f"{folder}/{name}"]


def render(
    env: SandboxedEnvironment,
    names: str | Sequence[str],
    context: dict[str, Any],
    state: RenderState,
    missing: ReportgenError | None = None,
) -> str:
    """Render the first of ``names`` the folders hold (Jinja's own
    ``select_template``) within the time and size limits; template faults
    become TemplateError naming the template and line. ``missing`` is
    raised when none of them exists (else a TemplateError says so)."""
    candidates = [names] if isinstance(names, str) else list(names)

    def load() -> jinja2.Template:
        try:
            return env.select_template(candidates)
        except jinja2.TemplatesNotFound as exc:
            if missing is None:
                raise
            raise missing from exc

    return _guarded(load, candidates[-1], context, state)


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
    budget = limits.current()
    found = name
    try:
        with recording(state):
            template = load()
            found = template.name or name  # the one found, for the messages
            with limits.time_budget(budget.render_seconds):
                return bounded_render(
                    lambda: _bounded(template.generate(context), budget.section_chars, found)
                )
    except RecursionError:
        # an include, import or extends that leads back to itself
        raise TemplateError(
            "recurses without end: an include, import, extends or macro leads back to "
            "itself; break the cycle",
            found,
        ) from None
    except (limits.TimeBudgetExceeded, jinja2.TemplateError, *_VALUE_FAULTS) as exc:
        error = _template_error(exc, found, budget.render_seconds)
        if error is None:
            raise
        raise error from exc


#: an expression in a template that misuses a value (adds a list to a
#: string, divides by zero): the template's fault when a template line holds it
_VALUE_FAULTS = (TypeError, ValueError, ArithmeticError, LookupError, AttributeError)


def _template_error(exc: BaseException, name: str, seconds: float) -> TemplateError | None:
    """The located message of a fault in template ``name``; None for a
    fault no template line holds (a bug, which keeps its traceback)."""
    file, line = _template_position(exc)
    if isinstance(exc, limits.TimeBudgetExceeded):
        return TemplateError(
            f"took longer than {seconds} s to render; check its loops "
            "(or raise REPORTGEN_MAX_RENDER_SECONDS)",
            name,
        )
    if isinstance(exc, jinja2.TemplateSyntaxError):
        message = explain_syntax(exc, _filter_names())
        return TemplateError(message, _origin(exc.filename, name), exc.lineno)
    if isinstance(exc, jinja2.TemplatesNotFound):
        tried = ", ".join(str(n) for n in exc.templates)
        return TemplateError(f"none of the templates {tried} is in the templates folders")
    if isinstance(exc, jinja2.TemplateNotFound):
        return TemplateError(f"template '{exc.name}' not found in the templates folders")
    if isinstance(exc, UnicodeDecodeError):
        return TemplateError("is not UTF-8; save the template as UTF-8", name)
    if isinstance(exc, SecurityError):
        return TemplateError(f"blocked by the sandbox: {exc}", _origin(file, name), line)
    if isinstance(exc, jinja2.TemplateRuntimeError):
        return TemplateError(f"{exc}{_undefined_hint(exc)}", _origin(file, name), line)
    if isinstance(exc, _VALUE_FAULTS) and file is not None:
        return TemplateError(f"{type(exc).__name__}: {exc}", _origin(file, name), line)
    return None


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
