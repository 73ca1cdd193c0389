"""The repository's own site: each event is shown with exactly the sources that support it.

tests/data/event_sources.yaml says, for every event of content/, which sources report it; it
is written from the sourced facts and the source pages, not from the site. Sources are given per
article, so an article whose sources do not all support all its events fails here.
"""
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import yaml

from sitegen.build import build

ROOT = Path(__file__).parent.parent
EXPECTED = Path(__file__).parent / "data" / "event_sources.yaml"


@cache
def built() -> dict[str, bytes]:
    return build(ROOT, write=False, workers=1).files


def events() -> dict[str, dict]:
    import json
    return {e["id"]: e for e in json.loads(built()["data/events.json"])["events"]}


def expected() -> dict[str, list[str]]:
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))


def test_every_event_is_listed_once():
    assert sorted(expected()) == sorted(events())


def test_each_event_has_exactly_its_supporting_sources():
    shown = {eid: sorted(e["sources"]) for eid, e in events().items()}
    wrong = {eid: {"shown": shown[eid], "expected": sorted(urls)}
             for eid, urls in expected().items() if eid in shown and shown[eid] != sorted(urls)}
    assert wrong == {}
    assert all(len(e["sources"]) == len(set(e["sources"])) for e in events().values())


class _Sources(HTMLParser):
    """The <li> items of the ul.sources lists: the link's href and whether a <time> follows."""

    def __init__(self):
        super().__init__()
        self.inside, self.item, self.items = False, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and "sources" in (attrs.get("class") or "").split():
            self.inside = True
        elif self.inside and tag == "li":
            self.item = {"href": None, "date": None}
            self.items.append(self.item)
        elif self.item is not None and tag == "a" and self.item["href"] is None:
            self.item["href"] = attrs.get("href")
        elif self.item is not None and tag == "time":
            self.item["date"] = attrs.get("datetime")

    def handle_endtag(self, tag):
        if tag == "ul":
            self.inside, self.item = False, None


def test_every_source_of_every_event_page_has_a_date():
    files = built()
    for lang_prefix in ("", "en/"):
        for eid, urls in expected().items():
            parser = _Sources()
            parser.feed(files[f"{lang_prefix}events/{eid}/index.html"].decode("utf-8"))
            assert sorted(i["href"] for i in parser.items) == sorted(urls), (lang_prefix, eid)
            undated = [i["href"] for i in parser.items if not i["date"]]
            assert undated == [], (lang_prefix, eid)
