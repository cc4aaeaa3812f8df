"""What the font table says of the faces a Word brief may name: their other
name (a Chinese face's Chinese name, which Word and WPS on a Chinese
Windows show), character set, family and PANOSE number, so a word
processor without the face picks a like one rather than a foreign default.

Data only, read by ``_package``; the XML is ``_oxml_package``'s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Face:
    """A face's ``w:font`` entry: ``charset`` in hex (86 is GB 2312, 00
    ANSI, 02 symbol); ``family`` roman, swiss, modern, script, decorative
    or auto; ``panose`` the ten PANOSE bytes in hex, '' when unknown."""

    name: str
    alt: str = ""
    charset: str = "00"
    family: str = "auto"
    fixed: bool = False
    panose: str = ""


def _chinese(name: str, alt: str, panose: str = "", family: str = "modern") -> Face:
    # a Chinese face in the "modern" family is fixed-pitch (every character
    # one em, Latin ones half), as Word's own entries for SimHei or KaiTi say
    return Face(name, alt, "86", family, fixed=family == "modern", panose=panose)


_KNOWN = (
    _chinese("SimSun", "宋体", "02010600030101010101", family="auto"),
    _chinese("NSimSun", "新宋体", "02010609030101010101"),
    _chinese("SimHei", "黑体", "02010609060101010101"),
    _chinese("KaiTi", "楷体", "02010609060101010101"),
    _chinese("FangSong", "仿宋", "02010609060101010101"),
    _chinese("FangSong_GB2312", "仿宋_GB2312", "02010609030101010101"),
    _chinese("KaiTi_GB2312", "楷体_GB2312", "02010609030101010101"),
    _chinese("Microsoft YaHei", "微软雅黑", "020B0503020204020204", family="swiss"),
    _chinese("方正小标宋简体", "FZXiaoBiaoSong-B05S", family="auto"),
    Face("Times New Roman", family="roman", panose="02020603050405020304"),
    Face("Arial", family="swiss", panose="020B0604020202020204"),
    Face("Courier New", family="modern", fixed=True, panose="02070309020205020404"),
    Face("Symbol", charset="02", family="roman", panose="05050102010706020507"),
    Face("Liberation Serif", family="roman", panose="02020603050405020304"),
    Face("Liberation Sans", family="swiss", panose="020B0604020202020204"),
    Face("Liberation Mono", family="modern", fixed=True, panose="02070409020205020404"),
    Face("DejaVu Serif", family="roman", panose="02060603050605020204"),
    Face("DejaVu Sans", family="swiss", panose="020B0603030804020204"),
    Face("DejaVu Sans Mono", family="modern", fixed=True, panose="020B0609030804020204"),
    Face("Segoe UI Symbol", family="swiss", panose="020B0502040204020203"),
)
#: by the name the .docx uses; a Chinese face also by its Chinese name,
#: which a reference document or a house font may use in ``w:eastAsia``
KNOWN_FACES = {
    **{face.name: face for face in _KNOWN},
    **{face.alt: replace(face, name=face.alt, alt=face.name) for face in _KNOWN if face.alt},
}


def face(name: str, east_asian: bool) -> Face:
    """The entry for ``name``: the known one, or a bare one (in the Chinese
    character set when the file names it for East Asian text)."""
    known = KNOWN_FACES.get(name)
    if known is not None:
        return known
    return Face(name, charset="86" if east_asian else "00")
