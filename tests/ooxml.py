"""Reading a .docx the way a validating consumer does: its parts, Markup
Compatibility processing (ECMA-376 Part 3), the ECMA-376 transitional
schemas, and the text Word's Find searches. Helpers for test_docx_validity."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

#: the schema file that declares each root element's namespace: every part of
#: a WordprocessingML package (the theme is DrawingML; the properties, content
#: types and relationships are OPC's)
SCHEMA_OF_ROOT = {
    W: "wml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": (
        "opc-coreProperties.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": (
        "shared-documentPropertiesCustom.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/customXml": (
        "shared-customXmlDataProperties.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/bibliography": (
        "shared-bibliography.xsd"
    ),
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-relationships.xsd",
}

#: namespaces ECMA-376 itself defines (its Parts 1, 2 and 4, and what they
#: import): what a consumer of the standard alone understands. Everything
#: else (w14, w15, wp14, ...) is an extension it must ignore or fall back from.
_ECMA_PREFIXES = ("http://schemas.openxmlformats.org/", "http://purl.org/dc/")
_ECMA_OTHERS = frozenset(
    {
        "urn:schemas-microsoft-com:vml",
        "urn:schemas-microsoft-com:office:office",
        "urn:schemas-microsoft-com:office:word",
        "urn:schemas-microsoft-com:office:excel",
        "urn:schemas-microsoft-com:office:powerpoint",
        "http://www.w3.org/XML/1998/namespace",
        "http://www.w3.org/2001/XMLSchema-instance",
    }
)


def understood(namespace: str) -> bool:
    return namespace.startswith(_ECMA_PREFIXES) or namespace in _ECMA_OTHERS


# --------------------------------------------------------------------------
# The package


def xml_parts(data: bytes) -> dict[str, bytes]:
    """Every XML part of the package (name -> bytes), the content types and
    relationships included; images and other binaries left out."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {
            name: package.read(name)
            for name in package.namelist()
            if name.endswith((".xml", ".rels"))
        }


def with_part(data: bytes, name: str, edit: Callable[[etree._Element], None]) -> bytes:
    """The package with part ``name`` parsed, changed in place by ``edit``
    and written back; every other member as it was."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = source.read(info.filename)
            if info.filename == name:
                root = etree.fromstring(member)
                edit(root)
                member = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(info, member)
    return out.getvalue()


# --------------------------------------------------------------------------
# Markup Compatibility (ECMA-376 Part 3), for a consumer of ECMA-376 alone


class MustUnderstandError(ValueError):
    """A part requires a namespace the consumer does not understand."""


@dataclass(frozen=True)
class _Scope:
    ignorable: frozenset[str] = frozenset()
    #: (namespace, local name or "*") of ignored elements whose content is kept
    process_content: frozenset[tuple[str, str]] = frozenset()


def _namespaces(element: etree._Element, prefixes: str | None) -> set[str]:
    return {element.nsmap[p] for p in (prefixes or "").split() if p in element.nsmap}


def _qualified(element: etree._Element, names: str | None) -> set[tuple[str, str]]:
    found = set()
    for name in (names or "").split():
        prefix, _, local = name.rpartition(":")
        if prefix in element.nsmap:
            found.add((element.nsmap[prefix], local))
    return found


def _enter(element: etree._Element, outer: _Scope) -> _Scope:
    """The scope inside ``element``: its own mc attributes added to the
    outer ones, then every mc attribute removed from it."""
    ignorable = {n for n in _namespaces(element, element.get(f"{{{MC}}}Ignorable"))}
    ignorable = {n for n in ignorable if not understood(n)}
    required = _namespaces(element, element.get(f"{{{MC}}}MustUnderstand"))
    if unknown := sorted(n for n in required if not understood(n)):
        raise MustUnderstandError(f"{element.tag} must be understood in {unknown}")
    content = _qualified(element, element.get(f"{{{MC}}}ProcessContent"))
    for attribute in list(element.attrib):
        if etree.QName(attribute).namespace == MC:
            del element.attrib[attribute]
    return _Scope(outer.ignorable | ignorable, outer.process_content | content)


def _choice(alternate: etree._Element) -> etree._Element | None:
    """The first mc:Choice whose required namespaces are all understood,
    else mc:Fallback, else nothing."""
    for branch in alternate:
        if branch.tag == f"{{{MC}}}Choice":
            if all(understood(n) for n in _namespaces(branch, branch.get("Requires"))):
                return branch
        elif branch.tag == f"{{{MC}}}Fallback":
            return branch
    return None


def _splice(parent: etree._Element, child: etree._Element, content: Iterable) -> None:
    """Put ``content`` where ``child`` was, keeping the text around it."""
    at = parent.index(child)
    moved = list(content)
    for offset, node in enumerate(moved):
        parent.insert(at + offset, node)
    tail = child.tail
    parent.remove(child)
    if tail:
        if moved:
            moved[-1].tail = (moved[-1].tail or "") + tail
        else:
            previous = parent[at - 1] if at > 0 else None
            if previous is None:
                parent.text = (parent.text or "") + tail
            else:
                previous.tail = (previous.tail or "") + tail


def _process(element: etree._Element, outer: _Scope) -> None:
    scope = _enter(element, outer)
    for attribute in list(element.attrib):
        if etree.QName(attribute).namespace in scope.ignorable:
            del element.attrib[attribute]
    for child in list(element):
        if not isinstance(child.tag, str):  # a comment or processing instruction
            continue
        name = etree.QName(child)
        if child.tag == f"{{{MC}}}AlternateContent":
            inner = _enter(child, scope)
            chosen = _choice(child)
            if chosen is not None:
                _process(chosen, inner)
            _splice(element, child, chosen if chosen is not None else ())
        elif name.namespace in scope.ignorable:
            keep = {(name.namespace, name.localname), (name.namespace, "*")}
            if keep & scope.process_content:
                _process(child, scope)
                _splice(element, child, child)
            else:
                _splice(element, child, ())
        else:
            _process(child, scope)


def compatible(root: etree._Element) -> etree._Element:
    """A copy of ``root`` after Markup Compatibility processing: elements
    and attributes of the ignorable namespaces dropped (an ignored element
    named in mc:ProcessContent leaves its content), each
    mc:AlternateContent replaced by its first understood mc:Choice or else
    its mc:Fallback, and the mc attributes themselves removed."""
    copy = etree.fromstring(etree.tostring(root))
    _process(copy, _Scope())
    return copy


# --------------------------------------------------------------------------
# The ECMA-376 transitional schemas


XS = "http://www.w3.org/2001/XMLSchema"


class _DublinCore(etree.Resolver):
    """The collection's Dublin Core schema as Dublin Core and ECMA-376 Part 2
    have it: the collection narrows dc:language to "en-US" alone (its own
    comment says how to lift that), where any language tag is allowed."""

    def resolve(self, url, pubid, context):  # type: ignore[no-untyped-def]
        if not url.replace("\\", "/").endswith("purl/org/dc.xsd"):
            return None
        tree = etree.parse(url)
        for element in tree.getroot().iter(f"{{{XS}}}element"):
            if element.get("name") == "language":
                element.set("type", "xs:string")
        return self.resolve_string(etree.tostring(tree), context, base_url=url)


class Schemas:
    """The schemas of a folder, each loaded once, chosen by a part's root
    element."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._loaded: dict[str, etree.XMLSchema] = {}

    def _schema(self, filename: str) -> etree.XMLSchema:
        if filename not in self._loaded:
            parser = etree.XMLParser(no_network=True)
            parser.resolvers.add(_DublinCore())
            tree = etree.parse(str(self.folder / filename), parser)
            self._loaded[filename] = etree.XMLSchema(tree)
        return self._loaded[filename]

    def findings(self, name: str, data: bytes) -> list[str]:
        """What the schema of part ``name`` reports about it after Markup
        Compatibility processing, one line per finding (empty when valid)."""
        root = etree.fromstring(data)
        namespace = etree.QName(root).namespace or ""
        if namespace not in SCHEMA_OF_ROOT:
            return [f"{name}: no schema for its root element {root.tag}"]
        try:
            processed = compatible(root)
        except MustUnderstandError as exc:
            return [f"{name}: {exc}"]
        schema = self._schema(SCHEMA_OF_ROOT[namespace])
        if schema.validate(processed):
            return []
        return [f"{name}: {error.path}: {error.message}" for error in schema.error_log]


# --------------------------------------------------------------------------
# The text Word's Find searches

#: what a run holds besides text, as Find sees it: a tab, a line break, a
#: note mark stands between the characters around it
_BREAKS = {
    f"{{{W}}}tab": "\t",
    f"{{{W}}}br": "\n",
    f"{{{W}}}cr": "\n",
    f"{{{W}}}noBreakHyphen": "\u2011",
    f"{{{W}}}footnoteReference": "\ufffc",
    f"{{{W}}}endnoteReference": "\ufffc",
}


def paragraph_texts(document_xml: bytes) -> list[str]:
    """Each paragraph's text in document order: its w:t text concatenated,
    with whatever else a run holds between characters kept as a mark."""
    texts = []
    for paragraph in etree.fromstring(document_xml).iter(f"{{{W}}}p"):
        pieces = []
        for node in paragraph.iter(f"{{{W}}}t", *_BREAKS):
            pieces.append(node.text or "" if node.tag == f"{{{W}}}t" else _BREAKS[node.tag])
        texts.append("".join(pieces))
    return texts
