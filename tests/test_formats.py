"""The one registry of formats: what ``-f`` offers, what ``-f all`` means,
how files are named and typed, read back from real outputs."""

from __future__ import annotations

import io
import zipfile
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from reportgen.cli import main
from reportgen.errors import UsageError
from reportgen.writers import formats


def test_every_format_offered_on_the_command_line_is_in_the_registry(runner: CliRunner) -> None:
    for command in ("brief", "batch"):
        help_text = runner.invoke(main, [command, "--help"]).output
        offered = help_text.split("-f, --format [", 1)[1].split("]", 1)[0].split("|")
        assert offered == [*formats.NAMES, "all"], command
    help_text = runner.invoke(main, ["newsletter", "--help"]).output
    offered = help_text.split("-f, --format [", 1)[1].split("]", 1)[0].split("|")
    assert offered == list(formats.ATTACHABLE)


def test_format_all_writes_every_format_the_registry_puts_in_it(
    runner: CliRunner, in_tmp: Path
) -> None:
    result = runner.invoke(main, ["brief", "-f", "all", "-o", "out/"])
    assert result.exit_code == 0, result.output
    written = sorted(Path(line).suffix for line in result.stdout.split())
    assert written == sorted(formats.REGISTRY[name].extension for name in formats.ALL)
    pdf = next(Path(line) for line in result.stdout.split() if line.endswith(".pdf"))
    assert len(PdfReader(pdf).pages) >= 2  # a real PDF behind the name
    docx = next(Path(line) for line in result.stdout.split() if line.endswith(".docx"))
    assert "word/document.xml" in zipfile.ZipFile(docx).namelist()


def test_a_fresh_attachment_is_typed_as_the_registry_says(runner: CliRunner, in_tmp: Path) -> None:
    result = runner.invoke(main, ["newsletter", "-f", "pdf", "-f", "docx", "-o", "n.eml"])
    assert result.exit_code == 0, result.output
    message = BytesParser(policy=policy.default).parse(io.BytesIO((in_tmp / "n.eml").read_bytes()))
    types = {part.get_filename(): part.get_content_type() for part in message.iter_attachments()}
    assert sorted(types.values()) == sorted(formats.get(f).media_type for f in formats.ATTACHABLE)


@pytest.mark.parametrize(
    ("suffix", "name"), [(".pdf", "pdf"), (".PDF", "pdf"), (".docx", "docx"), (".md", "md")]
)
def test_a_file_name_tells_its_format_in_any_case(suffix: str, name: str) -> None:
    found = formats.by_extension(suffix)
    assert found is not None and found.name == name
    assert formats.file_name("x-policymakers-en", name) == f"x-policymakers-en.{name}"


def test_an_unknown_format_is_the_users_mistake_and_lists_the_known_ones() -> None:
    assert formats.by_extension(".odt") is None
    with pytest.raises(UsageError, match="unknown format 'odt'; known: pdf, docx, md"):
        formats.get("odt")
