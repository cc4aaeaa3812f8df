"""The .docx package: the base document (python-docx's template made our
own, or a reference .docx), the footnotes part, the core and extended
properties, the theme's fonts and the font table, and saving as
reproducible bytes (fixed zip times and order).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from lxml import etree

from ... import __version__
from ... import model as m
from ...errors import RenderError
from . import _oxml as ox
from . import _oxml_format as oxf
from . import _oxml_package as oxp
from ._faces import face
from ._looks import GALLERY
from ._styles import run_langs, word_lang


def base_document(reference: bytes | None) -> DocxDocument:
    """python-docx's template, or the organisation's .docx with its body
    emptied (section properties kept) like pandoc's --reference-doc."""
    if reference is None:
        docx = open_docx()
        # Word 2013's layout, so Word opens the file out of Compatibility Mode
        oxf.settings_compatibility_mode(docx.settings.element, 15)
    else:
        try:
            docx = open_docx(io.BytesIO(reference))
        except Exception as exc:  # zip, XML and package errors alike
            raise RenderError(f"the reference .docx cannot be read: {exc}") from exc
        ox.empty_body(docx.element.body)
    # a reference's stale copies go too: its stylesWithEffects would not hold
    # the styles the brief adds (Word may call that unreadable content)
    _drop_template_extras(docx)
    oxf.settings_zoom(docx.settings.element, 100)
    return docx


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_template_extras(docx: DocxDocument) -> None:
    """A template's thumbnail shows its own first page, not the brief, and
    its Word 2010 stylesWithEffects copy would still hold the old look and
    lack the brief's styles; unlinked parts are not saved."""
    for rels, reltype in (
        (docx.part.package.rels, RT.THUMBNAIL),
        (docx.part.rels, _STYLES_WITH_EFFECTS),
    ):
        for r_id, rel in list(rels.items()):
            if rel.reltype == reltype:
                rels.pop(r_id)


def footnotes_part(docx: DocxDocument) -> tuple[etree._Element, Part]:
    """Our footnotes root and the part it will be written to."""
    root = ox.footnotes_root()
    for rel in docx.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            return root, rel.target_part
    uri = PackURI("/word/footnotes.xml")
    part = XmlPart(uri, CT.WML_FOOTNOTES, ox.part_root(root), docx.part.package)
    docx.part.relate_to(part, RT.FOOTNOTES)
    return root, part


def properties(docx: DocxDocument, meta: m.Metadata) -> None:
    when = dt.datetime.fromtimestamp(meta.timestamp, dt.timezone.utc).replace(tzinfo=None)
    props = docx.core_properties
    props.title = ox.clean_text(meta.title)
    props.subject = ox.clean_text(meta.subject)
    props.author = ox.clean_text(meta.author)
    props.keywords = _keywords(meta.keywords)
    props.language = word_lang(meta.lang)
    props.created = props.modified = when
    props.last_modified_by = "reportgen"
    props.comments = ""
    props.revision = 1
    oxf.set_theme_font_lang(docx.settings.element, *run_langs(meta.lang))


def finish(docx: DocxDocument, meta: m.Metadata, words: dict[str, str], own: bool) -> None:
    """The package made the brief's own once its content is written: with
    the built-in look (``own``), the theme's fonts are the brief's faces and
    styles.xml keeps only the styles in use and Word's gallery; a reference
    document keeps its theme and styles. Either way the font table declares
    every face the file names, and app.xml names reportgen."""
    if own:
        chinese = meta.lang.lower().startswith("zh")
        major = words["headings"], words["cjk_headings"] if chinese else ""
        minor = words["body"], words["cjk_body"] if chinese else ""
        theme = _part(docx, RT.THEME)
        if theme is not None:
            root = _root(theme)
            oxp.set_theme_fonts(root, "reportgen", major, minor)
            ox.replace_part_xml(theme, root)
        _prune_styles(docx)
    _font_table(docx, own)
    _app_properties(docx)


#: the parts whose WordprocessingML names styles and faces
_WML_PARTS = {
    CT.WML_DOCUMENT_MAIN,
    CT.WML_FOOTNOTES,
    CT.WML_ENDNOTES,
    CT.WML_HEADER,
    CT.WML_FOOTER,
    CT.WML_NUMBERING,
    CT.WML_COMMENTS,
}


def _wml_roots(docx: DocxDocument, styles: bool) -> list[etree._Element]:
    kinds = _WML_PARTS | {CT.WML_STYLES} if styles else _WML_PARTS
    parts = sorted(docx.part.package.iter_parts(), key=lambda p: str(p.partname))
    return [_root(part) for part in parts if part.content_type in kinds]


def _prune_styles(docx: DocxDocument) -> None:
    used = set().union(*(oxp.styles_named(root) for root in _wml_roots(docx, styles=False)))
    oxp.prune_styles(docx.styles.element, used, GALLERY)


def _font_table(docx: DocxDocument, own: bool) -> None:
    """Declare every face the parts and the theme name; a reference
    document's table keeps its entries and gains the faces it lacks."""
    named: dict[str, bool] = {}
    theme = _part(docx, RT.THEME)
    if theme is not None:
        named.update(dict.fromkeys(oxp.theme_faces(_root(theme)), False))
    for root in _wml_roots(docx, styles=True):
        for name, east_asian in oxp.named_faces(root).items():
            named[name] = named.get(name, False) or east_asian
    part = _part(docx, RT.FONT_TABLE)
    if part is None:
        part = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, b"", docx.part.package)
        docx.part.relate_to(part, RT.FONT_TABLE)
        own = True
    faces = [face(name, named[name]) for name in sorted(named, key=str.casefold)]
    if own:
        root = oxp.font_table(faces)
    else:
        root = _root(part)
        declared = set(oxp.declared_faces(root))
        oxp.add_faces(root, [f for f in faces if f.name not in declared])
    ox.replace_part_xml(part, root)


def _app_properties(docx: DocxDocument) -> None:
    """app.xml names reportgen and its version, and nothing it cannot know."""
    root = oxp.app_properties("reportgen", app_version(__version__))
    package = docx.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES and not rel.is_external:
            ox.replace_part_xml(rel.target_part, root)
            return
    uri = PackURI("/docProps/app.xml")
    part = Part(uri, CT.OFC_EXTENDED_PROPERTIES, b"", package)
    ox.replace_part_xml(part, root)
    package.relate_to(part, RT.EXTENDED_PROPERTIES)


def app_version(version: str) -> str | None:
    """A version as app.xml's ``NN.NNNN`` (major.minor: 0.1.0 -> 00.0001),
    None when it does not fit (a pre-release, a major past 99)."""
    parts = version.split(".")
    if len(parts) < 2 or not all(p.isdigit() for p in parts):
        return None
    major, minor = int(parts[0]), int(parts[1])
    if major > 99 or minor > 9999:
        return None
    return f"{major:02d}.{minor:04d}"


def _part(docx: DocxDocument, reltype: str) -> Part | None:
    for rel in docx.part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _root(part: Part) -> etree._Element:
    """A part's XML: an XmlPart's element, or a plain part's bytes parsed."""
    if isinstance(part, XmlPart):
        return part.element
    return etree.fromstring(part.blob)


#: python-docx refuses core properties longer than this (a brief with many
#: cases has a keyword per series title)
_PROPERTY_LIMIT = 255


def _keywords(keywords: tuple[str, ...]) -> str:
    """As many whole keywords as fit the core-property limit, in order."""
    kept: list[str] = []
    for word in (ox.clean_text(k) for k in keywords):
        if len(", ".join([*kept, word])) > _PROPERTY_LIMIT:
            break
        kept.append(word)
    return ", ".join(kept)


# Fixed zip metadata so the same Document always gives the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def save(docx: DocxDocument) -> bytes:
    """The package as zip bytes: content types first, then sorted names,
    fixed times, permissions and compression."""
    members = ox.package_members(docx)
    names = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, members[name], compresslevel=6)
    return out.getvalue()
