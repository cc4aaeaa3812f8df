"""Finding TrueType fonts on this machine, for the PDF writer and the charts.

Both writers embed or name real fonts; this module only finds files. It
prefers well-known open families (Liberation, DejaVu) and falls back to the
Bitstream Vera files that ship inside reportlab, so a brief always renders.
CJK text needs a TrueType (glyf) font: reportlab cannot embed CFF-outline
fonts such as Noto CJK, so WenQuanYi and similar are preferred.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")


@dataclass(frozen=True)
class Face:
    """One family in four styles; ``name`` is the family's display name."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


@dataclass(frozen=True)
class CjkFont:
    """A TrueType CJK font; ``index`` picks the face inside a .ttc file."""

    name: str
    path: Path
    index: int = 0


# family name -> file names of regular, bold, italic, bold italic
_SANS = (
    (
        "Liberation Sans",
        (
            "LiberationSans-Regular.ttf",
            "LiberationSans-Bold.ttf",
            "LiberationSans-Italic.ttf",
            "LiberationSans-BoldItalic.ttf",
        ),
    ),
    (
        "DejaVu Sans",
        (
            "DejaVuSans.ttf",
            "DejaVuSans-Bold.ttf",
            "DejaVuSans-Oblique.ttf",
            "DejaVuSans-BoldOblique.ttf",
        ),
    ),
)
_SERIF = (
    (
        "Liberation Serif",
        (
            "LiberationSerif-Regular.ttf",
            "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf",
            "LiberationSerif-BoldItalic.ttf",
        ),
    ),
    (
        "DejaVu Serif",
        (
            "DejaVuSerif.ttf",
            "DejaVuSerif-Bold.ttf",
            "DejaVuSerif-Italic.ttf",
            "DejaVuSerif-BoldItalic.ttf",
        ),
    ),
)
# TrueType CJK fonts, best first: (file name, face index, display name)
_CJK = (
    ("wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
    ("wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei"),
    ("simsun.ttc", 0, "SimSun"),
    ("msyh.ttc", 0, "Microsoft YaHei"),
    ("DroidSansFallbackFull.ttf", 0, "Droid Sans Fallback"),
)


@functools.lru_cache(maxsize=1)
def _installed_files() -> dict[str, Path]:
    """File name -> path for every font file in the usual folders."""
    found: dict[str, Path] = {}
    for folder in _FONT_DIRS:
        if folder.is_dir():
            for path in sorted(folder.rglob("*.tt[fc]")):
                found.setdefault(path.name, path)
    return found


def _vera() -> Face:
    folder = Path(__import__("reportlab").__file__).parent / "fonts"
    return Face(
        "Bitstream Vera Sans",
        folder / "Vera.ttf",
        folder / "VeraBd.ttf",
        folder / "VeraIt.ttf",
        folder / "VeraBI.ttf",
    )


def _first_family(candidates: tuple[tuple[str, tuple[str, ...]], ...]) -> Face | None:
    files = _installed_files()
    for name, names in candidates:
        if all(n in files for n in names):
            return Face(name, *(files[n] for n in names))
    return None


@functools.lru_cache(maxsize=1)
def sans() -> Face:
    """The sans-serif family for headings, tables and charts."""
    return _first_family(_SANS) or _vera()


@functools.lru_cache(maxsize=1)
def serif() -> Face:
    """The serif family for body text (the sans family when none exists)."""
    return _first_family(_SERIF) or sans()


def _fc_list_cjk() -> CjkFont | None:
    """Ask fontconfig for any TrueType font that covers Chinese."""
    if not shutil.which("fc-list"):
        return None
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{file}|%{fontformat}|%{family[0]}\n", ":lang=zh"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(out.splitlines()):
        file, _, rest = line.partition("|")
        fmt, _, family = rest.partition("|")
        if fmt == "TrueType" and file.lower().endswith((".ttf", ".ttc")):
            return CjkFont(family or Path(file).stem, Path(file), 0)
    return None


# Broad-coverage fonts tried last, for text no body font can draw: Greek,
# Cyrillic, Hebrew, Arabic and symbols (DejaVu), emoji as outlines (Symbola;
# colour-bitmap emoji fonts cannot be embedded by reportlab).
_SYMBOL_FILES = ("DejaVuSans.ttf", "Symbola_hint.ttf", "Symbola.ttf")


@functools.lru_cache(maxsize=1)
def symbols() -> tuple[Path, ...]:
    """Installed fallback fonts for characters the body fonts lack."""
    files = _installed_files()
    return tuple(files[name] for name in _SYMBOL_FILES if name in files)


@functools.lru_cache(maxsize=4)
def cjk(explicit: Path | None = None) -> CjkFont | None:
    """The CJK font to use: ``explicit`` when given, else the best one
    installed, else None (the caller falls back and warns)."""
    if explicit is not None:
        return CjkFont(explicit.stem, explicit, 0)
    files = _installed_files()
    for file_name, index, name in _CJK:
        if file_name in files:
            return CjkFont(name, files[file_name], index)
    return _fc_list_cjk()
