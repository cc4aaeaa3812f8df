"""Which documents carry page numbers (layout.page)."""

from __future__ import annotations

import pytest

from reportgen.layout.page import numbered


@pytest.mark.parametrize(
    ("layout", "pages", "expected"),
    [
        ("report", 1, False),
        ("digest", 1, False),
        ("report", 2, True),
        ("digest", 2, True),  # a digest that overflows is numbered after all
        ("report", None, True),
        ("digest", None, False),
    ],
)
def test_a_document_of_one_page_goes_unnumbered(
    layout: str, pages: int | None, expected: bool
) -> None:
    assert numbered(layout, pages) is expected
