"""The timeline in Chromium, served under a sub-path: the events it lists, with its filters
on and off, with and without JavaScript, are exactly those of the site's data/events.json;
and screenshots of the timeline and an event page for a person to look at."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sitegen.build import build

from .browser import ARTIFACTS, Watch, serve
from .conftest import TESTS

pytestmark = pytest.mark.slow     # Chromium

POINT_IDS = re.compile(r'<li id="([a-z0-9-]+)" class="event event-\w+ point ')
SHOWN = """() => Array.from(document.querySelectorAll('#axis li.point'))
  .filter(li => li.offsetParent !== null && !li.classList.contains('context')).map(li => li.id)"""


@pytest.fixture(scope="module")
def site(sample_site, sample_site_url):
    """The sample site served under /repo/ (conftest): its URL and its folder."""
    return sample_site_url, sample_site


@pytest.fixture(scope="module")
def events(site) -> list[dict]:
    return json.loads((site[1] / "data" / "events.json").read_bytes())["events"]


def open_page(browser, url: str, **options):
    context = browser.new_context(**options)
    watch = Watch(context, "{0.scheme}://{0.netloc}".format(urlsplit(url)))
    return context, watch.attach(context.new_page()), watch


def countries(event: dict, events: list[dict]) -> set[str]:
    """The countries an event names, as its country page counts them: its own parties,
    citizenships, origin and destination, and the citizenships and destinations of its
    parts (its breakdowns add theirs up)."""
    found = set(event["countries"]) | set(event["citizenship"])
    found |= {c for c in (event["from"], event["destination"]) if c}
    below = [e for e in events if e["part_of"] == event["id"]]
    while below:
        part = below.pop()
        found |= set(part["citizenship"]) | ({part["destination"]} if part["destination"] else set())
        below += [e for e in events if e["part_of"] == part["id"]]
    return found


def wanted(events: list[dict], **chosen) -> list[str]:
    out = []
    for e in events:
        if "kind" in chosen and e["kind"] != chosen["kind"]:
            continue
        if "status" in chosen and e["status"] != chosen["status"]:
            continue
        if "mechanism" in chosen and e["mechanism"] != chosen["mechanism"]:
            continue
        if "year" in chosen and e["date"][:4] != chosen["year"]:
            continue
        if "country" in chosen and chosen["country"] not in countries(e, events):
            continue
        out.append(e["id"])
    return out


def in_date_order(ids: list[str], events: list[dict], newest: bool = False) -> None:
    dates = {e["id"]: e["date"] for e in events}
    listed = [dates[i] for i in ids]
    assert listed == sorted(listed, reverse=newest)
    assert len(ids) == len(set(ids))


FILTERS = [{}, {"kind": "release"}, {"status": "confirmed"}, {"mechanism": "pardon"},
           {"year": "2024"}, {"country": "LT"}, {"kind": "release", "year": "2025"},
           {"kind": "release", "country": "LT", "status": "confirmed"}, {"country": "US"},
           {"kind": "statement", "year": "2024"}]


@pytest.mark.parametrize("order", ["", "newest/"])
@pytest.mark.parametrize("tree", ["", "en/"])
def test_filters_in_place_list_exactly_the_events_of_the_data(browser, site, events, tree,
                                                              order):
    url, _ = site
    context, page, watch = open_page(browser, url)
    for chosen in FILTERS:
        query = "&".join(f"{k}={v}" for k, v in chosen.items())
        page.goto(f"{url}{tree}timeline/{order}" + (f"?{query}" if query else ""))
        shown = page.evaluate(SHOWN)
        expected = wanted(events, **chosen)
        assert sorted(shown) == sorted(expected), chosen
        in_date_order(shown, events, newest=bool(order))
        status = page.locator("#filter_status").inner_text()
        if chosen:
            assert f"{len(expected)}" in status and f"{len(events)}" in status, status
        else:
            assert status == ""
    context.close()
    assert watch.errors == [] and watch.foreign == []


def test_filters_are_clicked_kept_in_the_url_and_the_order_chosen(browser, site, events):
    url, _ = site
    context, page, watch = open_page(browser, url)
    page.goto(url + "timeline/")
    page.locator("#filters a[data-filter=kind][data-value=release]").click()
    page.locator("#filters a[data-filter=country][data-value=LT]").click()
    assert urlsplit(page.url).path == "/repo/timeline/"
    assert parse_qs(urlsplit(page.url).query) == {"kind": ["release"], "country": ["LT"]}
    expected = wanted(events, kind="release", country="LT")
    assert page.evaluate(SHOWN) == [i for i in page.evaluate(SHOWN) if i in expected]
    assert sorted(page.evaluate(SHOWN)) == sorted(expected)
    assert page.locator("#filters a[data-value=LT]").get_attribute("aria-current") == "true"
    # a second click on a chosen value drops it
    page.locator("#filters a[data-filter=kind][data-value=release]").click()
    assert parse_qs(urlsplit(page.url).query) == {"country": ["LT"]}
    assert sorted(page.evaluate(SHOWN)) == sorted(wanted(events, country="LT"))
    # newest first: the same events, in the reverse order of their dates, on the page set
    # made newest first; the filter goes along
    oldest = page.evaluate(SHOWN)
    page.locator("#filters a[data-order=newest]").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/repo/timeline/newest/"
    assert parse_qs(urlsplit(page.url).query) == {"country": ["LT"]}
    newest = page.evaluate(SHOWN)
    assert newest == oldest[::-1] or (sorted(newest) == sorted(oldest) and newest != oldest)
    in_date_order(newest, events, newest=True)
    assert page.locator("#filters a[data-order=newest]").get_attribute("aria-current") == "true"
    # the link holds the view: opened again, the page shows the same events in that order
    page.goto(page.url)
    assert page.evaluate(SHOWN) == newest
    page.locator("#filters a[data-filter-clear]").click()
    assert urlsplit(page.url).path == "/repo/timeline/newest/"
    assert urlsplit(page.url).query == ""
    assert sorted(page.evaluate(SHOWN)) == sorted(e["id"] for e in events)
    page.locator("#filters a[data-order=oldest]").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/repo/timeline/" and urlsplit(page.url).query == ""
    context.close()
    assert watch.errors == [] and watch.foreign == []


NO_JS_LINKS = [("kind", "release", "timeline/kind/release/"),
               ("status", "reported", "timeline/status/reported/"),
               ("mechanism", "pardon", "timeline/mechanism/pardon/"),
               ("year", "2025", "timeline/2025/")]


@pytest.mark.parametrize("tree", ["", "en/"])
def test_without_javascript_every_event_is_listed_and_filters_are_pages(browser, site, events,
                                                                       tree):
    url, _ = site
    context, page, watch = open_page(browser, url, java_script_enabled=False)
    page.goto(f"{url}{tree}timeline/")
    every = page.eval_on_selector_all(
        "#axis li.point", "items => items.map(li => li.id)")
    assert sorted(every) == sorted(e["id"] for e in events)
    in_date_order(every, events)
    # newest first is a page set of its own
    page.locator("#filters a[data-order=newest]").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == f"/repo/{tree}timeline/newest/"
    newest = page.eval_on_selector_all("#axis li.point", "items => items.map(li => li.id)")
    assert sorted(newest) == sorted(every)
    in_date_order(newest, events, newest=True)
    for dimension, value, path in NO_JS_LINKS:
        page.goto(f"{url}{tree}timeline/")
        page.locator(f"#filters a[data-filter={dimension}][data-value='{value}']").click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == f"/repo/{tree}{path}"
        listed = page.eval_on_selector_all("#axis li.point", "items => items.map(li => li.id)")
        assert sorted(listed) == sorted(wanted(events, **{dimension: value})), path
    page.goto(f"{url}{tree}timeline/")
    page.locator("#filters a[data-filter=country][data-value=LT]").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == f"/repo/{tree}countries/lt/"
    listed = page.eval_on_selector_all("main .events > li.event", "items => items.map(li => li.id)")
    assert sorted(listed) == sorted(wanted(events, country="LT"))
    context.close()
    assert watch.foreign == []


def test_event_page_links_its_neighbours_and_its_year(browser, site, events):
    url, _ = site
    context, page, watch = open_page(browser, url)
    ids = [e["id"] for e in events]
    page.goto(url + "events/2025-09-11-release-52/")
    nav = page.locator("nav.event-nav")
    nav.locator(".next > a").click()
    page.wait_for_load_state()
    # the reading order: a release, then its parts
    assert urlsplit(page.url).path == "/repo/events/2025-09-11-foreigners-14/"
    page.locator("nav.event-nav .previous > a").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/repo/events/2025-09-11-release-52/"
    page.locator("nav.event-nav .year-link a").click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/repo/timeline/2025/"
    assert urlsplit(page.url).fragment == "2025-09-11-release-52"
    assert page.locator("#axis li[id='2025-09-11-release-52']").count() == 1
    page.goto(url + f"en/events/{ids[0]}/")
    assert page.locator("nav.event-nav .previous").count() == 0
    page.goto(url + f"en/events/{ids[-1]}/")
    assert page.locator("nav.event-nav .next").count() == 0
    context.close()
    assert watch.errors == [] and watch.foreign == []


def test_the_404_page_reads_in_each_language(browser, site):
    url, _ = site
    context, page, watch = open_page(browser, url)
    for path in ("no/such/page/", "en/no/such/page/"):
        response = page.goto(url + path)
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Страница не найдена"
        english = page.locator("section.not-found[lang=en]")
        assert english.locator("h2").inner_text() == "Page not found"
        english.locator("a", has_text="Timeline").click()
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/repo/en/timeline/"
    context.close()


SHOTS = [("timeline", "timeline/"), ("timeline-filtered", "timeline/?kind=release&country=LT"),
         ("timeline-newest", "timeline/newest/"),
         ("event", "events/2025-12-13-release-123/")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_screenshots(browser, site, width, scheme):
    """Kept in test-artifacts/screenshots/ for a person to look at; nothing on these pages
    is wider than the viewport."""
    url, _ = site
    folder = Path(ARTIFACTS) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    context, page, watch = open_page(browser, url, viewport={"width": width, "height": 900},
                                     color_scheme=scheme)
    for tree, lang in (("", "ru"), ("en/", "en")):
        for name, path in SHOTS:
            page.goto(url + tree + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (tree, path)
            page.screenshot(path=str(folder / f"{name}-{lang}-{width}-{scheme}.png"),
                            full_page=True)
    context.close()
    assert watch.errors == [] and watch.foreign == []


TOP = "#axis .month > ol.points > li.point"     # the points not drawn inside another


def every_page(page, url: str, selector: str = "#axis li.point, main .events > li.event"
               ) -> list[str]:
    """The events listed on `url` and the other pages of its list, in order."""
    page.goto(url)
    pages = page.evaluate("""() => Array.from(document.querySelector('nav.pager')
      ?.querySelectorAll('a') || []).map(a => a.href)""")
    out = []
    for address in pages or [url]:
        page.goto(address)
        out += page.eval_on_selector_all(selector, "items => items.map(li => li.id)")
    return out


def test_on_a_long_timeline_filters_open_the_pages_that_list_all_their_events(
        browser, tmp_path, monkeypatch):
    """A timeline of several pages holds only some events on each: a filter, clicked or in
    the address, opens the filter's own pages, which list exactly the events of the data;
    newest first lists every event in the reverse order."""
    import sys
    sys.path.insert(0, str(TESTS.parent / "bench"))
    from corpus import write_corpus

    from sitegen.site import timeline
    monkeypatch.setattr(timeline, "PAGE_EVENTS", 25)
    site = write_corpus(tmp_path / "site", 60)
    out = tmp_path / "out"
    files = build(site, base_url="https://user.github.io/repo/", write=False, workers=1).files
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    data = json.loads(files["data/events.json"])["events"]
    assert len(POINT_IDS.findall(files["en/timeline/page/2/index.html"].decode())) == 25
    with serve(out, "/repo/") as url:
        context, page, watch = open_page(browser, url)
        for chosen, path in [({"year": "2025"}, "en/timeline/2025/"),
                             ({"kind": "release"}, "en/timeline/kind/release/"),
                             ({"status": "confirmed"}, "en/timeline/status/confirmed/")]:
            (d, value), = chosen.items()
            page.goto(url + "en/timeline/page/2/")
            page.locator(f"#filters a[data-filter={d}][data-value='{value}']").click()
            page.wait_for_load_state()
            assert urlsplit(page.url).path == "/repo/" + path
            listed = every_page(page, url + path)
            assert listed == wanted(data, **chosen) and listed, chosen
        # a filtered address of the long timeline opens the page of its first filter
        page.goto(url + "en/timeline/page/2/?country=LT")
        page.wait_for_url("**/repo/en/countries/lt/")
        assert page.locator("#filter_status").count() == 0
        listed = every_page(page, url + "en/countries/lt/")
        assert sorted(listed) == sorted(wanted(data, country="LT")) and listed
        page.goto(url + "timeline/?kind=release&year=2024")
        page.wait_for_url("**/repo/timeline/kind/release/")
        # newest first: every event, the releases (with their parts inside) from the last
        oldest = every_page(page, url + "en/timeline/", TOP)
        newest = every_page(page, url + "en/timeline/newest/", TOP)
        assert newest == oldest[::-1]
        # 60 articles, 6 of them parts: 4 drawn inside their release, 2 dated in the month
        # after it and drawn on their own
        assert len(oldest) == 56
        assert sorted(every_page(page, url + "en/timeline/newest/")) == sorted(
            e["id"] for e in data)
        context.close()
    assert watch.errors == [] and watch.foreign == []
