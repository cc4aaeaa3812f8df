"""Reading just enough of a font file to decide whether reportlab can use it.

reportlab embeds TrueType outlines (a 'glyf' table) only; a font with CFF
outlines ('CFF ' or 'CFF2', as in most .otf files and Noto CJK's .ttc) makes
it fail or draw nothing. Rather than add fontTools for three facts, this
reads the sfnt table directory and the 'name' table by hand (OpenType spec,
"Organization of an OpenType Font"): the outline kind and the family names
of each face in a file, including each face of a .ttc collection.
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass
from pathlib import Path

#: name IDs: font family, and the typographic family that groups weights
_FAMILY_IDS = (1, 16)
_TRUETYPE_VERSIONS = (b"\x00\x01\x00\x00", b"true")


@dataclass(frozen=True)
class FaceInfo:
    """One face of a font file: its index in the file, its outline kind
    ('truetype', 'cff' or 'unknown') and every family name it gives."""

    index: int
    outlines: str
    families: frozenset[str]

    @property
    def embeddable(self) -> bool:
        return self.outlines == "truetype"


class NotAFont(ValueError):
    """The file is not a TrueType/OpenType font or collection."""


def _read(handle, offset: int, size: int) -> bytes:
    handle.seek(offset)
    data = handle.read(size)
    if len(data) != size:
        raise NotAFont("the file ends early")
    return data


def _tables(handle, offset: int) -> tuple[bytes, dict[bytes, tuple[int, int]]]:
    """The sfnt version and tag -> (offset, length) of the face at ``offset``."""
    version, count = struct.unpack(">4sH", _read(handle, offset, 6))
    if count > 512:
        raise NotAFont("implausible table count")
    raw = _read(handle, offset + 12, 16 * count)
    tables = {}
    for i in range(count):
        tag, _checksum, where, length = struct.unpack(">4sIII", raw[16 * i : 16 * i + 16])
        tables[tag] = (where, length)
    return version, tables


def _outlines(version: bytes, tables: dict[bytes, tuple[int, int]]) -> str:
    if b"glyf" in tables and version in _TRUETYPE_VERSIONS:
        return "truetype"
    if b"CFF " in tables or b"CFF2" in tables or version == b"OTTO":
        return "cff"
    return "unknown"


def _decode(platform: int, raw: bytes) -> str | None:
    # Windows and Unicode platform names are UTF-16BE; Mac Roman ones are
    # (for the family names we match) plain ASCII.
    try:
        return raw.decode("utf-16-be") if platform in (0, 3) else raw.decode("latin-1")
    except UnicodeDecodeError:
        return None


def _families(handle, tables: dict[bytes, tuple[int, int]]) -> frozenset[str]:
    if b"name" not in tables:
        return frozenset()
    where, length = tables[b"name"]
    data = _read(handle, where, min(length, 1 << 20))
    _fmt, count, strings = struct.unpack(">HHH", data[:6])
    names = set()
    for i in range(count):
        record = data[6 + 12 * i : 18 + 12 * i]
        if len(record) < 12:
            break
        platform, _enc, _lang, name_id, size, start = struct.unpack(">HHHHHH", record)
        if name_id in _FAMILY_IDS:
            text = _decode(platform, data[strings + start : strings + start + size])
            if text and text.strip():
                names.add(text.strip())
    return frozenset(names)


def _face_offsets(handle) -> list[int]:
    tag = _read(handle, 0, 4)
    if tag == b"ttcf":
        count = struct.unpack(">I", _read(handle, 8, 4))[0]
        if not 0 < count <= 256:
            raise NotAFont("implausible face count")
        return list(struct.unpack(f">{count}I", _read(handle, 12, 4 * count)))
    if tag in (*_TRUETYPE_VERSIONS, b"OTTO"):
        return [0]
    raise NotAFont("no TrueType or OpenType header")


@functools.lru_cache(maxsize=1024)
def faces(path: Path) -> tuple[FaceInfo, ...]:
    """Every face in ``path``; raises NotAFont (or OSError) when unreadable."""
    with path.open("rb") as handle:
        out = []
        for index, offset in enumerate(_face_offsets(handle)):
            version, tables = _tables(handle, offset)
            out.append(FaceInfo(index, _outlines(version, tables), _families(handle, tables)))
        return tuple(out)


def problem(path: Path, index: int = 0) -> str | None:
    """Why reportlab cannot embed face ``index`` of ``path``, or None."""
    try:
        found = faces(path)
    except (OSError, NotAFont, struct.error) as exc:
        return f"not a usable font file ({exc})"
    if index >= len(found):
        return f"has no face {index}"
    kind = found[index].outlines
    if kind == "cff":
        return "CFF (PostScript) outlines: reportlab embeds TrueType (glyf) outlines only"
    if kind != "truetype":
        return "no TrueType outlines"
    return None
