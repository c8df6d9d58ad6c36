"""Charts drawn on the server as inline SVG: nothing is fetched, nothing needs JavaScript.

A count shown as "<3" gets no bar: its value is hidden, so nothing may be read off an axis. It is
marked by a hatched, outlined badge straddling the axis line, with "<3" in it and "fewer than 3" in its
accessible text. A withheld figure gets no bar either. Every point carries its value as text, the same
text the tables and the CSV show, and the chart's description lists them all for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from services.reporting.domain.suppression import SUPPRESSED
from services.reporting.domain.table import Cell
from services.reporting.entrypoints.http.render.cells import text

WIDTH = 640
INK = "#1f2d3d"
BAR = "#2f6f8f"
GRID = "#d9e2ea"


@dataclass(frozen=True)
class Point:
    label: str
    value: Cell


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup


def _height_of(value: Cell) -> float:
    """A bar's length: a number's value; nothing for a hidden count ("<3") or a withheld figure."""
    return float(value) if isinstance(value, int | float) else 0.0


def _nice_top(largest: float) -> tuple[float, float]:
    """An axis top at or above `largest` and a tick step of 1, 2 or 5 times a power of ten."""
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(largest / step), step


def _label(value: Cell) -> str:
    return text(value) or "\u2013"


def _fmt(number: float) -> str:
    return str(int(number)) if number == int(number) else f"{number:g}"


def _hatch(chart_id: str) -> str:
    return (
        f'<defs><pattern id="hatch-{chart_id}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="3" height="6" fill="{BAR}" opacity="0.55"/>'
        "</pattern></defs>"
    )


HIDDEN = "fewer than 3 (hidden so no individual can be singled out)"
BADGE_W, BADGE_H = 26, 12


def _spoken(point: Point) -> str:
    """A point as a screen reader says it: "2027-03: 5", "2027-04: fewer than 3 (hidden ...)"."""
    if point.value == SUPPRESSED:
        return f"{point.label}: {HIDDEN}"
    return f"{point.label}: {text(point.value) or 'withheld'}"


def _open(chart_id: str, title: str, height: int, points: Sequence[Point]) -> list[str]:
    described = "; ".join(_spoken(p) for p in points) or "No data yet"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{chart_id}" role="img" '
        f'aria-labelledby="chart-{chart_id}-title" aria-describedby="chart-{chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="chart-{chart_id}-title">{escape(title)}</title>',
        f'<desc id="chart-{chart_id}-desc">{escape(described)}</desc>',
        _hatch(chart_id),
    ]


def _point(chart_id: str, point: Point, shape: str, value_at: tuple[float, float], anchor: str) -> str:
    """One point: its bar (or, for a hidden count, its badge), its value as text, and what it says."""
    hidden = point.value == SUPPRESSED
    kind, style = ("point suppressed", ' font-style="italic"') if hidden else ("point", "")
    x, y = value_at
    return (
        f'<g class="{kind}" data-label="{escape(point.label)}" data-value="{escape(text(point.value))}">'
        f"<title>{escape(_spoken(point))}</title>{shape}"
        f'<text class="value" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{INK}"{style}>'
        f"{escape(_label(point.value))}</text></g>"
    )


def _badge(chart_id: str, x: float, y: float) -> str:
    """The mark of a hidden count, centred on (x, y) on the axis line: outlined and hatched, no length."""
    return (
        f'<rect class="marker" x="{x - BADGE_W / 2:.1f}" y="{y - BADGE_H / 2:.1f}" width="{BADGE_W}" '
        f'height="{BADGE_H}" rx="3" fill="url(#hatch-{chart_id})" stroke="{BAR}" stroke-dasharray="3 2"/>'
    )


def _bar(x: float, y: float, width: float, height: float) -> str:
    return (
        f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{BAR}"/>'
    )


def column_chart(chart_id: str, title: str, points: Sequence[Point]) -> Chart:
    """Vertical bars, one per point (e.g. per month), with a value axis."""
    height, left, right, top, bottom = 230, 44, 12, 16, 40
    parts = _open(chart_id, title, height, points)
    if not points:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" fill="{INK}">No data yet</text>'
        )
        return Chart(title, Markup("".join(parts) + "</svg>"))
    axis_top, step = _nice_top(max(_height_of(p.value) for p in points))
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    base = top + plot_h
    tick = 0.0
    while tick <= axis_top + 1e-9:
        y = base - plot_h * tick / axis_top
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_fmt(tick)}</text>'
        )
        tick += step
    band = plot_w / len(points)
    bar_w = min(band * 0.6, 48)
    for i, point in enumerate(points):
        centre = left + band * i + band / 2
        if point.value == SUPPRESSED:
            shape, value_y = _badge(chart_id, centre, base), base - BADGE_H / 2 - 4
        else:
            h = plot_h * _height_of(point.value) / axis_top
            shape, value_y = _bar(centre - bar_w / 2, base - h, bar_w, h), base - h - 4
        parts.append(_point(chart_id, point, shape, (centre, value_y), "middle"))
        parts.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 20}" text-anchor="middle" fill="{INK}">{escape(point.label)}</text>'
        )
    return Chart(title, Markup("".join(parts) + "</svg>"))


def bar_chart(chart_id: str, title: str, points: Sequence[Point]) -> Chart:
    """Horizontal bars, one per labelled point (e.g. per tool)."""
    row, label_w, right, top = 26, 170, 56, 8
    height = top * 2 + row * max(len(points), 1)
    parts = _open(chart_id, title, height, points)
    largest = max((_height_of(p.value) for p in points), default=0.0) or 1.0
    plot_w = WIDTH - label_w - right
    parts.append(f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{height - top}" stroke="{GRID}"/>')
    for i, point in enumerate(points):
        y = top + row * i
        middle = y + row / 2
        parts.append(
            f'<text x="{label_w - BADGE_W / 2 - 6}" y="{middle + 4:.1f}" text-anchor="end" fill="{INK}">{escape(point.label)}</text>'
        )
        if point.value == SUPPRESSED:
            shape, value_x = _badge(chart_id, label_w, middle), label_w + BADGE_W / 2 + 6
        else:
            w = plot_w * _height_of(point.value) / largest
            shape, value_x = _bar(label_w, y + 4, w, row - 8), label_w + w + 6
        parts.append(_point(chart_id, point, shape, (value_x, middle + 4), "start"))
    return Chart(title, Markup("".join(parts) + "</svg>"))
