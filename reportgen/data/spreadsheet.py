"""Reading a case list from an Excel workbook (.xlsx) or a CSV file.

Analysts keep their case lists in Excel. A data file may say
``cases_from: cases.xlsx`` (relative to the data file); ``load_cases_table``
turns that table into the mappings a ``cases:`` list in YAML would hold and
remembers the cell each value came from, so that a validation problem can
name the sheet, row and column to fix.

The table
---------
One row per case. The first row that is not empty names the columns; the
rows below it are cases, and rows with no value at all are skipped. Column
names are the fields of a case, nested fields joined with dots
(``reach.value``, ``cite.paragraph``); upper or lower case and spaces in a
name do not matter, nor does the order of the columns. An empty cell means
"not given".

Text that may also have a Chinese form takes two columns: ``title`` for the
English (``title.en`` works too) and ``title.zh`` for the Chinese.

The lists ``deals`` and ``honours`` use one column per field of an item. A
cell holds one value per item, separated by ``;`` (the Chinese full-width
``；`` works too), and the items line up by position::

    deals.platform     deals.rights                     deals.cite.paragraph
    netflix; youtube   global broadcast; streaming      8

- A cell with a single value applies to every item (``8`` above).
- An empty item leaves that field out for one item:
  ``; placed on its premiere list`` gives a note to the second deal only.
- A ``;`` at the end of a cell is ignored.
- A value in a list column cannot itself contain ``;``.

The columns (one line per part of a case)::

    id  title  title.zh  genre  genre.zh  producer  cite.paragraph  cite.source
    deals.platform  deals.rights  deals.rights.zh  deals.note  deals.note.zh
        deals.cite.paragraph  deals.cite.source
    availability.platform  availability.kind  availability.cite.paragraph
        availability.cite.source
    reach.label  reach.label.zh  reach.value  reach.unit  reach.qualifier  reach.qualifier_word
        reach.year  reach.noun  reach.noun.zh  reach.headline
        reach.cite.paragraph  reach.cite.source
    honours.kind  honours.title  honours.title.zh  honours.event
        honours.event.zh  honours.edition  honours.place  honours.place.zh
        honours.year  honours.cite.paragraph  honours.cite.source
    remake.status  remake.status.zh  remake.interest  remake.interest.zh
        remake.cite.paragraph  remake.cite.source

They are derived from ``schema.Case``, so a field added there becomes a
column here (a test keeps this list in step).

Values
------
Numbers typed in Excel arrive as numbers and numbers in a CSV as text; the
schema converts both. In a text column (a title, an id) a number becomes
text, so a series called 1984 keeps its title. A formula gives the value
Excel last saved for it. Type a share such as ``1/3`` as text (``'1/3``),
or Excel turns it into a date.

Files
-----
``.xlsx`` and ``.xlsm`` workbooks: the first visible sheet (hidden sheets
before it are skipped with a warning), or the one named. A merged cell
reads as its top-left value in every cell of the merge, with a warning.
CSV: comma-separated, in UTF-8 with or without a BOM (Excel's "CSV UTF-8")
or in GB18030 (what Excel on Chinese Windows saves as "CSV"), tried in that
order; GB18030 only when it reads as simplified Chinese (see ``csv_text``),
so a Shift-JIS or Big5 file is refused, never decoded into garbage.

Limits: the file's size, its declared unpacked size (a zip bomb), rows
(empty ones included), columns and characters per cell (see ``limits``).
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import typing
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import InputError
from ..files import limits
from ..files.safe_io import check_zip_sizes, read_bounded
from .csv_text import decode_csv
from .merged import Range, merged_ranges, unmerge
from .schema import Case, LocalText, type_options

#: file extensions read, each with its reader
SUPPORTED = (".xlsx", ".xlsm", ".csv")
#: what separates the items of a list cell: ASCII and Chinese full-width
_SEPARATOR = re.compile(r"[;；]")


# --------------------------------------------------------------------------
# The result


@dataclass
class TableRows:
    """The cases of a table, shaped as in YAML, and where each value stands.

    ``where`` maps (row index, field path) to a place such as ``"cases.xlsx,
    sheet 'Cases', row 5, column C"``. Field paths have no list indices
    (``deals.platform``, ``title.en``); every column of the header has an
    entry for every row, even where its cell is empty, and so do the parts
    above it (``deals``, ``title``) and the row itself (path ``""``).
    """

    rows: list[dict[str, Any]]
    where: dict[tuple[int, str], str]

    def find(self, index: int, path: Sequence[str | int]) -> str:
        """The place of ``path`` in row ``index``: a data path as validation
        reports it, such as ``('deals', 1, 'platform')``. Falls back to the
        nearest part above it that has a column, and then to the row."""
        names = [part for part in path if isinstance(part, str)]
        for cut in range(len(names), -1, -1):
            hit = self.where.get((index, ".".join(names[:cut])))
            if hit is not None:
                return hit
        raise KeyError(index)


# --------------------------------------------------------------------------
# Columns, derived from the schema


@dataclass(frozen=True)
class Column:
    """One column a table may have."""

    name: str
    #: where its value goes in a case, without list indices
    path: tuple[str, ...]
    #: the path of the list it fills items of, or None
    group: tuple[str, ...] | None
    #: whether numbers are turned into text
    text: bool


def _model_columns(
    model: type[BaseModel], prefix: tuple[str, ...], group: tuple[str, ...] | None
) -> list[Column]:
    columns: list[Column] = []
    for name, info in model.model_fields.items():
        columns += _field_columns(info.annotation, (*prefix, name), group)
    return columns


def _field_columns(
    annotation: Any, path: tuple[str, ...], group: tuple[str, ...] | None
) -> list[Column]:
    options = [option for option in type_options(annotation) if option is not type(None)]
    dotted = ".".join(path)
    model = next((o for o in options if isinstance(o, type) and issubclass(o, BaseModel)), None)
    if model is LocalText:
        return [
            Column(dotted, (*path, "en"), group, text=True),
            Column(f"{dotted}.zh", (*path, "zh"), group, text=True),
        ]
    if model is not None:
        return _model_columns(model, path, group)
    item = next((typing.get_args(o)[0] for o in options if typing.get_origin(o) is list), None)
    if item is not None:
        # One cell holds one value per item; a list inside an item would
        # need a second separator no analyst would type, so it is left out.
        is_model = isinstance(item, type) and issubclass(item, BaseModel)
        return _model_columns(item, path, path) if is_model and group is None else []
    return [Column(dotted, path, group, text=all(_is_text(o) for o in options))]


def _is_text(option: Any) -> bool:
    if typing.get_origin(option) is typing.Literal:
        return all(isinstance(arg, str) for arg in typing.get_args(option))
    return isinstance(option, type) and (issubclass(option, str) or issubclass(option, Enum))


#: the columns a cases table may have, in schema order
COLUMNS: list[Column] = _model_columns(Case, (), None)
#: header name -> column; ``title.en`` is another name for ``title``
_BY_NAME: dict[str, Column] = {
    **{f"{c.name}.en": c for c in COLUMNS if c.path[-1] == "en"},
    **{c.name: c for c in COLUMNS},
}


# --------------------------------------------------------------------------
# Loading


def load_cases_table(path: Path, sheet: str | None = None) -> TableRows:
    """Read the cases table at ``path``: a workbook (its first visible
    sheet, or ``sheet``) or a CSV file. Raises InputError for a file that
    cannot be read, is over a limit, or has a header that names no known
    columns."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(
            f"cannot read '{path.suffix or 'no extension'}' files as a cases table; "
            f"supported: {', '.join(SUPPORTED)} (save .xls or .ods files as .xlsx)",
            path,
        )
    raw = _read_file(path)
    table = _read_csv(path, raw, sheet) if suffix == ".csv" else _read_workbook(path, raw, sheet)
    return _build(table)


def _read_file(path: Path) -> bytes:
    """The file's bytes: a regular file only (a FIFO or /dev/zero is
    refused by its type), read no further than the size limit."""
    if not path.exists() and not path.is_symlink():
        raise InputError(
            "cases table not found; check the path (cases_from is relative to the data file)", path
        )
    limit = limits.current().data_bytes
    return read_bounded(path, limit, "cases table", "REPORTGEN_MAX_DATA_BYTES")


@dataclass
class _Table:
    """The non-empty rows of a sheet or CSV file, with their row numbers
    (from 1, as Excel shows them) and cell values (text stripped, empty
    cells None)."""

    file: Path
    sheet: str | None  # None for a CSV file
    rows: list[tuple[int, list[Any]]]

    def place(self, row: int, column: int | None = None) -> str:
        """``sheet 'Cases', row 5, column C``; columns count from 0 here."""
        parts = [f"sheet '{self.sheet}'"] if self.sheet is not None else []
        parts.append(f"row {row}")
        if column is not None:
            # Excel shows column letters; a CSV opened elsewhere has none.
            label = _column_letter(column) if self.sheet is not None else str(column + 1)
            parts.append(f"column {label}")
        return ", ".join(parts)

    def where(self, row: int, column: int | None = None) -> str:
        return f"{self.file}, {self.place(row, column)}"

    def fail(self, row: int, column: int | None, message: str) -> InputError:
        return InputError(f"{self.place(row, column)}: {message}", self.file)


def _column_letter(column: int) -> str:
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _nonempty_rows(table: _Table, rows: Iterable[Sequence[Any]]) -> list[tuple[int, list[Any]]]:
    """The rows that hold a value, within the limits. Rows are counted by
    number, empty ones included, so a sheet that claims 20 million empty
    rows is refused after the limit, not read to its end."""
    cap = limits.current()
    kept: list[tuple[int, list[Any]]] = []
    for number, row in enumerate(rows, start=1):
        if number > cap.table_rows:
            raise InputError(
                f"cases table has over {cap.table_rows:,} rows (empty rows count); split it, "
                "delete the empty rows below the table, or raise REPORTGEN_MAX_TABLE_ROWS",
                table.file,
            )
        cells = [_clean(value) for value in row]
        while cells and cells[-1] is None:
            cells.pop()
        if not cells:
            continue
        _check_cells(table, number, cells, cap)
        kept.append((number, cells))
    return kept


def _check_cells(table: _Table, number: int, cells: list[Any], cap: limits.Limits) -> None:
    if len(cells) > cap.table_columns:
        raise table.fail(
            number,
            cap.table_columns,
            f"the table has over {cap.table_columns:,} columns; delete the columns "
            "reportgen does not read, or raise REPORTGEN_MAX_TABLE_COLUMNS",
        )
    for column, value in enumerate(cells):
        if isinstance(value, str) and len(value) > cap.cell_chars:
            raise table.fail(
                number,
                column,
                f"the cell holds {len(value):,} characters, over the limit of "
                f"{cap.cell_chars:,}; shorten it, or raise REPORTGEN_MAX_CELL_CHARS",
            )


def _read_workbook(path: Path, raw: bytes, sheet: str | None) -> _Table:
    # Imported here: only workbooks need it, and it costs startup time.
    try:
        import openpyxl
    except ImportError as exc:
        raise InputError("reading .xlsx files needs openpyxl: pip install openpyxl", path) from exc
    unzipped = limits.current().unzipped_bytes
    check_zip_sizes(
        raw,
        unzipped,
        "cannot read the workbook: it",
        lambda message: InputError(message, path),
        "open it in Excel and save it as 'Excel Workbook (.xlsx)'",
    )
    try:
        # openpyxl warns about Excel features it drops on reading (data
        # validation, extensions); they do not touch the values we read.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            worksheet = _pick_sheet(book, sheet, path)
            # Read-only mode trusts the size the file claims; some tools
            # write a wrong one, which would cut rows or columns off.
            worksheet.reset_dimensions()
            table = _Table(path, worksheet.title, [])
            merged = _merged_ranges(raw, worksheet._worksheet_path, table)
            rows = unmerge(worksheet.iter_rows(values_only=True), merged)
            table.rows = _nonempty_rows(table, rows)
        finally:
            book.close()
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(
            f"cannot read the workbook ({type(exc).__name__}: {exc}); is it password-protected "
            "or not really .xlsx? Open it in Excel and save it as 'Excel Workbook (.xlsx)'",
            path,
        ) from exc
    return table


def _pick_sheet(book: Any, sheet: str | None, path: Path) -> Any:
    """The sheet named, else the first visible one: a hidden sheet is
    usually a lookup list or an old version, never the table meant."""
    if sheet is None:
        visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
        if not visible:
            raise InputError("the workbook has no visible worksheet; name the sheet to read", path)
        skipped = book.worksheets[: book.worksheets.index(visible[0])]
        if skipped:
            names = ", ".join(f"'{ws.title}'" for ws in skipped)
            warnings.warn(
                f"{path}: skipped hidden sheet {names}; reading '{visible[0].title}' "
                "(name a sheet to read another)",
                UserWarning,
                stacklevel=2,
            )
        return visible[0]
    if sheet not in book.sheetnames:
        close = difflib.get_close_matches(sheet, book.sheetnames, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        names = ", ".join(f"'{name}'" for name in book.sheetnames)
        raise InputError(f"the workbook has no sheet '{sheet}'{hint}; its sheets: {names}", path)
    worksheet = book[sheet]
    if not hasattr(worksheet, "iter_rows"):
        raise InputError(f"sheet '{sheet}' is a chart, not a table; name another sheet", path)
    return worksheet


def _merged_ranges(raw: bytes, member: str, table: _Table) -> list[Range]:
    """The merged cells of a sheet, with a warning naming the first."""
    ranges = merged_ranges(raw, member)
    if ranges:
        first = ranges[0]
        warnings.warn(
            f"{table.file}, sheet '{table.sheet}': {len(ranges)} merged cell range(s), e.g. "
            f"{_column_letter(first[0] - 1)}{first[1]}:{_column_letter(first[2] - 1)}{first[3]};"
            " each cell of a merge reads the value of its top-left cell (unmerge them in "
            "Excel to give each its own value)",
            UserWarning,
            stacklevel=2,
        )
    return ranges


def _read_csv(path: Path, raw: bytes, sheet: str | None) -> _Table:
    if sheet is not None:
        raise InputError(
            f"is a CSV file, which has no sheets; leave out the sheet name '{sheet}'", path
        )
    text = decode_csv(raw, path)
    table = _Table(path, None, [])
    try:
        table.rows = _nonempty_rows(table, csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"is not a readable CSV file ({exc}); save it again as CSV", path) from exc
    return table


# --------------------------------------------------------------------------
# From cells to cases


def _build(table: _Table) -> TableRows:
    if not table.rows:
        what = f"sheet '{table.sheet}'" if table.sheet is not None else "the file"
        raise InputError(
            f"has no header row: {what} is empty; put the column names "
            "(id, title, cite.paragraph, ...) in the first row and one case per row below",
            table.file,
        )
    header_row, header = table.rows[0]
    columns = _header(table, header_row, header)
    result = TableRows([], {})
    for row, cells in table.rows[1:]:
        _check_named(table, row, cells, columns, header_row)
        index = len(result.rows)
        result.rows.append(_case(table, row, cells, columns, index, result.where))
    return result


def _header(table: _Table, row: int, cells: list[Any]) -> list[Column | None]:
    columns: list[Column | None] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(cells):
        if cell is None:
            columns.append(None)
            continue
        column = _column_named(table, row, position, str(cell))
        if column.name in seen:
            first = table.place(row, seen[column.name]).rsplit(", ", 1)[-1]
            raise table.fail(
                row,
                position,
                f"column '{cell}' repeats {first} (both are '{column.name}'); delete one",
            )
        seen[column.name] = position
        columns.append(column)
    return columns


def _column_named(table: _Table, row: int, position: int, text: str) -> Column:
    name = "".join(text.split()).lower()
    column = _BY_NAME.get(name)
    if column is not None:
        return column
    close = difflib.get_close_matches(name, [c.name for c in COLUMNS], n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    if table.sheet is None and (";" in name or "\t" in text):
        hint += "; the file seems to be separated by ';' or tabs: save it with commas"
    allowed = ", ".join(c.name for c in COLUMNS)
    raise table.fail(
        row,
        position,
        f"unknown column '{text}'{hint}; the first row must name the columns, each one of: "
        f"{allowed}",
    )


def _check_named(
    table: _Table, row: int, cells: list[Any], columns: list[Column | None], header_row: int
) -> None:
    """A value under a column without a name would be lost: refuse it."""
    for position, value in enumerate(cells):
        if value is not None and (position >= len(columns) or columns[position] is None):
            raise table.fail(
                row,
                position,
                f"has a value but its column has no name in the header (row {header_row}); "
                "name the column or clear it",
            )


def _case(
    table: _Table,
    row: int,
    cells: list[Any],
    columns: list[Column | None],
    index: int,
    where: dict[tuple[int, str], str],
) -> dict[str, Any]:
    case: dict[str, Any] = {}
    lists: dict[tuple[str, ...], list[tuple[Column, int, list[Any]]]] = {}
    where[(index, "")] = table.where(row)
    for position, column in enumerate(columns):
        if column is None:
            continue
        _note_place(where, index, column.path, table.where(row, position))
        value = cells[position] if position < len(cells) else None
        if value is None:
            continue
        if column.group is None:
            _put(case, column.path, _typed(value, column))
        else:
            lists.setdefault(column.group, []).append((column, position, _split(value, column)))
    for group, parts in lists.items():
        _put(case, group, _items(table, row, group, parts))
    return case


def _note_place(
    where: dict[tuple[int, str], str], index: int, path: tuple[str, ...], place: str
) -> None:
    # The parts above a column point at its leftmost column, so that a
    # problem with a whole deal or title still lands on a cell of it.
    for cut in range(len(path), 0, -1):
        where.setdefault((index, ".".join(path[:cut])), place)


def _typed(value: Any, column: Column) -> Any:
    if column.text and isinstance(value, (int, float)) and not isinstance(value, bool):
        # Excel stores 1984 as a number even in a title column.
        return str(int(value)) if float(value).is_integer() else repr(value)
    return value


def _split(value: Any, column: Column) -> list[Any]:
    """The items of a list cell; None for an item left empty."""
    if not isinstance(value, str):
        return [_typed(value, column)]
    items = [item.strip() for item in _SEPARATOR.split(value)]
    if len(items) > 1 and not items[-1]:
        items.pop()  # "netflix; youtube;" has two items, not three
    return [_typed(item, column) if item else None for item in items]


def _items(
    table: _Table,
    row: int,
    group: tuple[str, ...],
    parts: list[tuple[Column, int, list[Any]]],
) -> list[dict[str, Any]]:
    longest, _, most = max(parts, key=lambda part: len(part[2]))
    count = len(most)
    for column, position, values in parts:
        if len(values) not in (1, count):
            raise table.fail(
                row,
                position,
                f"{column.name} has {len(values)} items but {longest.name} has {count}; "
                f"give one value per item of {'.'.join(group)}, in the same order, separated "
                "by ';' (leave an item empty to skip it), or one value for all",
            )
    items: list[dict[str, Any]] = []
    for number in range(count):
        item: dict[str, Any] = {}
        for column, _, values in parts:
            value = values[0] if len(values) == 1 else values[number]
            if value is not None:
                _put(item, column.path[len(group) :], value)
        items.append(item)
    return items


def _put(mapping: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        mapping = mapping.setdefault(key, {})
    mapping[path[-1]] = value


__all__ = ["COLUMNS", "SUPPORTED", "Column", "TableRows", "load_cases_table"]
