"""Merged cells of an .xlsx sheet: where they are (read from the sheet's
XML, since read-only openpyxl does not report them) and the rows with every
cell of a merge holding its top-left value."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

#: (first column, first row, last column, last row), counted from 1
Range = tuple[int, int, int, int]


def merged_ranges(raw: bytes, member: str) -> list[Range]:
    """The merged cells of sheet ``member`` of workbook ``raw``. Read-only
    openpyxl does not report them (the cells under a merge just read
    empty), so they are read from the sheet's XML, streamed, without
    resolving entities."""
    from lxml import etree
    from openpyxl.utils.cell import range_boundaries

    ranges: list[Range] = []
    with zipfile.ZipFile(io.BytesIO(raw)) as archive, archive.open(member) as stream:
        parser = etree.iterparse(
            stream, tag=f"{_SHEET_NS}mergeCell", resolve_entities=False, no_network=True
        )
        for _, element in parser:
            first_col, first_row, last_col, last_row = range_boundaries(element.get("ref", ""))
            element.clear()
            # A merge spans cells ("A1:C3"); a whole-row or whole-column
            # reference, open at one end, is no merge a sheet can hold.
            if first_col is None or first_row is None or last_col is None or last_row is None:
                continue
            ranges.append((first_col, first_row, last_col, last_row))
    return ranges


def unmerge(rows: Iterable[Sequence[Any]], ranges: list[Range]) -> Iterator[list[Any]]:
    """Rows with every cell of a merge holding its top-left cell's value."""
    tops: dict[Range, Any] = {}
    for number, row in enumerate(rows, start=1):
        cells = list(row)
        for merge in ranges:
            first_col, first_row, last_col, last_row = merge
            if not first_row <= number <= last_row:
                continue
            if number == first_row:
                tops[merge] = cells[first_col - 1] if first_col <= len(cells) else None
            if len(cells) < last_col:
                cells += [None] * (last_col - len(cells))
            for column in range(first_col - 1, last_col):
                if (column, number) != (first_col - 1, first_row):
                    cells[column] = tops.get(merge)
        yield cells
