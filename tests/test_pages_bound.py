"""No HTML page grows past 1 MB, however many events: the long lists (the timeline, its
pages per year, kind, status and mechanism, each country's events, the ledger's rows) are
split into pages of at most PAGE_EVENTS events and PAGE_BYTES estimated bytes.

The fast tests use the bench's generated corpus with small pages, so that every list is
split, and prove the bound: the list part of a page is never larger than the estimate
(`timeline.weight`) it was split by, and the rest of a page leaves the margin. The slow
test builds 20,000 articles and measures every page."""
from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.site import timeline
from sitegen.site.views import make_views

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402

MB = 1024 * 1024
POINT = re.compile(r'<li id="([a-z0-9-]+)" class="event event-\w+ point ')
ITEM = re.compile(r'<li id="([a-z0-9-]+)" class="event ')


def built(tmp_path, n: int, **options):
    site = write_corpus(tmp_path / "site", n)
    result = build(site, write=False, workers=1, **options)
    return result, make_views(result.config, result.site, result.ledger)


def pages_of(files: dict, base: str) -> list[str]:
    """base, base/page/2/ ... as built, in order."""
    out = [base + "index.html"]
    while f"{base}page/{len(out) + 1}/index.html" in files:
        out.append(f"{base}page/{len(out) + 1}/index.html")
    return out


def listed(html: str, pattern=POINT) -> list[str]:
    return pattern.findall(html)


def region(html: str, start: str, end: str) -> int:
    """Bytes of the page from `start` to `end` (the list a page was split for)."""
    data = html.encode("utf-8")
    a = data.index(start.encode())
    return data.index(end.encode(), a) - a


@pytest.fixture(scope="module")
def small_pages(tmp_path_factory):
    """120 articles (one release each, every 10th a part of the one before), 25 a page."""
    saved = timeline.PAGE_EVENTS
    timeline.PAGE_EVENTS = 25
    try:
        result, views = built(tmp_path_factory.mktemp("small"), 120)
    finally:
        timeline.PAGE_EVENTS = saved
    return {k: v.decode("utf-8") for k, v in result.files.items() if k.endswith(".html")}, views


@pytest.mark.parametrize("tree", ["", "en/"])
def test_every_long_list_is_split_and_lists_each_event_once_in_order(small_pages, tree):
    files, views = small_pages
    every = [v.id for v in views.events]
    assert len(every) == 120
    by_year = {y: [v.id for v in views.events if v.event.date.year == y] for y in views.years}
    assert views.years == (2024, 2025) and len(by_year[2024]) == 63
    releases = [v.id for v in views.events if v.event.kind == "release"]
    for base, expected, pattern in [
            ("timeline/", every, POINT), ("timeline/2024/", by_year[2024], POINT),
            ("timeline/2025/", by_year[2025], POINT), ("timeline/kind/release/", releases, POINT),
            ("countries/by/", [v.id for v in views.country("BY").events], ITEM)]:
        pages = pages_of(files, tree + base)
        assert len(pages) == math.ceil(len(expected) / 25), base
        seen = [i for p in pages for i in listed(files[p], pattern)]
        assert seen == expected, base
        for k, page in enumerate(pages, 1):
            html = files[page]
            # each page links every page of its list, itself marked as the current one
            for j, other in enumerate(pages, 1):
                href = f'href="/releases/{other.removesuffix("index.html")}"'
                assert (href + ' aria-current="page"' in html) == (j == k), (page, other)
                assert href in html
    ledger = pages_of(files, tree + "ledger/")
    rows = [i for p in ledger for i in re.findall(r'<tr id="([a-z0-9-]+)"', files[p])]
    assert rows == [v.id for v in views.ledger_tree()] and len(ledger) == 5


def test_an_event_page_links_the_page_of_its_year_that_lists_it(small_pages):
    files, views = small_pages
    for v in views.events:
        html = files[f"events/{v.id}/index.html"]
        target = re.search(r'<li class="year-link"><a href="/releases/([^"#]*)#([^"]+)"', html)
        assert target[2] == v.id
        assert target[1].startswith(f"timeline/{v.event.date.year}/")
        assert v.id in listed(files[target[1] + "index.html"])


LISTS = [("timeline/", '<div class="axis"', POINT), ("timeline/2024/", '<div class="axis"', POINT),
         ("timeline/2025/", '<div class="axis"', POINT),
         ("timeline/status/confirmed/", '<div class="axis"', POINT),
         ("countries/by/", '<ul class="events">', ITEM), ("countries/lt/", '<ul class="events">', ITEM),
         ("ledger/", "<tbody>", re.compile(r'<tr id="([a-z0-9-]+)"'))]
BASE = len("/releases/en/")     # the longest start of a link in the corpus


def test_a_list_is_never_larger_than_its_estimate(small_pages):
    """The split's estimate (`weight`) bounds each page's list from above, so a list of at
    most PAGE_BYTES estimated bytes is at most PAGE_BYTES; the rest of the page is far
    below the 1 MB - PAGE_BYTES left to it (a fifth of it at most)."""
    files, views = small_pages
    checked = 0
    for tree in ("", "en/"):
        for base, start, pattern in LISTS:
            for name in pages_of(files, tree + base):
                html = files[name]
                ids = listed(html, pattern)
                size = region(html, start, "</tbody>" if start == "<tbody>" else "</main>")
                assert size <= sum(timeline.weight(views.by_id[i], BASE) for i in ids), name
                assert len(html.encode()) - size <= (MB - timeline.PAGE_BYTES) // 5, name
                checked += 1
    assert checked == 2 * (5 + 3 + 3 + 5 + 5 + 2 + 5)


def test_long_titles_make_shorter_pages(tmp_path, monkeypatch):
    """The split counts bytes, not only events: titles of 180 characters (the most a title
    may have is 200) that escape to more (&, <, ") leave fewer events to a page of 30 KB,
    as they would to a page of 1 MB were titles as long as that."""
    monkeypatch.setattr(timeline, "PAGE_BYTES", 30_000)
    site = write_corpus(tmp_path / "site", 30)
    for i, path in enumerate(sorted((site / "content").rglob("*.md"))):
        text = path.read_text(encoding="utf-8")
        long = ("Освобождение & <«" + '"' * 3) * 9
        path.write_text(re.sub(r"(?m)^title: .*$", f"title: '{long} {i}'", text, count=1),
                        encoding="utf-8")
    result = build(site, write=False, workers=1)
    pages = pages_of(result.files, "timeline/")
    sizes = [len(result.files[p]) for p in pages]
    counts = [len(listed(result.files[p].decode())) for p in pages]
    # a title escapes to about 470 bytes (and a part names its release's too): 10 to a page
    # whose list is estimated within PAGE_BYTES, not PAGE_EVENTS
    assert counts == [10, 10, 10], sizes
    assert max(sizes) <= MB


# a page of one event or article shows that item alone (its parts, its articles, its
# neighbours' titles): its size does not grow with the site, so one in SAMPLE is made
SAMPLE = 50


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The pages of a 20,000-article site by their size: every page that lists events (home,
    the timeline in both orders and its years and filters, the countries, the ledger) and
    one in SAMPLE of the event and article pages, each rendered as a build renders it (the
    site parsed by two processes; search off: Pagefind's index is not an HTML page). Each
    article's body is one sentence: no page that lists events shows a body, and an article
    page, which does, is as large in a site of one article. Made under the build's own
    policy for the cyclic collector (which would otherwise pass over the site's millions of
    objects again and again, finding nothing: a third of the time)."""
    import shutil
    from sitegen.build import _few_collections
    folder = tmp_path_factory.mktemp("large")
    with _few_collections():
        sizes = _large_site_page_sizes(folder / "site")
    shutil.rmtree(folder)     # 20,000 files, in memory where the scratch space is a tmpfs
    return sizes


def _large_site_page_sizes(folder) -> dict[str, int]:
    import dataclasses
    from sitegen.build import Stages, _versions
    from sitegen.loading import load_site
    from sitegen.content.config import load_config
    from sitegen.content.theme import read_theme
    from sitegen.site.render import Renderer
    from sitegen.site.routes import routes
    root = write_corpus(folder, 20_000, bodies=False)
    config = dataclasses.replace(load_config(root), search=False)
    site, problems = load_site(config, workers=2)
    theme, _ = read_theme(config)
    stages = Stages(config, site, drafts=False)
    assert not [p for p in problems + stages.problems if p.severity == "error"]
    items = [(lang, route) for lang in config.languages
             for route in routes(stages.views, lang, site.bodies, stages.shared)]
    renderer = Renderer(stages.views, theme, _versions(config, items))
    sizes, single = {}, 0
    for lang, route in items:
        if route.template in ("event.html", "article.html"):
            single += 1
            if single % SAMPLE:
                continue
        sizes[renderer.trees[lang].prefix + route.file] = len(renderer.render(lang, route))
    # 20,000 event pages in each language and 20,000 article pages (all in Russian)
    assert single == 3 * 20_000
    return sizes


@pytest.mark.slow
def test_no_page_exceeds_1_mb_at_20000_articles(large):
    sizes = {name: size for name, size in large.items()
             if name not in ("index.html", "en/index.html")}
    made = [name for name in sizes if name.startswith(("events/", "en/events/", "articles/"))]
    assert len(made) == 3 * 20_000 // SAMPLE
    too_large = {name: size for name, size in sizes.items() if size > MB}
    assert too_large == {}
    assert len(pages_of(large, "timeline/")) == math.ceil(20_000 / timeline.PAGE_EVENTS)
    assert len(pages_of(large, "timeline/newest/")) == len(pages_of(large, "timeline/"))


@pytest.mark.slow
def test_the_home_page_stays_under_1_mb_at_20000_articles(large):
    assert max(large["index.html"], large["en/index.html"]) <= MB
