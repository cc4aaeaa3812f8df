"""The command line, end to end: real files reopened with real readers, and
every bad input answered with one message, exit 2 and no file."""

from __future__ import annotations

import multiprocessing.process
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from reportgen import __version__, fonts
from reportgen.cli import main
from reportgen.data.validate import load_case_data
from reportgen.errors import ReportgenError
from reportgen.files import resources

from .conftest import files_under, refused

STEM = "shanghai-online-drama-policymakers-en"

KEY_FACTS = [
    "2,880",
    "1.7 billion yuan",
    "18 billion yuan",
    "225.5 billion yuan",
    "one third",
    "2005",
    "2010",
    "2023",
    "Twenty Not Confused 2",
    "Little Min\u2019s Family",  # the data's straight apostrophe, set typographically
    "Nothing But Thirty",
    "三十而已",
    "二十不惑2",
    "小敏家",
    "Netflix",
    "Disney+",
    "YouTube",
    "Malaysia",
    "International Communication Award",
    "27th",
    "Lemon Studios",
    "Yaoke Media",
    "Bilibili",
    "iQiyi",
    "Shanghai Penguin Pictures",
    "Mingjian Pictures",
    "100 countries and regions",
    "Tudou.com",
    "Asia-Pacific premiere list",
    "remake",
    "European countries",
    "Online Audiovisual Content Creators Conference",
    "one company, one policy",
    "Chinese culture going global",
    "selling out",
    "broadcasting out",
]
SECTIONS = [
    "Executive summary",
    "Policy instruments",
    "The base in figures",
    "Series abroad",
    "Content and reception",
    "What the source reports",
    "Limits of the evidence",
    "Recommendations",
    "Sources",
]


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The default brief in both formats, rendered once for this module."""
    folder = tmp_path_factory.mktemp("brief")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1735689600")
    result = CliRunner().invoke(main, ["brief", "-f", "all", "-f", "md", "-o", str(folder)])
    mp.undo()
    assert result.exit_code == 0, result.output
    return {p.suffix[1:]: p for p in map(Path, result.stdout.split())}


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    # a chart is a picture in Word: its facts are in the alt text readers get
    parts += document.element.body.xpath("//wp:docPr/@descr")
    return " ".join(" ".join(parts).split())


# The default brief prints Chinese series titles (and its timeline chart
# Chinese notes): without a CJK TrueType font they fall back with a warning
needs_cjk = pytest.mark.skipif(
    fonts.cjk() is None, reason="no TrueType CJK font installed (fonts-arphic-gbsn00lp)"
)


@needs_cjk
def test_brief_writes_pdf_by_default_into_out(runner: CliRunner, in_tmp: Path) -> None:
    code, out, err = run(runner, "brief")
    assert (code, out, err) == (0, f"out/{STEM}.pdf\n", "")
    assert (in_tmp / "out" / f"{STEM}.pdf").read_bytes().startswith(b"%PDF-")


def test_format_all_means_pdf_and_docx(rendered: dict[str, Path]) -> None:
    assert sorted(rendered) == ["docx", "md", "pdf"]
    assert rendered["pdf"].name == f"{STEM}.pdf"


@needs_cjk
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_every_key_fact_and_case_is_in_both_formats(rendered: dict[str, Path], fmt: str) -> None:
    text = pdf_text(rendered["pdf"]) if fmt == "pdf" else docx_text(rendered["docx"])
    missing = [fact for fact in KEY_FACTS if fact.lower() not in text.lower()]
    assert missing == []


def test_pdf_sections_come_in_reading_order(rendered: dict[str, Path]) -> None:
    reader = PdfReader(rendered["pdf"])
    body = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    positions = [body.find(title) for title in SECTIONS]
    assert -1 not in positions and positions == sorted(positions)
    assert len(reader.pages) >= 4
    assert reader.metadata.title == "How Shanghai\u2019s online dramas go overseas"
    issuer = load_case_data(resources.default_data()).issuer
    assert issuer is not None and reader.metadata.author == issuer.name.en  # never the sources'


def test_docx_uses_word_styles_for_structure(rendered: dict[str, Path]) -> None:
    document = docx.Document(str(rendered["docx"]))
    band = document.tables[0].cell(0, 0).paragraphs  # the title block's band
    styles = {p.style.name for p in [*band, *document.paragraphs]}
    # (the recommendations are a table of what, who and when: no numbered list)
    assert {"Title", "Heading 1", "Heading 2", "List Bullet"} <= styles
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    # every section, once each, in reading order (other headings may come between)
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    # most producers and most reach figures unknown: no mostly empty column
    assert ["Series", "Abroad"] in headers
    assert ["Recommendation", "Suggested owner", "By when"] in headers
    assert document.core_properties.title == "How Shanghai\u2019s online dramas go overseas"


def test_markdown_output_is_what_the_templates_produced(rendered: dict[str, Path]) -> None:
    text = rendered["md"].read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: How Shanghai\u2019s online dramas go overseas\n")
    assert (
        "# Executive summary" in text
        and "[^liu-jiang-2025-p3]: Liu and Jiang 2025, para. 3." in text
    )


def test_output_is_a_file_when_one_format_is_asked(runner: CliRunner, in_tmp: Path) -> None:
    code, out, _ = run(runner, "brief", "-f", "docx", "-o", "mine.docx")
    assert (code, out) == (0, "mine.docx\n") and (in_tmp / "mine.docx").is_file()


def test_same_inputs_give_the_same_bytes(runner: CliRunner, in_tmp: Path) -> None:
    run(runner, "brief", "-f", "all", "-o", "a")
    run(runner, "brief", "-f", "all", "-o", "b")
    for fmt in ("pdf", "docx"):
        assert (in_tmp / "a" / f"{STEM}.{fmt}").read_bytes() == (
            in_tmp / "b" / f"{STEM}.{fmt}"
        ).read_bytes()


def test_version_is_printed(runner: CliRunner) -> None:
    assert run(runner, "--version")[1] == f"reportgen, version {__version__}\n"


# --------------------------------------------------------------------------
# Bad input: one message, exit 2, no traceback, no file


def assert_refused(runner: CliRunner, folder: Path, args: list[str], *expected: str) -> str:
    before = files_under(folder)
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("reportgen: error: ") or result.stderr.startswith("Usage:")
    for text in expected:
        assert text in result.stderr
    assert files_under(folder) == before
    return result.stderr


def test_a_missing_data_file_is_refused(runner: CliRunner, in_tmp: Path) -> None:
    assert_refused(runner, in_tmp, ["brief", "-d", "nope.yaml"], "nope.yaml: data file not found")


def test_invalid_yaml_names_file_line_and_column(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "bad.yaml").write_text("slug: x\ntitle: [unclosed\nregion: y\n")
    assert_refused(runner, in_tmp, ["brief", "-d", "bad.yaml"], "bad.yaml:3:7: invalid YAML")


def test_a_missing_field_names_its_path(
    runner: CliRunner, in_tmp: Path, data_copy: Callable[..., Path]
) -> None:
    path = data_copy(mutate=lambda d: d["base"].pop("approved"))
    assert_refused(
        runner, in_tmp, ["brief", "-d", str(path)], "base.approved: is required but missing"
    )


def test_a_wrong_type_names_its_path(
    runner: CliRunner, in_tmp: Path, data_copy: Callable[..., Path]
) -> None:
    path = data_copy(lambda t: t.replace("edition: 27", "edition: twenty-seventh"))
    assert_refused(
        runner,
        in_tmp,
        ["brief", "-d", str(path)],
        "cases[2].honours[1].edition",
        "found 'twenty-seventh'",
    )


def test_an_unknown_audience_lists_the_known_ones(runner: CliRunner, in_tmp: Path) -> None:
    message = assert_refused(
        runner, in_tmp, ["brief", "-a", "polcymakers"], "unknown audience 'polcymakers'; known: "
    )
    assert "policymakers" in message and "(did you mean 'policymakers'?)" in message


def test_an_undefined_template_variable_names_template_and_line(
    runner: CliRunner, in_tmp: Path
) -> None:
    (in_tmp / "t" / "sections").mkdir(parents=True)
    (in_tmp / "t" / "sections" / "cases.md.j2").write_text("# Cases\n\n{{ casse }}\n")
    assert_refused(runner, in_tmp, ["brief", "-t", "t"], "cases.md.j2:3:", "'casse' is undefined")


def test_the_data_file_is_never_an_output(
    runner: CliRunner, in_tmp: Path, data_copy: Callable[..., Path]
) -> None:
    path = data_copy()
    before = path.read_bytes()
    assert_refused(
        runner,
        in_tmp,
        ["brief", "-d", str(path), "-f", "md", "-o", str(path)],
        "this is an input of the brief",
    )
    assert path.read_bytes() == before


def test_a_template_is_never_an_output(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "t" / "sections").mkdir(parents=True)
    target = in_tmp / "t" / "sections" / "cases.md.j2"
    target.write_text("# Cases\n")
    assert_refused(
        runner,
        in_tmp,
        ["brief", "-t", "t", "-f", "md", "-o", str(target)],
        "this is an input of the brief",
    )
    assert target.read_text() == "# Cases\n"


def test_a_failed_render_leaves_the_previous_file_untouched(
    runner: CliRunner, in_tmp: Path, data_copy: Callable[..., Path]
) -> None:
    out = in_tmp / "out" / "shanghai-online-drama-policymakers-en.pdf"
    out.parent.mkdir()
    out.write_bytes(b"previous")
    path = data_copy(lambda t: t.replace("value: 225.5", "value: lots"))
    assert_refused(runner, in_tmp, ["brief", "-d", str(path)], "figures.market_size.value")
    assert out.read_bytes() == b"previous"


def test_an_unwritable_output_folder_is_refused(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "file").write_text("x")
    assert_refused(runner, in_tmp, ["brief", "-f", "md", "-o", "file/sub/"], "cannot write here")


@pytest.mark.parametrize(
    ("raised", "code", "message"),
    [
        (ReportgenError("the schema cannot be built; fix the data model"), 2, None),
        (KeyboardInterrupt(), 130, "reportgen: interrupted"),
    ],
)
def test_the_group_maps_errors_to_exit_codes_for_every_command_schema_included(
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
    raised: BaseException,
    code: int,
    message: str | None,
) -> None:
    from reportgen.data.schema import CaseData

    def fail(*_: object, **__: object) -> None:
        raise raised

    monkeypatch.setattr(CaseData, "model_json_schema", fail)
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == code
    assert result.stderr == (message or f"reportgen: error: {raised}") + "\n"
    assert result.stdout == ""


def test_a_bug_in_any_command_keeps_its_traceback(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportgen.data.schema import CaseData

    def bug(*_: object, **__: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(CaseData, "model_json_schema", bug)
    result = runner.invoke(main, ["schema"])
    assert result.exit_code == 1 and isinstance(result.exception, RuntimeError)


# --------------------------------------------------------------------------
# One process: every format laid out here, one after the other, the same
# on every system


def _no_process(*_: object, **__: object) -> None:
    raise RuntimeError("the brief started a process of its own")


def test_a_brief_starts_no_process_of_its_own(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []
    real_popen = subprocess.Popen.__init__

    def popen(self: subprocess.Popen, args: object, *rest: object, **options: object) -> None:
        started.append(Path(str(args[0] if isinstance(args, list) else args)).name)
        real_popen(self, args, *rest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fork", _no_process)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", _no_process)
    monkeypatch.setattr(subprocess.Popen, "__init__", popen)
    code, out, err = run(runner, "brief", "-f", "all", "-f", "md", "-o", "out/")
    assert code == 0, err
    assert sorted(Path(p).suffix for p in out.split()) == [".docx", ".md", ".pdf"]
    assert set(started) <= {"fc-list"}  # at most the system asked where its fonts are


def _unknown_glyph(data_copy: Callable[..., Path]) -> Path:
    """The data with a character no font draws in the title (only the PDF
    writer checks every glyph)."""
    return data_copy(
        edit=lambda text: text.replace("  en: How Shanghai", "  en: \U000f0000 How", 1)
    )


def _bug(*_: object) -> None:
    raise ValueError("a bug in the writer")


def test_the_first_format_that_fails_stops_the_brief_and_nothing_is_written(
    runner: CliRunner, in_tmp: Path, data_copy: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.writers.docx as docx_writer

    data = _unknown_glyph(data_copy)
    monkeypatch.setattr(docx_writer, "render", _bug)  # after the PDF in -f all: never reached
    refused(runner, in_tmp, ["brief", "-f", "all", "-d", str(data)], "U+F0000")


def test_a_bug_in_a_writer_is_exit_1_with_its_own_exception(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.writers.pdf as pdf_writer

    monkeypatch.setattr(pdf_writer, "render", _bug)
    result = runner.invoke(main, ["brief", "-f", "all"])
    assert result.exit_code == 1
    assert isinstance(result.exception, ValueError)
    assert str(result.exception) == "a bug in the writer"
    assert not (in_tmp / "out").exists()


def test_ctrl_c_after_the_pdf_is_laid_out_is_exit_130_and_writes_no_file(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reportgen.writers.docx as docx_writer

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(docx_writer, "render", interrupted)
    result = runner.invoke(main, ["brief", "-f", "all"])
    assert (result.exit_code, result.stderr) == (130, "reportgen: interrupted\n")
    assert not (in_tmp / "out").exists()  # every file is written only once all are made


def test_a_writer_warning_is_shown_once_on_one_line(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / "fonts").mkdir()  # no CJK font anywhere: the PDF falls back, and says so
    monkeypatch.setenv("REPORTGEN_FONT_DIRS", str(in_tmp / "fonts"))
    monkeypatch.setenv("REPORTGEN_FONT_DIRS_ONLY", "1")
    code, _, err = run(runner, "brief", "-f", "all", "-l", "zh")
    assert code == 0, err
    lines = [line for line in err.splitlines() if "no CJK TrueType font found" in line]
    assert len(lines) == 1 and lines[0].startswith("reportgen: warning: "), err


# --------------------------------------------------------------------------
# The command itself (``python -m reportgen``, the ``reportgen`` script):
# one process, which ends as any Python program does


def _command(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_command_writes_whole_files_prints_them_and_exits_0(in_tmp: Path) -> None:
    done = _command(in_tmp, "brief", "-f", "all", "-o", "out/")
    assert done.returncode == 0, done.stderr
    printed = done.stdout.split()
    assert sorted(Path(p).suffix for p in printed) == [".docx", ".pdf"]
    assert PdfReader(in_tmp / printed[0]).pages  # whole files: both open
    assert docx.Document(str(in_tmp / printed[1])).paragraphs


def test_the_command_keeps_its_exit_code_and_message_for_a_mistake(in_tmp: Path) -> None:
    done = _command(in_tmp, "brief", "-a", "nosuch")
    assert done.returncode == 2
    assert done.stderr.startswith("reportgen: error: unknown audience 'nosuch'")
    assert "Traceback" not in done.stderr and not (in_tmp / "out").exists()


def test_the_command_shows_a_bug_with_its_traceback_and_exit_1(in_tmp: Path) -> None:
    code = (
        "import sys, reportgen.cli as cli\n"
        "def broken(**_): raise ValueError('a bug')\n"
        "cli.main.commands['audiences'].callback = broken\n"
        "sys.argv = ['reportgen', 'audiences']\n"
        "cli.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=in_tmp, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "ValueError: a bug" in done.stderr


def test_a_profiler_still_gets_its_results_written(in_tmp: Path) -> None:
    # cProfile (and coverage tools) write their results as the interpreter
    # ends: the command never skips that end
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", "prof.out", "-m", "reportgen", "--help"],
        cwd=in_tmp,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (in_tmp / "prof.out").stat().st_size > 0
