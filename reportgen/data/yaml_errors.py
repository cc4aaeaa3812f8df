"""YAML parse errors in a person's words.

PyYAML reports the parser's state ("did not find expected '-' indicator",
"found character that cannot start any token"); a person editing a data file
needs to know what is wrong with the line and what to type. ``explain``
reads the line the parser stopped at, and the lines above it, and says so;
a problem it has no words for keeps the parser's own.
"""

from __future__ import annotations

import re

import yaml


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[str, int | None, int | None]:
    """(message, line, column) for a YAML error in ``text``; lines from 1."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return f"invalid YAML: {exc.problem or exc.context}", None, None
    lines = text.splitlines()
    line, column = mark.line + 1, mark.column + 1
    problem = exc.problem or exc.context or ""
    context_line = exc.context_mark.line + 1 if exc.context_mark else None
    words = _words(problem, lines, line, context_line)
    if words is None:
        words = f"{problem}; check the indentation and the quotes on this line and the one above"
    return f"invalid YAML: {words}", line, column


def _at(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _above(lines: list[str], line: int) -> int | None:
    """The nearest line above ``line`` that holds something (not a comment)."""
    for number in range(line - 1, 0, -1):
        stripped = _at(lines, number).strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def _words(problem: str, lines: list[str], line: int, context_line: int | None) -> str | None:
    here = _at(lines, line)
    if "\t" in here[: _indent(here) + 1] or "tab" in problem:
        return (
            f"line {line} is indented with a tab; YAML indents with spaces only: "
            "replace the tab with spaces"
        )
    if "expected '-' indicator" in problem:
        return _list_slip(lines, line, context_line)
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return _mapping_slip(lines, line)
    if "mapping values are not allowed" in problem:
        return _colon_slip(lines, line)
    if "could not find expected ':'" in problem:
        return (
            "this line has no ':' after its key (write 'key: value'), or a quote "
            "opened above it is not closed"
        )
    if "quoted scalar" in problem or ("end of stream" in problem and context_line):
        return (
            f"a quote opened on line {context_line or line} is never closed; end the text "
            "with the same quote mark it starts with"
        )
    return None


def _list_slip(lines: list[str], line: int, start: int | None) -> str:
    here = _at(lines, line)
    first = _at(lines, start) if start else ""
    dash = _indent(first)
    if here.lstrip().startswith("-"):
        return (
            f"this list item starts at column {_indent(here) + 1}, but the items of the "
            f"list that begins on line {start} start at column {dash + 1}; line its '- ' up "
            "with theirs"
        )
    return (
        f"this line is indented like the '- ' items of the list that begins on line {start}, "
        "but has no '- ': indent it two more spaces if it belongs to the item above, or "
        "start it with '- ' if it is a new item"
    )


def _mapping_slip(lines: list[str], line: int) -> str:
    here = _at(lines, line)
    above = _above(lines, line)
    if here.lstrip().startswith("-") and above is not None:
        return (
            f"this list item is indented {_spaces(_indent(here))}, but line {above} above it "
            f"is indented {_spaces(_indent(_at(lines, above)))}; line its '- ' up with the "
            "items of its list"
        )
    example = (
        f" (line {above} is indented {_spaces(_indent(_at(lines, above)))})"
        if above is not None
        else ""
    )
    return (
        f"this line is indented {_spaces(_indent(here))}, which lines it up with no key "
        f"above it{example}; indent it with exactly as many spaces as the keys it belongs "
        "with"
    )


def _colon_slip(lines: list[str], line: int) -> str:
    here = _at(lines, line)
    if re.search(r":\s.*:\s|:\s.*:$", here.split("#")[0]):
        return (
            "this line has a second ':' after its key; if the ':' belongs to the text, "
            'put the whole value in quotes: key: "text: more text"'
        )
    above = _above(lines, line)
    if above is not None and _indent(here) > _indent(_at(lines, above)):
        return (
            f"this line is indented more than line {above}, which already has a value; give "
            f"it the same indentation as line {above}, or, to nest it under line {above}, "
            "move that line's value onto lines of its own"
        )
    return (
        "a ':' here starts a key where none can start: check this line's indentation, or "
        "put the value in quotes if the ':' belongs to the text"
    )


def _spaces(count: int) -> str:
    return f"{count} space" + ("s" if count != 1 else "")
