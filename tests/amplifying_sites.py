"""Sites of 1 MiB of content shaped to make the most output: the reproductions of issue
20's "bounded work for bounded input" (no content of 1 MiB makes more than 100 MB of output
or takes more than 10 s to build).

    python -m tests.amplifying_sites events /tmp/events    # then: sitegen build --root /tmp/events

Each shape fills SIZE bytes of content files, or as many as a site may have (every file
valid: `sitegen check` passes; at most config.MAX_EVENTS events and MAX_ARTICLES articles),
with what one of the site's multipliers repeats most:

- events: the smallest events there can be, 100 an article (a page per event and language,
  and an item in every list it is on);
- caps: releases at every cap (100 an article, 20 sources, each event naming 30 parties
  and 30 citizenships: an item on the page of each of its countries);
- titles: articles of 100 untitled events and the longest title allowed (an event without
  a title is shown by its article's, in every list it is on);
- sources: articles of 100 events and 20 sources of the longest URL allowed (an event's
  page shows every source of the articles covering it);
- articles: the smallest articles there can be, one event each (an article page, a feed
  entry, an item on the home page's and the event's lists);
- menu: free pages at their cap, of the longest title (each in the menu of every page of
  its language), and the smallest events in the rest;
- worst: all of these at once: the menu, and articles of 100 releases at every cap, with
  the longest title and 20 of the longest addresses, written with characters that HTML
  escapes to five bytes (`&`).
"""
from __future__ import annotations

import sys
from pathlib import Path

SIZE = 1024 * 1024
LANGUAGES = ("ru", "en")        # the site's own (pyproject.toml): two trees of pages
SHAPES = ("events", "caps", "titles", "sources", "articles", "menu", "worst")


def pyproject(templates: Path, languages=LANGUAGES) -> str:
    return ('[tool.sitegen]\ntitle = "Test"\nbase_url = "https://example.org/"\n'
            f'languages = {list(languages)!r}\nreleasing_country = "BY"\n'
            f'templates_dir = "{templates.as_posix()}"\n').replace("'", '"')


def _codes() -> list[str]:
    from sitegen.content.countries import country_codes
    return sorted(country_codes())


def _limits() -> tuple[int, int, int, int, int]:
    from sitegen.content import fields, parse
    return (parse.MAX_EVENTS, parse.MAX_SOURCES, parse.MAX_COUNTRIES, parse.MAX_LINE,
            fields.MAX_URL)


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


def files(shape: str, size: int = SIZE) -> dict[str, str]:
    """Content files (path -> text) of `shape`, at most `size` bytes in all."""
    max_events, max_sources, max_countries, max_title, max_url = _limits()
    made: dict[str, str] = _menu() if shape in ("menu", "worst") else {}
    used, n = sum(len(t.encode()) for t in made.values()), 0

    def article(k: int) -> tuple[str, str]:
        ids = range(k * max_events, (k + 1) * max_events)
        if shape in ("events", "menu"):
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids])
        if shape in ("caps", "worst"):
            codes = _codes()
            parties = "[" + ",".join(codes[:max_countries]) + "]"
            citizens = "{" + ",".join(f"{c}: 1" for c in codes[-max_countries:]) + "}"
            url = "http://a.b/" if shape == "caps" else \
                "http://a.b/?" + "&" * (max_url - 14)
            sources = "[" + ",".join(f"{{url: '{url}{j}', publisher: P}}"
                                     for j in range(max_sources)) + "]"
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025-01-01,kind: release,status: confirmed,"
                    f"released: {max_countries + i},countries: {parties},"
                    f"citizenship: {citizens}}}" for i in ids], sources=sources,
                title="T" if shape == "caps" else "'" + "&" * max_title + "'")
        if shape == "titles":
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids],
                title="T" * max_title)
        if shape == "sources":
            url = "http://a.b/" + "x" * (max_url - 13)
            sources = "[" + ",".join(f"{{url: '{url}{j}', publisher: P}}"
                                     for j in range(max_sources)) + "]"
            return f"content/articles/{k}.md", _article(
                k, [f"{{id: {_uid(i)},date: 2025,kind: statement}}" for i in ids],
                sources=sources)
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
