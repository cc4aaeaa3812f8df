"""Which font file each typeface role uses, and why others were passed over.

For each role (``catalog.ROLES``) the first usable candidate wins: a house
font the profile names, else the catalogue's families in order, found in
the folders of ``folders`` (by file name, then by the family names inside
the files). A candidate is skipped, with its reason kept for ``reportgen
fonts``, when reportlab cannot embed it (CFF outlines) or its family is
incomplete. The Latin roles fall back to the Bitstream Vera files inside
reportlab; a CJK role with no font borrows another CJK role's, and with
none at all the PDF writer uses a non-embedded CID font and warns.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

from . import folders, sfnt
from .catalog import CANDIDATES, CJK_BORROW, ROLES, Candidate

#: roles whose families come in four style files
STYLED = ("body", "headings")


@dataclass(frozen=True)
class Font:
    """A chosen family. ``bold`` is None when the family has no bold face
    (the PDF writer then strokes the regular glyphs: a synthetic bold)."""

    name: str
    word: str
    regular: Path
    index: int = 0
    bold: Path | None = None
    italic: Path | None = None
    bold_italic: Path | None = None
    origin: str = "system"

    def files(self) -> tuple[Path, ...]:
        paths = (self.regular, self.bold, self.italic, self.bold_italic)
        return tuple(dict.fromkeys(p for p in paths if p is not None))


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class Choice:
    """One role: the fonts it uses (several only for symbols), what was
    passed over and why, and the note when it fell back or borrowed."""

    role: str
    fonts: tuple[Font, ...]
    skipped: tuple[Skipped, ...] = ()
    note: str = ""

    @property
    def font(self) -> Font | None:
        return self.fonts[0] if self.fonts else None


@dataclass(frozen=True)
class Roles:
    choices: tuple[Choice, ...]

    def __getitem__(self, role: str) -> Choice:
        for choice in self.choices:
            if choice.role == role:
                return choice
        raise KeyError(role)

    def font(self, role: str) -> Font | None:
        return self[role].font

    def used(self) -> tuple[tuple[str, Font], ...]:
        return tuple((c.role, f) for c in self.choices for f in c.fonts)


HouseFonts = tuple[tuple[str, tuple[Path, ...]], ...]


def vera() -> Font:
    """The Bitstream Vera Sans files that ship inside reportlab."""
    import reportlab

    folder = Path(reportlab.__path__[0]) / "fonts"
    return Font(
        "Bitstream Vera Sans",
        "Bitstream Vera Sans",
        folder / "Vera.ttf",
        bold=folder / "VeraBd.ttf",
        italic=folder / "VeraIt.ttf",
        bold_italic=folder / "VeraBI.ttf",
        origin="reportlab",
    )


def _by_family(
    index: dict[str, tuple[Path, str]], names: tuple[str, ...]
) -> tuple[Path, int, str] | None:
    """A file in the index whose face carries one of ``names``."""
    wanted = {n.lower() for n in names}
    for path, origin in index.values():
        try:
            for face in sfnt.faces(path):
                if wanted & {f.lower() for f in face.families}:
                    return path, face.index, origin
        except (OSError, ValueError):
            continue
    return None


def _locate(
    cand: Candidate, index: dict[str, tuple[Path, str]], role: str
) -> tuple[list[Path | None], str] | None:
    """(paths, origin) of the candidate's files, or None when absent."""
    if role in STYLED:
        hits = [index.get(name.lower()) for name in cand.files]
        if hits[0] is None:
            return None
        return [h[0] if h else None for h in hits], hits[0][1]
    for name in cand.files:
        if name.lower() in index:
            path, origin = index[name.lower()]
            return [path], origin
    return None


def _try(
    cand: Candidate, index: dict[str, tuple[Path, str]], role: str, skipped: list[Skipped]
) -> Font | None:
    found = _locate(cand, index, role)
    index_in_file = cand.index
    if found is None and cand.families and role not in STYLED:
        hit = _by_family(index, cand.families)
        if hit is not None:
            found, index_in_file = ([hit[0]], hit[2]), hit[1]
    if found is None:
        return None
    paths, origin = found
    if role in STYLED and None in paths:
        absent = [n for n, p in zip(cand.files, paths, strict=True) if p is None]
        skipped.append(Skipped(str(paths[0]), f"incomplete family: no {', '.join(absent)}"))
        return None
    files = [p for p in paths if p is not None]
    for path in files:
        problem = sfnt.problem(path, index_in_file)
        if problem:
            skipped.append(Skipped(str(path), problem))
            return None
    regular, *styles = files
    bold, italic, bold_italic = (styles + [None] * 3)[:3]
    return Font(
        cand.name, cand.word, regular, index_in_file, bold, italic, bold_italic, origin=origin
    )


def _fc_list_cjk(skipped: list[Skipped]) -> Font | None:
    """Any TrueType font fontconfig says covers Chinese (CFF ones skipped)."""
    if folders.only_env_folders():
        return None
    for line in folders.fc_list("--format", "%{file}|%{family[0]}\n", ":lang=zh"):
        file, _, family = line.partition("|")
        problem = sfnt.problem(Path(file))
        if problem:
            skipped.append(Skipped(file, problem))
        else:
            return Font(
                family or Path(file).stem,
                family or Path(file).stem,
                Path(file),
                origin="fontconfig",
            )
    return None


def _family_name(path: Path) -> str:
    """The family name inside the file (an ASCII one when it has several)."""
    try:
        names = sorted(sfnt.faces(path)[0].families, key=lambda n: (not n.isascii(), n))
    except (OSError, ValueError, IndexError):
        names = []
    return names[0] if names else path.stem


def _house_font(role: str, files: tuple[Path, ...]) -> Font:
    """A profile's house font (checked when the profile was read): one
    file, or for the Latin roles up to four (regular, bold, italic, bold
    italic); a missing bold is synthesised, a missing italic is upright."""
    name = _family_name(files[0])
    if role in STYLED:
        bold, italic, bold_italic = [*files[1:4], None, None, None][:3]
        return Font(name, name, files[0], 0, bold, italic, bold_italic, "profile")
    return Font(name, name, files[0], origin="profile")


def _choose(role: str, index: dict, skipped: list[Skipped]) -> Font | None:
    for cand in CANDIDATES[role]:
        font = _try(cand, index, role, skipped)
        if font is not None:
            return font
    return None


def _symbols(index: dict, skipped: list[Skipped]) -> tuple[Font, ...]:
    found = (_try(c, index, "symbols", skipped) for c in CANDIDATES["symbols"])
    unique = {f.regular: f for f in found if f is not None}
    return tuple(unique.values())


def _fallback(role: str, own: dict[str, Choice]) -> tuple[Font | None, str]:
    """What a role uses when none of its own families is installed."""
    if role in ("headings", "body", "mono"):
        font = own["headings"].font if role != "headings" else None
        if font is not None:
            return font, "none of its families installed: the headings font"
        return vera(), "none of its families installed: reportlab's Bitstream Vera"
    for other in CJK_BORROW.get(role, ()):
        font = own[other].font
        if font is not None:
            return font, f"none of its families installed: the {other.replace('_', ' ')} font"
    return None, "no TrueType CJK font installed"


def _own(role: str, house: dict, cjk_font: Path | None, index: dict) -> Choice:
    """The role's own font, before any fallback."""
    if role in house:
        return Choice(role, (_house_font(role, house[role]),))
    if cjk_font is not None and role.startswith("cjk_"):
        return Choice(role, (Font(cjk_font.stem, cjk_font.stem, cjk_font, origin="--cjk-font"),))
    skipped: list[Skipped] = []
    if role == "symbols":
        return Choice(role, _symbols(index, skipped), tuple(skipped))
    font = _choose(role, index, skipped)
    if font is None and role == "cjk_headings":
        font = _fc_list_cjk(skipped)
    return Choice(role, (font,) if font else (), tuple(skipped))


def _resolve(house: dict[str, tuple[Path, ...]], cjk_font: Path | None, index: dict) -> Roles:
    own = {role: _own(role, house, cjk_font, index) for role in ROLES}
    out = []
    for role in ROLES:
        choice = own[role]
        if not choice.fonts and role != "symbols":
            font, note = _fallback(role, own)
            choice = replace(choice, fonts=(font,) if font else (), note=note)
        out.append(choice)
    return Roles(tuple(out))


@functools.lru_cache(maxsize=16)
def _cached(search: tuple, fontconfig: bool, house: HouseFonts, cjk_font: Path | None) -> Roles:
    return _resolve(dict(house), cjk_font, folders.index(search, fontconfig))


def resolve(house: HouseFonts = (), cjk_font: Path | None = None) -> Roles:
    """The fonts of every role for this process's font folders; ``house``
    holds a profile's files per role, ``cjk_font`` the --cjk-font file."""
    search = folders.search_folders()
    return _cached(search, not folders.only_env_folders(), house, cjk_font)
