"""Note marks sit where Chinese typesetting puts them and never mislead."""

from __future__ import annotations

from reportgen.layout.notes import place_marks
from reportgen.model import NoteRef, Strong, Text


def test_a_chinese_note_mark_goes_before_the_closing_punctuation() -> None:
    placed = place_marks((Text("初步形成了全产业链。"), NoteRef(1), Text("下一句")), chinese=True)
    assert placed == (Text("初步形成了全产业链"), NoteRef(1, glued=True), Text("。下一句"))


def test_a_mark_after_a_comma_no_longer_reads_as_part_of_the_number_after_it() -> None:
    placed = place_marks((Text("企业，"), NoteRef(1), Text("2023年")), chinese=True)
    assert placed == (Text("企业"), NoteRef(1, glued=True), Text("，2023年"))


def test_a_mark_is_never_set_directly_before_a_digit() -> None:
    placed = place_marks((Text("companies"), NoteRef(1), Text("2023 was")), chinese=False)
    assert placed[-1] == Text(" 2023 was")


def test_several_marks_stay_together_and_glued_to_the_text() -> None:
    nodes = (Text("市场。"), NoteRef(5), NoteRef(6))
    placed = place_marks(nodes, chinese=True)
    assert placed == (Text("市场"), NoteRef(5, glued=True), NoteRef(6), Text("。"))


def test_english_punctuation_stays_before_the_mark() -> None:
    # and the mark needs no glue: no line breaks inside "market.¹" anyway
    placed = place_marks((Text("the market."), NoteRef(1)), chinese=False)
    assert placed == (Text("the market."), NoteRef(1))


def test_a_mark_after_a_space_may_start_a_line() -> None:
    placed = place_marks((Text("见 "), NoteRef(1)), chinese=True)
    assert placed == (Text("见 "), NoteRef(1))


def test_a_mark_after_formatted_text_is_left_where_it_is() -> None:
    nodes = (Strong((Text("要点。"),)), NoteRef(1))
    assert place_marks(nodes, chinese=True) == nodes
