"""Audience profiles: the options a brief's shape takes from them, checked
strictly, with every mistake named at its line with the keys allowed there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from reportgen.cli import main
from reportgen.errors import ProfileError
from reportgen.files import resources
from reportgen.pipeline import BriefRequest, render_brief
from reportgen.templating.profiles import load_profile

BASE = (
    "description: The board\n"
    "audience: Board members\n"
    "title: '{{ title }}'\n"
    "sections: [executive-summary, sources]\n"
)


def folder_with(tmp_path: Path, extra: str, name: str = "board") -> Path:
    (tmp_path / "audiences").mkdir(exist_ok=True)
    (tmp_path / "audiences" / f"{name}.yaml").write_text(BASE + extra, encoding="utf-8")
    return tmp_path


def test_a_misspelt_key_is_exit_2_with_its_line_a_suggestion_and_the_allowed_keys(
    tmp_path: Path,
) -> None:
    folder = folder_with(tmp_path, "page_sise: Letter\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["brief", "-t", str(folder), "-a", "board", "-o", str(out)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    message = result.stderr
    assert re.search(r"board\.yaml:5:1: page_sise: unknown key 'page_sise'", message), message
    assert "(did you mean 'page_size'?)" in message
    allowed = message.split("allowed here: ")[1].split(", ")
    expected = {"page_size", "margins", "cover", "contents", "logo", "numbering", "page_numbers"}
    assert expected <= set(allowed)
    assert not out.exists()


def test_a_misspelt_nested_key_lists_the_keys_allowed_at_its_place(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "margins:\n  lfet: 20\n")
    with pytest.raises(ProfileError) as info:
        load_profile([folder], "board")
    assert "board.yaml:6:3: margins.lfet: unknown key 'lfet'" in str(info.value)
    assert "(did you mean 'left'?); allowed here: bottom, left, right, top" in str(info.value)


def test_every_problem_in_a_profile_is_reported_at_once(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "page_size: A5\ncover: perhaps\nlogo: middle\n")
    with pytest.raises(ProfileError) as info:
        load_profile([folder], "board")
    message = str(info.value)
    assert message.startswith("the audience profile has 3 problems:")
    for key, line in (("page_size", 5), ("cover", 6), ("logo", 7)):
        assert f"board.yaml:{line}:" in message and f": {key}: " in message


@pytest.mark.parametrize("typed", ["Letter", "letter", "LETTER"])
def test_paper_names_are_taken_as_people_type_them(tmp_path: Path, typed: str) -> None:
    profile, _ = load_profile([folder_with(tmp_path, f"page_size: {typed}\n")], "board")
    assert profile.page_size == "Letter"


def test_margins_out_of_range_are_refused_with_the_limit(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match=r"margins\.left: input should be less than or equal"):
        load_profile([folder_with(tmp_path, "margins: {left: 200}\n")], "board")


def test_the_builtin_profiles_ask_for_no_cover_and_no_contents() -> None:
    folders = [resources.builtin_templates()]
    for name in ("industry", "international", "newsletter", "policymakers"):
        profile, _ = load_profile(folders, name)
        assert (profile.cover, profile.contents) == (False, False), name


def test_the_profiles_page_options_reach_the_document(tmp_path: Path) -> None:
    extra = (
        "page_size: Letter\nmargins: {left: 30, right: 30}\ncover: true\ncontents: true\n"
        "logo: left\nnumbering: decimal\npage_numbers: dash\n"
    )
    meta = render_brief(BriefRequest(audience="board", templates=folder_with(tmp_path, extra)))
    meta = meta.document.meta
    assert (meta.page_size, meta.margins[1], meta.margins[3]) == ("Letter", 30.0, 30.0)
    assert (meta.cover, meta.contents, meta.logo, meta.numbering) == (True, True, "left", "decimal")
    assert meta.page_label == "\u2014 {page} \u2014"
