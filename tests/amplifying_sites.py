"""Sites of 1 MiB of content shaped to make the most output: the reproductions of issue
20's "bounded work for bounded input" (no content of 1 MiB makes more than 100 MB of output
or takes more than 10 s to build).

    python -m tests.amplifying_sites events /tmp/events    # then: sitegen build --root /tmp/events

Each shape fills SIZE bytes of content files, or as many as a site may have (every file
valid: `sitegen check` passes; at most config.MAX_EVENTS events and MAX_ARTICLES articles),
with what one of the site's multipliers repeats most:

- events: the smallest events there can be, 20 an article (a page per event and language,
  and an item in every list it is on);
- caps: releases at every cap: 20 an article, each naming as many countries as an event may
  (bounds.MAX_NAMED: an item on the page of each), and the sources an article may show on
  its events' pages (parse.MAX_SOURCES_SHOWN: one source on each of 20 events);
- titles: articles of 20 untitled events and the longest title allowed, written with `&`,
  which HTML escapes to five bytes (an untitled event is shown by its article's title);
- sources: one article declaring 20 events and every other one referencing them all, with
  a source of the longest address, title and publisher, of `&` (an event's page shows
  every source of every article covering it);
- articles: the smallest articles there can be, one event each (an article page, a feed
  entry, an item on the home page's and the event's lists);
- menu: free pages at their cap, of the longest title (each in the menu of every page of
  its language), and the smallest events in the rest;
- worst: all of these at once: the menu, and articles of releases at every cap, with the
  longest title and a source of the longest address, title and publisher, all of `&`;
- parts: as worst, each release part of the one before it (a part's item names the
  release it is counted in, wherever it is listed).
"""
from __future__ import annotations

import sys
from pathlib import Path

SIZE = 1024 * 1024
LANGUAGES = ("ru", "en")        # the site's own (pyproject.toml): two trees of pages
SHAPES = ("events", "caps", "titles", "sources", "articles", "menu", "worst", "parts")


def pyproject(templates: Path, languages=LANGUAGES) -> str:
    return ('[tool.sitegen]\ntitle = "Test"\nbase_url = "https://example.org/"\n'
            f'languages = {list(languages)!r}\nreleasing_country = "BY"\n'
            f'templates_dir = "{templates.as_posix()}"\n').replace("'", '"')


def _codes() -> list[str]:
    from sitegen.content.countries import country_codes
    return sorted(country_codes())


def _limits() -> tuple[int, int, int, int, int, int]:
    from sitegen.content import bounds, fields, parse
    return (parse.MAX_EVENTS, parse.MAX_SOURCES_SHOWN, parse.MAX_COUNTRIES, bounds.MAX_NAMED,
            parse.MAX_LINE, fields.MAX_URL)


def _menu() -> dict[str, str]:
    """Free pages at their cap in every language, each titled with the longest label (in
    Cyrillic: two bytes a letter in every page's menu)."""
    from sitegen.content import checks, parse
    return {f"content/pages/p{i}{'' if lang == LANGUAGES[0] else '.' + lang}.md":
            f"---\ntitle: {'Щ' * parse.MAX_MENU_TITLE}\n---\n"
            for lang in LANGUAGES for i in range(checks.MAX_PAGES)}


def _article(n: int, events: list[str], title: str = "T",
             sources: str = "[{url: 'http://a.b', publisher: P}]") -> str:
    return (f"---\ntitle: {title}\ndate: 2025-01-01\nsources: {sources}\n"
            "events: [" + ",".join(events) + "]\n---\n")


def _uid(i: int) -> str:
    """A short event id of its own for each i (base 36)."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        i, r = divmod(i, 36)
        out = digits[r] + out
        if not i:
            return "e" + out


def _release(i: int, named: int, max_countries: int, chain: bool = False) -> str:
    """A release naming `named` countries in all: Belarus (`from`, by default), then as
    many citizenships as an event may have, then parties. `chain`: each release but the
    first part of the one before it (a part's item names its release: more titles)."""
    codes = [c for c in _codes() if c != "BY"][:named - 1]
    citizens = "{" + ",".join(f"{c}: 1" for c in codes[:max_countries]) + "}"
    parties = "[" + ",".join(codes[max_countries:]) + "]"
    link = f"part_of: {_uid(i - 1)}" if chain and i else "status: confirmed"
    return (f"{{id: {_uid(i)},date: 2025-01-01,kind: release,{link},"
            f"released: {named + (0 if chain else i)},countries: {parties},"
            f"citizenship: {citizens}}}")


def files(shape: str, size: int = SIZE) -> dict[str, str]:
    """Content files (path -> text) of `shape`, at most `size` bytes in all."""
    max_events, max_shown, max_countries, max_named, max_title, max_url = _limits()
    made: dict[str, str] = _menu() if shape in ("menu", "worst", "parts") else {}
    used, n = sum(len(t.encode()) for t in made.values()), 0
    amps = "'" + "&" * max_title + "'"       # five bytes a character once HTML-escaped

    def sources(k: int, count: int, url: str, title: str = "", publisher: str = "P") -> str:
        """`count` sources of article k, each of an address of its own (the same address
        twice is one source on an event's page)."""
        return "[" + ",".join(f"{{url: '{url}{k * max_shown + j:06d}', publisher: {publisher}"
                              f"{title}}}" for j in range(count)) + "]"

    def article(k: int) -> tuple[str, str]:
        ids = range(k * max_events, (k + 1) * max_events)
        if shape in ("events", "menu"):
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids])
        if shape in ("caps", "worst", "parts"):
            if shape == "caps":
                url, title, publisher, headline = "http://a.b/", "", "P", "T"
            else:
                url = "http://a.b/?" + "&" * (max_url - 18)
                title, publisher, headline = f", title: {amps}", amps, amps
            return f"content/articles/{k}.md", _article(
                k, [_release(i, max_named, max_countries, shape == "parts") for i in ids],
                sources=sources(k, max_shown // max_events, url, title, publisher), title=headline)
        if shape == "titles":
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids], title=amps)
        if shape == "sources":
            # the first article declares the events, every other one references them all
            url = "http://a.b/?" + "&" * (max_url - 18)
            events = ([f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in range(max_events)]
                      if k == 0 else [f"{{ref: {_uid(i)}}}" for i in range(max_events)])
            return f"content/articles/{k}.md", _article(
                k, events, sources=sources(k, max_shown // max_events, url, f", title: {amps}", amps))
        if shape == "articles":
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(k)},date: 2025,kind: statement}}"])
        raise ValueError(shape)
    from sitegen.content.config import MAX_ARTICLES, MAX_EVENTS
    events = 0
    while True:
        path, text = article(n)
        cost = len(text.encode("utf-8"))
        events += text.count("{id:")
        # within the bounds of a site that says none (more is an error, nothing built)
        if used + cost > size or events > MAX_EVENTS or n >= MAX_ARTICLES:
            return made
        made[path] = text
        used += cost
        n += 1


def write_site(shape: str, dest: Path, templates: Path, size: int = SIZE) -> int:
    """The site into dest; returns the bytes of content written."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "pyproject.toml").write_text(pyproject(templates), encoding="utf-8")
    written = 0
    for name, text in files(shape, size).items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += path.stat().st_size
    return written


if __name__ == "__main__":
    shape, folder = sys.argv[1], Path(sys.argv[2])
    theme = Path(__file__).parent.parent / "templates"
    print(f"{write_site(shape, folder, theme)} bytes written under {folder}")
