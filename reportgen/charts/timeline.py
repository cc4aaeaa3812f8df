"""Timelines: events on one axis by year, their notes alternating above
and below it, each note wrapped into the room its neighbours leave."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Chart, ChartPoint
from . import parts
from .figure import Anchor, Circle, Figure, Item, Line
from .fonts import ChartFonts, Style, measure, wrap
from .styled import Styled

MARKER_RADIUS = 3.5
_STEM = 7.0


@dataclass(frozen=True, slots=True)
class _Event:
    x: float
    point: ChartPoint
    above: bool


def lay_out(chart: Chart, width: float, names: ChartFonts, primary: str) -> Figure:
    """``chart`` as a timeline, ``width`` points wide; ValueError when its
    events do not fit side by side."""
    items: list[Item] = []
    top = parts.title(items, chart.title, width, names)
    year_style = Style(names.bold, names.cjk, parts.YEAR_SIZE, primary)
    note_style = Style(names.regular, names.cjk, parts.NOTE_SIZE, parts.LABEL_INK, names.italic)

    points = sorted(chart.points, key=lambda p: p.value)
    inset = max(measure(p.label, year_style) for p in points) / 2 + 2.0
    gap = 2 * inset + 6.0
    if (len(points) - 1) * gap > width - 2 * inset:
        fits = int((width - 2 * inset) // gap) + 1
        raise ValueError(
            f"timeline {chart.title!r} has {len(points)} events, but only {fits} fit "
            f"side by side in {width:g} pt; split it or give it more width"
        )
    xs = _spread(_scale(points, inset, width - inset), min_gap=gap, lo=inset, hi=width - inset)
    events = [_Event(x, p, i % 2 == 0) for i, (x, p) in enumerate(zip(xs, points, strict=True))]
    notes = {id(e): _place_note(e, events, width, note_style) for e in events if e.point.note.text}

    above_lines = max(
        (len(notes[id(e)][1]) for e in events if e.above and id(e) in notes), default=0
    )
    axis_y = top + (above_lines * parts.NOTE_LEADING + _STEM if above_lines else 0.0)
    axis_y += MARKER_RADIUS
    year_base = axis_y + MARKER_RADIUS + 3.0 + parts.YEAR_SIZE * 0.75
    below_top = year_base + 3.0 + _STEM

    items.append(Line(0, axis_y, width, axis_y, parts.AXIS, 0.75))
    bottom = year_base + 3.0
    for event in events:
        items.append(Circle(event.x, axis_y, MARKER_RADIUS, primary, parts.WHITE, 1.0))
        items.extend(parts.text(event.x, year_base, event.point.label, year_style, "middle"))
        if id(event) not in notes:
            continue
        (x, anchor), lines = notes[id(event)]
        if event.above:
            last = axis_y - MARKER_RADIUS - _STEM - 0.25 * parts.NOTE_SIZE
            first = last - (len(lines) - 1) * parts.NOTE_LEADING
            stem_top, stem_bottom = axis_y - MARKER_RADIUS - 1.0, axis_y - MARKER_RADIUS - _STEM
            items.append(Line(event.x, stem_top, event.x, stem_bottom + 2.0, parts.AXIS, 0.5))
        else:
            first = below_top + parts.NOTE_SIZE * 0.75
            items.append(Line(event.x, year_base + 3.0, event.x, below_top - 1.0, parts.AXIS, 0.5))
            bottom = max(bottom, first + (len(lines) - 1) * parts.NOTE_LEADING + 3.0)
        for j, line in enumerate(lines):
            items.extend(parts.text(x, first + j * parts.NOTE_LEADING, line, note_style, anchor))
    return Figure(width, bottom, tuple(items))


def _scale(points: Sequence[ChartPoint], lo: float, hi: float) -> list[float]:
    """x positions proportional to the values, between ``lo`` and ``hi``."""
    first, last = points[0].value, points[-1].value
    if last == first:
        return [(lo + hi) / 2] * len(points)
    return [lo + (p.value - first) / (last - first) * (hi - lo) for p in points]


def _spread(xs: list[float], min_gap: float, lo: float, hi: float) -> list[float]:
    """Push markers apart so neighbouring year labels never overlap, keeping
    proportional positions where they allow it. The caller has checked that
    ``min_gap`` spacing fits between ``lo`` and ``hi``."""
    if len(xs) < 2:
        return xs
    out = list(xs)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] + min_gap)
    out[-1] = min(out[-1], hi)
    for i in range(len(out) - 2, -1, -1):
        out[i] = min(out[i], out[i + 1] - min_gap)
    return out


def _place_note(
    event: _Event, events: Sequence[_Event], width: float, style: Style
) -> tuple[tuple[float, Anchor], list[Styled]]:
    """Wrap a note into the stretch of its side of the axis that no
    neighbour on the same side claims; centre it on the marker where it
    fits, otherwise align it to the edge the marker is near."""
    gutter = 10.0
    side = [e for e in events if e.above == event.above]
    i = next(k for k, e in enumerate(side) if e is event)
    same_side = [e.x for e in side]
    left = (same_side[i - 1] + event.x) / 2 + gutter / 2 if i > 0 else 0.0
    right = (same_side[i + 1] + event.x) / 2 - gutter / 2 if i + 1 < len(same_side) else width
    box = min(right - left, max(120.0, width * 0.34))
    lines = wrap(event.point.note, box, style, max_lines=4)
    used = max(measure(line, style) for line in lines)
    if event.x - used / 2 < left:
        return (left, "start"), lines
    if event.x + used / 2 > right:
        return (right, "end"), lines
    return (event.x, "middle"), lines
