"""Case lists from Excel workbooks and CSV files: the column format, the
encodings Excel saves, where each value came from, and the errors."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from reportgen.data import spreadsheet
from reportgen.data.schema import Case
from reportgen.data.spreadsheet import COLUMNS, TableRows, load_cases_table
from reportgen.errors import InputError

from .conftest import FIXTURE

FIXTURES = FIXTURE.parent

# --------------------------------------------------------------------------
# The sample: fictional cases, as an analyst would type them in Excel.
# ``write_samples(Path("fixtures"))`` made fixtures/sample-cases.xlsx and
# fixtures/sample-cases-gb18030.csv from these.

SAMPLE_HEADER = [
    "id",
    "title",
    "title.zh",
    "genre",
    "producer",
    "deals.platform",
    "deals.rights",
    "deals.note",
    "deals.cite.paragraph",
    "reach.value",
    "reach.unit",
    "reach.qualifier",
    "reach.label",
    "reach.noun",
    "reach.cite.paragraph",
    "honours.kind",
    "honours.title",
    "honours.year",
    "honours.cite.paragraph",
    "remake.status",
    "remake.cite.paragraph",
    "cite.paragraph",
    "cite.source",
]
SAMPLE_ROWS: list[list[Any]] = [
    [
        "harbour-lights",
        "Harbour Lights (fictional sample)",
        "港湾灯火（虚构示例）",
        "urban drama",
        "example-studios",
        "example-stream; example-tube",
        "global streaming; regional broadcast",
        None,
        1,
        12,
        "count",
        "more_than",
        "countries reached (fictional)",
        "countries",
        1,
        None,
        None,
        None,
        None,
        None,
        None,
        1,
        None,
    ],
    [
        "paper-cranes",
        "Paper Cranes (fictional sample)",
        "纸鹤（虚构示例）",
        "family drama",
        "example-pictures",
        "example-stream",
        "Asia-Pacific rights",
        "placed on a fictional premiere list",
        2,
        None,
        None,
        None,
        None,
        None,
        None,
        "award; ranking",
        "Best Series (fictional award); most-viewed series (fictional ranking)",
        2024,
        2,
        None,
        None,
        2,
        None,
    ],
    [
        "night-ferry",
        "Night Ferry (fictional sample)",
        "夜渡（虚构示例）",
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        "remake rights under discussion (fictional)",
        3,
        3,
        "fictional-source",
    ],
]
ABOUT = [
    ["Fictional sample data for reportgen."],
    ["None of the series, companies or figures on the Cases sheet exist."],
    ["Column names: see the docstring of reportgen/data/spreadsheet.py."],
]


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    sheet: str = "Cases",
    more: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> Path:
    book = openpyxl.Workbook()
    worksheet = book.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    for name, other in (more or {}).items():
        extra = book.create_sheet(name)
        for row in other:
            extra.append(list(row))
    book.save(path)
    return path


def csv_text(rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")  # as Excel writes it
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(rows).encode(encoding))
    return path


def write_samples(folder: Path) -> None:
    write_xlsx(folder / "sample-cases.xlsx", [SAMPLE_HEADER, *SAMPLE_ROWS], more={"About": ABOUT})
    write_csv(folder / "sample-cases-gb18030.csv", [SAMPLE_HEADER, *SAMPLE_ROWS], "gb18030")


def cases(table: TableRows) -> list[Case]:
    return [Case.model_validate(row) for row in table.rows]


def error_of(path: Path, sheet: str | None = None) -> str:
    with pytest.raises(InputError) as caught:
        load_cases_table(path, sheet)
    return str(caught.value)


# --------------------------------------------------------------------------
# The samples


def test_the_sample_workbook_loads_into_rows_the_case_schema_accepts() -> None:
    table = load_cases_table(FIXTURES / "sample-cases.xlsx")
    loaded = cases(table)
    assert [case.id for case in loaded] == ["harbour-lights", "paper-cranes", "night-ferry"]
    first, second, third = loaded
    assert [(d.platform, d.rights.en) for d in first.deals] == [
        ("example-stream", "global streaming"),
        ("example-tube", "regional broadcast"),
    ]
    assert [d.cite.paragraph for d in first.deals] == [1, 1]
    assert first.reach is not None and first.reach.value == 12
    assert second.deals[0].note is not None
    assert [(h.kind, h.year) for h in second.honours] == [("award", 2024), ("ranking", 2024)]
    assert third.remake is not None and third.cite.source == "fictional-source"
    assert third.deals == [] and third.reach is None and third.genre is None


def test_the_sample_files_are_clearly_fictional() -> None:
    for case in cases(load_cases_table(FIXTURES / "sample-cases.xlsx")):
        assert "(fictional sample)" in case.title.en
        assert "虚构示例" in (case.title.zh or "")
    book = openpyxl.load_workbook(FIXTURES / "sample-cases.xlsx", read_only=True)
    assert book.sheetnames == ["Cases", "About"]
    book.close()


def test_the_sample_csv_holds_the_same_cases_as_the_sample_workbook() -> None:
    workbook = cases(load_cases_table(FIXTURES / "sample-cases.xlsx"))
    text = cases(load_cases_table(FIXTURES / "sample-cases-gb18030.csv"))
    assert text == workbook
    raw = (FIXTURES / "sample-cases-gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # it really is GB18030, not UTF-8


def test_the_sample_files_match_the_sample_data_here(tmp_path: Path) -> None:
    write_samples(tmp_path)
    for name in ("sample-cases.xlsx", "sample-cases-gb18030.csv"):
        fresh = load_cases_table(tmp_path / name).rows
        assert load_cases_table(FIXTURES / name).rows == fresh, name


def test_every_column_is_documented_in_the_module_docstring() -> None:
    doc = spreadsheet.__doc__ or ""
    listed = doc.split("The columns (one line per part of a case)::", 1)[1].split("They are")[0]
    assert sorted(listed.split()) == sorted(column.name for column in COLUMNS)


# --------------------------------------------------------------------------
# Encodings

NOTHING_BUT_THIRTY = [
    ["id", "title", "title.zh", "cite.paragraph"],
    ["nothing-but-thirty", "Nothing But Thirty", "三十而已", "8"],
]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_utf8_utf8_with_bom_and_gb18030_csvs_load_to_the_same_rows(
    tmp_path: Path, encoding: str
) -> None:
    path = write_csv(tmp_path / "cases.csv", NOTHING_BUT_THIRTY, encoding)
    assert load_cases_table(path).rows == [
        {
            "id": "nothing-but-thirty",
            "title": {"en": "Nothing But Thirty", "zh": "三十而已"},
            "cite": {"paragraph": "8"},
        }
    ]


def test_a_csv_in_another_encoding_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(b"id,title\r\nx,caf\xe9\xff\r\n")
    message = error_of(path)
    assert "neither UTF-8 nor GB18030" in message
    assert "CSV UTF-8 (Comma delimited)" in message


def test_a_utf16_csv_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_text(NOTHING_BUT_THIRTY).encode("utf-16"))
    message = error_of(path)
    assert "UTF-16" in message and "CSV UTF-8" in message


# --------------------------------------------------------------------------
# Where values came from


def test_where_names_the_sheet_row_and_column_of_each_value(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "cases.xlsx",
        [
            [],  # a blank row above the header is skipped
            ["id", "deals.platform", "title", "cite.paragraph"],
            ["first", "netflix", "First", 1],
            [],
            ["second", None, "Second", 2],
        ],
        sheet="Cases",
        more={"Notes": [["not read"]]},
    )
    table = load_cases_table(path)
    assert [row["id"] for row in table.rows] == ["first", "second"]
    assert table.where[(0, "deals.platform")] == f"{path}, sheet 'Cases', row 3, column B"
    assert table.where[(0, "title.en")] == f"{path}, sheet 'Cases', row 3, column C"
    assert table.where[(1, "cite.paragraph")] == f"{path}, sheet 'Cases', row 5, column D"
    # an empty cell still has its place, for "is required but missing"
    assert table.where[(1, "deals.platform")] == f"{path}, sheet 'Cases', row 5, column B"
    assert table.where[(1, "")] == f"{path}, sheet 'Cases', row 5"


def test_where_names_the_row_and_column_number_in_a_csv(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        [["id", "title", "cite.paragraph"], ["a", "A", "1"], ["", "", ""], ["b", "B", "2"]],
    )
    table = load_cases_table(path)
    assert table.where[(1, "cite.paragraph")] == f"{path}, row 4, column 3"


def test_a_table_that_starts_further_right_keeps_its_column_letters(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    worksheet = book.active
    worksheet.title = "Cases"
    worksheet["C2"], worksheet["D2"] = "id", "title"
    worksheet["C3"], worksheet["D3"] = "a", "A"
    book.save(tmp_path / "cases.xlsx")
    table = load_cases_table(tmp_path / "cases.xlsx")
    assert table.where[(0, "title.en")].endswith("sheet 'Cases', row 3, column D")


def test_find_falls_back_to_the_column_above_and_then_the_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        [["id", "deals.platform", "deals.rights", "title.zh"], ["a", "x; y", "r", "甲"]],
    )
    table = load_cases_table(path)
    assert table.find(0, ("deals", 1, "platform")) == f"{path}, row 2, column 2"
    assert table.find(0, ("deals", 1, "rights", "en")) == f"{path}, row 2, column 3"
    assert table.find(0, ("deals", 1, "cite", "paragraph")) == f"{path}, row 2, column 2"
    assert table.find(0, ("title", "en")) == f"{path}, row 2, column 4"
    assert table.find(0, ("cite",)) == f"{path}, row 2"


# --------------------------------------------------------------------------
# The column format


def test_list_cells_split_on_semicolons_and_trim_spaces(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        [
            ["id", "deals.platform", "deals.rights", "deals.cite.paragraph"],
            ["a", "  netflix ;youtube；  iqiyi  ", "global;  streaming ; local ", " 8; 9 ;10 "],
        ],
    )
    assert load_cases_table(path).rows[0]["deals"] == [
        {"platform": "netflix", "rights": {"en": "global"}, "cite": {"paragraph": "8"}},
        {"platform": "youtube", "rights": {"en": "streaming"}, "cite": {"paragraph": "9"}},
        {"platform": "iqiyi", "rights": {"en": "local"}, "cite": {"paragraph": "10"}},
    ]


def test_a_single_value_applies_to_every_item_and_an_empty_item_to_none(
    tmp_path: Path,
) -> None:
    path = write_xlsx(
        tmp_path / "cases.xlsx",
        [
            ["id", "deals.platform", "deals.rights", "deals.note", "deals.cite.paragraph"],
            ["a", "netflix; youtube;", "streaming", "; placed on a list", 8],
        ],
    )
    assert load_cases_table(path).rows[0]["deals"] == [
        {"platform": "netflix", "rights": {"en": "streaming"}, "cite": {"paragraph": 8}},
        {
            "platform": "youtube",
            "rights": {"en": "streaming"},
            "note": {"en": "placed on a list"},
            "cite": {"paragraph": 8},
        },
    ]


def test_list_columns_of_different_lengths_are_refused_naming_the_cell(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "cases.xlsx",
        [["id", "deals.platform", "deals.rights"], ["a", "x; y; z", "one; two"]],
    )
    message = error_of(path)
    assert message.startswith(f"{path}: sheet 'Cases', row 2, column C: ")
    assert "deals.rights has 2 items but deals.platform has 3" in message
    assert "separated by ';'" in message


def test_empty_cells_are_not_given_and_text_is_trimmed(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "cases.xlsx",
        [
            ["id", "title", "genre", "reach.value", "reach.unit", "cite.paragraph"],
            ["  a  ", " A ", "   ", None, None, 1],
        ],
    )
    assert load_cases_table(path).rows == [
        {"id": "a", "title": {"en": "A"}, "cite": {"paragraph": 1}}
    ]


def test_chinese_text_takes_its_own_column_and_title_en_names_the_english(
    tmp_path: Path,
) -> None:
    path = write_csv(
        tmp_path / "cases.csv",
        [
            ["ID", "Title.EN", "Title . zh", "Genre.zh", "cite.paragraph"],
            ["a", "A", "甲", "剧", "1"],
        ],
    )
    assert load_cases_table(path).rows[0] == {
        "id": "a",
        "title": {"en": "A", "zh": "甲"},
        "genre": {"zh": "剧"},
        "cite": {"paragraph": "1"},
    }


def test_numbers_stay_numbers_except_in_text_columns(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "cases.xlsx",
        [
            ["id", "title", "reach.value", "reach.year", "honours.title", "honours.edition"],
            [2049, 1984, 1.5, 2023, "Best; Top", 27],
        ],
    )
    row = load_cases_table(path).rows[0]
    assert row["id"] == "2049" and row["title"] == {"en": "1984"}
    assert row["reach"] == {"value": 1.5, "year": 2023}
    assert row["honours"] == [
        {"title": {"en": "Best"}, "edition": 27},
        {"title": {"en": "Top"}, "edition": 27},
    ]


def test_the_first_sheet_is_read_unless_another_is_named(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "cases.xlsx",
        [["id"], ["first-sheet"]],
        sheet="Cases",
        more={"Archive": [["id"], ["archived"]]},
    )
    assert load_cases_table(path).rows == [{"id": "first-sheet"}]
    archive = load_cases_table(path, "Archive")
    assert archive.rows == [{"id": "archived"}]
    assert archive.where[(0, "id")] == f"{path}, sheet 'Archive', row 2, column A"


def test_a_header_without_rows_gives_no_cases(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [["id", "title"]])
    assert load_cases_table(path) == TableRows([], {})


# --------------------------------------------------------------------------
# Errors


def test_a_missing_file_is_an_input_error_saying_to_check_the_path(tmp_path: Path) -> None:
    message = error_of(tmp_path / "nowhere.xlsx")
    assert "not found" in message and "check the path" in message


def test_a_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "cases.csv"
    folder.mkdir()
    assert "is a folder" in error_of(folder)


def test_a_damaged_workbook_says_to_save_it_again_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"this is not a zip file")
    message = error_of(path)
    assert "cannot read the workbook" in message and "Excel Workbook (.xlsx)" in message


@pytest.mark.parametrize("name", ["cases.xls", "cases.ods", "cases.txt", "cases"])
def test_an_unknown_extension_names_the_supported_ones(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"id\n")
    message = error_of(path)
    assert "supported: .xlsx, .xlsm, .csv" in message


def test_a_sheet_that_does_not_exist_lists_the_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", [["id"]], sheet="Cases", more={"About": []})
    message = error_of(path, "cases")
    assert "no sheet 'cases' (did you mean 'Cases'?)" in message
    assert "its sheets: 'Cases', 'About'" in message


def test_a_sheet_name_for_a_csv_is_refused(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [["id"]])
    assert "has no sheets" in error_of(path, "Cases")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_an_empty_table_has_no_header_row(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"cases.{kind}"
    if kind == "xlsx":
        write_xlsx(path, [])
    else:
        path.write_bytes(b"\r\n , \r\n")
    message = error_of(path)
    assert "has no header row" in message and "column names" in message


@pytest.mark.parametrize(
    ("header", "repeat"),
    [(["id", "title", "id"], "column 'id' repeats column A"), (["title", "title.en"], "column B")],
)
def test_a_duplicate_header_is_refused(tmp_path: Path, header: list[str], repeat: str) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", [header])
    message = error_of(path)
    assert repeat in message and "delete one" in message


def test_an_unknown_column_suggests_the_nearest_one(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", [["id", "deals.platfrom"]])
    message = error_of(path)
    assert message.startswith(f"{path}: sheet 'Cases', row 1, column B: ")
    assert "unknown column 'deals.platfrom' (did you mean 'deals.platform'?)" in message
    assert "reach.cite.paragraph" in message  # the allowed columns are listed


def test_a_csv_separated_by_semicolons_says_so(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text("id;title\na;A\n", encoding="utf-8")
    assert "separated by ';'" in error_of(path)


def test_a_value_under_a_column_without_a_name_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", [["id", None, "title"], ["a", "lost", "A"]])
    message = error_of(path)
    assert "row 2, column B: has a value but its column has no name" in message


def test_every_error_is_an_input_error_that_names_the_file(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "cases.xlsx", [["titel"]])
    with pytest.raises(InputError) as caught:
        load_cases_table(path)
    assert caught.value.file == path
    assert re.search(r"did you mean 'title'", str(caught.value))
