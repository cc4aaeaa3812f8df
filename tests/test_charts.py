"""Tests for reportgen.charts: one layout, two back-ends (reportlab and Pillow)."""

from __future__ import annotations

import io
import itertools
import json
import unicodedata
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Rect, String

from reportgen import charts, fonts
from reportgen.charts import bar
from reportgen.charts import fonts as chart_fonts
from reportgen.cli import main
from reportgen.model import Chart, ChartPoint, ChartRun, ChartText
from reportgen.pipeline import BriefRequest, render_brief
from reportgen.templating.coverage import LanguageCoverageWarning
from reportgen.text import chart_text
from reportgen.text import formatting as fmt

from .conftest import model_strings
from .test_architecture import find_cycles, package_graph

WIDTH = 450.0


def point(label: str, value: float, display: str = "", note: str = "") -> ChartPoint:
    """A chart point whose label and note are upright text."""
    return ChartPoint(ChartText.of(label), value, display, ChartText.of(note))


BAR = Chart(
    "bar",
    "Shanghai's online audiovisual economy dwarfs its tax base",
    (
        point("Base tax revenue, 2023", 1.7, "1.7 billion yuan"),
        point("Technical, industrial and trade revenue, 2023", 18, "18 billion yuan"),
        point("Shanghai online audiovisual market, 2023", 225.5, "225.5 billion yuan"),
    ),
    unit="billion yuan",
)

# Chinese only where a font can draw it, else the missing-glyph warning fires
# (the suite must pass with the optional fonts hidden)
HAS_CJK = fonts.cjk() is not None


def zh(chinese: str, latin: str) -> str:
    return chinese if HAS_CJK else latin


TIMELINE = Chart(
    "timeline",
    "Milestones",
    (
        point(
            "2005",
            2005,
            note="Tudou.com, the first domestic online video platform, founded in Shanghai",
        ),
        point("2010", 2010, note="First national online audiovisual industry park approved"),
        point(
            "2020",
            2020,
            note=zh("Nothing But Thirty (三十而已)", "Nothing But Thirty")
            + " most-viewed Chinese web series in Malaysia",
        ),
        point(
            "2023", 2023, note="'Chinese culture going global' special fund supports online series"
        ),
    ),
)

CROWDED = Chart(
    "timeline",
    "A crowded timeline",
    tuple(
        point(str(year), year, note=note)
        for year, note in [
            (2005, zh("土豆网成立，国内首个网络视频平台", "Tudou founded, the first video site")),
            (2006, "Something happened in this year worth noting"),
            (2007, "Another event"),
            (2010, "First national online audiovisual industry park approved"),
            (2015, "A very long description " * 8),
            (2020, zh("《三十而已》在马来西亚最受欢迎", "Nothing But Thirty tops Malaysia")),
            (2023, "Special fund"),
        ]
    ),
)

NOTE_ALPHABET = "abc defghij" + zh("三十而已，", "")

needs_cjk = pytest.mark.skipif(not HAS_CJK, reason="no TrueType CJK font installed")


@pytest.fixture
def no_cjk_font(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The font layer searches only an empty folder: no CJK font anywhere."""
    monkeypatch.setenv("REPORTGEN_FONT_DIRS", str(tmp_path))
    monkeypatch.setenv("REPORTGEN_FONT_DIRS_ONLY", "1")


def bar_chart(*values: float) -> Chart:
    return Chart("bar", "Bars", tuple(point(f"item {i}", v) for i, v in enumerate(values)))


def shapes(drawing: Drawing, kind: type) -> list[Any]:
    return [s for s in drawing.contents if isinstance(s, kind)]


def texts(figure: charts.Figure) -> list[charts.Text]:
    return [item for item in figure.items if isinstance(item, charts.Text)]


def overlaps(a: charts.Text, b: charts.Text) -> bool:
    """Whether two text items' boxes (advance width by ascent+descent) overlap."""
    tolerance = 0.01  # runs of one line touch exactly
    a_top, b_top = a.y - 0.8 * a.size, b.y - 0.8 * b.size
    a_bottom, b_bottom = a.y + 0.2 * a.size, b.y + 0.2 * b.size
    horizontal = a.left < b.right - tolerance and b.left < a.right - tolerance
    vertical = a_top < b_bottom - tolerance and b_top < a_bottom - tolerance
    return horizontal and vertical


def assert_legible(figure: charts.Figure) -> None:
    """No two texts overlap and every text lies inside the figure."""
    items = texts(figure)
    for a, b in itertools.combinations(items, 2):
        assert not overlaps(a, b), (a.text, b.text)
    for item in items:
        assert item.left >= -0.01 and item.right <= figure.width + 0.01, item.text
        assert item.y - 0.8 * item.size >= -0.01 and item.y <= figure.height, item.text


class RecordingDraw:
    """Stands in for ImageDraw and records what the Pillow back-end asks for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            self.calls.append((name, args, kwargs))

        return record


# ---- bar charts


def test_a_bar_chart_drawing_has_one_bar_per_point() -> None:
    drawing = charts.to_drawing(BAR, WIDTH)
    assert len(shapes(drawing, Rect)) == len(BAR.points)


def test_bar_lengths_are_proportional_to_values() -> None:
    bars = shapes(charts.to_drawing(bar_chart(10, 20, 40, 35), WIDTH), Rect)
    widths = [bar.width for bar in bars]
    assert widths[1] == pytest.approx(2 * widths[0])
    assert widths[2] == pytest.approx(4 * widths[0])
    assert widths[3] == pytest.approx(3.5 * widths[0])


def test_bars_share_a_common_baseline_and_stay_inside_the_drawing() -> None:
    drawing = charts.to_drawing(BAR, WIDTH)
    bars = shapes(drawing, Rect)
    assert len({bar.x for bar in bars}) == 1
    assert all(bar.x + bar.width <= WIDTH for bar in bars)


def test_a_value_a_hundred_times_smaller_still_gets_a_visible_bar() -> None:
    bars = shapes(charts.to_drawing(BAR, WIDTH), Rect)
    assert min(bar.width for bar in bars) >= 2.0


def test_labels_and_displays_appear_in_the_drawing_strings() -> None:
    chart = Chart(
        "bar",
        "Revenue",
        (point("Tax", 1.7, "1.7 bn"), point("Market", 225.5, "225.5 bn")),
    )
    strings = {s.text for s in shapes(charts.to_drawing(chart, WIDTH), String)}
    assert {"Revenue", "Tax", "Market", "1.7 bn", "225.5 bn"} <= strings


def test_a_long_label_wraps_onto_lines_that_together_hold_every_word() -> None:
    strings = [s.text for s in shapes(charts.to_drawing(BAR, 300), String)]
    label = BAR.points[1].label.text
    lines = [s for s in strings if s in label and not s.isdigit()]
    assert len(lines) == 2
    assert " ".join(lines) == label


def test_a_value_without_display_text_prints_the_number() -> None:
    strings = {s.text for s in shapes(charts.to_drawing(bar_chart(1.25, 3000), WIDTH), String)}
    assert {"1.25", "3,000"} <= strings


def test_the_unit_is_printed_with_the_axis() -> None:
    strings = {s.text for s in shapes(charts.to_drawing(BAR, WIDTH), String)}
    assert "billion yuan" in strings


def test_the_largest_bar_is_set_in_the_accent_colour_and_the_rest_in_primary() -> None:
    brand = {"primary": "#004488", "accent": "#EE7733"}
    figure = charts.layout(BAR, WIDTH, brand)
    fills = [item.fill for item in figure.items if isinstance(item, charts.Rect)]
    assert fills == ["#004488", "#004488", "#EE7733"]


def test_tied_largest_bars_are_not_highlighted() -> None:
    figure = charts.layout(bar_chart(5, 5), WIDTH)
    fills = {item.fill for item in figure.items if isinstance(item, charts.Rect)}
    assert fills == {charts.DEFAULT_PRIMARY}


def test_height_grows_with_the_number_of_bars() -> None:
    short = charts.layout(bar_chart(1, 2), WIDTH)
    tall = charts.layout(bar_chart(1, 2, 3, 4, 5), WIDTH)
    assert tall.height > short.height > 0


# ---- timelines


def test_timeline_markers_are_ordered_by_value() -> None:
    shuffled = Chart("timeline", "T", tuple(reversed(TIMELINE.points)))
    figure = charts.layout(shuffled, WIDTH)
    xs = [item.cx for item in figure.items if isinstance(item, charts.Circle)]
    assert len(xs) == 4
    assert xs == sorted(xs)
    years = [t.text for t in texts(figure) if t.text.isdigit()]
    assert years == ["2005", "2010", "2020", "2023"]


def test_timeline_markers_are_spaced_by_value_when_there_is_room() -> None:
    figure = charts.layout(TIMELINE, WIDTH)
    x = [item.cx for item in figure.items if isinstance(item, charts.Circle)]
    # 2005 -> 2010 is five years, 2010 -> 2020 ten
    assert (x[2] - x[1]) == pytest.approx(2 * (x[1] - x[0]))


def test_timeline_notes_alternate_above_and_below_the_axis() -> None:
    figure = charts.layout(TIMELINE, WIDTH)
    axis_y = next(item.cy for item in figure.items if isinstance(item, charts.Circle))
    first_words = ["Tudou.com,", "First", "Nothing", "'Chinese"]
    sides = [
        next(t.y < axis_y for t in texts(figure) if t.text.startswith(word)) for word in first_words
    ]
    assert sides == [True, False, True, False]


@pytest.mark.parametrize("chart", [BAR, TIMELINE, CROWDED], ids=["bar", "timeline", "crowded"])
@pytest.mark.parametrize("width", [260.0, 450.0])
def test_no_two_texts_overlap_and_all_stay_inside_the_figure(chart: Chart, width: float) -> None:
    assert_legible(charts.layout(chart, width))


def test_a_note_too_long_for_its_space_ends_with_an_ellipsis() -> None:
    lines = [t.text for t in texts(charts.layout(CROWDED, WIDTH)) if "description" in t.text]
    assert 1 < len(lines) <= 4
    assert lines[-1].endswith("…")


def test_a_timeline_with_a_single_event_centres_it() -> None:
    chart = Chart("timeline", "", (point("2020", 2020, note="One event"),))
    figure = charts.layout(chart, WIDTH)
    (marker,) = [item for item in figure.items if isinstance(item, charts.Circle)]
    assert marker.cx == pytest.approx(WIDTH / 2)


# ---- fonts and CJK


@needs_cjk
def test_cjk_text_is_set_in_the_cjk_font_in_both_back_ends() -> None:
    cjk = fonts.cjk()
    assert cjk is not None
    names = charts.register_fonts()
    strings = shapes(charts.to_drawing(TIMELINE, WIDTH), String)
    chinese = [s for s in strings if "三十而已" in s.text]
    assert chinese and all(s.fontName == names.cjk for s in chinese)
    assert all(s.fontName != names.cjk for s in strings if s.text.isascii())

    draw = RecordingDraw()
    charts.paint(charts.layout(TIMELINE, WIDTH), draw, 1.0)  # type: ignore[arg-type]
    fonts_used = {c[1][1]: c[2]["font"].path for c in draw.calls if c[0] == "text"}
    assert fonts_used["三十而已"] == str(cjk.path)


@needs_cjk
def test_a_chinese_title_and_labels_use_the_cjk_font() -> None:
    chart = Chart("bar", "三十而已", (point("上海网络视听市场", 225.5, "2255亿元"),))
    names = charts.register_fonts()
    by_text = {s.text: s.fontName for s in shapes(charts.to_drawing(chart, WIDTH), String)}
    assert by_text["三十而已"] == names.cjk
    assert by_text["上海网络视听市场"] == names.cjk


@pytest.mark.usefixtures("no_cjk_font")
def test_a_character_no_font_has_is_drawn_with_a_warning() -> None:
    chart = Chart("bar", "三", (point("x", 1),))
    with pytest.warns(UserWarning, match="no chart font has a glyph"):
        charts.layout(chart, WIDTH)


def test_registering_the_fonts_twice_gives_the_same_names() -> None:
    assert charts.register_fonts() == charts.register_fonts()


def test_the_drawing_embeds_its_truetype_fonts_in_a_pdf() -> None:
    pdf = renderPDF.drawToString(charts.to_drawing(BAR, WIDTH))
    assert b"/FontFile2" in pdf
    assert b"Helvetica" not in pdf


# ---- PNG back-end


def test_to_png_returns_a_png_of_the_expected_pixel_width() -> None:
    data = charts.to_png(BAR, WIDTH, dpi=144)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    assert image.width == round(WIDTH / 72 * 144) == 900
    figure = charts.layout(BAR, WIDTH)
    assert image.height == round(figure.height / 72 * 144)
    assert image.info["dpi"] == pytest.approx((144, 144), abs=0.01)


def test_the_png_shows_the_bars_in_the_brand_colour() -> None:
    image = Image.open(io.BytesIO(charts.to_png(BAR, WIDTH, dpi=72)))
    figure = charts.layout(BAR, WIDTH)
    bar = [item for item in figure.items if isinstance(item, charts.Rect)][1]  # 18: wide enough
    centre = (round(bar.x + bar.width / 2), round(bar.y + bar.height / 2))
    assert image.convert("RGB").getpixel(centre) == (0x1F, 0x3A, 0x5F)


def test_png_output_is_deterministic() -> None:
    assert charts.to_png(TIMELINE, WIDTH, dpi=100) == charts.to_png(TIMELINE, WIDTH, dpi=100)


@pytest.mark.parametrize("chart", [BAR, TIMELINE], ids=["bar", "timeline"])
def test_both_back_ends_draw_every_primitive_of_the_same_layout(chart: Chart) -> None:
    figure = charts.layout(chart, WIDTH)
    drawing = charts.figure_to_drawing(figure)
    draw = RecordingDraw()
    charts.paint(figure, draw, 2.0)  # type: ignore[arg-type]
    assert len(drawing.contents) == len(draw.calls) == len(figure.items)
    kinds = {"rectangle": Rect, "line": Any, "ellipse": Circle, "text": String}
    for (name, _, _), shape in zip(draw.calls, drawing.contents, strict=True):
        if kinds[name] is not Any:
            assert isinstance(shape, kinds[name])
    assert charts.to_drawing(chart, WIDTH).height == figure.height


def test_the_vector_drawing_flips_the_layout_y_axis() -> None:
    figure = charts.layout(BAR, WIDTH)
    title = texts(figure)[0]
    drawing = charts.figure_to_drawing(figure)
    string = shapes(drawing, String)[0]
    assert string.text == title.text
    assert string.y == pytest.approx(figure.height - title.y)


def test_paint_accepts_a_real_pillow_draw() -> None:
    figure = charts.layout(bar_chart(1, 2), 100)
    image = Image.new("RGB", (100, round(figure.height)), "white")
    charts.paint(figure, ImageDraw.Draw(image), 1.0)
    assert image.getcolors(maxcolors=100_000) is not None


# ---- errors


@pytest.mark.parametrize(
    ("chart", "message"),
    [
        (Chart("bar", "Nothing", ()), "has no points"),
        (Chart("pie", "Pie", (point("a", 1),)), "unknown chart type 'pie'"),
        (bar_chart(-1, 2), "must not be negative"),
        (bar_chart(float("nan")), "not a number"),
    ],
)
def test_charts_that_cannot_be_drawn_raise_a_clear_value_error(chart: Chart, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        charts.to_png(chart, WIDTH)
    with pytest.raises(ValueError, match=message):
        charts.to_drawing(chart, WIDTH)


def test_a_timeline_with_more_events_than_fit_is_refused() -> None:
    chart = Chart("timeline", "Busy", tuple(point(str(y), y) for y in range(1990, 1998)))
    with pytest.raises(ValueError, match="8 events, but only 5 fit"):
        charts.layout(chart, 150)


def test_a_malformed_brand_colour_is_refused() -> None:
    with pytest.raises(ValueError, match="brand colour 'primary'"):
        charts.layout(BAR, WIDTH, {"primary": "navy"})


def test_a_short_brand_colour_is_expanded() -> None:
    figure = charts.layout(bar_chart(1, 2), WIDTH, {"primary": "#abc"})
    assert any(isinstance(i, charts.Rect) and i.fill == "#AABBCC" for i in figure.items)


# ---- properties


@settings(deadline=None, max_examples=40)
@given(
    values=st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=6),
    label=st.text(alphabet="abc defghij,", min_size=1, max_size=60),
    width=st.floats(min_value=200, max_value=600),
)
def test_bar_texts_stay_legible_whatever_the_values_and_labels(
    values: list[float], label: str, width: float
) -> None:
    chart = Chart("bar", "T", tuple(point(label, v) for v in values), unit="units")
    figure = charts.layout(chart, width)
    assert_legible(figure)


@settings(deadline=None, max_examples=40)
@given(
    years=st.lists(st.integers(1990, 2030), min_size=1, max_size=7, unique=True),
    note=st.text(alphabet=NOTE_ALPHABET, min_size=1, max_size=80),
    width=st.floats(min_value=300, max_value=600),
)
def test_timeline_texts_stay_legible_whatever_the_years_and_notes(
    years: list[int], note: str, width: float
) -> None:
    chart = Chart("timeline", "T", tuple(point(str(y), y, note=note) for y in years))
    figure = charts.layout(chart, width)
    assert_legible(figure)


# --------------------------------------------------------------------------
# Italic series titles, the shared script rules, and room at the edges


def test_a_series_title_in_a_note_is_set_in_the_italic_face_and_the_rest_upright() -> None:
    names = charts.register_fonts()
    note = ChartText((ChartRun("The Paper Moon", italic=True), ChartRun(" is sold abroad")))
    chart = Chart("timeline", "", (ChartPoint(ChartText.of("2029"), 2029, note=note),))
    fonts_used = {item.text.strip(): item.font for item in texts(charts.layout(chart, WIDTH))}
    assert names.italic != names.regular  # else the test below proves nothing
    assert fonts_used == {
        "2029": names.bold,
        "The Paper Moon": names.italic,
        "is sold abroad": names.regular,
    }


def test_a_series_title_in_a_bar_label_is_set_in_the_italic_face() -> None:
    names = charts.register_fonts()
    label = ChartText((ChartRun("Viewers of "), ChartRun("Nothing But Thirty", italic=True)))
    chart = Chart("bar", "", (ChartPoint(label, 3.0, "3 million"),))
    fonts_used = {item.text.strip(): item.font for item in texts(charts.layout(chart, WIDTH))}
    assert fonts_used["Viewers of"] == names.regular
    assert fonts_used["Nothing But Thirty"] == names.italic


def test_a_title_broken_across_lines_stays_italic_on_both() -> None:
    names = charts.register_fonts()
    title = "A Very Long Title For A Series That Cannot Fit On One Line"
    note = ChartText((ChartRun(title, italic=True),))
    chart = Chart("timeline", "", (ChartPoint(ChartText.of("2029"), 2029, note=note),))
    notes = [t for t in texts(charts.layout(chart, 150.0)) if t.text != "2029"]
    assert len(notes) >= 2
    assert {t.font for t in notes} == {names.italic}
    assert " ".join(t.text for t in notes) == title


@pytest.mark.parametrize(
    ("titles", "pieces"),
    [
        (["Moon", "The Paper Moon"], [("The Paper Moon", True), (" rises", False)]),
        (["Moon"], [("The Paper ", False), ("Moon", True), (" rises", False)]),
        (["Sun"], [("The Paper Moon rises", False)]),
        ([""], [("The Paper Moon rises", False)]),
    ],
    ids=["longest-first", "inside", "absent", "empty-title"],
)
def test_a_text_is_cut_at_the_titles_it_names_longest_first_and_loses_nothing(
    titles: list[str], pieces: list[tuple[str, bool]]
) -> None:
    assert chart_text.title_spans("The Paper Moon rises", titles) == pieces


# --------------------------------------------------------------------------
# Titles of works in a brief's chart: runs from the data's titles

ANIMATION = Path(__file__).parents[1] / "fixtures" / "sample-animation.yaml"
AUDIENCES = ("industry", "international", "newsletter", "policymakers")
FILM = "The Paper Moon (fictional)"
FILM_ZH = "纸月亮（虚构）"
BOUGHT_ZH = "被一家境外平台购得"


def charts_in(brief: Any) -> list[Chart]:
    return [b for b in brief.document.blocks if isinstance(b, Chart)]


def animation_in_chinese(tmp_path: Path, event: str) -> Path:
    """The animation sample with its film's Chinese title, and the event of
    2029 in Chinese as ``event``."""
    data = yaml.safe_load(ANIMATION.read_text(encoding="utf-8"))
    data["cases"][0]["title"] = {"en": FILM, "zh": FILM_ZH}
    [bought] = [e for e in data["timeline"] if e["year"] == 2029]
    bought["event"] = {"en": bought["event"], "zh": event}
    path = tmp_path / "animation.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def chinese_chart(data: Path) -> Chart:
    """The chart of the Chinese brief of ``data`` (which prints some English
    text: no warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LanguageCoverageWarning)
        [chart] = charts_in(render_brief(BriefRequest(data, lang="zh")))
    return chart


def test_an_english_chart_sets_the_film_its_data_names_in_italics_and_draws_only_its_words() -> (
    None
):
    [chart] = charts_in(render_brief(BriefRequest(ANIMATION)))
    note = next(p.note for p in chart.points if p.label.text == "2029")
    assert note.runs == (ChartRun(FILM, italic=True), ChartRun(" is bought by a foreign platform"))
    items = texts(charts.layout(chart, WIDTH))
    italic = [t.text.strip() for t in items if t.font == charts.register_fonts().italic]
    assert " ".join(italic) == FILM
    # what is drawn is the chart's words, each character once, and nothing else
    words = [chart.title, *(t.text for p in chart.points for t in (p.label, p.note))]
    visible = Counter("".join(words).replace(" ", ""))
    assert Counter("".join(t.text for t in items).replace(" ", "")) == visible


@pytest.mark.parametrize(
    "event", [FILM_ZH + BOUGHT_ZH, f"《{FILM_ZH}》{BOUGHT_ZH}"], ids=["bare", "in-marks"]
)
def test_a_chinese_chart_writes_the_film_it_names_in_title_marks_once(
    tmp_path: Path, event: str
) -> None:
    chart = chinese_chart(animation_in_chinese(tmp_path, event))
    note = next(p.note for p in chart.points if p.label.text == "2029年")
    assert note.runs == (ChartRun(f"《{FILM_ZH}》{BOUGHT_ZH}"),)  # upright: no italics in Chinese


@needs_cjk
def test_a_chinese_chart_draws_the_title_marks_and_nothing_in_the_italic_face(
    tmp_path: Path,
) -> None:
    chart = chinese_chart(animation_in_chinese(tmp_path, FILM_ZH + BOUGHT_ZH))
    items = texts(charts.layout(chart, WIDTH))
    assert f"《{FILM_ZH}》" in "".join(t.text for t in items)
    assert {t.font for t in items}.isdisjoint({charts.register_fonts().italic})


def test_a_chinese_chart_s_text_alternative_is_punctuated_as_chinese(tmp_path: Path) -> None:
    chart = chinese_chart(animation_in_chinese(tmp_path, FILM_ZH + BOUGHT_ZH))
    # the other events have no Chinese in the sample, and print in English
    assert chart.alt == (
        "发展历程：2021年：The animation quarter is approved；"
        f"2026年：The dubbing fund opens；2029年：《{FILM_ZH}》{BOUGHT_ZH}"
    )


def test_an_english_chart_s_text_alternative_is_plain_words() -> None:
    [chart] = charts_in(render_brief(BriefRequest(ANIMATION)))
    assert chart.alt == (
        "Milestones: 2021: The animation quarter is approved; "
        f"2026: The dubbing fund opens; 2029: {FILM} is bought by a foreign platform"
    )


def markdown_chart_box(data: Path, lang: str) -> list[str]:
    out = data.parent / f"out-{lang}"
    args = ["brief", "-d", str(data), "-l", lang, "-f", "md", "-o", f"{out}/"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    text = Path(result.stdout.split()[0]).read_text(encoding="utf-8")
    return text.split("::: chart 1\n")[1].split("\n:::\n")[0].splitlines()


def test_the_markdown_chart_box_writes_titles_and_punctuation_as_its_language_does(
    tmp_path: Path,
) -> None:
    data = animation_in_chinese(tmp_path, FILM_ZH + BOUGHT_ZH)
    english = markdown_chart_box(data, "en")
    assert english[2:5] == [
        "- 2021: The animation quarter is approved",
        "- 2026: The dubbing fund opens",
        f"- 2029: *{FILM}* is bought by a foreign platform",
    ]
    chinese = markdown_chart_box(data, "zh")
    assert chinese[0] == "**发展历程**"
    assert chinese[2:5] == [
        "- 2021年：The animation quarter is approved",
        "- 2026年：The dubbing fund opens",
        f"- 2029年：《{FILM_ZH}》{BOUGHT_ZH}",
    ]


@pytest.mark.parametrize(
    "note",
    ["Shanghai is approved to build the base", "国内首家网络视听平台土豆网扎根上海"],
)
def test_a_wrapped_note_is_balanced_so_no_line_holds_an_orphan_word(note: str) -> None:
    # "build the / base", "扎根 / 上海": greedy lines left one word alone
    # (audit4 item 20); balanced lines differ by little
    if charts.register_fonts().cjk is None and not note.isascii():
        pytest.skip("no CJK font")
    names = charts.register_fonts()
    style = chart_fonts.Style(names.regular, names.cjk, 8.0, "#000")
    greedy_width = chart_fonts.measure(note, style) * 0.8  # two lines, greedily 80/20
    lines = chart_fonts.wrap(note, greedy_width, style, max_lines=3)
    text = "".join(line.text for line in lines)
    assert len(lines) == 2 and text.replace(" ", "") == note.replace(" ", "")
    widths = [chart_fonts.measure(line, style) for line in lines]
    assert min(widths) >= 0.6 * max(widths), lines


def test_a_note_of_spaces_only_is_one_empty_line() -> None:
    names = charts.register_fonts()
    style = chart_fonts.Style(names.regular, names.cjk, 8.0, "#000")
    assert [line.text for line in chart_fonts.wrap("   ", 100.0, style)] == [""]


@needs_cjk
def test_chinese_notes_break_by_the_kinsoku_rules_and_keep_a_year_whole() -> None:
    note = (
        "国内首家网络视听平台土豆网在上海创立，《三十而已》于2023年成为马来西亚播放量最高的网络剧"
    )
    chart = Chart("timeline", "", (point("2023", 2023, note=note),))
    names = charts.register_fonts()
    style = chart_fonts.Style(names.regular, names.cjk, 8.0, "#000")
    lines = chart_fonts.wrap(note, 60.0, style, max_lines=9)
    assert "".join(line.text for line in lines) == note  # nothing lost
    for line in lines:
        assert line.text[0] not in "，。、》）", line
        assert line.text[-1] not in "《（", line
    assert any("2023年" in line.text for line in lines)
    assert_legible(charts.layout(chart, 200.0))


def test_every_text_keeps_a_margin_from_the_edges_so_no_stroke_is_cut() -> None:
    for chart in (BAR, TIMELINE):
        figure = charts.layout(chart, WIDTH)
        for item in texts(figure):
            assert item.left >= 1.99 and item.right <= figure.width - 1.99, item.text


def test_a_chart_is_laid_out_once_for_both_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = bar.lay_out
    monkeypatch.setattr(bar, "lay_out", lambda *a: calls.append("bar") or real(*a))
    chart = bar_chart(3, 5, 8)
    # the PDF writer's text width (points from mm) and Word's (from EMU)
    pdf_width, word_width = 120 * 72 / 25.4, 4320000 / 12700
    assert charts.layout(chart, pdf_width) is charts.layout(chart, word_width)
    assert calls == ["bar"]
    assert charts.to_png(chart, word_width) == charts.figure_to_png(charts.layout(chart, pdf_width))


@pytest.mark.usefixtures("no_cjk_font")
def test_a_chart_laid_out_before_still_warns_each_time() -> None:
    chart = Chart("bar", "四", (point("x", 1),))
    for _ in range(2):
        with pytest.warns(UserWarning, match="no chart font has a glyph"):
            charts.layout(chart, WIDTH)


def test_a_chart_png_is_drawn_once_per_machine_and_is_the_same_picture(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reportgen.charts import draw as chart_draw

    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path))
    figure = charts.layout(bar_chart(2, 7, 4), WIDTH)
    drawn = chart_draw.figure_to_png(figure)
    (entry,) = (tmp_path / "charts").iterdir()
    monkeypatch.setattr(chart_draw, "_draw_png", lambda *_: pytest.fail("drawn again"))
    assert chart_draw.figure_to_png(figure) == drawn
    monkeypatch.undo()
    monkeypatch.setenv("REPORTGEN_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("REPORTGEN_NO_CACHE", "1")
    assert chart_draw.figure_to_png(figure) == drawn  # what the cache gave is what is drawn
    monkeypatch.delenv("REPORTGEN_NO_CACHE")
    entry.write_bytes(entry.read_bytes()[:-10])  # damaged: drawn again, silently
    assert chart_draw.figure_to_png(figure) == drawn
    assert chart_draw.figure_to_png(charts.layout(bar_chart(2, 7, 5), WIDTH)) != drawn


# --------------------------------------------------------------------------
# Numbers as the text writes them, in the chart's language


MARKET = (17.0, 180.0, 2255.0)  # 1.7, 18 and 225.5 billion yuan, in 亿元


def numbers_drawn(figure: charts.Figure) -> list[str]:
    return [t.text for t in texts(figure) if t.text.replace(",", "").replace(".", "").isdigit()]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_axis_ticks_and_bare_values_are_written_by_the_text_s_number_rule(lang: str) -> None:
    chart = Chart("bar", "", tuple(point(f"p{i}", v) for i, v in enumerate(MARKET)), lang=lang)
    ticks = [0, 500, 1000, 1500, 2000, 2500]
    expected = [fmt.number(v, lang) for v in MARKET] + [fmt.number(t, lang) for t in ticks]
    assert sorted(numbers_drawn(charts.layout(chart, WIDTH))) == sorted(expected)


def test_a_chinese_axis_has_no_thousands_separators_where_english_has_them() -> None:
    points = tuple(point(f"p{i}", v) for i, v in enumerate(MARKET))
    english = numbers_drawn(charts.layout(Chart("bar", "", points), WIDTH))
    chinese = numbers_drawn(charts.layout(Chart("bar", "", points, lang="zh"), WIDTH))
    assert {"1,000", "2,500", "2,255"} <= set(english)
    assert {"1000", "2500", "2255"} <= set(chinese)
    assert not any("," in number for number in chinese)


def test_ticks_of_one_axis_share_the_step_s_decimals_in_either_language() -> None:
    for lang in ("en", "zh"):
        chart = Chart("bar", "", (point("a", 0.4), point("b", 1.1)), lang=lang)
        ticks = [t for t in numbers_drawn(charts.layout(chart, WIDTH)) if t not in ("0.4", "1.1")]
        assert ticks == ["0.00", "0.25", "0.50", "0.75", "1.00", "1.25"]


# --------------------------------------------------------------------------
# Charts in a brief: their fonts, their numbers, their Markdown

VERA = Path(__import__("reportlab").__file__).parent / "fonts"

CHARTED = """\
description:
  en: A brief with charts
audience:
  en: Testers
title:
  en: "{{ title }}"
  zh: "{{ title }}"
sections:
  - charted
"""

CHARTED_SECTION = """\
# Money

The market is {{ figures.market_size | figure }}.

{% set money = figure_list | selectattr("unit", "in", ["yuan", "billion_yuan"]) | list %}
{{ money | bar_chart(title="Revenue, in {unit}") }}
"""


def charted(tmp_path: Path, section: str = CHARTED_SECTION, house: str = "") -> Path:
    """A templates folder with one audience, 'charted', whose one section
    charts the money figures of the built-in data; ``house``: a headings
    font file of reportlab's (as the profile's house font)."""
    folder = tmp_path / "templates"
    (folder / "audiences").mkdir(parents=True)
    profile = CHARTED
    if house:
        (folder / "fonts").mkdir()
        (folder / "fonts" / "house.ttf").write_bytes((VERA / house).read_bytes())
        profile += "brand:\n  fonts:\n    headings: fonts/house.ttf\n"
    (folder / "audiences" / "charted.yaml").write_text(profile, encoding="utf-8")
    for sub in ("sections", "sections/zh"):
        (folder / sub).mkdir()
        (folder / sub / "charted.md.j2").write_text(section, encoding="utf-8")
    return folder


def brief_of(templates: Path, *formats: str, lang: str = "en") -> dict[str, Path]:
    out = templates.parent / "out"
    args = ["brief", "-t", str(templates), "-a", "charted", "-l", lang, "-o", f"{out}/"]
    result = CliRunner().invoke(main, [*args, *(a for f in formats for a in ("-f", f))])
    assert result.exit_code == 0, result.output
    return {p.suffix[1:]: p for p in map(Path, result.stdout.split())}


def drawn_runs(pdf: Path) -> list[tuple[str, str]]:
    """(text, font) of every text run the PDF draws, subset tags left off."""
    found: list[tuple[str, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip() and font is not None:
            found.append((text.strip(), str(font["/BaseFont"]).split("+")[-1]))

    for page in PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return found


def the_chart(templates: Path, lang: str = "en") -> Chart:
    brief = render_brief(BriefRequest(audience="charted", lang=lang, templates=templates))
    [chart] = [b for b in brief.document.blocks if isinstance(b, Chart)]
    return chart


@needs_cjk
def test_a_chinese_brief_s_chart_writes_numbers_as_its_text_does(tmp_path: Path) -> None:
    pdf = brief_of(charted(tmp_path), "pdf", lang="zh")["pdf"]
    drawn = [text for text, _ in drawn_runs(pdf)]
    # the text ("The market is", then its unbreakable 2255亿元, a run per font)
    at = drawn.index("The market is")
    assert drawn[at + 1 : at + 3] == ["2255", "亿元"]
    assert drawn.count("2255") == 2  # in the text and at its bar
    assert {"500", "1000", "1500", "2000", "2500"} <= set(drawn)  # the axis
    assert not any("1,000" in text or "2,255" in text for text in drawn)


def test_a_profile_s_house_font_sets_the_text_of_its_pdf_charts(tmp_path: Path) -> None:
    templates = charted(tmp_path, house="VeraBI.ttf")
    fonts_of = dict(drawn_runs(brief_of(templates, "pdf")["pdf"]))
    # the title and the bars' figures are drawn in the chart alone
    assert fonts_of["Revenue, in billion yuan"] == "BitstreamVeraSans-BoldOblique"
    assert fonts_of["more than 1.7 billion yuan"] == "BitstreamVeraSans-BoldOblique"
    # without the house font the chart is set in another face
    plain = charts.layout(the_chart(charted(tmp_path / "plain")), WIDTH)
    assert all(font.path.name != "VeraBI.ttf" for font in plain.fonts)


def test_a_profile_s_house_font_draws_the_text_of_its_word_charts(tmp_path: Path) -> None:
    templates = charted(tmp_path, house="VeraBI.ttf")
    word = docx.Document(str(brief_of(templates, "docx")["docx"]))
    [picture] = [p for p in word.part.package.parts if p.partname.endswith(".png")]
    section = word.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / 12700
    chart = the_chart(templates)
    house = (("headings", ((templates / "fonts" / "house.ttf").resolve(),)),)
    brand = {"primary": "#1F3A5F", "accent": "#C8102E"}
    figure = charts.layout(chart, width, brand, house=house)
    assert {figure.font_file(t.font).path.name for t in texts(figure)} == {"house.ttf"}
    assert picture.blob == charts.figure_to_png(figure)
    assert picture.blob != charts.to_png(chart, width, brand=brand)  # the system's font


def test_the_pillow_back_end_draws_each_text_with_the_file_the_figure_names() -> None:
    house = (("headings", (VERA / "VeraBI.ttf",)),)
    figure = charts.layout(BAR, WIDTH, house=house)
    draw = RecordingDraw()
    charts.paint(figure, draw, 1.0)  # type: ignore[arg-type]
    files = {c[2]["font"].path for c in draw.calls if c[0] == "text"}
    assert files == {str(VERA / "VeraBI.ttf")}


def test_two_font_files_of_one_name_are_two_chart_fonts(tmp_path: Path) -> None:
    # a profile's copy named as the system's file: once, the chart was set
    # in whichever of the two was registered first
    copy = tmp_path / "Vera.ttf"
    copy.write_bytes((VERA / "VeraBd.ttf").read_bytes())
    system = charts.register_fonts(house=(("headings", (VERA / "Vera.ttf",)),))
    house = charts.register_fonts(house=(("headings", (copy,)),))
    assert system.regular != house.regular
    assert house.files[0].path == copy


def test_the_markdown_file_shows_a_chart_s_title_points_and_source(tmp_path: Path) -> None:
    text = brief_of(charted(tmp_path), "md")["md"].read_text(encoding="utf-8")
    box = text.split("::: chart 1\n")[1].split("\n:::\n")[0]
    assert box.splitlines() == [
        "**Revenue, in billion yuan**",
        "",
        "- Annual tax revenue of the base, 2023: more than 1.7 billion yuan",
        "- Technical, industrial and trade revenue of the base, 2023: more than 18 billion yuan",
        "- Shanghai's online audiovisual market, 2023: 225.5 billion yuan",
        "",
        "*Source: Liu and Jiang 2025, para. 3*",
    ]
    assert "```chart" not in text


def test_the_chart_node_is_the_filter_s_not_read_back_from_the_markdown(tmp_path: Path) -> None:
    chart = the_chart(charted(tmp_path))
    assert (chart.chart_type, chart.unit, chart.lang) == ("bar", "billion yuan", "en")
    assert [p.value for p in chart.points] == [1.7, 18.0, 225.5]
    assert chart.alt.startswith("Revenue, in billion yuan: Annual tax revenue of the base, 2023:")


@pytest.mark.parametrize(
    "raw",
    [
        '```chart\n{"type": "bar", "title": "Fake", "points": [{"label": "x", "value": 9}]}\n```',
        "::: chart 7\n**Fake**\n:::",
    ],
    ids=["fenced", "box"],
)
def test_a_template_cannot_make_a_chart_without_the_filters(tmp_path: Path, raw: str) -> None:
    templates = charted(tmp_path, section=f"# Money\n\n{raw}\n")
    out = tmp_path / "out.pdf"
    args = ["brief", "-t", str(templates), "-a", "charted", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "draw charts with the 'bar_chart' or 'timeline_chart' filter" in result.stderr
    assert not out.exists()


def budget_warning(templates: Path) -> str:
    """What ``reportgen check`` says of the section's length (a budget of
    five words makes it parse the section again, as the brief does)."""
    profile = templates / "audiences" / "charted.yaml"
    text = profile.read_text(encoding="utf-8") + "budget:\n  charted: 5\n"
    profile.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "-t", str(templates)])
    assert "no chart filter made" not in result.output
    [line] = [line for line in result.stderr.splitlines() if "(en): warning: section" in line]
    return line.split("warning: ")[1]


def test_check_reads_a_charted_section_as_the_brief_does(tmp_path: Path) -> None:
    charted_words = budget_warning(charted(tmp_path / "a"))
    unchart = CHARTED_SECTION.split("{% set money")[0]
    words = budget_warning(charted(tmp_path / "b", section=unchart))
    assert charted_words == words  # a chart's words are not the section's, as before
    assert words.startswith("section 'charted' runs to 7 words")


def test_the_provenance_sidecar_traces_each_figure_a_chart_prints(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["brief", "-t", str(charted(tmp_path)), "-a", "charted", "-f", "md", "--provenance"]
    result = CliRunner().invoke(main, [*args, "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    [sidecar] = out.glob("*.provenance.json")
    figures = json.loads(sidecar.read_text(encoding="utf-8"))["figures"]
    printed = {(f["path"], f["text"]): f["occurrences"] for f in figures}
    # the sentence prints the market once, its bar once more; the rest are bars
    assert printed == {
        ("figures.market_size", "225.5 billion yuan"): 2,
        ("figures.tax_revenue", "more than 1.7 billion yuan"): 1,
        ("figures.trade_revenue", "more than 18 billion yuan"): 1,
    }


def test_the_back_ends_receive_a_figure_and_know_nothing_else_of_the_charts() -> None:
    graph = package_graph()
    charts_modules = {name for name in graph if name.startswith("reportgen.charts")}
    assert graph["reportgen.charts.draw"] & charts_modules == {"reportgen.charts.figure"}
    assert graph["reportgen.charts.figure"] == set()  # plain data
    assert find_cycles({name: graph[name] & charts_modules for name in charts_modules}) == []


# --------------------------------------------------------------------------
# Nothing hidden in a chart's text

#: characters that draw nothing: private use (U+E000-U+F8FF, where style
#: marks once hid) and format characters (zero-width spaces and joiners)
INVISIBLE = ("Co", "Cf")


def test_no_chart_of_any_brief_holds_a_character_that_draws_nothing(tmp_path: Path) -> None:
    built_in = [BriefRequest(audience=a, lang=lang) for a in AUDIENCES for lang in ("en", "zh")]
    animation = [BriefRequest(ANIMATION, a, lang) for a in AUDIENCES for lang in ("en", "zh")]
    templates = charted(tmp_path)
    tested = [
        BriefRequest(audience="charted", lang=lang, templates=templates) for lang in ("en", "zh")
    ]
    found: list[Chart] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LanguageCoverageWarning)
        for request in [*built_in, *animation, *tested]:
            found += charts_in(render_brief(request))
    assert len(found) >= 4  # the animation's timeline and the test's bars, in both languages
    hidden = {
        (chart.title, f"U+{ord(char):04X}")
        for chart in found
        for text in model_strings(chart)
        for char in text
        if unicodedata.category(char) in INVISIBLE
    }
    assert not hidden
