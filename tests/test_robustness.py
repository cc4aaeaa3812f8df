"""Broken and hostile input never crashes reportgen, never runs, and never
costs a file: the corpus in tests/corpus/, template attacks, failing disks,
and property tests that fill every string of the data with hostile text."""

from __future__ import annotations

import errno
import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reportgen import fonts, writers
from reportgen.cli import main
from reportgen.data.schema import CaseData
from reportgen.pipeline import output as output_module
from reportgen.text.mdtext import FORBIDDEN_CHARS

from .conftest import data_text, needs_cjk, refused

CORPUS = Path(__file__).parent / "corpus"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("empty.yaml", "empty.yaml: data file is empty"),
        ("binary.yaml", "binary.yaml: is a binary file, not YAML text"),
        ("latin1.yaml", "latin1.yaml:1: is not UTF-8 (byte 0xe9"),
        ("invalid.yaml", "invalid.yaml:3:7: invalid YAML"),
        ("duplicate-keys.yaml", "duplicate-keys.yaml:3:1: duplicate key 'slug'"),
        ("alias-bomb.yaml", "alias bomb"),
        ("deep-nesting.yaml", "nested"),
        ("wrong-types.yaml", "wrong-types.yaml:3:1: title"),
        ("missing-spreadsheet.yaml", "no-such-cases.xlsx: cases table not found"),
    ],
)
def test_the_corpus_of_broken_data_is_refused(
    runner: CliRunner, in_tmp: Path, name: str, expected: str
) -> None:
    refused(runner, in_tmp, ["brief", "-d", str(CORPUS / name)], expected)


def test_wrong_types_everywhere_are_all_reported_at_once(runner: CliRunner, in_tmp: Path) -> None:
    message = refused(runner, in_tmp, ["brief", "-d", str(CORPUS / "wrong-types.yaml")])
    for field in ("slug", "title", "region", "edition", "base", "figures", "timeline", "cases"):
        assert re.search(rf":\d+:\d+: {field}\b", message), field


def test_a_folder_given_as_the_data_file_is_refused(runner: CliRunner, in_tmp: Path) -> None:
    refused(runner, in_tmp, ["brief", "-d", str(CORPUS)], "is a folder")


def test_an_oversized_data_file_is_refused(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTGEN_MAX_DATA_BYTES", "1000")
    refused(runner, in_tmp, ["brief"], "over the limit of 1,000", "REPORTGEN_MAX_DATA_BYTES")


# --------------------------------------------------------------------------
# Hostile templates


def user_templates(root: Path, section: str, body: str) -> Path:
    folder = root / "t"
    (folder / "sections").mkdir(parents=True, exist_ok=True)
    (folder / "sections" / f"{section}.md.j2").write_text(body, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("# S\n\n{% for x in cases %}\n", "cases.md.j2:3: syntax error"),
        ("# S\n\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "cases.md.j2:3: "),
        ("# S\n\n{{ 'x' * 100000000 }}\n", "cases.md.j2:3: blocked by the sandbox"),
        ("# S\n\n{{ 2 ** 100000000 }}\n", "cases.md.j2:3: blocked by the sandbox"),
        ("# S\n\n{% for i in range(90000) %}{{ 'y' * 90 }}{% endfor %}\n", "over the limit"),
        ('# S\n\n{% include "../../../../etc/passwd" %}\n', "not found"),
    ],
)
def test_hostile_templates_are_stopped_with_their_place(
    runner: CliRunner, in_tmp: Path, body: str, expected: str
) -> None:
    folder = user_templates(in_tmp, "cases", body)
    refused(runner, in_tmp, ["brief", "-t", str(folder)], expected)


def test_a_template_that_loops_without_end_is_stopped_by_the_time_budget(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTGEN_MAX_RENDER_SECONDS", "1")
    body = "# S\n\n{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"
    folder = user_templates(in_tmp, "cases", body)
    refused(runner, in_tmp, ["brief", "-t", str(folder)], "took longer than 1 s")


def profile_with_logo(root: Path, logo: str) -> Path:
    folder = root / "t"
    (folder / "audiences").mkdir(parents=True, exist_ok=True)
    (folder / "audiences" / "branded.yaml").write_text(
        "description: d\naudience: a\ntitle: '{{ title }}'\nsections: [executive-summary]\n"
        f"brand: {{logo: '{logo}'}}\n"
    )
    return folder


def test_a_logo_path_that_leaves_the_template_folder_is_refused(
    runner: CliRunner, in_tmp: Path
) -> None:
    folder = profile_with_logo(in_tmp, "../../../../etc/passwd")
    refused(
        runner, in_tmp, ["brief", "-t", str(folder), "-a", "branded"], "leaves the templates folder"
    )


def test_a_logo_that_is_not_an_image_is_refused(runner: CliRunner, in_tmp: Path) -> None:
    folder = profile_with_logo(in_tmp, "logo.png")
    (folder / "logo.png").write_text("not an image")
    refused(runner, in_tmp, ["brief", "-t", str(folder), "-a", "branded"], "not an image")


def test_an_enormous_logo_is_refused(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    folder = profile_with_logo(in_tmp, "logo.png")
    Image.new("RGB", (300, 200), "white").save(folder / "logo.png")
    monkeypatch.setenv("REPORTGEN_MAX_LOGO_PIXELS", "10000")
    refused(
        runner,
        in_tmp,
        ["brief", "-t", str(folder), "-a", "branded"],
        "300 x 200 pixels, over the limit",
    )


def test_a_real_logo_is_drawn_in_both_formats(runner: CliRunner, in_tmp: Path) -> None:
    from PIL import Image

    folder = profile_with_logo(in_tmp, "logo.png")
    Image.new("RGB", (300, 120), "#1F3A5F").save(folder / "logo.png")
    result = runner.invoke(main, ["brief", "-t", str(folder), "-a", "branded", "-f", "all"])
    assert result.exit_code == 0, result.output
    pdf = PdfReader(next((in_tmp / "out").glob("*.pdf")))
    assert any(
        "/Image" in str(x.get("/Subtype"))
        for x in pdf.pages[0]["/Resources"]["/XObject"].values()
        for x in [x.get_object()]
    )
    document = docx.Document(str(next((in_tmp / "out").glob("*.docx"))))
    assert len(document.inline_shapes) >= 1


# --------------------------------------------------------------------------
# Nothing lost


def test_an_output_folder_that_cannot_be_written_is_refused(
    runner: CliRunner, in_tmp: Path
) -> None:
    if os.geteuid() == 0:
        (in_tmp / "blocked").write_text("a file where a folder should be")
        refused(runner, in_tmp, ["brief", "-o", "blocked/x/"], "cannot write here")
    else:  # pragma: no cover - depends on who runs the tests
        (in_tmp / "ro").mkdir(mode=0o500)
        refused(runner, in_tmp, ["brief", "-o", "ro/"], "cannot write here")


def test_a_full_disk_leaves_the_previous_file_and_no_temp_file(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = in_tmp / "out" / "shanghai-online-drama-policymakers-en.pdf"
    target.parent.mkdir()
    target.write_bytes(b"previous brief")
    real_fdopen = os.fdopen

    class FullDisk(io.RawIOBase):
        def __init__(self, fd: int) -> None:
            self.inner = real_fdopen(fd, "wb")

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        def close(self) -> None:
            self.inner.close()

    monkeypatch.setattr(output_module.os, "fdopen", lambda fd, mode: FullDisk(fd))
    refused(runner, in_tmp, ["brief"], "No space left on device", "nothing was changed")
    assert target.read_bytes() == b"previous brief"


@needs_cjk
def test_a_writer_that_fails_midway_leaves_the_previous_output_untouched(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = in_tmp / "out"
    out.mkdir()
    previous = {
        fmt: out / f"shanghai-online-drama-policymakers-en.{fmt}" for fmt in ("pdf", "docx")
    }
    for path in previous.values():
        path.write_bytes(b"previous")
    real = writers.get_writer

    def failing(fmt: str) -> Callable:
        if fmt == "docx":

            def boom(doc: object, options: object) -> bytes:
                raise KeyboardInterrupt  # Ctrl-C while the second writer runs

            return boom
        return real(fmt)

    monkeypatch.setattr(writers, "get_writer", failing)
    result = runner.invoke(main, ["brief", "-f", "all"])
    # Ctrl-C is the user's choice: exit 130, one line, no traceback
    assert result.exit_code == 130 and result.stderr.strip() == "reportgen: interrupted"
    assert all(path.read_bytes() == b"previous" for path in previous.values())
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in previous.values())


def test_an_interrupted_write_removes_its_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"previous")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output_module.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output_module.write_atomic(target, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["brief.pdf"]
    assert target.read_bytes() == b"previous"


def test_a_reference_docx_is_never_overwritten(runner: CliRunner, in_tmp: Path) -> None:
    reference = in_tmp / "ref.docx"
    docx.Document().save(str(reference))
    before = reference.read_bytes()
    refused(
        runner,
        in_tmp,
        ["brief", "-f", "docx", "--reference-docx", str(reference), "-o", str(reference)],
        "this is an input of the brief",
    )
    assert reference.read_bytes() == before


def test_control_characters_in_data_are_removed_with_a_warning(
    runner: CliRunner, in_tmp: Path, data_copy: Callable[..., Path]
) -> None:
    path = data_copy(lambda t: t.replace("region:\n  en: Shanghai", 'region:\n  en: "Shang\\ahai"'))
    result = runner.invoke(main, ["brief", "-d", str(path), "-f", "docx"])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"^reportgen: warning: \S+data\.yaml:11:7: removed control characters "
        r"U\+0007 from the text$",
        result.stderr,
        re.MULTILINE,
    )
    assert "Shanghai" in " ".join(
        p.text for p in docx.Document(str(next((in_tmp / "out").glob("*.docx")))).paragraphs
    )


# --------------------------------------------------------------------------
# Hostile text is text: every string of the data, both writers


SPECIALS = [
    "<",
    ">",
    "&",
    "</para>",
    "<b>",
    "**",
    "_",
    "[x](javascript:alert(1))",
    "{{ 7*7 }}",
    "{% raw %}",
    "# ",
    "1. ",
    "\\",
    "`",
    "|",
    "\u202e",
    "\u200f",
    "שלום",
    "مرحبا",
    "三十而已",
    "é",
    "Ω",
    "x" * 120,
    "file:///etc/passwd",
]
HOSTILE = (
    st.lists(
        st.one_of(
            st.sampled_from(SPECIALS),
            st.text(
                alphabet=st.characters(
                    min_codepoint=0x20, max_codepoint=0x24F, blacklist_categories=("Cs",)
                ),
                max_size=12,
            ),
        ),
        min_size=1,
        max_size=4,
    )
    .map(" ".join)
    .filter(lambda t: t.strip() and not FORBIDDEN_CHARS.search(t))
)  # controls: tested above


def _fill_strings(node: object, texts: list[str], skip: set[str], key: str = "") -> object:
    """Replace every free-text string of the data with hostile text."""
    if isinstance(node, dict):
        return {k: (v if k in skip else _fill_strings(v, texts, skip, k)) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill_strings(v, texts, skip, key) for v in node]
    if isinstance(node, str):
        return texts[len(node) % len(texts)]
    return node


# ids, enums, slugs and references must stay valid for the data to load
STRUCTURAL = {
    "id",
    "slug",
    "sources_from",
    "default_source",
    "source",
    "unit",
    "qualifier",
    "kind",
    "role",
    "market",
    "producer",
    "platform",
    "beneficiaries",
    "members",
    "value",
    "schema_version",
    "paragraphs",
    "issue",
    "edition",
    "year",
    "text_location",
    "basis",  # 'judgement': marks a finding as the office's own
    "audiences",  # audience names a claim is written for
    "case",  # the id of the case a theme is reported for
    "languages",  # the editions (en, zh) a claim is written for
}


def _docx_text(payload: bytes) -> str:
    document = docx.Document(io.BytesIO(payload))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    with zipfile.ZipFile(io.BytesIO(payload)) as z:
        parts.append(
            z.read("word/footnotes.xml").decode() if "word/footnotes.xml" in z.namelist() else ""
        )
    return " ".join(parts)


def _squash(text: str) -> str:
    # A soft hyphen (U+00AD) is a break opportunity, drawn only where a line
    # breaks at it, so text extraction rightly leaves it out. English briefs
    # set straight quotes typographically: compare them as straight ones.
    straight = text.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    return re.sub(r"[\s\xad]+", "", straight)


@settings(
    max_examples=int(os.environ.get("REPORTGEN_PROPERTY_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=st.lists(HOSTILE, min_size=3, max_size=6))
def test_hostile_text_in_every_field_comes_out_literally_in_both_formats(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    raw = yaml.safe_load(data_text())
    raw = _fill_strings(raw, texts, STRUCTURAL)
    CaseData.model_validate({**raw, "sources": []})  # still valid data
    data = folder / "data.yaml"
    data.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["brief", "-d", str(data), "-f", "all", "-f", "md", "-o", str(folder)]
    )
    assert result.exit_code == 0, result.output
    pdf_path = next(folder.glob("*.pdf"))
    docx_text = _squash(_docx_text(next(folder.glob("*.docx")).read_bytes()))
    reader = PdfReader(pdf_path)
    pdf_text = _squash(" ".join(page.extract_text() for page in reader.pages))
    for text in texts:
        assert _squash(text) in docx_text
        if all(ord(c) < 0x590 for c in text):  # PDF extraction reorders RTL runs
            assert _squash(text) in pdf_text
    links = [
        a.get_object().get("/A", {}).get("/URI", "")
        for page in reader.pages
        for a in page.get("/Annots", []) or []
    ]
    assert not [u for u in links if str(u).lower().startswith(("javascript:", "file:"))]
    docx_path = next(folder.glob("*.docx"))
    for part in ("word/_rels/document.xml.rels", "word/document.xml"):
        xml = _part(docx_path, part).lower()
        assert 'target="javascript:' not in xml and 'target="file:' not in xml


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode()


@pytest.mark.skipif(
    not any("Symbola" in path.name for path in fonts.symbols()),
    reason="no emoji outline font installed (Debian: fonts-symbola)",
)
def test_emoji_and_right_to_left_text_draw_in_the_pdf(
    runner: CliRunner, in_tmp: Path, data_copy: Callable[..., Path]
) -> None:
    path = data_copy(
        lambda t: t.replace("region:\n  en: Shanghai", 'region:\n  en: "上海 🙂 שלום"')
    )
    result = runner.invoke(main, ["brief", "-d", str(path), "-f", "all"])
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------
# Found in review: each once a traceback, a wrong result or a lost file


def test_an_author_name_with_markup_stays_text_in_the_notes(tmp_path: Path) -> None:
    register = tmp_path / "sources.yaml"
    text = (Path(__file__).parents[1] / "seeds" / "sources.yaml").read_text(encoding="utf-8")
    register.write_text(
        text.replace("{en: Liu Boyang}", "{en: '*Liu*_[x](http://e.vil)'}").replace(
            "family: Liu",
            "family: '*Liu*_[x](http://e.vil)'",  # the name notes cite
        ),
        encoding="utf-8",
    )
    data = tmp_path / "data.yaml"
    data.write_text(
        data_text().replace(
            f"sources_from: {Path(__file__).parents[1]}/seeds/sources.yaml",
            f"sources_from: {register}",
        ),
        encoding="utf-8",
    )
    from reportgen.pipeline import BriefRequest, render_brief

    doc = render_brief(BriefRequest(data=data)).document
    from reportgen import model as m

    assert not any(isinstance(n, m.Link) for note in doc.notes for n in m.walk(note))
    assert m.plain_text(doc.notes[0].children).startswith("*Liu*_[x](http://e.vil) ")


def test_the_source_register_is_never_an_output(runner: CliRunner, in_tmp: Path) -> None:
    register = Path(__file__).parents[1] / "seeds" / "sources.yaml"
    before = register.read_bytes()
    refused(
        runner, in_tmp, ["brief", "-f", "md", "-o", str(register)], "this is an input of the brief"
    )
    assert register.read_bytes() == before


@pytest.mark.parametrize("title", ["{{ figures.companies | cite }}{{ 1/0 }}", "{{ nowhere }}"])
def test_a_broken_profile_title_is_a_located_template_error(
    runner: CliRunner, in_tmp: Path, title: str
) -> None:
    folder = in_tmp / "t"
    (folder / "audiences").mkdir(parents=True)
    (folder / "audiences" / "odd.yaml").write_text(
        f"description: d\naudience: a\ntitle: '{title}'\nsections: [sources]\n"
    )
    refused(runner, in_tmp, ["brief", "-t", str(folder), "-a", "odd"], "odd.yaml title")


def test_a_template_that_is_not_utf8_is_refused(runner: CliRunner, in_tmp: Path) -> None:
    folder = in_tmp / "t"
    (folder / "sections").mkdir(parents=True)
    (folder / "sections" / "cases.md.j2").write_bytes("# Cas\xe9s\n".encode("latin-1"))
    refused(runner, in_tmp, ["brief", "-t", str(folder)], "is not UTF-8")
    result = runner.invoke(main, ["check", "-t", str(folder)])
    assert result.exit_code == 2 and "is not UTF-8" in result.stderr


def test_a_source_text_that_is_not_utf8_is_a_finding(runner: CliRunner, tmp_path: Path) -> None:
    text = tmp_path / "article.txt"
    text.write_bytes("上海的网络剧\n".encode("gb18030"))
    result = runner.invoke(main, ["check", "--source-text", str(text)])
    assert result.exit_code == 2 and "is not UTF-8" in result.stderr


def test_batch_refuses_a_bad_epoch_and_a_file_as_output(
    runner: CliRunner, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (in_tmp / "afile").write_text("x")
    refused(runner, in_tmp, ["batch", "-o", "afile", "-q"], "afile is a file")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "abc")
    refused(runner, in_tmp, ["batch", "-o", "o", "-q"], "SOURCE_DATE_EPOCH='abc'")


def test_a_figure_printed_without_a_filter_inside_join_is_refused(
    runner: CliRunner, in_tmp: Path
) -> None:
    folder = user_templates(in_tmp, "cases", "# C\n\n{{ figure_list | join }}\n")
    refused(runner, in_tmp, ["brief", "-t", str(folder)], "cases.md.j2:3:", "is a figure")


def test_an_orphan_figure_right_after_chinese_text_is_found(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "sections" / "zh").mkdir(parents=True)
    (tmp_path / "sections" / "zh" / "cases.md.j2").write_text("# 案例\n\n本市共有9999家企业。\n")
    result = runner.invoke(main, ["check", "-t", str(tmp_path)])
    assert result.exit_code == 2 and "the figure '9999'" in result.stderr


def test_a_hostile_newsletter_template_meets_the_same_sandbox(
    runner: CliRunner, in_tmp: Path
) -> None:
    folder = in_tmp / "t"
    (folder / "newsletter").mkdir(parents=True)
    (folder / "newsletter" / "email.txt.j2").write_text("Hello\n{{ 'x' * 100000000 }}\n")
    refused(
        runner,
        in_tmp,
        ["newsletter", "-t", str(folder), "-o", "issue.eml"],
        "email.txt.j2:2: blocked by the sandbox",
    )
