"""What the lists repeat of one event or article, kept short (issue 20: no 1 MiB of content
makes more than 100 MB): a link to an event shows at most 100 characters of its title, an
event page names a source by its title or publisher (each cut at 100), a part's item names
its root only, and the home page lists at most 30 events. Each event's own page and each
article's own page show the whole texts."""
from __future__ import annotations

import re

from sitegen.build import build

from .conftest import make_site

LONG = "Ж" * 150            # a title within the cap (200) and over what a link shows
CUT = "Ж" * 99 + "…"


def built(tmp_path, articles: dict[str, str]) -> dict[str, str]:
    root = make_site(tmp_path / "site", {f"content/articles/{name}.md": text
                                         for name, text in articles.items()})
    return {name: data.decode() for name, data in
            build(root, write=False, workers=1, search=False).files.items()
            if name.endswith(".html")}


def article(events: str, title: str = "A", sources: str =
            "  - {url: 'https://a.test/1', publisher: Agency}\n") -> str:
    return (f"---\ntitle: {title}\ndate: 2025-03-01\nsources:\n{sources}events:\n{events}"
            "---\nBody.\n")


def test_a_link_to_an_event_shows_at_most_100_characters_of_its_title(tmp_path):
    pages = built(tmp_path, {"a": article(
        f"  - {{id: e-1, date: 2025-03-01, kind: release, status: confirmed, released: 3,"
        f" citizenship: {{LT: 3}}, title: {LONG}}}\n"
        "  - {id: e-2, date: 2025-03-02, kind: statement}\n")})
    link = f'<a href="/events/e-1/">{CUT}</a>'
    for page in ("countries/lt/index.html", "timeline/index.html", "index.html",
                 "ledger/index.html", "events/e-2/index.html"):
        assert link in pages[page], page
        assert LONG not in pages[page], page
    own = pages["events/e-1/index.html"]
    assert f"<h1>{LONG}</h1>" in own and f"<title>{LONG} — Test</title>" in own


def test_an_event_page_names_a_source_by_its_title_or_publisher(tmp_path):
    sources = (f"  - {{url: 'https://a.test/{'x' * 80}', publisher: Agency}}\n"
               f"  - {{url: 'https://b.test/2', publisher: {LONG}, title: {LONG}}}\n")
    pages = built(tmp_path, {"a": article(
        "  - {id: e-1, date: 2025-03-01, kind: statement}\n", sources=sources)})
    listed = re.findall(r'<ul class="sources">\n(.*?)</ul>', pages["events/e-1/index.html"],
                        re.S)[0].splitlines()
    assert listed == [
        f'<li><a href="https://a.test/{"x" * 80}" rel="noopener noreferrer">Agency</a></li>',
        f'<li><a href="https://b.test/2" rel="noopener noreferrer">{CUT}</a> — {CUT}</li>']
    # the article's own page shows them whole
    assert f">{LONG}</a> — {LONG}</li>" in pages["articles/a/index.html"]


def test_a_part_names_its_root_only_and_by_date_where_it_is_under_it(tmp_path):
    pages = built(tmp_path, {"a": article(
        "  - {id: r, date: 2025-03-01, kind: release, status: confirmed, released: 9,"
        " title: Root}\n"
        "  - {id: p, date: 2025-03-01, kind: release, part_of: r, released: 5, title: Part}\n"
        "  - {id: q, date: 2025-03-01, kind: release, part_of: p, released: 2, title: Sub}\n")})
    timeline = pages["timeline/index.html"]
    # the timeline's items: the root named by its title, not the release between
    item = re.search(r'<li id="q".*?</li>', timeline, re.S)[0]
    assert ('<span class="part-of">Part of “<a href="/events/r/">Root</a>”, not counted '
            'separately.</span>') in item
    assert 'href="/events/p/"' not in item
    # set under the release it is part of (the home page's list): the root by its date
    home = re.search(r'<li id="q".*?</li>', pages["index.html"], re.S)[0]
    assert ('<span class="part-of">Part of the release of <a href="/events/r/">March 1, '
            '2025</a>, not counted separately.</span>') in home
    # the part's own page names both, whole
    assert ('Part of “<a href="/events/p/">Part</a>”, within “<a href="/events/r/">Root</a>”;'
            ' not counted separately.') in pages["events/q/index.html"]


def test_the_home_page_lists_at_most_30_events(tmp_path):
    parts = "".join(f"  - {{id: p{i:02d}, date: 2025-03-01, kind: release, part_of: r,"
                    f" released: 1}}\n" for i in range(19))
    pages = built(tmp_path, {
        "a": article("  - {id: r, date: 2025-03-01, kind: release, status: confirmed,"
                     " released: 40}\n" + parts),
        "b": article(parts.replace("{id: p", "{id: s").replace("part_of: r", "part_of: r2")
                     .replace("2025-03-01", "2025-03-02")
                     + "  - {id: r2, date: 2025-03-02, kind: release, status: confirmed,"
                     " released: 40}\n")})
    latest = pages["index.html"].split('id="latest_title"')[1]
    ids = re.findall(r'<li id="([a-z0-9-]+)"', latest)
    # the newest release and its 19 parts, then the other and the first 9 of its parts
    assert ids == ["r2", *(f"s{i:02d}" for i in range(19)), "r", *(f"p{i:02d}" for i in range(9))]


def test_a_country_intro_is_on_the_first_page_of_its_list_only(tmp_path, monkeypatch):
    """An intro may be 65,536 characters: on each page of a long list of events it was
    repeated as many times as the list has pages."""
    from sitegen.site import timeline
    monkeypatch.setattr(timeline, "PAGE_EVENTS", 2)
    root = make_site(tmp_path / "site", {
        "content/articles/a.md": article("".join(
            f"  - {{id: e-{i}, date: 2025-03-0{i}, kind: statement, countries: [LT]}}\n"
            for i in range(1, 6))),
        "content/countries/lt.md": "Lithuania took in many of those driven out.\n"})
    pages = {name: data.decode() for name, data in
             build(root, write=False, workers=1, search=False).files.items()}
    listed = sorted(n for n in pages if n.startswith("countries/lt/"))
    assert listed == ["countries/lt/index.html", "countries/lt/page/2/index.html",
                      "countries/lt/page/3/index.html"]
    assert [pages[n].count("Lithuania took in") for n in listed] == [1, 0, 0]
