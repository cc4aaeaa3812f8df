"""Where the built-in templates, fixtures and seeds are.

In a wheel they ship inside the package under ``_builtin/`` (see
pyproject.toml); in a source checkout they are the top-level folders.
Both keep the same relative layout, so references between them resolve.
"""

from __future__ import annotations

from pathlib import Path

#: the reportgen package folder (this module sits in its files/ layer)
_PACKAGE = Path(__file__).resolve().parent.parent


def builtin_root() -> Path:
    shipped = _PACKAGE / "_builtin"
    return shipped if (shipped / "templates").is_dir() else _PACKAGE.parent


def builtin_templates() -> Path:
    return builtin_root() / "templates"


def default_data() -> Path:
    return builtin_root() / "fixtures" / "shanghai-online-drama.yaml"
