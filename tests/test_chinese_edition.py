"""The Chinese edition, end to end: every built-in audience rendered with
``--lang zh`` to PDF and Word, reopened with real readers.

Each audience is rendered once per module (rendering takes a second or two
a file); the tests then read the files."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFace

from reportgen import fonts
from reportgen.cli import main
from reportgen.data.validate import load_case_data
from reportgen.files import resources
from reportgen.text import formatting as fmt

from .conftest import FIXTURE

AUDIENCES = ["policymakers", "industry", "international", "newsletter"]
SLUG = "shanghai-online-drama"
EPOCH = "1735689600"  # 2025-01-01, as conftest fixes it for every test
TITLES = ["三十而已", "二十不惑2", "小敏家"]
CJK = re.compile(r"[\u4e00-\u9fff]")
# Chinese line-breaking rules (kinsoku): no line opens with closing
# punctuation and none ends with opening punctuation.
NO_LINE_START = "，。、；：？！）》」』"
NO_LINE_END = "（《「『"
ZH_TEMPLATES = resources.builtin_templates() / "sections" / "zh"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Audience -> {"pdf": path, "docx": path}, each audience rendered once."""
    out = tmp_path_factory.mktemp("zh")
    runner = CliRunner()
    found: dict[str, dict[str, Path]] = {}
    for audience in AUDIENCES:
        result = runner.invoke(
            main,
            ["brief", "--lang", "zh", "-a", audience, "-f", "all", "-o", str(out)],
            env={"SOURCE_DATE_EPOCH": EPOCH},
        )
        assert result.exit_code == 0, result.output
        paths = [Path(line) for line in result.stdout.splitlines() if line.strip()]
        found[audience] = {path.suffix.lstrip("."): path for path in paths}
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def squeezed(text: str) -> str:
    """``text`` without white space: a title may wrap between two lines."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_renders_a_chinese_pdf_and_word_file_named_zh(
    rendered: dict[str, dict[str, Path]], audience: str
) -> None:
    files = rendered[audience]
    assert sorted(files) == ["docx", "pdf"]
    assert files["pdf"].name == f"{SLUG}-{audience}-zh.pdf"
    assert files["docx"].name == f"{SLUG}-{audience}-zh.docx"
    assert all(path.stat().st_size > 0 for path in files.values())


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_brief_names_the_series_in_chinese_and_counts_money_in_yi_yuan(
    rendered: dict[str, dict[str, Path]], audience: str, fmt: str
) -> None:
    path = rendered[audience][fmt]
    text = squeezed(pdf_text(path) if fmt == "pdf" else docx_text(path))
    for title in TITLES:
        assert f"《{title}》" in text, f"{path.name} lacks 《{title}》"
    # the catalogue and the digest print no market money (the digest has no
    # room to introduce the base its figures measure)
    if audience not in ("international", "newsletter"):
        assert "2255亿元" in text
    assert not re.search(r"billion yuan|\d bn\b", text)


def test_the_policymakers_pdf_is_written_in_chinese(
    rendered: dict[str, dict[str, Path]],
) -> None:
    text = pdf_text(rendered["policymakers"]["pdf"])
    assert len(CJK.findall(text)) > 1500
    for heading in ["内容提要", "政策工具", "对策建议", "证据局限", "参考资料"]:
        assert heading in text
    # the English templates' wording does not leak into the Chinese brief
    assert "Executive summary" not in text and "Recommendations" not in text


def test_the_policymakers_brief_carries_the_figures_in_chinese_forms(
    rendered: dict[str, dict[str, Path]],
) -> None:
    text = squeezed(pdf_text(rendered["policymakers"]["pdf"]))
    for fact in ["超过2880家", "逾17亿元", "突破180亿元", "三分之一", "2010年", "第27届"]:
        assert fact in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_pdf_line_opens_with_closing_or_ends_with_opening_punctuation(
    rendered: dict[str, dict[str, Path]], audience: str
) -> None:
    path = rendered[audience]["pdf"]
    layout = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    ).stdout
    bad = [
        line.strip()
        for line in layout.splitlines()
        if line.strip() and (line.strip()[0] in NO_LINE_START or line.strip()[-1] in NO_LINE_END)
    ]
    assert bad == []


#: what a number is counted or measured in, in the briefs' Chinese text
UNITS = "亿万元年月日余个部家项倍"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_pdf_line_parts_a_number_from_its_unit_or_opens_with_a_note_mark(
    rendered: dict[str, dict[str, Path]], audience: str
) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(rendered[audience]["pdf"]), "-"],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    ).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    parted = [f"{a} | {b}" for a, b in pairwise(lines) if a[-1].isdigit() and b[0] in UNITS]
    # a note mark before closing punctuation, alone at a line start: "3。"
    marks = [line for line in lines if re.match(r"^\d{1,2}(,\d{1,2})*[，。；]", line)]
    assert parted == [] and marks == []


@pytest.mark.parametrize("audience", ["policymakers", "industry"])
def test_headings_are_numbered_by_the_writer_with_ordinals(
    rendered: dict[str, dict[str, Path]], audience: str
) -> None:
    document = docx.Document(str(rendered[audience]["docx"]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    firsts = [
        h[: h.index("、") + 1] for h in headings if re.match(r"^[一二三四五六七八九十]+、", h)
    ]
    assert firsts[:3] == ["一、", "二、", "三、"]
    seconds = [h for h in headings if h.startswith("（二）")]
    assert "两" not in "".join(headings) and (audience != "policymakers" or seconds)
    top = PdfReader(rendered[audience]["pdf"]).outline
    outline = [str(item.title) for item in top if not isinstance(item, list)]
    assert [h for h in outline if "、" in h][:3] == [h for h in headings if "、" in h][:3]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_pdf_catalog_declares_simplified_chinese(
    rendered: dict[str, dict[str, Path]], audience: str
) -> None:
    reader = PdfReader(rendered[audience]["pdf"])
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_word_styles_name_an_east_asian_font_and_language(
    rendered: dict[str, dict[str, Path]], audience: str
) -> None:
    document = docx.Document(str(rendered[audience]["docx"]))
    styles = document.styles.element.xml
    assert re.search(r'w:eastAsia="[^"]+"', styles)
    assert document.core_properties.language == "zh-CN"


def test_the_newsletter_digest_fits_on_one_page_in_chinese(
    rendered: dict[str, dict[str, Path]],
) -> None:
    assert len(PdfReader(rendered["newsletter"]["pdf"]).pages) == 1


def test_the_profiles_give_chinese_titles_to_the_cover(
    rendered: dict[str, dict[str, Path]],
) -> None:
    for audience in AUDIENCES:
        metadata = PdfReader(rendered[audience]["pdf"]).metadata
        assert metadata is not None and CJK.search(metadata.title or ""), audience


def _chinese_facts() -> set[str]:
    """The Chinese names and the numbers of the data, as they would be typed."""
    data = load_case_data(FIXTURE)
    found: set[str] = set()
    for q in data.figures.values():
        found |= {str(q.value), fmt.number(q.number, "zh")}
        found.add(fmt.compact(q.number, q.unit.value, q.qualifier.value, "zh"))
        if q.unit.value == "billion_yuan":
            found.add(fmt.billion_yuan(q.number, "zh").removesuffix("元"))
        if q.year:
            found.add(str(q.year))
    found |= {str(e.year) for e in data.timeline}
    texts = [data.region, data.base.name, data.base.distinction, data.base.approved.by]
    texts += [org.name for org in data.organisations]
    texts += [p.name for p in data.policies]
    for case in data.cases:
        texts += [case.title, *(h.title for h in case.honours)]
        texts += [h.place for h in case.honours if h.place]
        texts += [h.event for h in case.honours if h.event]
    texts += [m.name for m in data.distribution_models]
    texts += [t.name for t in data.themes]
    # channel names (流媒体, 电视台) are common nouns that prose may use freely
    found |= {t.zh for t in texts if t.zh}
    return {s for s in found if len(s) >= 2 and s not in {"100"}}


def test_no_chinese_template_types_a_name_or_figure_of_the_data() -> None:
    facts = _chinese_facts()
    assert {"上海", "柠萌影业", "三十而已", "2255亿", "2880", "三分之一"} <= facts
    templates = sorted(ZH_TEMPLATES.glob("*.md.j2"))
    assert templates, "no Chinese section templates"
    offenders = [
        f"{path.name}: {fact}"
        for path in templates
        for fact in sorted(facts)
        if fact in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_every_section_of_every_built_in_audience_has_a_chinese_template() -> None:
    import yaml

    audiences = resources.builtin_templates() / "audiences"
    missing = []
    for audience in AUDIENCES:
        profile = yaml.safe_load((audiences / f"{audience}.yaml").read_text(encoding="utf-8"))
        for key in ("audience", "title", "subtitle"):
            if not profile.get(key, {}).get("zh"):
                missing.append(f"{audience}.yaml: {key}.zh")
        for section in profile["sections"]:
            if not (ZH_TEMPLATES / f"{section}.md.j2").is_file():
                missing.append(f"sections/zh/{section}.md.j2")
    assert missing == []


# --------------------------------------------------------------------------
# Typefaces by role (GB/T 9704): Song or FangSong, Hei, Kai


def _ps_name(font: fonts.Font) -> str:
    """The PostScript name a PDF gives the font (subset prefix aside)."""
    face = TTFontFace(str(font.regular), subfontIndex=font.index)
    return (face.name + face.subfontNameX).decode()  # a .ttc face adds "-0"


def _role_fonts() -> dict[str, fonts.Font]:
    roles = fonts.resolve()
    return {r: f for r in ("cjk_body", "cjk_headings", "cjk_second") if (f := roles.font(r))}


def _distinct_cjk_roles() -> bool:
    found = _role_fonts()
    return len(found) == 3 and len({f.regular for f in found.values()}) == 3


needs_three_faces = pytest.mark.skipif(
    not _distinct_cjk_roles(),
    reason="needs a Song/FangSong, a Hei and a Kai TrueType font "
    "(fonts-arphic-gbsn00lp, fonts-wqy-zenhei, fonts-arphic-gkai00mp)",
)


@needs_three_faces
@pytest.mark.skipif(not shutil.which("pdffonts"), reason="poppler-utils not installed")
def test_the_policymakers_pdf_embeds_its_body_and_heading_faces_as_truetype(
    rendered: dict[str, dict[str, Path]],
) -> None:
    out = subprocess.run(
        ["pdffonts", str(rendered["policymakers"]["pdf"])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rows = [line.split() for line in out.splitlines()[2:]]
    embedded = {row[0].split("+", 1)[-1] for row in rows if row[1] == "TrueType" and "yes" in row}
    for role, font in _role_fonts().items():
        assert _ps_name(font) in embedded, (role, _ps_name(font), out)


def _runs(path: Path) -> list[tuple[str, str]]:
    """(text, PostScript font name) of every text run on every page."""
    runs: list[tuple[str, str]] = []

    def visit(text: str, cm: object, tm: object, font: dict | None, size: float) -> None:
        if text.strip() and font:
            runs.append((text, str(font.get("/BaseFont", "")).split("+", 1)[-1]))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


@needs_three_faces
def test_first_level_headings_are_hei_second_kai_and_the_body_song(
    rendered: dict[str, dict[str, Path]],
) -> None:
    faces = {role: _ps_name(font) for role, font in _role_fonts().items()}
    runs = _runs(rendered["policymakers"]["pdf"])
    first = [font for text, font in runs if re.match(r"^[一二三四五六七八九十]+、", text)]
    second = [font for text, font in runs if re.match(r"^（[一二三四五六七八九十]+）", text)]
    body = [font for text, font in runs if len(CJK.findall(text)) > 20]
    assert first and set(first) == {faces["cjk_headings"]}
    assert second and set(second) == {faces["cjk_second"]}
    assert body and faces["cjk_body"] in set(body)


@needs_three_faces
def test_faces_without_a_bold_are_stroked_where_the_brief_asks_for_bold(
    rendered: dict[str, dict[str, Path]],
) -> None:
    # a synthetic bold: fill-then-stroke text render mode, with a line width
    contents = b"".join(
        page.get_contents().get_data()  # type: ignore[union-attr]
        for page in PdfReader(rendered["policymakers"]["pdf"]).pages
    )
    assert re.search(rb"[\d.]+ w 2 Tr .+? 0 Tr", contents, re.S)


@needs_three_faces
def test_word_names_the_windows_faces_of_the_same_roles(
    rendered: dict[str, dict[str, Path]],
) -> None:
    words = {role: font.word for role, font in fonts.resolve().used()}
    styles = docx.Document(str(rendered["policymakers"]["docx"])).styles

    def east(name: str) -> str:
        rfonts = styles[name].element.rPr.rFonts  # type: ignore[union-attr]
        return rfonts.get(qn("w:eastAsia"))

    assert east("Normal") == words["cjk_body"] == "SimSun"
    assert east("Heading 1") == words["cjk_headings"] == "SimHei"
    assert east("Heading 2") == words["cjk_second"] == "KaiTi"
    latin = styles["Normal"].element.rPr.rFonts.get(qn("w:ascii"))  # type: ignore[union-attr]
    assert latin == words["body"]


@needs_three_faces
def test_chinese_emphasis_is_drawn_upright_in_kai_and_latin_emphasis_in_italic() -> None:
    from io import BytesIO

    from reportgen.model import Emphasis, Text
    from reportgen.writers import WriterOptions
    from reportgen.writers.pdf import write

    from .test_writers_pdf import document, para

    emphasised = Emphasis((Text("表示原文未提及出品方"), Text(" Nothing But Thirty")))
    data = write(document(para("注：“—”", emphasised, "。"), lang="zh-CN"), WriterOptions())
    path = BytesIO(data)
    runs = _runs(path)  # type: ignore[arg-type]
    kai = _ps_name(_role_fonts()["cjk_second"])
    assert {font for text, font in runs if "原文未提及" in text} == {kai}
    latin = {font for text, font in runs if "Nothing" in text}
    assert latin and all("Italic" in font for font in latin)


def _sized_runs(path: Path) -> list[tuple[str, float]]:
    """(text, size in points as drawn) of every text run on every page."""
    runs: list[tuple[str, float]] = []

    def visit(text: str, cm: list, tm: list, font: dict | None, size: float) -> None:
        if text.strip():
            runs.append((text.strip(), round(size * abs(tm[3]) * abs(cm[3] or 1), 1)))

    for page in PdfReader(path).pages:
        page.extract_text(visitor_text=visit)
    return runs


def test_the_heading_hierarchy_reads_first_level_over_second_over_the_body(
    rendered: dict[str, dict[str, Path]],
) -> None:
    runs = _sized_runs(rendered["policymakers"]["pdf"])
    first = {size for text, size in runs if re.match(r"^[一二三四五六七八九十]+、", text)}
    second = {size for text, size in runs if re.match(r"^（[一二三四五六七八九十]+）", text)}
    body = {size for text, size in runs if len(CJK.findall(text)) > 20}
    assert len(first) == len(second) == 1, (first, second)
    assert min(first) > max(second) > max(body)
    # the Word file draws the same hierarchy, the second level not bold
    styles = docx.Document(str(rendered["policymakers"]["docx"])).styles
    sizes = [styles[f"Heading {n}"].font.size.pt for n in (1, 2)]
    assert sizes[0] > sizes[1] > styles["Normal"].font.size.pt
    assert styles["Heading 2"].font.bold is False


def test_a_mostly_chinese_emphasis_sets_its_latin_names_upright_too(
    rendered: dict[str, dict[str, Path]],
) -> None:
    # 资料来源：Liu、Jiang（2025）: slanted names beside an upright year read as
    # two styles in one line
    runs = _runs(rendered["policymakers"]["pdf"])
    latin = [font for text, font in runs if "Liu" in text or "Jiang" in text]
    assert latin and not any("Italic" in font for font in latin)


def test_an_apostrophe_between_latin_letters_takes_the_latin_face(
    rendered: dict[str, dict[str, Path]],
) -> None:
    # "Shanghai’s" in the series title: a CJK face draws ’ full width, with
    # gaps either side of it inside the word (audit4 item 16)
    runs = _runs(rendered["newsletter"]["pdf"])
    with_mark = [(text, font) for text, font in runs if "\u2019" in text]
    assert with_mark, "the newsletter names the series with its apostrophe"
    for text, font in with_mark:
        assert "Shanghai\u2019s" in text, (text, font)


def _common_widths(path: Path) -> dict[str, float]:
    """PostScript name -> the most common /Widths value of its subsets'
    wide glyphs (ideographs; Latin letters and spaces are narrower)."""
    found: dict[str, list[float]] = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).split("+", 1)[-1]
            wide = (float(w) for w in font.get("/Widths", []) if float(w) >= 600)
            found.setdefault(name, []).extend(wide)
    return {name: max(set(ws), key=ws.count) for name, ws in found.items() if ws}


@needs_three_faces
def test_kai_ideographs_are_set_as_densely_as_the_body(
    rendered: dict[str, dict[str, Path]],
) -> None:
    # AR PL KaitiM GB draws its ideographs in about 70% of the em: at a full
    # em each, the 楷体 headings read as letter-spaced (audit4 item 38)
    widths = _common_widths(rendered["policymakers"]["pdf"])
    faces = {role: _ps_name(font) for role, font in _role_fonts().items()}
    assert widths[faces["cjk_body"]] == 1000
    assert 800 <= widths[faces["cjk_second"]] < 950
