"""Reading YAML into plain Python values while remembering where each value
came from, so that every later error can name file, line and column.

PyYAML's composer gives nodes with start marks; we convert those nodes to
dicts and lists ourselves, which also lets us refuse duplicate keys (PyYAML
silently keeps the last one) and cap alias expansion (the "billion laughs"
bomb) before it costs memory.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import InputError
from ..files import limits
from ..files.safe_io import read_bounded
from ..text.mdtext import FORBIDDEN_CHARS
from . import yaml_errors

#: the deepest nesting of lists and mappings accepted
MAX_DEPTH = 64
#: libyaml's parser when PyYAML was built with it (about 4x faster on large
#: data, with the same line marks), else the pure-Python one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"

Path_ = tuple[str | int, ...]


@dataclass
class Marks:
    """Where each value of a loaded file stands: key path -> (line, column),
    both counted from 1."""

    file: Path
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def find(self, path: Path_) -> tuple[int | None, int | None]:
        """The position of ``path``, or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            hit = self.positions.get(tuple(path[:cut]))
            if hit:
                return hit
        return None, None

    def where(self, path: Path_) -> str:
        line, column = self.find(path)
        text = str(self.file)
        if line is not None:
            text += f":{line}:{column}"
        return text


@dataclass
class Loaded:
    """A parsed YAML file and its marks."""

    data: Any
    marks: Marks


def read_text(path: Path, what: str = "data file") -> str:
    """The UTF-8 text of ``path``, or an InputError that says what to do.

    Read through ``safe_io``: a FIFO, a device or a folder is refused by its
    type before any read, and no more than the limit + 1 bytes are read."""
    limit = limits.current().data_bytes
    raw = read_bounded(path, limit, what, "REPORTGEN_MAX_DATA_BYTES")
    return decode_utf8(raw, path)


def decode_utf8(raw: bytes, path: Path) -> str:
    if b"\x00" in raw:
        raise InputError("is a binary file, not YAML text", path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            f"is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
            path,
            line,
        ) from exc


def load_yaml(path: Path, what: str = "data file") -> Loaded:
    """Parse the YAML file at ``path`` into plain values with marks."""
    text = read_text(path, what)
    if not text.strip():
        raise InputError(f"{what} is empty; it must hold a YAML mapping", path)
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        message, line, col = yaml_errors.explain(exc, text)
        raise InputError(message, path, line, col) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", path) from exc
    except RecursionError as exc:
        raise InputError(f"is nested too deeply (over {MAX_DEPTH} levels)", path) from exc
    if node is None:
        raise InputError(f"{what} is empty: it holds no YAML document", path)
    cap = limits.current().values
    # Only anchors let a small file expand hugely; without them the converter
    # counts values as it goes, which is cheaper than sizing the graph first.
    if "&" in text and _expanded_size_checked(node, cap, path) > cap:
        raise _too_many(cap, path)
    marks = Marks(path)
    data = _Converter(path, marks, cap).convert(node, ())
    return Loaded(data, marks)


def _too_many(cap: int, path: Path) -> InputError:
    return InputError(
        f"expands to more than {cap:,} values (a YAML alias bomb?); remove the "
        "repeated aliases, or raise the limit with REPORTGEN_MAX_VALUES",
        path,
    )


def _expanded_size_checked(node: yaml.Node, cap: int, path: Path) -> int:
    try:
        return _expanded_size(node, {}, cap)
    except _TooDeep:
        raise InputError(f"is nested more than {MAX_DEPTH} levels deep", path) from None


class _TooDeep(Exception):
    """Raised while sizing a node graph nested deeper than MAX_DEPTH."""


def _expanded_size(node: yaml.Node, memo: dict[int, int], cap: int, depth: int = 0) -> int:
    """How many values ``node`` becomes once every alias is expanded.

    Aliases share nodes, so sizes are memoised per node: counting costs only
    as much as the file itself, even when its expansion would be enormous.
    """
    if depth > MAX_DEPTH:
        raise _TooDeep
    known = memo.get(id(node))
    if known is not None:
        return known
    if isinstance(node, yaml.MappingNode):
        children = [n for pair in node.value for n in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    else:
        children = []
    memo[id(node)] = 1  # guards against recursive aliases
    total = 1 + sum(_expanded_size(child, memo, cap, depth + 1) for child in children)
    memo[id(node)] = min(total, cap + 1)
    return memo[id(node)]


class _Converter:
    """Turns a composed node graph into Python values, recording marks."""

    def __init__(self, path: Path, marks: Marks, cap: int) -> None:
        self.path, self.marks, self.cap = path, marks, cap
        self.count = 0
        self.constructor = yaml.SafeLoader("")  # only for scalar resolution

    def fail(self, node: yaml.Node, message: str) -> InputError:
        mark = node.start_mark
        return InputError(message, self.path, mark.line + 1, mark.column + 1)

    def convert(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > self.cap:
            raise _too_many(self.cap, self.path)
        if len(path) > MAX_DEPTH:
            raise self.fail(node, f"is nested more than {MAX_DEPTH} levels deep")
        self.marks.positions.setdefault(
            path, (node.start_mark.line + 1, node.start_mark.column + 1)
        )
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        if node.tag == _STR_TAG:  # most values: no need for the constructor
            value = node.value
            if FORBIDDEN_CHARS.search(value):
                value = self.strip_controls(node, value)
            return value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.fail(node, f"cannot read value: {exc}") from exc
        except ValueError as exc:
            # Python refuses to convert an integer of over 4,300 digits (a
            # guard against slow conversions); no figure is that long
            raise self.fail(
                node, f"cannot read value ({exc.args[0].split(':')[0]}); check the number"
            ) from None
        if isinstance(value, str) and FORBIDDEN_CHARS.search(value):
            value = self.strip_controls(node, value)
        return value

    def strip_controls(self, node: yaml.Node, value: str) -> str:
        """Characters no document may hold (XML 1.0 forbids them) are
        removed, with a warning that says where."""
        found = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN_CHARS.findall(value)})
        mark = node.start_mark
        warnings.warn(
            f"{self.path}:{mark.line + 1}:{mark.column + 1}: removed control "
            f"characters {', '.join(found)} from the text",
            stacklevel=2,
        )
        return FORBIDDEN_CHARS.sub("", value)

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        if any(key.tag == _MERGE_TAG for key, _ in node.value):
            try:
                self.constructor.flatten_mapping(node)  # resolves YAML merge keys (<<)
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or node.start_mark
                raise InputError(
                    f"invalid YAML merge key '<<': {exc.problem}; after '<<:' give an anchored "
                    "mapping (<<: *defaults) or a list of them",
                    self.path,
                    mark.line + 1,
                    mark.column + 1,
                ) from None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise self.fail(key_node, f"key {key!r} must be text")
            key = str(key)
            if key in result:
                raise self.fail(
                    key_node,
                    f"duplicate key '{key}'; each key may appear once in a mapping, delete one",
                )
            key_path = (*path, key)
            self.marks.positions[key_path] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = self.convert(value_node, key_path)
        return result
