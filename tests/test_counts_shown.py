"""The contract's "How counts are shown": on every page of a site with parts nested three
levels deep, referenced from other articles, in two languages, no part is listed without the
release it is counted in named and linked beside it; figures are labelled by their kind."""
from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

import pytest

from sitegen.build import build

from .conftest import THEME, make_site

PYPROJECT = f"""\
[tool.sitegen]
title = {{ ru = "Освобождения", en = "Releases" }}
base_url = "https://example.org/site/"
languages = ["ru", "en"]
releasing_country = "BY"
templates_dir = "{THEME.as_posix()}"
"""

# root 250 -> 15 to Lithuania -> 5 journalists -> 2 of them from one newsroom; a second root
# whose part has a later date; a statement and a snapshot
ARTICLES = {
    "2026/2026-03-19-release-250.md": """\
        title: Освобождены 250 человек
        date: 2026-03-19
        lang: ru
        translation_key: release-250
        sources: [{url: "https://reports.test/a", publisher: Example}]
        events:
          - id: 2026-03-19-release-250
            date: 2026-03-19
            kind: release
            status: confirmed
            released: 250
            title: {ru: Освобождение 250 человек, en: 250 people freed}
            citizenship: {BY: 200}
            note:
              ru: 235 человек освобождены в Беларуси.
              en: 235 were freed inside Belarus.
          - id: 2026-03-19-stayed
            date: 2026-03-19
            kind: release
            part_of: 2026-03-19-release-250
            released: 235
            destination: BY
            title: {ru: 235 человек остались в Беларуси, en: 235 stayed in Belarus}
          - id: 2026-03-19-to-lithuania
            date: 2026-03-19
            kind: release
            part_of: 2026-03-19-release-250
            released: 15
            destination: LT
            title: {ru: 15 человек вывезены в Литву, en: 15 taken to Lithuania}
          - id: 2026-03-19-journalists
            date: 2026-03-19
            kind: release
            part_of: 2026-03-19-to-lithuania
            released: 5
            title: {ru: Пять журналистов, en: Five journalists}
          - id: 2026-03-19-newsroom
            date: 2026-03-19
            kind: release
            part_of: 2026-03-19-journalists
            released: 2
            citizenship: {PL: 1}
            title: {ru: Двое из одной редакции, en: Two from one newsroom}
            names:
              ru: [Игорь Лосик, Мария Колесникова]
          - id: 2026-03-statement
            date: 2026-03
            kind: statement
            people: 350
            countries: [US, EE, DE]
          - id: 2026-03-20-held
            date: 2026-03-20
            kind: snapshot
            held: 1140
        """,
    "2026/2026-03-19-freed-250.md": """\
        title: 250 people freed
        date: 2026-03-19
        lang: en
        translation_key: release-250
        sources: [{url: "https://reports.test/b", publisher: Example}]
        events:
          - ref: 2026-03-19-release-250
        """,
    "2026/2026-03-21-journalists.md": """\
        title: The journalists among them
        date: 2026-03-21
        lang: en
        sources: [{url: "https://reports.test/c", publisher: Example}]
        events:
          - ref: 2026-03-19-journalists
          - ref: 2026-03-19-newsroom
          - ref: 2026-03-19-to-lithuania
          - id: 2026-03-22-talks
            date: 2026-03-22
            kind: negotiation
            title: Talks resume
            note: Said to concern more people.
        """,
    "2025/2025-09-11-release-52.md": """\
        title: Освобождены 52 человека
        date: 2025-09-11
        lang: ru
        sources: [{url: "https://reports.test/d", publisher: Example}]
        events:
          - id: 2025-09-11-release-52
            date: 2025-09-11
            kind: release
            status: confirmed
            released: 52
            destination: LT
          - id: 2025-09-12-foreigners-14
            date: 2025-09-12
            kind: release
            part_of: 2025-09-11-release-52
            released: 14
            citizenship: {PL: 2, LV: 2}
            title: {ru: 14 иностранцев, en: 14 foreigners}
          - id: 2026-02-19-let-home
            date: 2026-02-19
            kind: release
            part_of: 2025-09-11-release-52
            released: 1
            title: {ru: Отпущен домой, en: Let go home}
          - id: 2026-02-19-decree
            date: 2026-02-19
            kind: release
            status: confirmed
            released: 1
            distinct_from: [2026-02-19-let-home]
        """,
}
PARTS = {  # part -> its root
    "2026-03-19-stayed": "2026-03-19-release-250",
    "2026-03-19-to-lithuania": "2026-03-19-release-250",
    "2026-03-19-journalists": "2026-03-19-release-250",
    "2026-03-19-newsroom": "2026-03-19-release-250",
    "2025-09-12-foreigners-14": "2025-09-11-release-52",
    "2026-02-19-let-home": "2025-09-11-release-52",
}
MARKER = {"ru": "отдельно не учитывается", "en": "not counted separately"}


class Element:
    def __init__(self, tag: str, attrs: dict, parent: "Element | None"):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self, skip=frozenset()) -> str:
        return "".join(c if isinstance(c, str) else "" if c.tag in skip else c.text(skip)
                       for c in self.children)

    def walk(self, skip=frozenset()):
        for c in self.children:
            if isinstance(c, Element) and c.tag not in skip:
                yield c
                yield from c.walk(skip)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr", "area", "col", "embed"}


class _Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.at = Element("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.at)
        self.at.children.append(element)
        if tag not in VOID:
            self.at = element

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data):
        self.at.children.append(data)


def dom(html: str) -> Element:
    tree = _Tree()
    tree.feed(html)
    return tree.root


LISTING = ("li", "tr", "dd", "p")   # what holds one item of a list, a table or the facts


def event_of(href: str, base: str) -> str | None:
    match = re.fullmatch(re.escape(base) + r"(?:en/)?events/([a-z0-9-]+)/", href)
    return match[1] if match else None


def misshown_parts(files: dict[str, bytes], base: str) -> tuple[list[str], list[tuple]]:
    """Problems: a part listed (in a list item, table row, fact or paragraph) with no link
    to its root and no "not counted separately" beside it; and every (page, part) checked."""
    problems, checked = [], []
    for name, data in sorted(files.items()):
        if not name.endswith(".html"):
            continue
        lang = "en" if name.startswith("en/") else "ru"
        for link in dom(data.decode("utf-8")).walk():
            part = event_of(link.attrs.get("href", ""), base) if link.tag == "a" else None
            # the site's header and menu name no event; an event page's neighbours do
            if part not in PARTS or any(a.tag in ("nav", "header") and "event-nav" not in
                                        a.attrs.get("class", "").split() for a in link.ancestors()):
                continue
            holder = next((a for a in link.ancestors() if a.tag in LISTING), None)
            assert holder is not None, f"{name}: a link to {part} outside any list"
            # the item itself, not the items nested in it
            links = {event_of(a.attrs.get("href", ""), base)
                     for a in holder.walk(skip=LISTING) if a.tag == "a" and a.text().strip()}
            checked.append((name, part))
            if PARTS[part] not in links or MARKER[lang] not in holder.text(skip=LISTING):
                problems.append(f"{name}: {part} is listed as {holder.text().split()!r} "
                                f"without its root {PARTS[part]}")
    return problems, checked


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, bytes]:
    root = make_site(tmp_path_factory.mktemp("nested"), {
        f"content/articles/{name}": "---\n" + textwrap.dedent(front) + "---\nBody.\n"
        for name, front in ARTICLES.items()}, PYPROJECT)
    return build(root, write=False, workers=1).files


def test_no_part_is_listed_without_its_root(files):
    problems, checked = misshown_parts(files, "/site/")
    assert problems == []
    pages = {name for name, _ in checked}
    # every kind of page that lists events, in both languages, was looked at
    for tree in ("", "en/"):
        for page in ("index.html", "timeline/index.html", "timeline/2026/index.html",
                     "timeline/2025/index.html", "ledger/index.html",
                     "countries/lt/index.html", "countries/pl/index.html",
                     "events/2026-03-19-release-250/index.html",
                     "events/2026-03-19-journalists/index.html",
                     "events/2026-03-19-newsroom/index.html"):
            assert tree + page in pages, tree + page
    assert ("en/articles/2026-03-21-journalists/index.html", "2026-03-19-newsroom") in checked
    assert ("articles/2026-03-19-release-250/index.html", "2026-03-19-journalists") in checked
    # the timeline's pages of one kind and one status list the 6 parts again, in each tree
    # (a part's item names its root only, not the release it is directly part of)
    assert sum(1 for name, _ in checked if "/kind/" in name or "/status/" in name) == 24
    # and the timeline newest first
    assert sum(1 for name, _ in checked if "/newest/" in name) == 12
    # in the lists, as an event page's previous or next event, and as the release a part is
    # directly part of on that part's own page
    assert len(checked) == 161


def test_a_part_is_shown_under_its_root(files):
    """On home and the timeline, each part comes after the release it is counted in."""
    for page in ("index.html", "en/index.html", "timeline/index.html", "en/timeline/index.html"):
        ids = re.findall(r'<li id="([a-z0-9-]+)"', files[page].decode())
        assert ids.index("2026-03-19-release-250") < ids.index("2026-03-19-to-lithuania") \
            < ids.index("2026-03-19-journalists") < ids.index("2026-03-19-newsroom"), page


def classes_of(html: str, event_id: str) -> str:
    return re.search(rf'<li id="{event_id}" class="([^"]*)"', html)[1]


def test_a_part_is_set_in_only_under_the_release_it_is_part_of(files):
    """Listed right after its parent a part is set in by its depth; listed elsewhere (here
    after another release of its date) it is not, lest it seem a part of that one. On the
    timeline's axis a part is drawn inside the release it is part of (nested items)."""
    timeline = files["timeline/index.html"].decode()
    assert drawn_in(timeline, "2026-03-19-newsroom") == [
        "2026-03-19-journalists", "2026-03-19-to-lithuania", "2026-03-19-release-250"]
    assert drawn_in(timeline, "2026-03-19-journalists") == [
        "2026-03-19-to-lithuania", "2026-03-19-release-250"]
    assert drawn_in(timeline, "2026-02-19-let-home") == []
    assert classes_of(timeline, "2026-02-19-let-home") == "event event-release point gap-0 event-part"
    assert timeline.index('id="2026-02-19-decree"') < timeline.index('id="2026-02-19-let-home"')
    home = files["index.html"].decode()
    assert classes_of(home, "2026-02-19-let-home") == "event event-release event-part part-depth-1"


def drawn_in(html: str, event_id: str) -> list[str]:
    """The ids of the list items an event's item is inside, innermost first."""
    node = next(n for n in dom(html).walk() if n.attrs.get("id") == event_id)
    return [a.attrs.get("id") for a in node.ancestors() if a.tag == "li"]


def test_figures_say_what_they_count(files):
    ru, en = files["index.html"].decode(), files["en/index.html"].decode()
    assert '<span class="count count-concerns">касается 350 человек</span>' in ru
    assert '<span class="count count-concerns">concerns 350 people</span>' in en
    assert '<span class="count count-held">1\xa0140 человек в заключении</span>' in ru
    assert '<span class="count count-held">1,140 still held</span>' in en
    assert '<span class="count count-released">250 человек</span>' in ru
    assert '<span class="count count-part">15 человек</span>' in ru
    assert ru.count("count-released") == 3 and en.count("count-released") == 3
