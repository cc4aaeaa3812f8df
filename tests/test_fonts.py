"""Font discovery by role on Windows, macOS and Linux layouts, the checks
that skip fonts reportlab cannot embed, what a missing glyph suggests, and
``reportgen fonts``.

Windows and macOS are tested on this machine by building folders that
mimic their layout and file names, with links to the Linux fonts behind
those names, and pointing the search at them. Tests that need a font skip
with a reason when it is not installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import types
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from reportgen import fonts
from reportgen.cli import main
from reportgen.fonts import folders, report, sfnt, suggest

LINUX = Path("/usr/share/fonts/truetype")
LIBERATION = LINUX / "liberation2"
SONG = LINUX / "arphic-gbsn00lp" / "gbsn00lp.ttf"
KAI = LINUX / "arphic-gkai00mp" / "gkai00mp.ttf"
ZENHEI = LINUX / "wqy" / "wqy-zenhei.ttc"
STYLES = ("Regular", "Bold", "Italic", "BoldItalic")


def _present(*paths: Path) -> bool:
    return all(p.is_file() for p in paths)


needs_liberation = pytest.mark.skipif(
    not _present(*(LIBERATION / f"LiberationSans-{s}.ttf" for s in STYLES)),
    reason="fonts-liberation2 not installed",
)
needs_chinese = pytest.mark.skipif(
    not _present(SONG, KAI, ZENHEI),
    reason="fonts-arphic-gbsn00lp, fonts-arphic-gkai00mp or fonts-wqy-zenhei not installed",
)


def link_fonts(folder: Path, names: dict[str, Path]) -> Path:
    """``folder`` holding links named like another system's font files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, target in names.items():
        (folder / name).symlink_to(target)
    return folder


def only_fonts(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Search ``folder`` and nothing else (no system folders, no fontconfig)."""
    monkeypatch.setenv(folders.ENV_DIRS, str(folder))
    monkeypatch.setenv(folders.ENV_ONLY, "1")


def _latin(prefix: str, stem: str, suffixes: tuple[str, ...]) -> dict[str, Path]:
    return {
        f"{prefix}{suffix}": LIBERATION / f"{stem}-{style}.ttf"
        for suffix, style in zip(suffixes, STYLES, strict=True)
    }


def windows_fonts() -> dict[str, Path]:
    return {
        **_latin("arial", "LiberationSans", (".ttf", "bd.ttf", "i.ttf", "bi.ttf")),
        **_latin("times", "LiberationSerif", (".ttf", "bd.ttf", "i.ttf", "bi.ttf")),
        "simsun.ttc": SONG,
        "simfang.ttf": SONG,
        "simhei.ttf": ZENHEI,
        "simkai.ttf": KAI,
        "msyh.ttc": ZENHEI,
    }


def _on(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    # the folder list depends on sys.platform; fontconfig is Linux's
    monkeypatch.setattr(folders, "sys", types.SimpleNamespace(platform=platform))
    monkeypatch.delenv(folders.ENV_DIRS, raising=False)
    monkeypatch.delenv(folders.ENV_ONLY, raising=False)


# --------------------------------------------------------------------------
# Where each system keeps fonts


def test_windows_folders_are_the_system_and_the_per_user_fonts_folder() -> None:
    env = {"WINDIR": r"D:\Win", "LOCALAPPDATA": r"D:\Users\li\AppData\Local"}
    found = folders.system_folders("win32", env, Path("/home/li"))
    assert found == [
        Path(r"D:\Win") / "Fonts",
        Path(r"D:\Users\li\AppData\Local") / "Microsoft" / "Windows" / "Fonts",
    ]


def test_macos_folders_are_system_library_and_the_users_library() -> None:
    found = folders.system_folders("darwin", {}, Path("/Users/li"))
    assert found == [
        Path("/System/Library/Fonts"),
        Path("/Library/Fonts"),
        Path("/Users/li/Library/Fonts"),
    ]


def test_linux_folders_follow_xdg_data_dirs() -> None:
    env = {"XDG_DATA_HOME": "/h/data", "XDG_DATA_DIRS": "/opt/share:/usr/share"}
    found = folders.system_folders("linux", env, Path("/home/li"))
    assert found[:4] == [
        Path("/h/data/fonts"),
        Path("/home/li/.fonts"),
        Path("/opt/share/fonts"),
        Path("/usr/share/fonts"),
    ]
    assert Path("/usr/local/share/fonts") in found


def test_reportgen_font_dirs_come_first_and_only_hides_the_system(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(folders.ENV_DIRS, f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    monkeypatch.delenv(folders.ENV_ONLY, raising=False)
    searched = [folder for folder, _ in folders.search_folders()]
    assert searched[:2] == [tmp_path / "a", tmp_path / "b"] and len(searched) > 2
    monkeypatch.setenv(folders.ENV_ONLY, "1")
    assert [folder for folder, _ in folders.search_folders()] == searched[:2]


# --------------------------------------------------------------------------
# Windows and macOS layouts, mimicked


@needs_liberation
@needs_chinese
def test_a_windows_font_folder_gives_every_role_its_windows_face(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    link_fonts(tmp_path / "Windows" / "Fonts", windows_fonts())
    _on(monkeypatch, "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    roles = fonts.resolve()
    picked = {role: (font.name, font.regular.name) for role, font in roles.used()}
    assert picked["body"] == ("Times New Roman", "times.ttf")
    assert picked["headings"] == ("Arial", "arial.ttf")
    assert picked["cjk_body"] == ("FangSong", "simfang.ttf")
    assert picked["cjk_headings"] == ("SimHei", "simhei.ttf")
    assert picked["cjk_second"] == ("KaiTi", "simkai.ttf")
    assert roles.font("body").bold.name == "timesbd.ttf"  # type: ignore[union-attr]
    # and they are used: a Chinese PDF embeds them
    from reportgen.writers.pdf import _fonts as _pdf_fonts

    fontset = _pdf_fonts.load(None)
    assert fontset.cjk.name == "FangSong" and fontset.cjk_head.name == "SimHei"  # type: ignore[union-attr]


@needs_liberation
@needs_chinese
def test_a_per_user_windows_font_is_found_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    link_fonts(tmp_path / "Windows" / "Fonts", {"simsun.ttc": SONG})
    user = tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"
    link_fonts(user, {"simkai.ttf": KAI})
    _on(monkeypatch, "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert fonts.resolve().font("cjk_second").regular == user / "simkai.ttf"  # type: ignore[union-attr]


@needs_liberation
@needs_chinese
def test_a_macos_layout_is_found_in_the_users_library(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    supplemental = tmp_path / "Library" / "Fonts" / "Supplemental"
    mac = {
        "Arial.ttf": LIBERATION / "LiberationSans-Regular.ttf",
        "Arial Bold.ttf": LIBERATION / "LiberationSans-Bold.ttf",
        "Arial Italic.ttf": LIBERATION / "LiberationSans-Italic.ttf",
        "Arial Bold Italic.ttf": LIBERATION / "LiberationSans-BoldItalic.ttf",
        "Songti.ttc": SONG,
        "STHeiti Medium.ttc": ZENHEI,
        "Kaiti.ttc": KAI,
    }
    link_fonts(supplemental, mac)
    _on(monkeypatch, "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    picked = {role: font.regular.name for role, font in fonts.resolve().used()}
    assert picked["headings"] == "Arial.ttf"
    assert picked["cjk_body"] == "Songti.ttc"
    assert picked["cjk_headings"] == "STHeiti Medium.ttc"
    assert picked["cjk_second"] == "Kaiti.ttc"


@needs_chinese
def test_a_font_under_another_file_name_is_found_by_its_family_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    only_fonts(monkeypatch, link_fonts(tmp_path / "f", {"house-kai.ttf": KAI}))
    font = fonts.resolve().font("cjk_second")
    assert font is not None and font.name == "AR PL KaitiM GB" and font.word == "KaiTi"


# --------------------------------------------------------------------------
# Fonts reportlab cannot embed


def cff_collection(path: Path) -> Path:
    """A .ttc whose one face has CFF outlines, like Noto CJK's."""
    face = struct.pack(">4sHHHH", b"OTTO", 1, 16, 0, 0)
    face += struct.pack(">4sIII", b"CFF ", 0, 60, 4) + b"\0" * 8
    path.write_bytes(struct.pack(">4sIII", b"ttcf", 0x10000, 1, 16) + face)
    return path


def test_the_sfnt_reader_tells_truetype_from_cff(tmp_path: Path) -> None:
    assert "CFF" in (sfnt.problem(cff_collection(tmp_path / "x.ttc")) or "")
    assert "not a usable font file" in (sfnt.problem(tmp_path / "missing.ttf") or "")
    (tmp_path / "text.ttf").write_text("not a font")
    assert "not a usable font file" in (sfnt.problem(tmp_path / "text.ttf") or "")


@needs_chinese
def test_a_cff_font_is_skipped_with_its_reason_and_the_role_borrows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = link_fonts(tmp_path / "f", {"gbsn00lp.ttf": SONG})
    cff_collection(folder / "NotoSansCJK-Regular.ttc")
    only_fonts(monkeypatch, folder)
    heads = fonts.resolve()["cjk_headings"]
    assert [(Path(s.path).name, "CFF" in s.reason) for s in heads.skipped] == [
        ("NotoSansCJK-Regular.ttc", True)
    ]
    assert heads.font is not None and heads.font.regular.name == "gbsn00lp.ttf"
    assert "cjk body" in heads.note


def test_with_only_an_empty_folder_latin_falls_back_to_reportlab_and_cjk_to_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    only_fonts(monkeypatch, tmp_path)
    roles = fonts.resolve()
    assert roles.font("headings").origin == "reportlab"  # type: ignore[union-attr]
    assert fonts.cjk() is None and fonts.symbols() == ()


# --------------------------------------------------------------------------
# What draws a missing character


@pytest.mark.parametrize(
    ("char", "wanted", "unwanted"),
    [
        ("\U0001f600", ("fonts-symbola", "Segoe UI Symbol", "Apple Symbols"), ("wqy",)),
        ("\u05d0", ("fonts-dejavu-core", "Arial"), ("wqy", "CJK", "SimSun")),
        ("\u0628", ("fonts-dejavu-core", "Arial"), ("wqy", "CJK", "SimSun")),
        ("\u4e2d", ("fonts-wqy-zenhei", "SimSun"), ("symbola",)),
        ("\U000f0000", ("replace the character in the data",), ("wqy",)),
    ],
)
def test_a_missing_glyph_names_what_draws_it_and_nothing_else(
    char: str, wanted: tuple[str, ...], unwanted: tuple[str, ...]
) -> None:
    advice = suggest.advice(char)
    assert all(w in advice for w in wanted), advice
    assert not any(u.lower() in advice.lower() for u in unwanted), advice


@needs_liberation
def test_a_brief_with_an_emoji_and_no_emoji_font_is_exit_2_naming_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, data_copy, in_tmp: Path
) -> None:
    only_fonts(monkeypatch, link_fonts(tmp_path / "f", _latin("", "LiberationSans", STYLES)))
    data = data_copy(
        edit=lambda text: text.replace("  en: How Shanghai", "  en: 😀 How Shanghai", 1)
    )
    result = CliRunner().invoke(main, ["brief", "-d", str(data)])
    assert result.exit_code == 2, result.output
    assert "U+1F600" in result.output and "fonts-symbola" in result.output
    assert "Traceback" not in result.output and not (in_tmp / "out").exists()


# --------------------------------------------------------------------------
# reportgen fonts, the manifest and house fonts


@needs_chinese
def test_reportgen_fonts_lists_each_role_its_file_and_what_was_skipped(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = link_fonts(tmp_path / "f", {"gbsn00lp.ttf": SONG, "simkai.ttf": KAI})
    cff_collection(folder / "NotoSansCJK-Regular.ttc")
    only_fonts(monkeypatch, folder)
    result = CliRunner().invoke(main, ["fonts"])
    assert result.exit_code == 0, result.output
    out = result.output
    for label in ("body (Latin):", "CJK body (FangSong/Song):", "CJK headings (Hei):"):
        assert label in out
    assert "AR PL SungtiL GB, Word: SimSun" in out and str(folder / "gbsn00lp.ttf") in out
    assert "KaiTi, Word: KaiTi" in out
    assert f"skipped {folder / 'NotoSansCJK-Regular.ttc'}: CFF" in out
    assert "bold synthesised" in out and "Bitstream Vera Sans" in out


@needs_chinese
def test_the_manifest_names_each_font_file_with_its_sha256(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    only_fonts(monkeypatch, link_fonts(tmp_path / "f", {"simkai.ttf": KAI}))
    entries = report.manifest(fonts.resolve())
    kai = [e for e in entries if e["role"] == "cjk_second"]
    assert kai == [
        {
            "role": "cjk_second",
            "family": "KaiTi",
            "file": "simkai.ttf",
            "sha256": hashlib.sha256(KAI.read_bytes()).hexdigest(),
        }
    ]


def _house(tmp_path: Path, fonts_yaml: str) -> Path:
    """A templates folder with a 'house' audience whose brand names fonts."""
    folder = tmp_path / "house"
    (folder / "audiences").mkdir(parents=True)
    builtin = Path(__file__).parent.parent / "templates" / "audiences" / "newsletter.yaml"
    profile = yaml.safe_load(builtin.read_text(encoding="utf-8"))
    profile.setdefault("brand", {})["fonts"] = yaml.safe_load(fonts_yaml)
    (folder / "audiences" / "house.yaml").write_text(
        yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8"
    )
    return folder


@needs_chinese
def test_a_profiles_house_font_comes_before_the_system(tmp_path: Path) -> None:
    folder = _house(tmp_path, "{cjk_body: fonts/house.ttf}")
    (folder / "fonts").mkdir()
    shutil.copyfile(KAI, folder / "fonts" / "house.ttf")  # a link would lead outside
    result = CliRunner().invoke(main, ["fonts", "-t", str(folder), "-a", "house"])
    assert result.exit_code == 0, result.output
    section = result.output.split("CJK body (FangSong/Song):")[1].split("\n\n")[0]
    assert "AR PL KaitiM GB" in section and "[profile, bold synthesised]" in section


def test_a_house_font_that_is_not_a_font_is_exit_2_naming_the_key(tmp_path: Path) -> None:
    folder = _house(tmp_path, "{body: fonts/house.ttf}")
    (folder / "fonts").mkdir()
    (folder / "fonts" / "house.ttf").write_text("not a font")
    result = CliRunner().invoke(main, ["fonts", "-t", str(folder), "-a", "house"])
    assert result.exit_code == 2
    assert "brand.fonts.body 'fonts/house.ttf'" in result.output
    assert "give a TrueType (.ttf) file" in result.output
