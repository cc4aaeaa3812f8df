"""The fonts reportgen knows by name, best first, for each typeface role.

Each candidate names its files as Linux packages, Windows and macOS install
them, the family names inside the files (matched when a file has another
name) and ``word``: the family the .docx names for this role, so Word on
Windows shows the same typeface (or its metric twin: Liberation Serif is
drawn to Times New Roman's widths, Liberation Sans to Arial's) as the PDF.

Roles, after GB/T 9704 for Chinese: body text in FangSong or Song, first-
level headings in Hei, second-level headings in Kai.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("body", "headings", "mono", "cjk_body", "cjk_headings", "cjk_second", "symbols")
ROLE_LABELS = {
    "body": "body (Latin)",
    "headings": "headings (Latin)",
    "mono": "code (Latin)",
    "cjk_body": "CJK body (FangSong/Song)",
    "cjk_headings": "CJK headings (Hei)",
    "cjk_second": "CJK second-level headings (Kai)",
    "symbols": "symbols and other scripts",
}


@dataclass(frozen=True)
class Candidate:
    """A family: ``files`` are regular, bold, italic, bold italic (Latin) or
    one file (CJK, whose families have one weight); ``index`` picks the
    face in a .ttc; ``package`` tells a Debian user what to install."""

    name: str
    files: tuple[str, ...]
    word: str
    families: tuple[str, ...] = ()
    index: int = 0
    package: str = ""


def _four(name: str, stem: str, word: str, package: str, sep: str = "-") -> Candidate:
    styles = ("Regular", "Bold", "Italic", "BoldItalic")
    return Candidate(name, tuple(f"{stem}{sep}{s}.ttf" for s in styles), word, package=package)


def _mac(name: str) -> tuple[str, ...]:
    return tuple(f"{name}{s}.ttf" for s in ("", " Bold", " Italic", " Bold Italic"))


BODY = (
    Candidate(
        "Times New Roman",
        ("times.ttf", "timesbd.ttf", "timesi.ttf", "timesbi.ttf"),
        "Times New Roman",
    ),
    Candidate("Times New Roman", _mac("Times New Roman"), "Times New Roman"),
    _four("Liberation Serif", "LiberationSerif", "Times New Roman", "fonts-liberation2"),
    Candidate(
        "DejaVu Serif",
        (
            "DejaVuSerif.ttf",
            "DejaVuSerif-Bold.ttf",
            "DejaVuSerif-Italic.ttf",
            "DejaVuSerif-BoldItalic.ttf",
        ),
        "DejaVu Serif",
        package="fonts-dejavu-core",
    ),
)
HEADINGS = (
    Candidate("Arial", ("arial.ttf", "arialbd.ttf", "ariali.ttf", "arialbi.ttf"), "Arial"),
    Candidate("Arial", _mac("Arial"), "Arial"),
    _four("Liberation Sans", "LiberationSans", "Arial", "fonts-liberation2"),
    Candidate(
        "DejaVu Sans",
        (
            "DejaVuSans.ttf",
            "DejaVuSans-Bold.ttf",
            "DejaVuSans-Oblique.ttf",
            "DejaVuSans-BoldOblique.ttf",
        ),
        "DejaVu Sans",
        package="fonts-dejavu-core",
    ),
)
MONO = (
    Candidate("Courier New", ("cour.ttf",), "Courier New"),
    Candidate("Courier New", ("Courier New.ttf",), "Courier New"),
    Candidate(
        "Liberation Mono",
        ("LiberationMono-Regular.ttf",),
        "Courier New",
        package="fonts-liberation2",
    ),
    Candidate(
        "DejaVu Sans Mono", ("DejaVuSansMono.ttf",), "DejaVu Sans Mono", package="fonts-dejavu-core"
    ),
)

_SONG_NAMES = ("SimSun", "宋体", "NSimSun")
CJK_BODY = (
    Candidate("FangSong", ("simfang.ttf",), "FangSong", ("FangSong", "仿宋")),
    Candidate("SimSun", ("simsun.ttc",), "SimSun", _SONG_NAMES),
    Candidate("SimSun", ("simsun.ttf",), "SimSun", _SONG_NAMES),
    Candidate(
        "STFangsong", ("STFANGSO.TTF", "STFangsong.ttf"), "FangSong", ("STFangsong", "华文仿宋")
    ),
    Candidate("Songti SC", ("Songti.ttc",), "SimSun", ("Songti SC", "STSong", "宋体-简")),
    Candidate(
        "AR PL SungtiL GB",
        ("gbsn00lp.ttf",),
        "SimSun",
        ("AR PL SungtiL GB",),
        package="fonts-arphic-gbsn00lp",
    ),
    Candidate(
        "AR PL UMing", ("uming.ttc",), "SimSun", ("AR PL UMing CN",), package="fonts-arphic-uming"
    ),
    Candidate("Noto Serif CJK", ("NotoSerifCJK-Regular.ttc",), "SimSun", package="fonts-noto-cjk"),
)
CJK_HEADINGS = (
    Candidate("SimHei", ("simhei.ttf",), "SimHei", ("SimHei", "黑体")),
    Candidate(
        "STHeiti",
        ("STHeiti Medium.ttc", "STHeiti Light.ttc"),
        "SimHei",
        ("STHeiti", "Heiti SC", "黑体-简"),
    ),
    Candidate(
        "WenQuanYi Zen Hei",
        ("wqy-zenhei.ttc",),
        "SimHei",
        ("WenQuanYi Zen Hei",),
        package="fonts-wqy-zenhei",
    ),
    Candidate(
        "Microsoft YaHei",
        ("msyh.ttc", "msyh.ttf"),
        "Microsoft YaHei",
        ("Microsoft YaHei", "微软雅黑"),
    ),
    Candidate("PingFang SC", ("PingFang.ttc",), "Microsoft YaHei", ("PingFang SC",)),
    Candidate(
        "WenQuanYi Micro Hei",
        ("wqy-microhei.ttc",),
        "Microsoft YaHei",
        ("WenQuanYi Micro Hei",),
        package="fonts-wqy-microhei",
    ),
    Candidate("Noto Sans CJK", ("NotoSansCJK-Regular.ttc",), "SimHei", package="fonts-noto-cjk"),
    Candidate(
        "Droid Sans Fallback",
        ("DroidSansFallbackFull.ttf",),
        "SimHei",
        package="fonts-droid-fallback",
    ),
)
CJK_SECOND = (
    Candidate("KaiTi", ("simkai.ttf",), "KaiTi", ("KaiTi", "楷体")),
    Candidate("STKaiti", ("STKAITI.TTF", "STKaiti.ttf"), "KaiTi", ("STKaiti", "华文楷体")),
    Candidate("Kaiti SC", ("Kaiti.ttc",), "KaiTi", ("Kaiti SC", "STKaiti", "楷体-简")),
    Candidate(
        "AR PL KaitiM GB",
        ("gkai00mp.ttf",),
        "KaiTi",
        ("AR PL KaitiM GB",),
        package="fonts-arphic-gkai00mp",
    ),
    Candidate(
        "AR PL UKai", ("ukai.ttc",), "KaiTi", ("AR PL UKai CN",), package="fonts-arphic-ukai"
    ),
)
#: broad coverage for characters the body fonts lack: Greek, Cyrillic,
#: Hebrew, Arabic (DejaVu, Arial), symbols and emoji as outlines (Symbola,
#: Segoe UI Symbol, Apple Symbols; colour emoji fonts cannot be embedded)
SYMBOLS = (
    Candidate("DejaVu Sans", ("DejaVuSans.ttf",), "DejaVu Sans", package="fonts-dejavu-core"),
    Candidate("Arial", ("arial.ttf",), "Arial"),
    Candidate("Symbola", ("Symbola_hint.ttf", "Symbola.ttf"), "Symbola", package="fonts-symbola"),
    Candidate("Segoe UI Symbol", ("seguisym.ttf",), "Segoe UI Symbol"),
    Candidate("Apple Symbols", ("Apple Symbols.ttf",), "Apple Symbols"),
)

CANDIDATES = {
    "body": BODY,
    "headings": HEADINGS,
    "mono": MONO,
    "cjk_body": CJK_BODY,
    "cjk_headings": CJK_HEADINGS,
    "cjk_second": CJK_SECOND,
    "symbols": SYMBOLS,
}
#: a CJK role with no font of its own borrows the next role's, so a machine
#: with one Chinese font still sets all Chinese text in it
CJK_BORROW = {
    "cjk_body": ("cjk_headings",),
    "cjk_headings": ("cjk_body",),
    "cjk_second": ("cjk_body", "cjk_headings"),
}

#: Chinese body size and line pitch in points, for both writers. GB/T 9704
#: sets 16 pt (3号) text 22 lines to a 225 mm block: a pitch of 1.8 times
#: the size, 28 characters a line. A brief keeps that ratio at 12 pt (小四),
#: which on the 130 mm measure gives about 30 characters a line; a one-page
#: digest keeps a denser 10.5 pt (五号) on a 1.6 pitch.
CHINESE_BODY = (12.0, 21.5)
CHINESE_DIGEST = (10.5, 17.0)
