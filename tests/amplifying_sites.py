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
  the longest title and a source of the longest address, title and publisher, all of `&`
  (an event's page shows every source of every article covering it, and its title);
- articles: the smallest articles there can be, one event each (an article page, a feed
  entry, an item on the home page's and the event's lists);
- menu: free pages at their cap, of the longest title (each in the menu of every page of
  its language), and the smallest events in the rest;
- parts: the menu, and articles of releases at every cap, each part of the one before it
  (a part's item names the release it is counted in, wherever it is listed), with the
  longest title and a source of the longest address, title and publisher, all of `&`;
- worst: all of these at once: parts while a site may have more events, then articles as
  in sources while it may have more articles, and what is left of SIZE as their bodies,
  of `&`.
"""
from __future__ import annotations

import sys
from pathlib import Path

SIZE = 1024 * 1024
LANGUAGES = ("ru", "en")        # the site's own (pyproject.toml): two trees of pages
SHAPES = ("events", "caps", "titles", "sources", "articles", "menu", "parts", "worst")


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
    from sitegen.content.config import MAX_ARTICLES, MAX_EVENTS
    max_events, max_shown, max_countries, max_named, max_title, max_url = _limits()
    made: dict[str, str] = _menu() if shape in ("menu", "worst", "parts") else {}
    used, n = sum(len(t.encode()) for t in made.values()), 0
    amps = "'" + "&" * max_title + "'"       # five bytes a character once HTML-escaped

    def sources(k: int, count: int, url: str, title: str = "", publisher: str = "P") -> str:
        """`count` sources of article k, each of an address of its own (the same address
        twice is one source on an event's page)."""
        return "[" + ",".join(f"{{url: '{url}{k * max_shown + j:06d}', publisher: {publisher}"
                              f"{title}}}" for j in range(count)) + "]"

    def referring(k: int, headline: str = "T") -> tuple[str, str]:
        """An article that references the first 20 events, with a source of the longest
        address, title and publisher, of `&` (an event's page shows every source of every
        article covering it)."""
        url = "http://a.b/?" + "&" * (max_url - 18)
        return f"content/articles/{k}.md", _article(
            k, [f"{{ref: {_uid(i)}}}" for i in range(max_events)], title=headline,
            sources=sources(k, max_shown // max_events, url, f", title: {amps}", amps))

    def article(k: int) -> tuple[str, str]:
        ids = range(k * max_events, (k + 1) * max_events)
        if shape == "worst" and (k + 1) * max_events > MAX_EVENTS:
            return referring(k, amps)
        if shape in ("events", "menu"):
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids])
        if shape in ("caps", "parts", "worst"):
            if shape == "caps":
                url, title, publisher, headline = "http://a.b/", "", "P", "T"
            else:
                url = "http://a.b/?" + "&" * (max_url - 18)
                title, publisher, headline = f", title: {amps}", amps, amps
            return f"content/articles/{k}.md", _article(
                k, [_release(i, max_named, max_countries, shape != "caps") for i in ids],
                sources=sources(k, max_shown // max_events, url, title, publisher), title=headline)
        if shape == "titles":
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids], title=amps)
        if shape == "sources":
            # the first article declares the events, every other one references them all
            if k:
                return referring(k, amps)
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids])
        if shape == "articles":
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(k)},date: 2025,kind: statement}}"])
        raise ValueError(shape)
    events = 0
    while True:
        path, text = article(n)
        cost = len(text.encode("utf-8"))
        events += text.count("{id:")
        # within the bounds of a site that says none (more is an error, nothing built)
        if used + cost > size or events > MAX_EVENTS or n >= MAX_ARTICLES:
            return _bodies(made, size - used) if shape == "worst" else made
        made[path] = text
        used += cost
        n += 1


def _bodies(made: dict[str, str], left: int) -> dict[str, str]:
    """What the bounds on events and articles leave of SIZE, as bodies of `&` (one
    paragraph each: the article's summary too, on its page and in the feed), the last
    articles first, each within the bound on a body."""
    from sitegen.content.source import MAX_BODY_CHARS
    for name in sorted(made, reverse=True):
        if left <= 0:
            break
        if name.startswith("content/articles/"):
            body = "&" * min(left - 1, MAX_BODY_CHARS - 1)
            made[name] += body + "\n"
            left -= len(body) + 1
    return made


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
