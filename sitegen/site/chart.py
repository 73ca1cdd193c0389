"""The cumulative chart of confirmed releases: inline SVG made at build time, no script.

A step line of the running total (its lower bound) and, where sources give a range, a band
up to its upper bound drawn with a dashed edge; a legend says which is which. The first
release's month labels the start, years label the axis, "people" the figures. Each release
is a mark that links to its event page (a link inside the SVG: reachable with Tab), as long
as the chart's markup stays within CHART_BYTES; past that the chart steps once a month, and
each month's mark (its people and the total at its end) links to its largest release, as
the legend then says: the home page stays small however many releases there are.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import math

from markupsafe import Markup, escape

from .i18n import Strings
from ..content.model import Event, Interval, PartialDate

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 30, 36
# a tick's label is written left of the axis: past five characters ("1,000") the axis moves
# right by this much a character (a digit at the phone's 22px), so "800,000" is not cut off
TICK_CHAR = 12
HEADROOM = 1.1          # the top of the axis at least 10% above the highest total
MARK_RADIUS = 4         # at most; marks closer than that shrink to 2, so a dense chart
                        # stays a line of marks, not a band
# the chart's markup at most (a mark per release up to this, else a mark per month): with
# the rest of the home page far below 1 MB
CHART_BYTES = 300_000
# the fewest bytes a release adds (its mark, linked or not, and two points of the line):
# more releases than the budget // this cannot fit, and are not drawn to be measured
MARK_BYTES, PLAIN_MARK_BYTES = 200, 90


def _nice_max(n: int) -> int:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of ten) >= n."""
    step = 1
    while step * 10 < n:
        step *= 10
    for k in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if k * step >= n:
            return max(int(k * step), 1)
    return n


def chart_svg(points: tuple[tuple[Event, Interval], ...], t: Strings,
              events_url: str | None = None, budget: int | None = None) -> Markup:
    """The chart and its legend; with `events_url` (the URL of the events folder of this
    language) each release's mark links to its page. A mark per release if that fits in
    `budget` bytes (CHART_BYTES), else a mark per month."""
    if not points:
        return Markup("")
    budget = CHART_BYTES if budget is None else budget
    least = PLAIN_MARK_BYTES if events_url is None else MARK_BYTES
    if len(points) * least <= budget:
        made = _draw(points, t, events_url, monthly=False)
        if len(made.encode("utf-8")) <= budget:
            return made
    return _draw(_by_month(points), t, events_url, monthly=True)


def _draw(points: tuple[tuple[Event, Interval], ...], t: Strings, events_url: str | None,
          monthly: bool) -> Markup:
    first = points[0][0].date.start
    newest = points[-1][0].date.start
    # room after the last release, so that its step is not drawn on the frame
    last = max(newest + dt.timedelta(days=max(15, (newest - first).days // 25)),
               first + dt.timedelta(days=30))
    top_value = max((p[1].hi if p[1].hi is not None else p[1].lo) for p in points)
    y_max = _nice_max(math.ceil(top_value * HEADROOM))
    span = (last - first).days or 1

    widest = len(t.number(y_max))
    left = LEFT if widest <= 5 else 10 + TICK_CHAR * widest

    def x(d: dt.date) -> float:
        return round(left + (WIDTH - left - RIGHT) * (d - first).days / span, 1)

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
    lo_path = "M" + " L".join(f"{px},{py}" for px, py in lo_steps)
    # the band: along the upper bound, then back along the lower bound, closed
    hi_path = "M" + " L".join(f"{px},{py}" for px, py in hi_steps + lo_steps[::-1]) + " Z"
    final = points[-1][1]
    label = escape(f"{t('chart_title')}: {t.count(final)}")
    # no role="img": the marks inside are links, which an image's content could not be
    # a keyboard need not go through every mark to get past the chart
    parts = [] if events_url is None else [
        f'<a class="visually-hidden chart-skip" href="#chart_legend">'
        f'{escape(t.plural("chart_skip", len(points)))}</a>']
    parts += [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'aria-labelledby="chart_svg_title" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="chart_svg_title">{label}</title>']
    line = 'vector-effect="non-scaling-stroke"'
    divisions = next((d for d in (4, 5, 6, 3, 2) if y_max % d == 0), 1)
    for k in range(divisions + 1):
        value = y_max * k // divisions
        parts.append(f'<line class="grid" {line} x1="{left}" x2="{WIDTH - RIGHT}" '
                     f'y1="{y(value)}" y2="{y(value)}"/>')
        parts.append(f'<text class="tick" x="{left - 6}" y="{y(value) + 4}" '
                     f'text-anchor="end">{escape(t.number(value))}</text>')
    parts.append(f'<text class="tick axis-label" x="0" y="{TOP - 14}" '
                 f'text-anchor="start">{escape(t("chart_axis"))}</text>')
    start = x(first)
    parts.append(f'<line class="axis" {line} x1="{start}" x2="{start}" y1="{TOP}" '
                 f'y2="{HEIGHT - BOTTOM + 6}"/>')
    parts.append(f'<text class="tick start-label" x="{start}" y="{HEIGHT - 12}" '
                 f'text-anchor="start">{escape(t.month(first.year, first.month))}</text>')
    # the start's label and half a year's: at 12 units (about 7.5 a character, bold), and at
    # a phone's 22 (about 13): a year's label in between is shown on wide screens only
    chars = len(t.month(first.year, first.month))
    start_room, phone_room = chars * 7.5 + 20, chars * 13 + 30
    for year in range(first.year + 1, last.year + 1):
        px = x(dt.date(year, 1, 1))
        parts.append(f'<line class="grid" {line} x1="{px}" x2="{px}" y1="{TOP}" '
                     f'y2="{HEIGHT - BOTTOM}"/>')
        if px - start > start_room:     # else it would be written over the start's label
            near = "" if px - start > phone_room else " near-start"
            parts.append(f'<text class="tick{near}" x="{px}" y="{HEIGHT - 12}" '
                         f'text-anchor="middle">{year}</text>')
    if hi_steps != lo_steps:
        parts.append(f'<path class="range" {line} d="{hi_path}"/>')
    parts.append(f'<path class="line" {line} d="{lo_path}"/>')
    spacing = (WIDTH - left - RIGHT) / len(points)
    radius = MARK_RADIUS if spacing >= 2 * MARK_RADIUS else 2 if spacing < 4 else 3
    for event, total in points:
        mark = (f'<circle class="mark" {line} cx="{x(event.date.start)}" cy="{y(total.lo)}" '
                f'r="{radius}"/>')
        says = escape(t("chart_mark", date=t.date(event.date),
                        released=t.count(event.released or Interval(0, 0)),
                        total=t.count(total)))
        if events_url is None:
            parts.append(mark)
        else:
            parts.append(f'<a href="{escape(events_url)}{escape(event.id)}/" '
                         f'aria-label="{says}"><title>{says}</title>{mark}</a>')
    parts.append("</svg>")
    legend = (f'<ul class="chart-legend" id="chart_legend">'
              f'<li><span class="swatch swatch-line" aria-hidden="true"></span>'
              f'{escape(t("chart_legend_line"))}</li>')
    if hi_steps != lo_steps:
        legend += (f'<li><span class="swatch swatch-range" aria-hidden="true"></span>'
                   f'{escape(t("chart_legend_range"))}</li>')
    if events_url is not None:
        legend += (f'<li><span class="swatch swatch-mark" aria-hidden="true"></span>'
                   f'{escape(t("chart_legend_month" if monthly else "chart_legend_mark"))}</li>')
    legend += "</ul>"
    return Markup("\n".join(parts) + "\n" + legend)


def _by_month(points: tuple[tuple[Event, Interval], ...]) -> tuple[tuple[Event, Interval], ...]:
    """One point a month: the month's largest release, dated by its month, with the people
    of the whole month and the running total at the month's end."""
    months: dict[tuple[int, int], list] = {}
    for event, total in points:
        start = event.date.start
        months.setdefault((start.year, start.month), []).append((event, total))
    out = []
    for (year, month), found in months.items():
        largest = max((e for e, _ in found), key=lambda e: (e.released or Interval(0, 0)).lo)
        people = Interval(0, 0)
        for event, _ in found:
            people = people + (event.released or Interval(0, 0))
        out.append((dataclasses.replace(largest, date=PartialDate(year, month),
                                        released=people), found[-1][1]))
    return tuple(out)

