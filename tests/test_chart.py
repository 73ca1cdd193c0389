"""The home page's chart (sitegen/site/chart.py): legend, labels, headroom, a linked mark per
release, and its data table by month once there are more than 60 releases."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from sitegen.build import build
from sitegen.content.model import Event, Interval, PartialDate
from sitegen.site.chart import chart_svg

from .conftest import front_matter_text, make_site, strings


def site_with_releases(root, count: int):
    """Articles declaring `count` confirmed releases, two days apart from 2024-07-01 (20 an
    article, the most one may declare)."""
    start = dt.date(2024, 7, 1)
    events = [{"id": f"r{n:03}", "date": (start + dt.timedelta(days=2 * n)).isoformat(),
               "kind": "release", "status": "confirmed", "released": n + 1,
               "title": {"en": f"Release {n}", "ru": f"Освобождение {n}"}}
              for n in range(count)]
    files = {}
    for k in range(0, count, 20):
        front = {"title": "Releases", "date": "2024-07-01", "lang": "en",
                 "sources": [{"url": "https://example.com/a", "publisher": "Example"}],
                 "events": events[k:k + 20]}
        files[f"content/articles/2024/2024-07-01-releases-{k // 20}.md"] = (
            "---\n" + front_matter_text(front) + "---\nBody.\n")
    return make_site(root, files)


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    def made(count: int) -> str:
        root = site_with_releases(tmp_path_factory.mktemp(f"chart{count}"), count)
        files = build(root, base_url="https://user.github.io/repo/", write=False,
                      search=False).files
        return files["index.html"].decode()
    return made


def test_each_release_is_a_mark_linking_to_its_event(home):
    html = home(3)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg) == [
        ("/repo/events/r000/", "July 1, 2024: +1, total 1"),
        ("/repo/events/r001/", "July 3, 2024: +2, total 3"),
        ("/repo/events/r002/", "July 5, 2024: +3, total 6")]
    assert svg.count('<circle class="mark"') == 3
    assert 'role="img"' not in svg      # an image's content is not interactive
    # the start and the axis are labelled; the legend says what the line and marks are
    assert '<text class="tick start-label" x="64.0" y="268" text-anchor="start">July 2024</text>' \
        in svg
    assert '<text class="tick axis-label" x="0" y="16" text-anchor="start">people</text>' in svg
    legend = html[html.index('<ul class="chart-legend">'):]
    legend = legend[:legend.index("</ul>")]
    assert re.findall(r"</span>([^<]+)</li>", legend) == [
        "Confirmed releases, running total (where sources differ, the lower figure)",
        "A release: select it to open its page"]    # no range: no dashed band to explain


def test_headroom_above_the_highest_total():
    en = strings("en")
    points = (
        (Event(id="a", date=PartialDate(2024, 7, 1), kind="release", article="x",
               released=Interval.exact(400)), Interval(400, 400)),
        (Event(id="b", date=PartialDate(2024, 9, 1), kind="release", article="x",
               released=Interval(600, 1000)), Interval(1000, 1400)))
    svg = str(chart_svg(points, en, "/events/"))
    ticks = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert ticks[-1] == "2,000"         # 1,400 + 10% is 1,540: the next round top is 2,000
    # the band up to the upper bound is drawn, and the legend explains it
    assert '<path class="range"' in svg and "Up to the higher figure" in svg
    # the last step is not drawn on the right edge: the line ends after the last release
    xs = [float(v) for v in re.findall(r'cx="([\d.]+)"', svg)]
    line_end = float(re.search(r'class="line" [^>]* d="[^"]* L([\d.]+),[\d.]+"', svg).group(1))
    assert line_end == 624.0 and max(xs) < line_end - 10


@pytest.mark.parametrize("count, rows, caption", [
    (60, 60, "Confirmed releases by date, with the running total"),
    (61, 4, "Confirmed releases by month, with the running total")])
def test_the_data_table_is_by_month_above_60_releases(home, count, rows, caption):
    html = home(count)
    table = html[html.index('<details class="chart-data">'):html.index("</details>")]
    assert f"<caption>{caption}</caption>" in table
    body = table[table.index("<tbody>"):table.index("</tbody>")]
    assert body.count("<tr>") == rows
    if count == 61:     # 61 releases two days apart from July 1: July to October 2024
        cells = re.findall(r'<tr><td><a href="([^"]+)">([^<]+)</a></td>'
                           r'<td class="num" data-label="Releases">(\d+)</td>'
                           r'<td class="num" data-label="Released">([\d,]+)</td>'
                           r'<td class="num" data-label="Running total">([\d,]+)</td></tr>', body)
        assert [c[1:3] for c in cells] == [("July 2024", "16"), ("August 2024", "15"),
                                           ("September 2024", "15"), ("October 2024", "15")]
        assert cells[0][0] == "/repo/timeline/2024/"
        assert cells[-1][4] == "1,891"      # 1 + 2 + ... + 61
        assert sum(int(c[2]) for c in cells) == 61


def test_past_60_releases_the_chart_marks_each_month_by_its_largest_release():
    """61 releases over three months: one mark a month, linking to the month's largest
    release; a step a month."""
    en = strings("en")
    points, total = [], Interval(0, 0)
    for i in range(61):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i + i // 30)
        released = Interval(10 if i in (5, 40, 60) else 1, 10 if i in (5, 40, 60) else 1)
        total = total + released
        points.append((Event(f"e{i}", PartialDate(day.year, day.month, day.day), "release",
                             "a", released=released), total))
    svg = str(chart_svg(tuple(points), en, "/events/"))
    assert re.findall(r'<a href="/events/([^/"]+)/"', svg) == ["e5", "e40", "e60"]
    assert svg.count('<circle class="mark"') == 3
    assert sorted({(p[0].date.year, p[0].date.month) for p in points}) == [
        (2025, 1), (2025, 2), (2025, 3)]
