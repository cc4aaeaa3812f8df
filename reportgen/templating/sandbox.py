"""The resource guard of the template sandbox: how long a string a template
may build, how deep it may recurse, and which files it may read.

Jinja2's sandbox stops a template reaching Python internals, but not
exhausting the machine with ordinary operations: ``'x'.ljust(3*10**9)``,
``'%0999999999d' % 1``, ``'x'|center(10**9)``, or a loop that doubles a
string. The guard bounds every string (and list) a template builds, by
``REPORTGEN_MAX_STRING_CHARS``:

- before an operation whose result size can be known in advance (padding
  to a width, repetition, ``replace``, ``join``, ``translate``, format
  widths in ``%``, ``format`` and the ``format`` filter), from its
  arguments, so the huge string is never allocated;
- after every other method call, filter, ``+``, ``~`` and the output of a
  ``{% set %}`` block or macro, which at most double strings already
  within the bound.

Macro calls nest at most ``REPORTGEN_MAX_TEMPLATE_DEPTH`` deep; includes,
imports and ``extends`` that recurse end in Python's RecursionError, which
``templating`` reports. Templates are read by ``ConfinedLoader``: regular
files inside their folder, never through a link that leaves it.
"""

from __future__ import annotations

import contextvars
import functools
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from jinja2.runtime import Macro
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from ..errors import TemplateError
from ..files import limits
from ..files.safe_io import read_bounded

#: the largest integer a template may build, in bits (a number of 30,000
#: digits is already absurd; Python refuses to print over 4,300)
MAX_INT_BITS = 100_000

_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("reportgen_macro_depth", default=0)
_BOUND: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "reportgen_string_bound", default=None
)
_MOST_DEPTH: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "reportgen_most_depth", default=None
)


def bound() -> int:
    """The longest string a template may build now."""
    value = _BOUND.get()
    return value if value is not None else limits.current().string_chars


def bounded_render(render: Callable[[], Any]) -> Any:
    """Run ``render`` with the bound read once from the environment (not
    once per operation) and the macro depth counted from zero."""
    current = limits.current()
    token = _BOUND.set(current.string_chars)
    most = _MOST_DEPTH.set(current.template_depth)
    depth = _DEPTH.set(0)
    try:
        return render()
    finally:
        _BOUND.reset(token)
        _MOST_DEPTH.reset(most)
        _DEPTH.reset(depth)


def _too_long(size: int, what: str) -> SecurityError:
    return SecurityError(
        f"{what} would build a text of {size:,} characters, over the limit of {bound():,} "
        "(REPORTGEN_MAX_STRING_CHARS)"
    )


def check_size(size: int, what: str) -> None:
    if size > bound():
        raise _too_long(size, what)


def check_result(value: Any, what: str) -> Any:
    """Refuse a value a template built that is over the bound."""
    if isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > bound():
        raise _too_long(len(value), what)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_BITS:
        raise SecurityError(f"{what} built a number of over {MAX_INT_BITS:,} bits")
    return value


# --------------------------------------------------------------------------
# Sizes known before the operation


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _padding(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    width = args[0] if args else kwargs.get("width", 0)
    return max(len(text), _int(width))


def _replace(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    if len(args) < 2 or not isinstance(args[0], str) or not isinstance(args[1], str):
        return len(text)
    old, new = args[0], args[1]
    count = text.count(old) if old else len(text) + 1
    if len(args) > 2 and _int(args[2]) >= 0:
        count = min(count, _int(args[2]))
    return len(text) + count * (len(new) - len(old))


def _join_size(separator: str, items: list[Any]) -> int:
    sizes = [len(item) if isinstance(item, str) else 0 for item in items]
    return sum(sizes) + len(separator) * max(len(items) - 1, 0)


def _translate(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    table = args[0] if args else None
    if not isinstance(table, dict):
        return len(text)
    longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
    return len(text) * max(longest, 1)


def _expandtabs(text: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    size = args[0] if args else kwargs.get("tabsize", 8)
    return len(text) + text.count("\t") * max(_int(size), 0)


_STR_SIZES: dict[str, Callable[[str, tuple[Any, ...], dict[str, Any]], int]] = {
    "ljust": _padding,
    "rjust": _padding,
    "center": _padding,
    "zfill": _padding,
    "replace": _replace,
    "translate": _translate,
    "expandtabs": _expandtabs,
}

#: a %-conversion: its width and precision (digits or '*')
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")


def _numbers_in(values: Any) -> list[int]:
    if isinstance(values, dict):
        values = list(values.values())
    elif not isinstance(values, (list, tuple)):
        values = [values]
    return [_int(v) for v in values]


def check_percent(template: str, values: Any, what: str = "'%' formatting") -> None:
    """Refuse ``'%0999999999d' % 1`` before Python builds the string."""
    for match in _PERCENT.finditer(template):
        for part in match.groups():
            if part == "*":
                sizes = _numbers_in(values)
                check_size(max(sizes, default=0), what)
            elif part:
                check_size(_digits_value(part), what)


def _digits_value(text: str) -> int:
    # a width longer than the bound's own digits is over it (and Python
    # refuses to convert over 4,300 digits)
    return int(text) if len(text) <= 18 else 10**18


def check_format(template: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse ``'{:>999999999}'.format(1)`` before Python builds it."""
    for digits in _DIGITS.findall(_format_specs(template)):
        check_size(_digits_value(digits), "format()")
    if "{" in _format_specs(template):  # a width given as an argument
        check_size(max(_numbers_in([*args, *kwargs.values()]), default=0), "format()")


def _format_specs(template: str) -> str:
    """The format specs of ``template`` ('>10' of '{:>10}'), joined."""
    import _string

    try:
        parts = list(_string.formatter_parser(template))
    except ValueError:
        return ""
    return " ".join(spec or "" for _, _, spec, _ in parts)


# --------------------------------------------------------------------------
# Filters


def _filter_sizes(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Checks before the built-in filters that can build long strings."""
    value = args[0] if args else None
    rest = args[1:]
    if name == "center" and isinstance(value, str):
        check_size(_padding(value, rest, kwargs), "the center filter")
    elif name == "indent" and isinstance(value, str):
        width = rest[0] if rest else kwargs.get("width", 4)
        step = len(width) if isinstance(width, str) else _int(width)
        check_size(len(value) + (value.count("\n") + 1) * step, "the indent filter")
    elif name == "format" and isinstance(value, str):
        check_percent(value, list(rest) + list(kwargs.values()), "the format filter")
    elif name == "replace" and isinstance(value, str):
        check_size(_replace(value, rest, kwargs), "the replace filter")
    elif name in ("batch", "slice"):
        # batch(10**9, 'x') pads a list to 10**9 items; slice(10**9) makes
        # 10**9 lists
        count = rest[0] if rest else kwargs.get("linecount", kwargs.get("slices", 0))
        check_size(_int(count), f"the {name} filter")
    elif name == "sum" and isinstance(value, (list, tuple)):
        # sum(start=[]) concatenates every item into one list
        check_size(sum(len(v) for v in value if isinstance(v, (str, list, tuple))), "sum")


def guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with its result bounded (and its size checked first
    where it can be): a filter registered by anyone is guarded."""
    if getattr(function, "_reportgen_guarded", False):
        return function

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        # the context or environment a filter asks for comes first
        plain = args[1:] if _passes_arg(function) else args
        _filter_sizes(name, plain, kwargs)
        if name == "join" and plain:
            args = _checked_join(args, plain, kwargs)
        return check_result(function(*args, **kwargs), f"the {name} filter")

    guarded._reportgen_guarded = True  # type: ignore[attr-defined]
    return guarded


def _checked_join(
    args: tuple[Any, ...], plain: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, ...]:
    """The join filter's arguments, its items read (a generator is read
    once, here) and their joined size checked before joining."""
    items = plain[0]
    if _is_lazy(items):
        items = list(items)
        check_result(items, "the join filter")
        args = (*args[: len(args) - len(plain)], items, *plain[1:])
    if isinstance(items, (list, tuple)):
        separator = plain[1] if len(plain) > 1 else kwargs.get("d", "")
        check_size(_join_size(str(separator), list(items)), "the join filter")
    return args


def _is_lazy(value: Any) -> bool:
    """An iterable whose length is unknown until read (a generator)."""
    return hasattr(value, "__iter__") and not isinstance(value, (str, list, tuple, dict))


def _passes_arg(function: Callable[..., Any]) -> bool:
    return getattr(function, "jinja_pass_arg", None) is not None


class GuardedFilters(dict[str, Callable[..., Any]]):
    """The filters mapping of a guarded environment: every filter put in
    it, now or later, is wrapped by ``guard_filter``."""

    def __setitem__(self, name: str, function: Any) -> None:
        super().__setitem__(name, guard_filter(name, function))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, function in dict(*args, **kwargs).items():
            self[name] = function


# --------------------------------------------------------------------------
# The environment


class _GuardedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` and the output of blocks and macros through the
    guard (Jinja2 joins them with plain functions no sandbox sees). It is
    the environment's ``code_generator_class``, and overrides two of the
    code generator's own steps, reading none of the code it writes."""

    def visit_Concat(self, node: Any, frame: Any) -> None:
        self.write("environment.guard_value(")
        super().visit_Concat(node, frame)
        self.write(", '~')")

    def write_commons(self) -> None:
        # Every render and block function opens with these lines, one of
        # which binds the local ``concat`` that joins the output of a macro,
        # a {% set %} block, a filter block and a call block: bound again
        # after them, each joins through the guard
        # (test_sandbox checks the compiled code binds it so).
        super().write_commons()
        self.writeline("concat = environment.guarded_concat")


class ResourceGuard(SandboxedEnvironment):
    """A sandbox that bounds what templates build (see the module
    docstring). Every environment that runs a user's template is one."""

    code_generator_class = _GuardedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        guarded = GuardedFilters()
        guarded.update(self.filters)
        self.filters = guarded
        # lipsum(n=10**6) builds hundreds of megabytes of filler in one
        # call, before any check could see it; no brief needs filler text
        self.globals.pop("lipsum", None)

    def guard_value(self, value: Any, what: str) -> Any:
        return check_result(value, what)

    def guarded_concat(self, parts: Any) -> Any:
        return check_result(self.concat(parts), "a block or macro")

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 100:
                raise SecurityError(f"the power {left!r} ** {right!r} is too large")
        elif operator == "*":
            count = _repeat_size(left, right)
            if count is not None:
                check_size(count, "repeating a value")
        elif operator == "%" and isinstance(left, str):
            check_percent(left, right)
        result = super().call_binop(context, operator, left, right)
        return check_result(result, f"'{operator}'")

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(__obj, Macro):
            return __self._call_macro(__context, __obj, args, kwargs)
        target = getattr(__obj, "__self__", None)
        name = getattr(__obj, "__name__", "")
        if isinstance(target, str):
            if name in _STR_SIZES:
                check_size(_STR_SIZES[name](target, args, kwargs), f"str.{name}()")
            elif name == "join" and args:
                items = list(args[0])
                check_size(_join_size(target, items), "str.join()")
                args = (items, *args[1:])
        result = SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs)
        if isinstance(target, (list, dict, set)):
            # a method that grows its container (l.extend(l) in a loop)
            check_size(len(target), f"{name}()")
        return check_result(result, f"{name or 'a call'}()")

    def _call_macro(
        self, context: Any, macro: Macro, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        depth = _DEPTH.get() + 1
        most = _MOST_DEPTH.get() or limits.current().template_depth
        if depth > most:
            raise SecurityError(
                f"macro '{macro.name}' calls nest over {most} deep (does it call itself "
                "without end?); raise REPORTGEN_MAX_TEMPLATE_DEPTH if it must"
            )
        token = _DEPTH.set(depth)
        try:
            return check_result(
                SandboxedEnvironment.call(self, context, macro, *args, **kwargs),
                f"macro '{macro.name}'",
            )
        finally:
            _DEPTH.reset(token)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__

        @functools.wraps(wrapped)
        def guarded(*args: Any, **kwargs: Any) -> str:
            mapping = args[0] if value.__name__ == "format_map" and args else {}
            values = dict(mapping) if isinstance(mapping, dict) else {}
            check_format(template, args, {**kwargs, **values})
            return check_result(wrapped(*args, **kwargs), "format()")

        return guarded


def _repeat_size(left: Any, right: Any) -> int | None:
    """How long ``left * right`` would be when it repeats a sequence."""
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, (str, bytes, list, tuple)) and isinstance(times, int):
            return len(seq) * times
    return None


# --------------------------------------------------------------------------
# Reading templates


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that reads only regular files inside its folders:
    a link that leads out of the folder (``leak.md.j2 -> /etc/passwd``), a
    FIFO or a device is refused, and a template over the size limit is
    refused after reading one byte more than the limit."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            candidate = Path(folder, *pieces)
            if not os.path.lexists(candidate):
                continue
            _check_inside(candidate, Path(folder), template)
            text = _read_template(candidate)
            mtime = os.path.getmtime(candidate)

            def uptodate(path: Path = candidate, seen: float = mtime) -> bool:
                try:
                    return os.path.getmtime(path) == seen
                except OSError:
                    return False

            return text, os.path.normpath(candidate), uptodate
        raise jinja2.TemplateNotFound(template)


def _check_inside(candidate: Path, folder: Path, name: str) -> None:
    root = folder.resolve()
    if root not in candidate.resolve().parents:
        raise TemplateError(
            f"template '{name}' is a link to {candidate.resolve()}, outside the templates "
            "folder; copy the file into the folder instead",
            str(candidate),
        )


def read_template_file(path: Path, folder: Path | None = None) -> str:
    """The text of a template file found by walking a templates folder
    (``check`` does): refused like ``ConfinedLoader`` refuses it when it is
    a link leaving ``folder`` (by default the folder that holds the
    ``sections`` folder it is in), a FIFO, a device or over the limit."""
    if folder is None:
        folder = next((p.parent for p in path.parents if p.name == "sections"), path.parent)
    _check_inside(path, folder, path.name)
    return _read_template(path)


def _read_template(path: Path) -> str:
    raw = read_bounded(
        path,
        limits.current().template_bytes,
        "the template",
        "REPORTGEN_MAX_TEMPLATE_BYTES",
        lambda message: TemplateError(message, str(path)),
    )
    return raw.decode("utf-8")  # a UnicodeDecodeError is reported by templating
