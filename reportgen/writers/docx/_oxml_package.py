"""Raw XML of the package's own parts: the theme's font scheme, the font
table, the extended properties (``docProps/app.xml``), and which styles and
faces the WordprocessingML parts name.

python-docx's template carries another locale's theme (Calibri, Cambria and
thirty per-script faces, ＭＳ 明朝 among them), a font table of Japanese
faces, Microsoft Macintosh Word's properties and some hundred styles no
brief uses; the writer replaces or prunes each (``_package``).
"""

from __future__ import annotations

from collections.abc import Iterable

from docx.oxml.ns import qn
from lxml import etree

from ._faces import Face
from ._oxml import el

_RFONTS = qn("w:rFonts")
_FONT_ATTRS = tuple(qn(f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs"))
_EAST_ASIA = qn("w:eastAsia")

# --------------------------------------------------------------------------
# Faces


def named_faces(root: etree._Element) -> dict[str, bool]:
    """Every face a part names in a ``w:rFonts`` (ascii, hAnsi, eastAsia,
    cs), each with whether it is named for East Asian text."""
    found: dict[str, bool] = {}
    for fonts in root.iter(_RFONTS):
        for attr in _FONT_ATTRS:
            name = fonts.get(attr)
            if name:
                found[name] = found.get(name, False) or attr == _EAST_ASIA
    return found


def font_entry(face: Face) -> etree._Element:
    """A ``w:font``, children in schema order (altName, panose1, charset,
    family, pitch)."""
    node = el("w:font", {"w:name": face.name})
    if face.alt:
        node.append(el("w:altName", {"w:val": face.alt}))
    if face.panose:
        node.append(el("w:panose1", {"w:val": face.panose}))
    node.append(el("w:charset", {"w:val": face.charset}))
    node.append(el("w:family", {"w:val": face.family}))
    node.append(el("w:pitch", {"w:val": "fixed" if face.fixed else "variable"}))
    return node


def font_table(faces: Iterable[Face]) -> etree._Element:
    """A ``w:fonts`` part declaring ``faces``, in their order."""
    return el("w:fonts", None, *(font_entry(face) for face in faces))


def declared_faces(fonts: etree._Element) -> list[str]:
    """The names a font table declares, in its order."""
    return [node.get(qn("w:name"), "") for node in fonts.iterchildren(qn("w:font"))]


def add_faces(fonts: etree._Element, faces: Iterable[Face]) -> None:
    """Declare ``faces`` at the end of a (reference document's) font table."""
    for face in faces:
        fonts.append(font_entry(face))


# --------------------------------------------------------------------------
# The theme

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def theme_faces(theme: etree._Element) -> list[str]:
    """The faces the theme's major and minor fonts name (Latin, East Asian,
    complex script; per-script faces aside), in order, once each."""
    found: list[str] = []
    for scheme in theme.iter(f"{_A}majorFont", f"{_A}minorFont"):
        for tag in ("latin", "ea", "cs"):
            node = scheme.find(f"{_A}{tag}")
            name = "" if node is None else node.get("typeface", "")
            if name and name not in found:
                found.append(name)
    return found


def set_theme_fonts(
    theme: etree._Element, name: str, major: tuple[str, str], minor: tuple[str, str]
) -> None:
    """The theme's font scheme as the brief's own: ``major`` and ``minor``
    are (Latin, East Asian) faces, '' for none; no per-script list, so no
    script falls back to a face of another locale."""
    for scheme in theme.iter(f"{_A}fontScheme"):
        scheme.set("name", name)
        for tag, (latin, east_asia) in (("majorFont", major), ("minorFont", minor)):
            old = scheme.find(f"{_A}{tag}")
            new = etree.Element(f"{_A}{tag}")
            for child, face in (("latin", latin), ("ea", east_asia), ("cs", "")):
                etree.SubElement(new, f"{_A}{child}", typeface=face)
            if old is None:
                scheme.append(new)
            else:
                old.addprevious(new)
                scheme.remove(old)


# --------------------------------------------------------------------------
# Styles in use

_STYLE_REFS = tuple(qn(f"w:{tag}") for tag in ("pStyle", "rStyle", "tblStyle", "numStyleLink"))
_STYLE_LINKS = tuple(qn(f"w:{tag}") for tag in ("basedOn", "link", "next"))
_VAL, _ID, _STYLE, _NAME = (qn(f"w:{n}") for n in ("val", "styleId", "style", "name"))


def styles_named(root: etree._Element) -> set[str]:
    """The style ids a part's paragraphs, runs, tables and lists name."""
    return {node.get(_VAL, "") for node in root.iter(*_STYLE_REFS)}


def prune_styles(styles: etree._Element, used: set[str], kept_names: set[str]) -> list[str]:
    """Remove every style neither ``used`` (by id), nor a default, nor named
    in ``kept_names`` (lower case), nor based on, linked to or next of one
    kept; the names removed, in order."""
    by_id = {s.get(_ID, ""): s for s in styles.iterchildren(_STYLE)}
    todo = [
        sid
        for sid, s in by_id.items()
        if sid in used or s.get(qn("w:default")) in ("1", "true", "on") or _name(s) in kept_names
    ]
    keep: set[str] = set()
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        todo.extend(n.get(_VAL, "") for n in by_id[sid].iterchildren(*_STYLE_LINKS))
    removed = [_name(s) for sid, s in by_id.items() if sid not in keep]
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
    return removed


def _name(style: etree._Element) -> str:
    node = style.find(_NAME)
    return "" if node is None else node.get(_VAL, "").lower()


# --------------------------------------------------------------------------
# Extended properties

_EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def app_properties(application: str, version: str | None) -> etree._Element:
    """``docProps/app.xml`` naming the application that wrote the file and,
    when given, its version (``NN.NNNN``); nothing it does not know (pages,
    words, lines are the word processor's to count)."""
    root = etree.Element(f"{{{_EP}}}Properties", nsmap={None: _EP, "vt": _VT})
    etree.SubElement(root, f"{{{_EP}}}Application").text = application
    etree.SubElement(root, f"{{{_EP}}}DocSecurity").text = "0"
    if version:
        etree.SubElement(root, f"{{{_EP}}}AppVersion").text = version
    return root
