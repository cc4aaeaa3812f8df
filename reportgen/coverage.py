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

from .context import LText
from .formatting import is_zh


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
