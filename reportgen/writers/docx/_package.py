"""The .docx package: the base document (python-docx's template or a
reference .docx), the footnotes part, the core properties, and saving as
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

from ... import model as m
from ...errors import RenderError
from . import _oxml as ox
from . import _oxml_format as oxf
from ._styles import run_langs, word_lang


def base_document(reference: bytes | None) -> DocxDocument:
    """python-docx's template, or the organisation's .docx with its body
    emptied (section properties kept) like pandoc's --reference-doc."""
    if reference is None:
        docx = open_docx()
        _drop_template_extras(docx)
        return docx
    try:
        docx = open_docx(io.BytesIO(reference))
    except Exception as exc:  # zip, XML and package errors alike
        raise RenderError(f"the reference .docx cannot be read: {exc}") from exc
    ox.empty_body(docx.element.body)
    return docx


_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def _drop_template_extras(docx: DocxDocument) -> None:
    """The template's thumbnail shows a blank page, and its Word 2010
    stylesWithEffects copy would still hold the old look; unlinked parts are
    not saved."""
    for rels, reltype in (
        (docx.part.package.rels, RT.THUMBNAIL),
        (docx.part.rels, _STYLES_WITH_EFFECTS),
    ):
        for r_id, rel in list(rels.items()):
            if rel.reltype == reltype:
                rels.pop(r_id)


#: header and footer distances from the page edge
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
