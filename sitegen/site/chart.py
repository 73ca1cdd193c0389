"""The cumulative chart of confirmed releases: inline SVG made at build time, no script."""
from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from .i18n import Strings
from ..content.model import Event, Interval

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 32


def _nice_max(n: int) -> int:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of ten) >= n."""
    step = 1
    while step * 10 < n:
        step *= 10
    for k in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if k * step >= n:
            return max(int(k * step), 1)
    return n


def chart_svg(points: tuple[tuple[Event, Interval], ...], t: Strings) -> Markup:
    """A step line of the running total (lower bound), the range up to the upper bound shaded."""
    if not points:
        return Markup("")
    first = points[0][0].date.start
    last = max(points[-1][0].date.start, first + dt.timedelta(days=30))
    top_value = max((p[1].hi if p[1].hi is not None else p[1].lo) for p in points)
    y_max = _nice_max(top_value)
    span = (last - first).days or 1

    def x(d: dt.date) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * (d - first).days / span, 1)

    def y(n: int) -> float:
        return round(HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * n / y_max, 1)

    lo_steps, hi_steps = [(x(first), y(0))], [(x(first), y(0))]
    for event, total in points:
        px = x(event.date.start)
        for steps, value in ((lo_steps, total.lo),
                             (hi_steps, total.hi if total.hi is not None else total.lo)):
            steps += [(px, steps[-1][1]), (px, y(value))]
    lo_steps.append((x(last), lo_steps[-1][1]))
    hi_steps.append((x(last), hi_steps[-1][1]))
    lo_path = ["M" + " L".join(f"{px},{py}" for px, py in lo_steps)]
    # the band: along the upper bound, then back along the lower bound, closed
    hi_path = ["M" + " L".join(f"{px},{py}" for px, py in hi_steps + lo_steps[::-1]) + " Z"]
    final = points[-1][1]
    label = escape(f"{t('chart_title')}: {t.count(final)}")
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="chart_svg_title" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart_svg_title">{label}</title>']
    divisions = next((d for d in (4, 5, 6, 3, 2) if y_max % d == 0), 1)
    for k in range(divisions + 1):
        value = y_max * k // divisions
        parts.append(f'<line class="grid" vector-effect="non-scaling-stroke" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value)}" '
                     f'y2="{y(value)}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4}" '
                     f'text-anchor="end">{escape(t.number(value))}</text>')
    for year in range(first.year + 1, last.year + 1):
        px = x(dt.date(year, 1, 1))
        parts.append(f'<line class="grid" vector-effect="non-scaling-stroke" x1="{px}" x2="{px}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>')
        parts.append(f'<text class="tick" x="{px}" y="{HEIGHT - 10}" text-anchor="middle">'
                     f'{year}</text>')
    if hi_steps != lo_steps:
        parts.append(f'<path class="range" vector-effect="non-scaling-stroke" d="{" ".join(hi_path)}"/>')
    parts.append(f'<path class="line" vector-effect="non-scaling-stroke" d="{" ".join(lo_path)}"/>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
