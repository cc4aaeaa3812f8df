"""The Word file is valid, and Find finds what it prints: every built-in
brief (4 audiences x en/zh; as built in, with contents, with a reference
.docx) passes openxml-audit (a port of Microsoft's Open XML SDK validator)
for Microsoft 365 and the ECMA-376 transitional schemas after Markup
Compatibility processing; each validator fails on a planted fault; and
every series title and figure is one run of text with nothing invisible in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator

from reportgen.files import resources
from reportgen.pipeline import Brief, BriefRequest, render_brief, render_formats

from .conftest import needs_cjk
from .ooxml import MC, Schemas, W, compatible, paragraph_texts, with_part, xml_parts

#: the ECMA-376 schemas live beside the clone, never in it
SCHEMAS = Path(__file__).parents[2] / "shared" / "ooxml-schemas"
needs_schemas = pytest.mark.skipif(
    not (SCHEMAS / "wml.xsd").is_file(),
    reason=f"the ECMA-376 transitional schemas are not in {SCHEMAS} (a clone without ../shared)",
)

AUDIENCES = ("industry", "international", "newsletter", "policymakers")
#: as built in; with a profile asking for contents; with a reference .docx
#: (python-docx's default template, as --reference-docx passes it)
VARIANTS = ("built-in", "contents", "reference")
BRIEFS = [
    pytest.param(audience, lang, variant, id=f"{audience}-{lang}-{variant}", marks=marks)
    for audience in AUDIENCES
    for lang, marks in (("en", ()), ("zh", (needs_cjk,)))
    for variant in VARIANTS
]

#: characters that are there but not seen: a Find typed by an editor misses
#: any text they sit in
INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
}


@dataclass(frozen=True)
class Made:
    """One brief as the pipeline made it: the rendered brief and its .docx."""

    brief: Brief
    path: Path

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


class Briefs:
    """Each brief rendered once, when a test first asks for it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._made: dict[tuple[str, str, str], Made] = {}

    def get(self, audience: str, lang: str, variant: str) -> Made:
        key = (audience, lang, variant)
        if key not in self._made:
            self._made[key] = self._make(*key)
        return self._made[key]

    def _make(self, audience: str, lang: str, variant: str) -> Made:
        request = BriefRequest(audience=audience, lang=lang, formats=("docx",))
        if variant == "contents":
            request = BriefRequest(
                audience=audience, lang=lang, formats=("docx",), templates=self._contents(audience)
            )
        elif variant == "reference":
            request = BriefRequest(
                audience=audience, lang=lang, formats=("docx",), reference_docx=self._reference()
            )
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", "1735689600")
            brief = render_brief(request)
            payload = render_formats(brief, request)["docx"].payload
        path = self.folder / f"{audience}-{lang}-{variant}.docx"
        path.write_bytes(payload)
        return Made(brief, path)

    def _contents(self, audience: str) -> Path:
        """A templates folder whose profile for ``audience`` is the built-in
        one asking for contents."""
        folder = self.folder / f"contents-{audience}"
        (folder / "audiences").mkdir(parents=True, exist_ok=True)
        builtin = resources.builtin_templates() / "audiences" / f"{audience}.yaml"
        profile = builtin.read_text(encoding="utf-8") + "\ncontents: true\n"
        (folder / "audiences" / f"{audience}.yaml").write_text(profile, encoding="utf-8")
        return folder

    def _reference(self) -> Path:
        path = self.folder / "reference.docx"
        if not path.exists():
            docx.Document().save(str(path))
        return path


@pytest.fixture(scope="session")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> Briefs:
    return Briefs(tmp_path_factory.mktemp("briefs"))


Audit = Callable[[Path], list[str]]


@pytest.fixture(scope="session")
def audit() -> Audit:
    """openxml-audit for the newest Office it knows, every finding kept
    (warnings too) as 'part: where: what'. One validator per file: an
    instance keeps the cross-part references it read (the footnote ids)
    keyed by id() of the package, which Python reuses for the next file, so
    a reused instance reports another file's footnotes as missing."""

    def findings(path: Path) -> list[str]:
        validator = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0)
        return [
            f"{e.part_uri}: {e.path}: [{e.severity.value}] {e.description}"
            for e in validator.validate(path).errors
        ]

    return findings


@pytest.fixture(scope="session")
def schemas() -> Schemas:
    if not (SCHEMAS / "wml.xsd").is_file():
        pytest.skip(f"the ECMA-376 transitional schemas are not in {SCHEMAS}")
    return Schemas(SCHEMAS)


def schema_findings(schemas: Schemas, data: bytes) -> list[str]:
    return [line for name, part in xml_parts(data).items() for line in schemas.findings(name, part)]


# --------------------------------------------------------------------------
# The gate: both validators report nothing on every built-in brief


@pytest.mark.parametrize(("audience", "lang", "variant"), BRIEFS)
def test_openxml_audit_reports_nothing_for_microsoft_365(
    briefs: Briefs, audit: Audit, audience: str, lang: str, variant: str
) -> None:
    findings = audit(briefs.get(audience, lang, variant).path)
    assert findings == [], "\n".join(findings)


@needs_schemas
@pytest.mark.parametrize(("audience", "lang", "variant"), BRIEFS)
def test_every_part_is_valid_against_the_ecma_376_transitional_schemas(
    briefs: Briefs, schemas: Schemas, audience: str, lang: str, variant: str
) -> None:
    data = briefs.get(audience, lang, variant).data
    names = set(xml_parts(data))
    # the gate reads the parts an editor's Word reads, not only the body
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml"} <= names
    assert {"word/theme/theme1.xml", "docProps/core.xml", "docProps/app.xml"} <= names
    findings = schema_findings(schemas, data)
    assert findings == [], "\n".join(findings)


# --------------------------------------------------------------------------
# Each validator fails on a planted fault


def _move_after(root: etree._Element, parent: str, moved: str, after: str) -> None:
    """In the first ``parent`` holding both, child ``moved`` put after ``after``."""
    holder = next(
        p
        for p in root.iter(f"{{{W}}}{parent}")
        if p.find(f"{{{W}}}{moved}") is not None and p.find(f"{{{W}}}{after}") is not None
    )
    child = holder.find(f"{{{W}}}{moved}")
    holder.remove(child)
    holder.find(f"{{{W}}}{after}").addnext(child)


def _ppr_after_run(root: etree._Element) -> None:
    """A paragraph's properties moved after its first run."""
    _move_after(root, "p", "pPr", "r")


def _rpr_after_text(root: etree._Element) -> None:
    """A run's properties moved after its text."""
    _move_after(root, "r", "rPr", "t")


def _jc_sideways(root: etree._Element) -> None:
    """A paragraph aligned to a value the schema does not list."""
    next(root.iter(f"{{{W}}}jc")).set(f"{{{W}}}val", "sideways")


def _style_rpr_before_ppr(root: etree._Element) -> None:
    """A style's run properties put before its paragraph properties."""
    _move_after(root, "style", "pPr", "rPr")


FAULTS = [
    pytest.param("word/document.xml", _rpr_after_text, "rPr", id="rPr-after-its-text"),
    pytest.param("word/document.xml", _jc_sideways, "sideways", id="jc-sideways"),
    pytest.param("word/styles.xml", _style_rpr_before_ppr, "pPr", id="style-rPr-before-pPr"),
]
#: the schema collection declares a paragraph's content as a choice, not
#: ECMA-376's sequence (w:pPr, then the runs), so only openxml-audit sees
#: a w:pPr after a run
AUDIT_FAULTS = [
    *FAULTS,
    pytest.param("word/document.xml", _ppr_after_run, "pPr", id="pPr-after-a-run"),
]


@pytest.mark.parametrize(("part", "plant", "named"), AUDIT_FAULTS)
def test_openxml_audit_finds_a_planted_fault(
    briefs: Briefs, audit: Audit, tmp_path: Path, part, plant, named: str
) -> None:
    made = briefs.get("policymakers", "en", "built-in")
    faulty = tmp_path / "faulty.docx"
    faulty.write_bytes(with_part(made.data, part, plant))
    new = set(audit(faulty)) - set(audit(made.path))
    assert any(f.startswith(f"/{part}: ") and named in f for f in new), new


@needs_schemas
@pytest.mark.parametrize(("part", "plant", "named"), FAULTS)
def test_the_schemas_find_a_planted_fault(
    briefs: Briefs, schemas: Schemas, part, plant, named: str
) -> None:
    data = briefs.get("policymakers", "en", "built-in").data
    new = set(schema_findings(schemas, with_part(data, part, plant)))
    new -= set(schema_findings(schemas, data))
    assert any(f.startswith(f"{part}: ") and named in f for f in new), new


# --------------------------------------------------------------------------
# Markup Compatibility processing, as ECMA-376 Part 3 has it

NS = (
    f'xmlns:w="{W}" xmlns:mc="{MC}" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


W16CEX = "http://schemas.microsoft.com/office/word/2018/wordml/cex"


def _processed(body: str) -> str:
    root = etree.fromstring(f'<w:body {NS} mc:Ignorable="w14">{body}</w:body>')
    return etree.tostring(compatible(root), encoding="unicode")


def test_markup_compatibility_drops_what_the_ignorable_namespaces_add() -> None:
    xml = _processed('<w:p w14:paraId="1A2B3C4D"><w14:extra/><w:r><w:t>x</w:t></w:r></w:p>')
    assert "w14:" not in xml.replace("xmlns:w14", "")
    assert "Ignorable" not in xml
    assert "<w:r><w:t>x</w:t></w:r>" in xml


def test_markup_compatibility_takes_the_fallback_of_a_choice_it_does_not_understand() -> None:
    xml = _processed(
        "<w:p><mc:AlternateContent>"
        '<mc:Choice Requires="wps"><w:r><w:t>shape</w:t></w:r></mc:Choice>'
        "<mc:Fallback><w:r><w:t>picture</w:t></w:r></mc:Fallback>"
        "</mc:AlternateContent></w:p>"
    )
    assert "picture" in xml and "shape" not in xml and "mc:" not in xml.replace("xmlns:mc", "")


def test_markup_compatibility_keeps_the_content_of_an_element_it_is_told_to_process() -> None:
    xml = _processed('<w:p mc:ProcessContent="w14:wrap"><w14:wrap><w:r/></w14:wrap></w:p>')
    assert "<w:p><w:r/></w:p>" in xml


@needs_schemas
def test_an_extension_is_valid_only_after_markup_compatibility_processing(
    schemas: Schemas,
) -> None:
    extended = (
        f'<w:document {NS} xmlns:w16cex="{W16CEX}" mc:Ignorable="w16cex"><w:body>'
        '<w:p w16cex:durableId="1A2B3C4D"><w:r><w:t>x</w:t></w:r></w:p>'
        "</w:body></w:document>"
    ).encode()
    assert schemas.findings("word/document.xml", extended) == []
    raw = etree.XMLSchema(etree.parse(str(SCHEMAS / "wml.xsd")))
    assert not raw.validate(etree.fromstring(extended))


# --------------------------------------------------------------------------
# Word's Find finds every series title and every figure as printed


def find_folded(text: str) -> str:
    """Text as Word's Find compares it: a typed space finds a no-break
    space, a typed straight quote a curly one."""
    return text.translate(
        str.maketrans({"\u00a0": " ", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
    )


def find_needles(brief: Brief) -> set[str]:
    """Every series title of the data in the brief's language, and every
    figure the brief printed, with its unit and qualifier."""
    lang = brief.document.meta.lang[:2]
    titles = {case.title.get(lang) for case in brief.data.cases}
    return titles | {text for _, text in brief.state.printed}


def not_found(data: bytes, needles: set[str]) -> list[str]:
    """The needles no paragraph of the body holds, as Find would miss them."""
    body = xml_parts(data)["word/document.xml"]
    paragraphs = [find_folded(text) for text in paragraph_texts(body)]
    return sorted(n for n in needles if not any(find_folded(n) in p for p in paragraphs))


def invisible(data: bytes) -> list[str]:
    """Each part holding an invisible character: which, how often, where first."""
    found = []
    for name, part in xml_parts(data).items():
        text = part.decode("utf-8")
        for char, what in INVISIBLE.items():
            if count := text.count(char):
                at = text.index(char)
                snippet = text[max(at - 30, 0) : at + 30]
                found.append(f"{name}: {count} x U+{ord(char):04X} {what}, first in {snippet!r}")
    return found


@pytest.mark.parametrize(("audience", "lang", "variant"), BRIEFS)
def test_word_find_finds_every_series_title_and_figure_in_one_paragraph(
    briefs: Briefs, audience: str, lang: str, variant: str
) -> None:
    made = briefs.get(audience, lang, variant)
    needles = find_needles(made.brief)
    assert needles
    assert not_found(made.data, needles) == []


@needs_cjk
def test_the_find_test_looks_for_the_figures_and_titles_the_issue_names(briefs: Briefs) -> None:
    needles = find_needles(briefs.get("policymakers", "zh", "built-in").brief)
    assert {"2255亿元", "二十不惑2", "超过2880家"} <= needles


@pytest.mark.parametrize(("audience", "lang", "variant"), BRIEFS)
def test_no_part_holds_an_invisible_character(
    briefs: Briefs, audience: str, lang: str, variant: str
) -> None:
    assert invisible(briefs.get(audience, lang, variant).data) == []


@needs_cjk
@pytest.mark.parametrize("hidden", ["\u2060", "\u200b"])
def test_find_and_the_scan_fail_on_a_zero_width_character_inside_a_title(
    briefs: Briefs, hidden: str
) -> None:
    made = briefs.get("policymakers", "zh", "built-in")

    def plant(root: etree._Element) -> None:
        titled = [t for t in root.iter(f"{{{W}}}t") if t.text and "二十不惑2" in t.text]
        assert titled
        for text in titled:  # wherever the brief names it
            text.text = text.text.replace("二十不惑2", f"二十不惑{hidden}2")

    faulty = with_part(made.data, "word/document.xml", plant)
    assert not_found(made.data, {"二十不惑2"}) == []
    assert not_found(faulty, {"二十不惑2"}) == ["二十不惑2"]
    assert [line.split(":")[0] for line in invisible(faulty)] == ["word/document.xml"]
