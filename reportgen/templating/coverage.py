"""Language coverage: which printed fields the data has no text for in the
brief's language.

A Chinese brief from data that holds only English text would otherwise mix
languages without a word ("236余studios"). While templates render, every
text field they read in a language the data lacks is noted with its data
path; the pipeline warns once, naming the fields to complete, and ``check``
lists them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from ..data.schema import LocalText
from ..text.formatting import is_zh
from .context import LText


class LanguageCoverageWarning(UserWarning):
    """A brief printed fields in another language than its own: the data
    has no text for them in the brief's language."""


def missing_in(value: Any, lang: str) -> list[str]:
    """The data paths of the text fields in ``value`` (a field or a list of
    fields) that have no text in ``lang``: Chinese is the only language
    that can be missing, English being required."""
    if not is_zh(lang):
        return []
    items = value if isinstance(value, (list, tuple)) else (value,)
    return [
        item._path
        for item in items
        if isinstance(item, LText)
        and item._path
        and not item.zh
        and not _NEUTRAL.fullmatch(item.en.strip())
    ]


def printed_in_english(data: BaseModel, text: str, lang: str) -> list[str]:
    """The data paths of names with no text in ``lang`` whose English form
    appears in ``text``, the rendered brief.

    The backstop for text that reaches a brief without passing a filter
    that notes it: the source register's authors in a reference, a name a
    template sliced. Only names of two words or more count, so that a
    common word in English text is not taken for a name."""
    if not is_zh(lang):
        return []
    found = []
    for path, field in _text_fields(data, ""):
        english = field.en.strip()
        core = english[4:] if english.startswith("the ") else english
        translated = field.zh and not _LATIN_PHRASE.search(field.zh)
        if translated or len(core.split()) < 2 or _NEUTRAL.fullmatch(english):
            continue
        if core in text or (field.zh and field.zh in text):
            found.append(path)
    return found


# three Latin words in a row: a Chinese text that is an English name in all
# but its last characters ("... Creators Conference等活动") is no translation
_LATIN_PHRASE = re.compile(r"[A-Za-z][\w'+.-]*(?:\s+[A-Za-z][\w'+.-]*){2,}")


def _text_fields(node: Any, path: str) -> Iterable[tuple[str, LocalText]]:
    if isinstance(node, LocalText):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _text_fields(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            yield from _text_fields(item, f"{path}[{index}]")


# Text no language owns: an e-mail or web address, a telephone number.
_NEUTRAL = re.compile(r"[\w.+-]+@[\w.-]+|(?:https?://|www\.)\S+|[+\d][\d ()./-]*")


_LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


def message(paths: Iterable[str], lang: str) -> str:
    """The warning for a brief in ``lang`` that printed ``paths`` in English."""
    fields = list(dict.fromkeys(paths))  # in the order the brief prints them
    shown = ", ".join(fields[:12])
    if len(fields) > 12:
        shown += f" and {len(fields) - 12} more (reportgen check lists each with its line)"
    name = _LANGUAGE_NAMES.get(lang, lang)
    one = len(fields) == 1
    return (
        f"the {name} brief prints {len(fields)} field{'' if one else 's'} in English, "
        f"because the data has no {lang} text for {'it' if one else 'them'}: {shown}; "
        f"add '{lang}:' beside 'en:' {'there' if one else 'in each'} "
        "(for example name: {en: Harbour Films, zh: 港湾影业})"
    )


def path_parts(path: str) -> tuple[str | int, ...]:
    """``cases[2].title`` -> ``('cases', 2, 'title')``, as the loader's marks."""
    return tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path))
