"""Reading YAML: marks for every value, and broken files refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.data.loader import load_yaml
from reportgen.errors import InputError


def write(tmp_path: Path, content: bytes | str, name: str = "data.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_every_key_remembers_its_line_and_column(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, "a: 1\nb:\n  - c: 2\n    d: x\n"))
    assert loaded.data == {"a": 1, "b": [{"c": 2, "d": "x"}]}
    assert loaded.marks.find(("b", 0, "d")) == (4, 5)
    assert loaded.marks.where(("b", 0, "c")).endswith("data.yaml:3:5")


def test_a_missing_place_falls_back_to_its_nearest_ancestor(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, "a:\n  b: 1\n"))
    assert loaded.marks.find(("a", "missing")) == (1, 1)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "is empty"),
        ("   \n# only a comment\n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file"),
        ("title: caf\xe9\n".encode("latin-1"), "is not UTF-8"),
        ("a: [1, 2\nb: 3\n", "invalid YAML"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
        ("a: 1\n  b: 2\n", "invalid YAML"),
    ],
    ids=[
        "empty",
        "comment-only",
        "binary",
        "latin-1",
        "unclosed-list",
        "duplicate-key",
        "bad-indent",
    ],
)
def test_broken_files_are_refused_with_a_clear_reason(
    tmp_path: Path, content: bytes | str, expected: str
) -> None:
    with pytest.raises(InputError, match=expected) as caught:
        load_yaml(write(tmp_path, content))
    assert str(tmp_path / "data.yaml") in str(caught.value)


def test_invalid_yaml_is_located_by_line_and_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(write(tmp_path, "a: 1\nb: [1, 2\nc: 3\n"))
    assert caught.value.line == 3


def test_duplicate_key_names_the_line_of_the_second_one(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(write(tmp_path, "a: 1\nb:\n  c: 2\n  c: 3\n"))
    assert (caught.value.line, caught.value.column) == (4, 3)


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(InputError, match="alias bomb"):
        load_yaml(write(tmp_path, "\n".join(lines) + "\n"))


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nested"):
        load_yaml(write(tmp_path, "a: " + "[" * 200 + "]" * 200 + "\n"))


def test_a_folder_is_not_a_data_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        load_yaml(tmp_path)


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        load_yaml(tmp_path / "nope.yaml")


def test_merge_keys_and_aliases_still_work(tmp_path: Path) -> None:
    loaded = load_yaml(write(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n"))
    assert loaded.data["other"] == {"x": 1, "y": 2}


# --------------------------------------------------------------------------
# YAML slips in a person's words, through `reportgen check`: exit 2, the
# file and line, what is wrong with the line and what to type


ANIMATION = Path(__file__).parents[1] / "fixtures" / "sample-animation.yaml"


def check_broken(tmp_path: Path, old: str, new: str) -> tuple[Path, int, str]:
    """Check a copy of the animation data with ``old`` replaced by ``new``;
    the copy, the line the replacement starts on, and check's stderr."""
    text = ANIMATION.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "data.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "-d", str(path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    return path, text[: text.index(old)].count("\n") + 1, result.stderr


def test_a_tab_in_the_indentation_says_to_use_spaces(tmp_path: Path) -> None:
    path, line, stderr = check_broken(tmp_path, "    role: platform", "\trole: platform")
    assert (
        f"{path}:{line}:1: error: invalid YAML: line {line} is indented with a tab; YAML "
        "indents with spaces only: replace the tab with spaces"
    ) in stderr


def test_a_list_item_out_of_line_says_to_line_it_up(tmp_path: Path) -> None:
    path, line, stderr = check_broken(tmp_path, "  - id: kitestream\n", "   - id: kitestream\n")
    first = ANIMATION.read_text(encoding="utf-8").splitlines().index("organisations:") + 2
    assert (
        f"{path}:{line}:4: error: invalid YAML: this list item starts at column 4, but the "
        f"items of the list that begins on line {first} start at column 3; line its '- ' "
        "up with theirs"
    ) in stderr


def test_a_list_item_indented_less_than_its_list_says_to_line_it_up(tmp_path: Path) -> None:
    path, line, stderr = check_broken(
        tmp_path, "    - storyboarding\n    - dubbing\n", "    - storyboarding\n   - dubbing\n"
    )
    assert (
        f"{path}:{line + 1}:4: error: invalid YAML: this list item is indented 3 spaces, but "
        f"line {line} above it is indented 4 spaces; line its '- ' up with the items of its list"
    ) in stderr


def test_a_key_indented_between_two_levels_says_to_match_its_neighbours(tmp_path: Path) -> None:
    path, line, stderr = check_broken(
        tmp_path, "  short_name: the quarter", " short_name: the quarter"
    )
    assert f"{path}:{line}:2: error: invalid YAML: this line is indented 1 space" in stderr
    assert "indent it with exactly as many spaces as the keys it belongs with" in stderr


def test_a_line_indented_under_a_key_that_has_a_value_says_so(tmp_path: Path) -> None:
    path, line, stderr = check_broken(
        tmp_path, "  short_name: the quarter", "    short_name: the quarter"
    )
    assert (
        f"{path}:{line}:15: error: invalid YAML: this line is indented more than line "
        f"{line - 1}, which already has a value"
    ) in stderr


def test_a_colon_inside_unquoted_text_says_to_quote_it(tmp_path: Path) -> None:
    path, line, stderr = check_broken(
        tmp_path,
        "  distinction: the city's cluster of animation studios",
        "  distinction: the city's cluster: animation studios",
    )
    assert f"{path}:{line}:" in stderr
    assert "put the whole value in quotes" in stderr
