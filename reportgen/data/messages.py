"""Schema errors in a person's words: what is wrong with a value and what to
type instead.

pydantic describes the machinery ("input should be a valid decimal ... or
string should match pattern '^\\d+/[1-9]\\d*$'"); an analyst needs the fix
("write 2880, without the comma"). ``describe`` turns all of pydantic's
errors at one place in the data into one sentence of that kind, and falls
back to pydantic's own words only for mistakes it has no better words for.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from .loader import Path_
from .schema import type_options

#: pydantic error types that mean "a number was wanted here"
_NUMBER_ERRORS = {
    "decimal_parsing",
    "decimal_type",
    "int_parsing",
    "int_type",
    "int_from_float",
    "float_parsing",
    "float_type",
}
_MAPPING_ERRORS = {"model_type", "model_attributes_type", "dict_type"}
_SEPARATORS = {",": "comma", "，": "comma", "_": "underscore", " ": "space", "\u2009": "space"}
_UNIT_WORDS = re.compile(
    r"(?i)\s*(?:billion|bn|million|m|thousand|k|yuan|rmb|cny|亿元|亿|万元|万|元|%|percent)\s*"
)
_CURRENCY = re.compile(r"^[¥￥$]\s*")


def describe(model: type[BaseModel], errors: list[ErrorDetails], path: Path_) -> str:
    """One sentence for every pydantic error at ``path``: what was found
    and what to write instead."""
    kinds = {e["type"] for e in errors}
    found = errors[0].get("input")
    if "extra_forbidden" in kinds:
        return unknown_key(model, path)
    if "missing" in kinds:
        return "is required but missing; add it"
    special = (
        _year(path, found, kinds) or _number(found, kinds) or _shape(model, path, found, kinds)
    )
    if special:
        return special
    messages: list[str] = []
    for error in errors:
        if error["type"] == "value_error":  # a validator of ours: its words are the fix
            text = str(error.get("ctx", {}).get("error", error["msg"]))
        else:
            text = f"{error['msg'].lower()}; found {_shown(error.get('input'))}"
        if text not in messages:
            messages.append(text)
    return "; or ".join(messages)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _year(path: Path_, found: Any, kinds: set[str]) -> str | None:
    """A full date, or a year written with words, where a year is wanted."""
    if not path or path[-1] != "year":
        return None
    if isinstance(found, (dt.date, dt.datetime)):
        return f"write a year such as {found.year}, not a full date ({found.isoformat()})"
    if isinstance(found, str) and (digits := re.search(r"\d{4}", found)):
        return f"write a year such as {digits.group()}, as digits alone; found {found!r}"
    if kinds & _NUMBER_ERRORS or "greater_than_equal" in kinds or "less_than_equal" in kinds:
        return f"write a year such as 2021 (from 1900 to 2100); found {_shown(found)}"
    return None


def _number(found: Any, kinds: set[str]) -> str | None:
    """A number written as text: with thousands separators, a currency
    sign or a unit word. Says the plain number to write."""
    if not isinstance(found, str) or not kinds & _NUMBER_ERRORS:
        return None
    text = found.strip()
    seps = sorted({name for sep, name in _SEPARATORS.items() if sep in text})
    bare = re.sub(r"[,，_ \u2009]", "", text)
    if seps and _is_number(bare):
        names = " or ".join(f"{s}s" if len(seps) > 1 else s for s in seps)
        return f"write {bare}, without the {names}; a number takes digits and a decimal point only"
    plain = _UNIT_WORDS.sub("", _CURRENCY.sub("", text))
    plain = re.sub(r"[,，_ \u2009]", "", plain)
    if plain != text and _is_number(plain):
        return (
            f"write the number alone ({plain}) and give its unit under 'unit:' "
            "(count, yuan, billion_yuan or share); found "
            f"{found!r}"
        )
    fraction = (
        " (a share may be a fraction in quotes, '1/3')"
        if "string_pattern_mismatch" in kinds
        else ""
    )
    return f"write a number such as 12.5, in digits{fraction}; found {found!r}"


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", text))


def _shape(model: type[BaseModel], path: Path_, found: Any, kinds: set[str]) -> str | None:
    """A list where a mapping is wanted, and the reverse."""
    if kinds & _MAPPING_ERRORS:
        keys = sorted(fields_at(model, path))
        wanted = f" ({', '.join(keys)})" if keys else ""
        if isinstance(found, list):
            return (
                f"write a mapping here, one 'key: value' per line{wanted}, not a list: "
                "remove the '- ' before the keys"
            )
        return f"write a mapping here, one 'key: value' per line{wanted}; found {_shown(found)}"
    if "list_type" in kinds:
        if isinstance(found, dict):
            return (
                "write a list here, each item on its own line starting with '- ', "
                "not a mapping of keys"
            )
        return (
            "write a list here, each item on its own line starting with '- '; "
            f"found {_shown(found)}"
        )
    return None


def unknown_key(model: type[BaseModel], path: Path_) -> str:
    key = str(path[-1])
    allowed = sorted(fields_at(model, path[:-1]))
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    known = f"; allowed here: {', '.join(allowed)}" if allowed else ""
    return f"unknown key '{key}'{hint}{known}"


def fields_at(model: type[BaseModel], path: Path_) -> set[str]:
    """The field names the schema allows at ``path`` (a mapping's place)."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return set()
    model_cls = _model_in(current)
    return set(model_cls.model_fields) if model_cls else set()


def _step(annotation: Any, part: str | int) -> Any:
    model_cls = _model_in(annotation)
    if model_cls is not None and isinstance(part, str) and part in model_cls.model_fields:
        return model_cls.model_fields[part].annotation
    for arg in type_options(annotation):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(part, int):
            return typing.get_args(arg)[0]
        if origin is dict and isinstance(part, str):
            return typing.get_args(arg)[1]
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for option in type_options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None
