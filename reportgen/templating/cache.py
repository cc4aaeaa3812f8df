"""Compiled templates kept per user, so a template is compiled once, not
once per run.

Jinja compiles each template to Python code before it renders it: about
6 ms a template, some 70 ms of a cold brief. Jinja can keep the compiled
code (its ``BytecodeCache``); this one keeps it in the ``templates`` folder
of the per-user cache (``usercache``: private to the user, written
atomically, off with ``REPORTGEN_NO_CACHE=1``).

Jinja checks each entry against the template's source (a checksum) and the
Python version. The code also depends on the environment that compiled it,
which Jinja does not check: the code generator (the sandbox's guard), the
filters and tests it resolved, the finaliser and the syntax options. All of
these, and the source of reportgen's environment classes, go into every
entry's key, so an environment never loads code another one compiled. A
damaged entry is compiled again; nothing here is ever an error.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from ..files import usercache


class TemplateCache(BytecodeCache):
    """Jinja's bytecode cache in a private folder, keyed by ``salt`` too."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder, self.salt = folder, salt

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        plain = super().get_cache_key(name, filename)
        return hashlib.sha256(f"{self.salt}\0{plain}".encode()).hexdigest()

    def _entry(self, bucket: Bucket) -> Path:
        return self.folder / f"{bucket.key}.jinja"

    # Jinja's own entry format pickles the checksum: a damaged entry would
    # raise, and a pickle is code. This one is a header line, then marshal.

    def load_bytecode(self, bucket: Bucket) -> None:
        raw = usercache.read(self._entry(bucket))
        header, _, code = (raw or b"").partition(b"\n")
        if header != _header(bucket.checksum):
            return  # missing, another Python, or the source changed: compile
        try:
            bucket.code = marshal.loads(code)
        except (EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            data = _header(bucket.checksum) + b"\n" + marshal.dumps(bucket.code)
            usercache.write(self._entry(bucket), data)


def _header(checksum: str) -> bytes:
    """What an entry must start with: the format, the Python that wrote
    the code (marshal and bytecode change between versions) and the
    checksum of the template's source."""
    return f"reportgen-template 1 {sys.implementation.cache_tag} {checksum}".encode()


def for_environment(env: jinja2.Environment) -> TemplateCache | None:
    """A cache for ``env`` as it is configured now (call it after its
    filters and tests are set), or None when caching is off."""
    folder = usercache.folder("templates")
    return TemplateCache(folder, salt(env)) if folder is not None else None


def salt(env: jinja2.Environment) -> str:
    """What the compiled code depends on besides the template's source."""
    options = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
    )
    parts = [
        jinja2.__version__,
        repr(options),
        repr(sorted(env.extensions)),
        repr(sorted(env.filters)),
        repr(sorted(env.tests)),
        _name(env.finalize),
        _name(env.autoescape),
        _name(env.undefined),
        _classes(type(env)),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _name(value: Any) -> str:
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
    return repr(value)


def _classes(cls: type[jinja2.Environment]) -> str:
    """The environment's classes and their code generator, with a digest of
    the source of each reportgen module that defines one (so an edited
    guard never runs with code the old one compiled)."""
    classes = [*cls.__mro__, cls.code_generator_class]
    names = [f"{c.__module__}.{c.__qualname__}" for c in classes]
    digest = hashlib.sha256()
    for module in sorted({c.__module__ for c in classes if c.__module__.startswith("reportgen")}):
        source = getattr(sys.modules.get(module), "__file__", None)
        try:
            digest.update(Path(source).read_bytes() if source else module.encode())
        except OSError:
            digest.update(module.encode())
    return "|".join(names) + "|" + digest.hexdigest()
