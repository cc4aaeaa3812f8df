"""The exception tree. Every error a user can cause is a ``ReportgenError``;
the CLI prints its message and exits with its ``exit_code``. Anything else is
a bug and keeps its traceback (exit 1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class ReportgenError(Exception):
    """Root of every expected failure. Raised by nobody directly."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def where(file: str | Path | None, line: int | None = None, column: int | None = None) -> str:
    """``file:line:column`` with the parts that are known."""
    text = str(file) if file is not None else "<input>"
    if line is not None:
        text += f":{line}"
        if column is not None:
            text += f":{column}"
    return text


class UsageError(ReportgenError):
    """Raised by the pipeline for options that do not fit together or name
    things that do not exist (an unknown audience or format)."""


class InputError(ReportgenError):
    """Raised by the loaders when a data file cannot be read or parsed:
    missing, unreadable, not UTF-8, not YAML. Carries file, line, column."""

    def __init__(
        self,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.file, self.line, self.column = file, line, column
        prefix = where(file, line, column) + ": " if file is not None else ""
        super().__init__(prefix + message)


@dataclass(frozen=True)
class Problem:
    """One mistake in the data: ``where`` is ``file:line:column`` (or a
    table cell), ``message`` names the field and says what to type."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ValidationError(ReportgenError):
    """Raised by ``data.validate`` with every problem found in the data at
    once; ``problems`` holds one formatted line each, ``located`` the same
    problems with their place apart (for ``check``, which lists them)."""

    def __init__(self, problems: Sequence[str | Problem]) -> None:
        self.located = [p if isinstance(p, Problem) else Problem("", p) for p in problems]
        self.problems = [str(p) for p in problems]
        count = len(problems)
        head = f"the data has {count} problem{'s' if count != 1 else ''}:"
        super().__init__(head + "\n" + "\n".join(f"  {p}" for p in self.problems))


class TemplateError(ReportgenError):
    """Raised by ``templating`` for a template that does not parse, uses an
    undefined variable, or breaks the sandbox: names template and line."""

    def __init__(self, message: str, template: str | None = None, line: int | None = None) -> None:
        self.template, self.line = template, line
        prefix = where(template, line) + ": " if template else ""
        super().__init__(prefix + message)


class ProfileError(ReportgenError):
    """Raised when an audience profile is missing, malformed or names a
    section that does not exist."""


class RenderError(ReportgenError):
    """Raised by a writer for content it cannot draw (a character no font
    has, an image it cannot read)."""


class OutputError(ReportgenError):
    """Raised by ``output`` when a file cannot be written, or when it would
    overwrite one of reportgen's own inputs."""
