"""The cumulative chart of confirmed releases: inline SVG made at build time, no script."""
from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from .i18n import Strings
from .model import Event, Interval

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 32


def _nice_max(n: int) -> int:
    step = 1
    while step * 10 <= n:
        step *= 10
    for k in (1, 2, 5, 10):
        if k * step >= n:
            return max(k * step, 1)
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

    lo_path, hi_path = [f"M{x(first)},{y(0)}"], [f"M{x(first)},{y(0)}"]
    for event, total in points:
        px = x(event.date.start)
        lo_path += [f"H{px}", f"V{y(total.lo)}"]
        hi_path += [f"H{px}", f"V{y(total.hi if total.hi is not None else total.lo)}"]
    lo_path.append(f"H{x(last)}")
    hi_path.append(f"H{x(last)}")
    final = points[-1][1]
    label = escape(f"{t('chart_title')}: {t.count(final)}")
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="chart_svg_title" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart_svg_title">{label}</title>']
    for k in range(5):
        value = y_max * k // 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value)}" '
                     f'y2="{y(value)}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y(value) + 4}" '
                     f'text-anchor="end">{escape(t.number(value))}</text>')
    for year in range(first.year + 1, last.year + 1):
        px = x(dt.date(year, 1, 1))
        parts.append(f'<line class="grid" x1="{px}" x2="{px}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>')
        parts.append(f'<text class="tick" x="{px}" y="{HEIGHT - 10}" text-anchor="middle">'
                     f'{year}</text>')
    if hi_path != lo_path:
        parts.append(f'<path class="range" d="{" ".join(hi_path)}"/>')
    parts.append(f'<path class="line" d="{" ".join(lo_path)}"/>')
    parts.append("</svg>")
    return Markup("\n".join(parts))
