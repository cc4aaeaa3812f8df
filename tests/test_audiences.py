"""Audiences: four built-in briefs that read differently, and user folders
that add and override them."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from reportgen import model as m
from reportgen.cli import main
from reportgen.pipeline import BriefRequest, render_brief

AUDIENCES = ["industry", "international", "newsletter", "policymakers"]


def sentences(doc: m.Document) -> set[str]:
    text = " ".join(n.text for n in m.walk(doc) if isinstance(n, m.Text))
    return {s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3}


def body_sentences(sections: list[tuple[str, str]]) -> set[str]:
    """The sentences of a brief's sections other than its sources, without
    note references."""
    text = " ".join(md for name, md in sections if "sources" not in name)
    text = re.sub(r"\[\^[^\]]*\]", "", text)
    return {s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) > 3}


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("audiences")
    out = {}
    for name in AUDIENCES:
        result = CliRunner().invoke(main, ["brief", "-a", name, "-f", "all", "-o", str(folder)])
        assert result.exit_code == 0, result.output
        out[name] = next(Path(p) for p in result.stdout.split() if p.endswith(".pdf"))
    return out


def test_audiences_lists_the_four_built_in_ones() -> None:
    result = CliRunner().invoke(main, ["audiences"])
    assert [line.split()[0] for line in result.stdout.splitlines()] == AUDIENCES


def test_every_audience_renders_in_both_formats(pdfs: dict[str, Path]) -> None:
    for path in pdfs.values():
        assert path.with_suffix(".docx").stat().st_size > 10_000


def test_the_newsletter_is_one_page_and_the_policy_brief_at_least_four(
    pdfs: dict[str, Path],
) -> None:
    pages = {name: len(PdfReader(path).pages) for name, path in pdfs.items()}
    assert pages["newsletter"] == 1
    assert pages["policymakers"] >= 4
    assert 3 <= pages["industry"] <= 5 and 2 <= pages["international"] <= 4


def _plain(sentence: str) -> str:
    """A sentence without the Markdown around it (a heading or box line
    before it, a list marker, italics on the titles it names), to compare
    with the data's text."""
    sentence = re.sub(r"^(?:#[^\n]*\n|:::[^\n]*\n|\s+|- )+", "", sentence)
    return sentence.replace("*", "")


def test_no_two_audiences_share_more_than_half_their_sentences() -> None:
    # The data's own claims (key messages, findings, limits) are meant to be
    # the same wherever they are printed; the templates' wording is not.
    briefs = {name: render_brief(BriefRequest(audience=name)) for name in AUDIENCES}
    data = briefs["policymakers"].data
    claims = [c.text.en for c in [*data.key_messages, *data.findings, *data.limits]]
    # and the sources, the notes and the suggested citation are bibliography
    said = {
        name: {s for s in body_sentences(brief.sections) if not any(_plain(s) in c for c in claims)}
        for name, brief in briefs.items()
    }
    for a, b in itertools.combinations(AUDIENCES, 2):
        shared = len(said[a] & said[b])
        assert shared <= 0.5 * min(len(said[a]), len(said[b])), (a, b, said[a] & said[b])


def test_a_user_profile_adds_an_audience(tmp_path: Path) -> None:
    (tmp_path / "audiences").mkdir()
    (tmp_path / "audiences" / "board.yaml").write_text(
        "description: The board\naudience: Board members\ntitle: '{{ region }} for the board'\n"
        "sections: [executive-summary, sources]\n"
    )
    listed = CliRunner().invoke(main, ["audiences", "-t", str(tmp_path)]).stdout
    assert "board" in listed.split()
    brief = render_brief(BriefRequest(audience="board", templates=tmp_path))
    assert brief.document.meta.title == "Shanghai for the board"
    assert [m.plain_text(h.children) for h in brief.document.headings()] == [
        "Executive summary",
        "Sources",
    ]


def test_init_scaffolds_a_folder_that_checks_clean_and_lists_its_audience(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    target = tmp_path / "mine"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0 and (target / "README.md").is_file()
    assert result.stderr.startswith("data.yaml holds everything the starter sections read: ")
    assert "key_messages" in result.stderr and "recommendations" in result.stderr
    assert "my-audience" in runner.invoke(main, ["audiences", "-t", str(target)]).stdout
    checked = runner.invoke(main, ["check", "-t", str(target), "-d", str(target / "data.yaml")])
    assert checked.exit_code == 0, checked.output
    monkeypatch.chdir(target)
    made = runner.invoke(main, ["brief", "-t", ".", "-a", "my-audience", "-d", "data.yaml"])
    assert made.exit_code == 0 and made.stdout.startswith("out/riverton-sample-my-audience-en")


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "not empty" in result.stderr


def test_schema_prints_a_json_schema_of_the_data() -> None:
    result = CliRunner().invoke(main, ["schema"])
    schema = json.loads(result.stdout)
    assert schema["title"] == "reportgen case data"
    assert {"base", "figures", "cases"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_the_provenance_sidecar_traces_every_printed_figure(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["brief", "-f", "all", "--provenance", "-o", str(tmp_path)])
    assert result.exit_code == 0
    sidecar = json.loads(next(tmp_path.glob("*.provenance.json")).read_text())
    paths = {entry["path"] for entry in sidecar["figures"]}
    assert {
        "figures.companies",
        "figures.market_size",
        "figures.national_share",
        "figures.tax_revenue",
        "figures.trade_revenue",
        "cases[2].reach",
    } <= paths
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(next(tmp_path.glob("*.pdf"))).pages
    )
    for entry in sidecar["figures"]:
        assert entry["text"] in text
        assert entry["source"]["id"] == "liu-jiang-2025" and entry["source"]["paragraph"] >= 1


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_markdown_leaks_into_the_text_of_any_brief(audience: str, lang: str) -> None:
    """A table or list broken by template whitespace shows up as raw pipes
    and dashes in a paragraph."""
    doc = render_brief(BriefRequest(audience=audience, lang=lang)).document
    texts = [n.text for n in m.walk(doc) if isinstance(n, m.Text)]
    assert not [t for t in texts if re.search(r"\|\s*:?-{3}|^\s*[-*] |\*\*|\[\^", t)]
