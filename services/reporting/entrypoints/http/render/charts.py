"""Charts drawn on the server as inline SVG: nothing is fetched, nothing needs JavaScript.

A count shown as "<3" is drawn as a hatched bar reaching 2 (the most it can be); a withheld figure
gets no bar. Every bar carries its value as text, the same text the tables and the CSV show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from services.reporting.domain.suppression import SMALLEST_SHOWN, SUPPRESSED
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
    if value == SUPPRESSED:
        return SMALLEST_SHOWN - 1
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


def _fill(chart_id: str, value: Cell) -> str:
    return f"url(#hatch-{chart_id})" if value == SUPPRESSED else BAR


def _open(chart_id: str, title: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="chart-{chart_id}" role="img" '
        f'aria-labelledby="chart-{chart_id}-title" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'font-family="system-ui, sans-serif" font-size="12">',
        f'<title id="chart-{chart_id}-title">{escape(title)}</title>',
        _hatch(chart_id),
    ]


def column_chart(chart_id: str, title: str, points: Sequence[Point]) -> Chart:
    """Vertical bars, one per point (e.g. per month), with a value axis."""
    height, left, right, top, bottom = 230, 44, 12, 16, 40
    parts = _open(chart_id, title, height)
    if not points:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{height / 2}" text-anchor="middle" fill="{INK}">No data yet</text>'
        )
        return Chart(title, Markup("".join(parts) + "</svg>"))
    axis_top, step = _nice_top(max(_height_of(p.value) for p in points))
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    tick = 0.0
    while tick <= axis_top + 1e-9:
        y = top + plot_h - plot_h * tick / axis_top
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">{_fmt(tick)}</text>'
        )
        tick += step
    band = plot_w / len(points)
    bar_w = min(band * 0.6, 48)
    for i, point in enumerate(points):
        x = left + band * i + (band - bar_w) / 2
        h = plot_h * _height_of(point.value) / axis_top
        y = top + plot_h - h
        centre = left + band * i + band / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{_fill(chart_id, point.value)}">'
            f"<title>{escape(point.label)}: {escape(text(point.value) or 'withheld')}</title></rect>"
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="{INK}">{escape(_label(point.value))}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{height - bottom + 16}" text-anchor="middle" fill="{INK}">{escape(point.label)}</text>'
        )
    return Chart(title, Markup("".join(parts) + "</svg>"))


def bar_chart(chart_id: str, title: str, points: Sequence[Point]) -> Chart:
    """Horizontal bars, one per labelled point (e.g. per tool)."""
    row, label_w, right, top = 26, 170, 56, 8
    height = top * 2 + row * max(len(points), 1)
    parts = _open(chart_id, title, height)
    largest = max((_height_of(p.value) for p in points), default=0.0) or 1.0
    if any(p.value == SUPPRESSED for p in points):
        largest = max(largest, SMALLEST_SHOWN)  # a "<3" bar must not look like the biggest number
    plot_w = WIDTH - label_w - right
    for i, point in enumerate(points):
        y = top + row * i
        w = plot_w * _height_of(point.value) / largest
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" fill="{INK}">{escape(point.label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{_fill(chart_id, point.value)}">'
            f"<title>{escape(point.label)}: {escape(text(point.value) or 'withheld')}</title></rect>"
        )
        parts.append(
            f'<text x="{label_w + w + 6:.1f}" y="{y + row / 2 + 4:.1f}" fill="{INK}">{escape(_label(point.value))}</text>'
        )
    return Chart(title, Markup("".join(parts) + "</svg>"))
