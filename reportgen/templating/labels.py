"""The words writers and templates print on their own (``labels.yaml`` of
a templates folder), per language, checked before any writer lays them out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..data.loader import load_yaml
from ..errors import ProfileError


def load_labels(folders: list[Path], lang: str) -> dict[str, str]:
    """The words writers and templates print on their own, in ``lang``."""
    for folder in folders:
        path = folder / "labels.yaml"
        if path.is_file():
            loaded = load_yaml(path, "labels file")
            table = loaded.data.get(lang) if isinstance(loaded.data, dict) else None
            if not isinstance(table, dict):
                raise ProfileError(f"{path}: has no '{lang}' labels; add a '{lang}:' mapping")
            labels = {str(k): str(v) for k, v in table.items()}
            _check_labels(labels, loaded.marks, lang)
            return labels
    raise ProfileError("no labels.yaml in the templates folders")


#: the longest label: a label is a word or a line, never a page
MAX_LABEL_CHARS = 1_000
#: labels with placeholders, and the names each may use
_LABEL_PLACEHOLDERS = {"page_of": ("page", "pages")}


def _check_labels(labels: dict[str, str], marks: Any, lang: str) -> None:
    """Refuse labels no writer should lay out: over-long ones, and
    placeholders other than the known names (labels are filled by a
    ``{name}`` substitution, never ``str.format``)."""
    from ..text.placeholders import PlaceholderError, check

    for key, text in labels.items():
        where = marks.where((lang, key))
        if len(text) > MAX_LABEL_CHARS:
            raise ProfileError(
                f"{where}: label '{key}' is {len(text):,} characters long; "
                f"keep it under {MAX_LABEL_CHARS:,}"
            )
        try:
            if key in _LABEL_PLACEHOLDERS:
                check(text, _LABEL_PLACEHOLDERS[key])
        except PlaceholderError as exc:
            raise ProfileError(f"{where}: label '{key}': {exc}") from None
