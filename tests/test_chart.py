"""The home page's chart (sitegen/site/chart.py): legend, labels, headroom, a linked mark per
release, and its data table by month once there are more than 60 releases."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from sitegen.build import build
from sitegen.content.model import Event, Interval, PartialDate
from sitegen.site import chart
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
    legend = html[html.index("<ul class=\"chart-legend\""):]
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


def month_points(n: int = 61):
    """n releases over three months, the 6th, 41st and 61st of 10 people."""
    points, total = [], Interval(0, 0)
    for i in range(n):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i + i // 30)
        released = Interval(10 if i in (5, 40, 60) else 1, 10 if i in (5, 40, 60) else 1)
        total = total + released
        points.append((Event(f"e{i}", PartialDate(day.year, day.month, day.day), "release",
                             "a", released=released), total))
    return tuple(points)


def test_every_release_has_its_mark_while_the_chart_fits_its_budget():
    en = strings("en")
    svg = str(chart_svg(month_points(), en, "/events/"))
    assert re.findall(r'<a href="/events/([^/"]+)/"', svg) == [f"e{i}" for i in range(61)]
    assert svg.count('<circle class="mark"') == 61
    assert len(svg.encode()) <= chart.CHART_BYTES
    assert "A release: select it to open its page" in svg


def test_past_its_budget_the_chart_marks_each_month_by_its_largest_release():
    """The same 61 releases over three months, with a budget they do not fit in: one mark a
    month, linking to the month's largest release; a step a month; the legend says so."""
    en, points = strings("en"), month_points()
    whole = len(str(chart_svg(points, en, "/events/")).encode())
    svg = str(chart_svg(points, en, "/events/", budget=whole - 1))
    assert re.findall(r'<a href="/events/([^/"]+)/" aria-label="([^"]+)"', svg) == [
        ("e5", "January 2025: +39, total 39"), ("e40", "February 2025: +37, total 76"),
        ("e60", "March 2025: +12, total 88")]
    assert svg.count('<circle class="mark"') == 3
    assert "A release: select it" not in svg
    assert "A month (too many releases to mark each one)" in svg
    assert str(chart_svg(points, en, "/events/", budget=whole)).count('<circle class="mark"') \
        == 61


def test_a_site_with_61_releases_has_61_marks_and_a_table_by_month(home):
    html = home(61)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count('<circle class="mark"') == 61
    assert len(re.findall(r'<a href="/repo/events/r\d{3}/"', svg)) == 61
    assert "<caption>Confirmed releases by month, with the running total</caption>" in html


def test_a_site_past_the_budget_has_a_mark_per_month(tmp_path, monkeypatch):
    """The budget as the home page reads it (chart.CHART_BYTES): 61 releases from July to
    October 2024 get four marks when their own would not fit."""
    monkeypatch.setattr(chart, "CHART_BYTES", 10_000)
    root = site_with_releases(tmp_path, 61)
    html = build(root, base_url="https://user.github.io/repo/", write=False,
                 search=False).files["index.html"].decode()
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert re.findall(r'<a href="/repo/events/(r\d{3})/"', svg) == ["r015", "r030", "r045",
                                                                    "r060"]
    assert svg.count('<circle class="mark"') == 4
    legend = html[html.index("<ul class=\"chart-legend\""):]
    assert "A month (too many releases to mark each one)" in legend[:legend.index("</ul>")]


def test_a_keyboard_can_skip_the_marks_and_wide_figures_fit_left_of_the_axis():
    en, ru = strings("en"), strings("ru")
    svg = str(chart_svg(month_points(), en, "/events/"))
    assert svg.startswith('<a class="visually-hidden chart-skip" href="#chart_legend">'
                          "Skip the chart&#39;s 61 marks</a>")
    assert '<ul class="chart-legend" id="chart_legend">' in svg
    assert "Пропустить 61 отметку графика" in str(chart_svg(month_points(), ru, "/events/"))
    assert "chart-skip" not in str(chart_svg(month_points(), en))      # no links, no skip
    # "800,000" is seven characters: the axis moves right of where "1,000" needs it
    big = ((Event("a", PartialDate(2024, 7, 1), "release", "x",
                  released=Interval.exact(600_000)), Interval(600_000, 600_000)),)
    svg = str(chart_svg(big, en, "/events/"))
    assert '<text class="tick" x="88" y="34.0" text-anchor="end">800,000</text>' in svg
    assert 'class="tick start-label" x="94.0"' in svg
    assert 'class="tick start-label" x="64.0"' in str(chart_svg(month_points(), en))


def test_dense_marks_are_smaller():
    """61 marks 9 units apart keep their radius of 4; 300 marks 2 units apart have 2."""
    en = strings("en")
    assert str(chart_svg(month_points(), en)).count('r="4"/>') == 61
    assert str(chart_svg(month_points(300), en)).count('r="2"/>') == 300


@pytest.mark.parametrize("start, labels", [
    # August 2024 is 157 units left of 2025: room for both at 12 units, not at a phone's 22
    (PartialDate(2024, 8, 16), [("2025", " near-start"), ("2026", "")]),
    # July 2024 is further from 2025: both labels on any screen
    (PartialDate(2024, 7, 1), [("2025", ""), ("2026", "")]),
    # a start in November leaves no room for 2025 on any screen
    (PartialDate(2024, 11, 20), [("2026", "")])])
def test_a_year_label_close_to_the_start_label_is_left_out_where_they_would_meet(start, labels):
    en = strings("en")
    points = (
        (Event(id="a", date=start, kind="release", article="x",
               released=Interval.exact(30)), Interval(30, 30)),
        (Event(id="b", date=PartialDate(2026, 3, 19), kind="release", article="x",
               released=Interval.exact(250)), Interval(280, 280)))
    svg = str(chart_svg(points, en, "/events/"))
    assert re.findall(r'<text class="tick( near-start)?" [^>]*text-anchor="middle">(\d{4})<',
                      svg) == [(near, year) for year, near in labels]
