"""Model values built by hand, without files or a build: what the pure stages take in.

`site_of` reads front matter written as Python dicts (the shape tests write files in, see
conftest.front_matter_text) straight into the model, as parse.py would for valid content:
counts as Interval (5, {at_least: 5}, {min: 2, max: 9}), dates as PartialDate, `from` of
a release the releasing country when not given (CONFIG's BY), each article at content/articles/<slug>.md, its i-th event (from 1) at line i + 1.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sitegen.content.config import Config
from sitegen.content.model import (Article, Event, EventRef, Interval, PartialDate, Position, Site,
                                   Source)
from sitegen.content.parse import parse_article
from sitegen.content.source import read_source

ROOT = Path("/site")
CONFIG = Config(root=ROOT, title=(("en", "Test"), ("ru", "Тест")), base_url="https://example.org/",
                languages=("en", "ru"), releasing_country="BY", cname=None,
                content_dir=ROOT / "content", templates_dir=ROOT / "templates",
                output_dir=ROOT / "output")


def count(value) -> Interval:
    if isinstance(value, int):
        return Interval.exact(value)
    if "at_least" in value:
        return Interval(value["at_least"], None)
    return Interval(value["min"], value["max"])


def partial_date(value: str | int) -> PartialDate:
    return PartialDate(*(int(part) for part in str(value).split("-")))


def event(front: dict, article: str = "a", line: int = 2) -> Event:
    """An event from its front matter, declared in `article` at `line`."""
    at = Position(f"content/articles/{article}.md", line, 5)
    released = front.get("released")
    return Event(
        id=front["id"], date=partial_date(front["date"]), kind=front["kind"], article=article,
        status=front.get("status"), released=None if released is None else count(released),
        citizenship=tuple(sorted((c, count(n)) for c, n in front.get("citizenship", {}).items())),
        from_country=front.get("from", CONFIG.releasing_country if front["kind"] == "release"
                               else None),
        destination=front.get("destination"),
        part_of=front.get("part_of"), distinct_from=tuple(front.get("distinct_from", ())),
        pos=at)


def article(slug: str, front: dict) -> Article:
    path = f"content/articles/{slug}.md"
    events, refs = [], []
    for line, item in enumerate(front.get("events", ()), 2):
        if "ref" in item:
            refs.append(EventRef(item["ref"], slug, Position(path, line, 5)))
        else:
            events.append(event(item, slug, line))
    day = dt.date.fromisoformat(str(front["date"]))
    return Article(
        slug=slug, path=path, title=front["title"], date=day, published=str(front["date"]),
        lang=front.get("lang", "en"),
        sources=tuple(Source(s["url"], s["publisher"]) for s in front.get("sources", ())),
        body_line=1, draft=front.get("draft", False),
        translation_key=front.get("translation_key"), events=tuple(events), refs=tuple(refs),
        pos=Position(path, 1, 1))


def site_of(articles: dict[str, dict]) -> Site:
    """A Site of the articles {slug: front matter}, in slug order (as files are read)."""
    return Site(tuple(article(slug, front) for slug, front in sorted(articles.items())))


def parse(path: str, text: str | bytes) -> tuple[Article | None, str, list]:
    """parse.py on one article made in memory (path relative to the site root): the Article,
    its body as HTML and the problems found in it."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    src = read_source(ROOT, "articles", ROOT / path, True, data)
    return parse_article(src, CONFIG)
