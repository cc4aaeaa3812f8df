"""Hostile inputs (issue 20, items 2, 4, 8 and 9): every input is opened as
a regular file only and read with a bound, so a FIFO cannot hang a run and
/dev/zero, a sparse file or a zip bomb cannot exhaust memory.

The cases that would read without end run in a subprocess under a 1 GB
address-space limit and a timeout: a regression fails the test (exit 1 with
MemoryError, or the timeout), it never takes the machine down."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image

from reportgen.data.spreadsheet import load_cases_table
from reportgen.errors import InputError

from .conftest import data_text, files_under

LIMITED = (
    "import resource, sys\n"
    "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
    "from reportgen.cli import main\n"
    "main(sys.argv[1:], prog_name='reportgen')\n"
)


def run_limited(cwd: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """reportgen ARGS under 1 GB of address space and a 60 s timeout."""
    result = subprocess.run(
        [sys.executable, "-c", LIMITED, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )
    return result.returncode, result.stderr


def assert_refused(cwd: Path, *args: str, expect: str, env: dict[str, str] | None = None) -> None:
    before = files_under(cwd)
    code, err = run_limited(cwd, *args, env=env)
    assert code == 2, err
    assert "Traceback" not in err and "MemoryError" not in err
    assert expect in err, err
    assert files_under(cwd) == before


# --------------------------------------------------------------------------
# Files that are not regular files


def test_dev_zero_as_the_data_file_is_refused_before_reading(tmp_path: Path) -> None:
    assert_refused(tmp_path, "brief", "-d", "/dev/zero", expect="is a character device")


def test_a_fifo_as_the_data_file_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "data.yaml")
    assert_refused(tmp_path, "brief", "-d", "data.yaml", expect="is a named pipe (FIFO)")


def test_a_register_at_dev_zero_is_refused(tmp_path: Path) -> None:
    text = data_text()
    text = text.replace(text.split("sources_from: ")[1].split("\n")[0], "/dev/zero", 1)
    (tmp_path / "data.yaml").write_text(text, encoding="utf-8")
    assert_refused(tmp_path, "brief", "-d", "data.yaml", expect="/dev/zero")


def test_a_cases_table_linked_to_dev_zero_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cases.csv").symlink_to("/dev/zero")
    text = data_text().replace("\ncases:", "\ncases_from: cases.csv\ncases:", 1)
    (tmp_path / "data.yaml").write_text(text, encoding="utf-8")
    assert_refused(tmp_path, "brief", "-d", "data.yaml", expect="cases table is a character device")


@pytest.mark.parametrize("attachment", ["/dev/zero", "fifo"])
def test_an_attachment_that_is_not_a_regular_file_is_refused(
    tmp_path: Path, attachment: str
) -> None:
    if attachment == "fifo":
        os.mkfifo(tmp_path / "fifo")
    assert_refused(
        tmp_path,
        "newsletter",
        "--no-brief",
        "--attach",
        attachment,
        "-o",
        "issue.eml",
        expect="not a regular file",
    )


def test_dev_zero_as_the_cjk_font_is_refused(tmp_path: Path) -> None:
    assert_refused(
        tmp_path,
        *("brief", "-a", "newsletter", "-l", "zh", "--cjk-font", "/dev/zero"),
        expect="--cjk-font is a character device",
    )


def test_a_sparse_data_file_of_a_gigabyte_is_refused_by_its_size(tmp_path: Path) -> None:
    with open(tmp_path / "data.yaml", "wb") as handle:
        handle.truncate(1 << 30)
    assert_refused(tmp_path, "brief", "-d", "data.yaml", expect="over the limit of 10,485,760")


# --------------------------------------------------------------------------
# Logos and the reference .docx


def profile_with_logo(folder: Path) -> None:
    (folder / "audiences").mkdir(parents=True)
    (folder / "audiences" / "branded.yaml").write_text(
        "description: {en: d}\naudience: {en: a}\ntitle: {en: '{{ title }}'}\n"
        "sections: [digest]\nlayout: digest\nbrand: {logo: logo.png}\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("kind", ["fifo", "sparse"])
def test_a_logo_that_is_a_fifo_or_a_sparse_gigabyte_is_refused(tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "t"
    profile_with_logo(folder)
    if kind == "fifo":
        os.mkfifo(folder / "logo.png")
        expect = "is a named pipe (FIFO)"
    else:
        with open(folder / "logo.png", "wb") as handle:
            handle.truncate(1 << 30)
        expect = "over the limit of 5,242,880"
    assert_refused(tmp_path, "brief", "-t", "t", "-a", "branded", "-f", "pdf", expect=expect)


def png(width: int = 200, height: int = 100) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("damage", "expect"),
    [
        (lambda data: data[: len(data) // 2], "is damaged or truncated"),
        (lambda data: data[:60] + bytes(20) + data[80:], "is damaged or truncated"),
    ],
    ids=["truncated", "malformed"],
)
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_damaged_logo_is_refused_the_same_way_by_both_formats(
    tmp_path: Path, damage: object, expect: str, fmt: str
) -> None:
    folder = tmp_path / "t"
    profile_with_logo(folder)
    (folder / "logo.png").write_bytes(damage(png()))  # type: ignore[operator]
    assert_refused(tmp_path, "brief", "-t", "t", "-a", "branded", "-f", fmt, expect=expect)


def zip_bomb_docx(path: Path) -> None:
    """A real .docx whose central directory declares its body as 4 GB: what
    a zip bomb declares, without taking seconds to build one."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    data = bytearray(buffer.getvalue())
    entry = data.find(b"PK\x01\x02")  # the first central-directory entry
    struct.pack_into("<I", data, entry + 24, 0xFFFF_FFF0)  # its uncompressed size
    path.write_bytes(bytes(data))


def test_a_zip_bomb_reference_docx_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    zip_bomb_docx(tmp_path / "house.docx")
    assert_refused(
        tmp_path,
        *("brief", "-a", "newsletter", "-f", "docx", "--reference-docx", "house.docx"),
        expect="unpacks to 4,29",
    )


# --------------------------------------------------------------------------
# Spreadsheets


def workbook(path: Path, rows: list[list[object]], patch: tuple[str, str] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cases"
    for row in rows:
        sheet.append(row)
    book.save(path)
    if patch:
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        xml = members["xl/worksheets/sheet1.xml"].decode()
        members["xl/worksheets/sheet1.xml"] = xml.replace(*patch).encode()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)
    return path


HEADER = ["id", "title", "cite.paragraph"]


def test_a_workbook_reaching_row_twenty_million_is_refused_after_the_limit(tmp_path: Path) -> None:
    far = '<row r="20000000"><c r="A20000000" t="inlineStr"><is><t>x</t></is></c></row>'
    path = workbook(
        tmp_path / "cases.xlsx", [HEADER, ["a", "A", 1]], ("</sheetData>", far + "</sheetData>")
    )
    with pytest.raises(InputError, match=r"over 10,000 rows \(empty rows count\)"):
        load_cases_table(path)


def test_a_cell_over_the_limit_is_refused_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the default is Excel's own limit (32,767), which openpyxl cannot exceed
    monkeypatch.setenv("REPORTGEN_MAX_CELL_CHARS", "1000")
    path = workbook(tmp_path / "cases.xlsx", [HEADER, ["a", "x" * 4000, 1]])
    with pytest.raises(InputError, match="row 2, column B: the cell holds 4,000 characters"):
        load_cases_table(path)


def test_a_zip_bomb_workbook_is_refused_by_its_declared_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPORTGEN_MAX_UNZIPPED_BYTES", "100000")
    path = workbook(tmp_path / "cases.xlsx", [HEADER, *[["a", "y" * 1000, 1]] * 200])
    with pytest.raises(InputError, match=r"unpacks to .* over the limit of 100,000"):
        load_cases_table(path)


def test_a_hidden_first_sheet_is_skipped_with_a_warning(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title, hidden.sheet_state = "Lookup", "hidden"
    hidden.append(["not", "the", "table"])
    cases = book.create_sheet("Cases")
    cases.append(HEADER)
    cases.append(["a", "A title", 1])
    book.save(tmp_path / "cases.xlsx")
    with pytest.warns(UserWarning, match="skipped hidden sheet 'Lookup'; reading 'Cases'"):
        table = load_cases_table(tmp_path / "cases.xlsx")
    assert table.rows[0]["title"] == {"en": "A title"}


def test_merged_cells_read_as_their_top_left_value_with_a_warning(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Cases"
    for row in (HEADER, ["a", "A", 8], ["b", "B", None]):
        sheet.append(row)
    sheet.merge_cells("C2:C3")
    book.save(tmp_path / "cases.xlsx")
    with pytest.warns(UserWarning, match="merged cell range.*C2:C3.*top-left"):
        table = load_cases_table(tmp_path / "cases.xlsx")
    assert [row["cite"]["paragraph"] for row in table.rows] == [8, 8]


def test_a_shift_jis_csv_is_refused_naming_the_line_not_read_as_gb18030(tmp_path: Path) -> None:
    text = "id,title\r\na,ドラマの海外展開\r\n"
    raw = text.encode("shift_jis")
    raw.decode("gb18030")  # the trap: it decodes without error, into garbage
    (tmp_path / "cases.csv").write_bytes(raw)
    with pytest.raises(InputError, match=r"cases.csv:2: .*Shift-JIS") as caught:
        load_cases_table(tmp_path / "cases.csv")
    assert "CSV UTF-8" in str(caught.value)


def test_a_csv_in_neither_encoding_is_refused_naming_the_line(tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_bytes(b"id,title\r\na,A\r\nb,caf\xe9\xff\r\n")
    with pytest.raises(InputError, match=r"cases.csv:3: is neither UTF-8 nor GB18030"):
        load_cases_table(tmp_path / "cases.csv")


def test_simplified_chinese_in_gb18030_still_reads(tmp_path: Path) -> None:
    (tmp_path / "cases.csv").write_bytes("id,title.zh\r\na,三十而已\r\n".encode("gb18030"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = load_cases_table(tmp_path / "cases.csv")
    assert table.rows[0]["title"] == {"zh": "三十而已"}
