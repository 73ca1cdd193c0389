"""Each pure stage on its own, on values made in memory: parse one file, check a site, build a
ledger, make the views, write the open data. No folder, no build(): a failure here names the
stage at fault."""
from __future__ import annotations

import datetime as dt

from sitegen.content.checks import check_site
from sitegen.content.diagnostics import Diagnostic
from sitegen.content.ledger import Coverage, build_ledger
from sitegen.content.model import Article, Event, EventRef, Interval, PartialDate, Position, Source
from sitegen.site.data import render_data
from sitegen.site.views import make_views

from .models import CONFIG, parse, site_of

PATH = "content/articles/2025/belarus-frees-52.md"
ARTICLE = """\
---
title: Belarus frees 52
date: 2025-09-11
sources:
  - url: https://reports.test/a
    publisher: Example
events:
  - id: 2025-09-11-release-52
    date: 2025-09-11
    kind: release
    status: confirmed
    released: {min: 50, max: 52}
    citizenship: {PL: 2, LT: 6}
    destination: LT
  - ref: 2025-09-10-talks
  - id: 2025-09-12-part
    date: 2025-09
    kind: release
    part_of: 2025-09-11-release-52
    released: 14
    mechanism: %s
---
First *paragraph*.

## Heading
"""


def at(line: int, col: int = 5) -> Position:
    return Position(PATH, line, col)


def test_parse_reads_one_article_into_the_model():
    article, body, problems = parse(PATH, ARTICLE % "pardon")
    assert problems == []
    release = Event(
        id="2025-09-11-release-52", date=PartialDate(2025, 9, 11), kind="release",
        article="belarus-frees-52", status="confirmed", released=Interval(50, 52),
        citizenship=(("LT", Interval(6, 6)), ("PL", Interval(2, 2))), from_country="BY",
        destination="LT")
    part = Event(
        id="2025-09-12-part", date=PartialDate(2025, 9), kind="release",
        article="belarus-frees-52", released=Interval(14, 14), from_country="BY",
        mechanism="pardon", part_of="2025-09-11-release-52")
    assert article == Article(
        slug="belarus-frees-52", path=PATH, title="Belarus frees 52", date=dt.date(2025, 9, 11),
        published="2025-09-11", lang="en",
        sources=(Source("https://reports.test/a", "Example"),), body_line=23,
        summary="First paragraph.", events=(release, part),
        refs=(EventRef("2025-09-10-talks", "belarus-frees-52", at(15, 10)),))
    # the body apart from the article (a page is given it by its route), and what equality
    # leaves out: where each thing was written
    assert body == '<p>First <em>paragraph</em>.</p>\n<h2 id="heading">Heading</h2>\n'
    assert [e.pos for e in article.events] == [at(8), at(16)]
    assert [(key, p.line) for key, p in article.events[0].key_pos] == [
        ("id", 8), ("date", 9), ("kind", 10), ("status", 11), ("released", 12),
        ("citizenship", 13), ("destination", 14)]


def test_parse_reports_a_bad_value_at_its_place_and_keeps_the_rest():
    article, _, problems = parse(PATH, ARTICLE % "pardonn")
    assert [(p.path, p.line, p.col, p.severity, p.code, p.message) for p in problems] == [(
        PATH, 21, 16, "error", "E-EXPECTED-CHOICE", "events[3].mechanism: expected one of "
        "pardon, exchange, sentence_served, deportation, other, got 'pardonn' (did you mean "
        "'pardon'?)")]
    assert [e.id for e in article.events] == ["2025-09-11-release-52"]
    assert article.unreadable == ("2025-09-12-part",)


def source(url: str) -> list[dict]:
    return [{"url": url, "publisher": "P"}]


def test_check_site_names_both_places_of_what_spans_files():
    site = site_of({
        "a": {"title": "A", "date": "2025-09-11", "sources": source("https://a.example/"),
              "events": [
                  {"id": "r52", "date": "2025-09-11", "kind": "release", "status": "confirmed",
                   "released": 52},
                  {"id": "x", "date": "2025-09-12", "kind": "release", "status": "confirmed",
                   "released": 3},
                  {"ref": "r5"}]},
        "b": {"title": "B", "date": "2025-09-12", "sources": source("https://b.example/"),
              "events": [
                  {"id": "x", "date": "2025-09-12", "kind": "statement"},
                  {"id": "z", "date": "2025", "kind": "release", "part_of": "talks",
                   "released": 1},
                  {"id": "talks", "date": "2025", "kind": "negotiation"}]},
        "c": {"title": "C", "date": "2025-09-13", "draft": True,
              "sources": source("https://c.example/"),
              "events": [{"id": "only-in-draft", "date": "2025", "kind": "statement"}]},
        "d": {"title": "D", "date": "2025-09-13", "sources": source("https://d.example/"),
              "events": [{"ref": "only-in-draft"}, {"ref": "x"}, {"ref": "x"}]},
    })
    a, b, d = "content/articles/a.md", "content/articles/b.md", "content/articles/d.md"
    assert [d.text() for d in check_site(site)] == [
        f"{a}:3:5: error: id: duplicate event id 'x', also declared at {b}:2; to cover the "
        "same event, use '- ref: x'",
        f"{b}:2:5: error: id: duplicate event id 'x', also declared at {a}:3; to cover the "
        "same event, use '- ref: x'",
        f"{a}:4:5: error: ref: no event 'r5' is declared anywhere (did you mean 'r52'?)",
        f"{d}:4:5: error: ref: 'x' is already referenced at line 3",
        f"{b}:3:5: error: part_of: 'talks' is a negotiation event ({b}:4); part_of must name "
        "a release",
        f"{d}:2:5: error: ref: 'only-in-draft' is declared only in a draft "
        "(content/articles/c.md:2); it would be missing from the site"]


def test_check_site_adds_up_whole_trees_and_warns_of_probable_duplicates():
    site = site_of({
        "a": {"title": "A", "date": "2025-09-11", "sources": source("https://a.example/"),
              "events": [
                  {"id": "r52", "date": "2025-09-11", "kind": "release", "status": "confirmed",
                   "released": 52, "citizenship": {"BY": 50, "LT": 6}},
                  {"id": "p60", "date": "2025-09-11", "kind": "release", "part_of": "r52",
                   "released": 60},
                  {"id": "p3", "date": "2025-09-11", "kind": "release", "part_of": "r52",
                   "status": "reported", "released": 3}]},
        "b": {"title": "B", "date": "2025-09-12", "sources": source("https://b.example/"),
              "events": [
                  {"id": "again", "date": "2025-09-11", "kind": "release",
                   "status": "confirmed", "released": 3},
                  {"id": "apart", "date": "2025-09-11", "kind": "release",
                   "status": "confirmed", "released": 3, "distinct_from": ["again", "p3"]}]},
    })
    a, b = "content/articles/a.md", "content/articles/b.md"
    assert [d.text() for d in check_site(site)] == [
        f"{a}:4:5: error: status: 'reported' differs from 'confirmed' of its root 'r52' "
        f"({a}:2); omit status to inherit it",
        f"{a}:2:5: error: released: its parts add up to 63, more than the 52 released: "
        f"'p3' 3 ({a}:4), 'p60' 60 ({a}:3)",
        f"{a}:2:5: error: citizenship: adds up to 56, more than the 52 released",
        f"{a}:3:5: error: released: 60 is more than the 52 of 'r52' it is part of ({a}:2)",
        f"{b}:2:5: warning: probable duplicate of 'p3' ({a}:4): same date and count; if it is "
        "the same release use '- ref: p3', if it is part of it use part_of, if it is another "
        "release add 'distinct_from: [p3]'",
        f"{a}:4:5: warning: probable duplicate of 'again' ({b}:2): same date and count; if it "
        "is the same release use '- ref: again', if it is part of it use part_of, if it is "
        "another release add 'distinct_from: [again]'"]


# 52 freed (38 Belarusians, 14 foreigners of whom 2 Poles, all sent to Lithuania); a
# disputed release of at least 5; a reported one of 3 to 9 who stayed; talks
SITE = {
    "a": {"title": "Fifty-two", "date": "2025-09-11", "translation_key": "k",
          "sources": source("https://a.example/52"), "events": [
              {"id": "r52", "date": "2025-09-11", "kind": "release", "status": "confirmed",
               "released": 52, "citizenship": {"BY": 38}, "destination": "LT"},
              {"id": "p14", "date": "2025-09-11", "kind": "release", "part_of": "r52",
               "released": 14, "citizenship": {"LT": 6, "PL": 2}},
              {"id": "p2", "date": "2025-09-11", "kind": "release", "part_of": "p14",
               "released": 2, "citizenship": {"PL": 2}},
              {"id": "talks", "date": "2025-08", "kind": "negotiation"}]},
    "b": {"title": "Rumour", "date": "2025-10-02", "lang": "ru", "translation_key": "k",
          "sources": source("https://b.example/x"), "events": [
              {"id": "d5", "date": "2025-10-01", "kind": "release", "status": "disputed",
               "released": {"at_least": 5}},
              {"id": "rep", "date": "2026", "kind": "release", "status": "reported",
               "released": {"min": 3, "max": 9}, "destination": "BY"},
              {"ref": "r52"}]},
}


def iv(lo: int, hi: int | None | str = "same") -> Interval:
    return Interval(lo, lo if hi == "same" else hi)


def buckets(confirmed: Interval, with_reported: Interval | None = None) -> tuple:
    return (("confirmed", confirmed), ("with_reported", with_reported or confirmed))


def test_build_ledger_counts_each_root_once_and_breaks_it_down():
    site = site_of(SITE)
    assert check_site(site) == []
    ledger = build_ledger(site)
    assert [(e.event.id, e.status, e.root, e.depth, e.counted, e.reason, e.children)
            for e in ledger.entries] == [
        ("p14", "confirmed", "r52", 1, False, "included in r52", ("p2",)),
        ("p2", "confirmed", "r52", 2, False, "included in p14", ()),
        ("r52", "confirmed", "r52", 0, True, None, ("p14",)),
        ("d5", "disputed", "d5", 0, False, "disputed", ()),
        ("rep", "reported", "rep", 0, True, None, ())]
    r52 = ledger.entries[2]
    assert r52.citizenship == (("BY", iv(38)), ("LT", iv(6)), ("PL", iv(2)))
    assert r52.citizenship_unknown == iv(6)
    assert (r52.destinations, r52.destination_unknown) == ((("LT", iv(52)),), iv(0))
    assert r52.coverage == Coverage(("a", "b"), ("https://a.example/52", "https://b.example/x"))
    assert ledger.entries[3].citizenship_unknown == iv(5, None)
    assert ledger.totals == buckets(iv(52), iv(55, 61))
    assert ledger.by_citizenship == (
        ("BY", buckets(iv(38))), ("LT", buckets(iv(6))), ("PL", buckets(iv(2))),
        ("unknown", buckets(iv(6), iv(9, 15))))
    assert ledger.by_destination == (
        ("BY", buckets(iv(0), iv(3, 9))), ("LT", buckets(iv(52))), ("unknown", buckets(iv(0))))
    assert ledger.by_year == (("2025", buckets(iv(52))), ("2026", buckets(iv(0), iv(3, 9))))
    assert ledger.stayed == (("BY", buckets(iv(0), iv(3, 9))),)


def test_make_views_orders_and_groups_what_the_pages_show():
    site = site_of(SITE)
    views = make_views(CONFIG, site, build_ledger(site))
    assert [v.id for v in views.events] == ["talks", "r52", "p14", "p2", "d5", "rep"]
    assert [(v.id, v.root and v.root.id, v.within and v.within.id) for v in views.events] == [
        ("talks", None, None), ("r52", None, None), ("p14", "r52", "r52"), ("p2", "r52", "p14"),
        ("d5", None, None), ("rep", None, None)]
    p2 = views.by_id["p2"]
    assert [p2.follows(views.by_id[i]) for i in ("p14", "r52", "d5")] == [True, False, False]
    assert [v.id for v in views.latest(2)] == ["rep", "d5"]
    assert [(v.id, parent and parent.id) for v, parent in views.ledger_rows()] == [
        ("r52", None), ("p14", "r52"), ("p2", "p14"), ("d5", None), ("rep", None)]
    assert [(v.id, running) for v, running in views.chart_rows()] == [("r52", iv(52))]
    assert [(year, [(month, [v.id for v in vs]) for month, vs in months])
            for year, months in views.grouped()] == [
        (2025, [(8, ["talks"]), (9, ["r52", "p14", "p2"]), (10, ["d5"])]),
        (2026, [(None, ["rep"])])]
    assert views.years == (2025, 2026)
    assert [(c.code, c.citizens, c.received, c.stayed, [v.id for v in c.events])
            for c in views.countries] == [
        ("BY", buckets(iv(38)), None, buckets(iv(0), iv(3, 9)), ["r52", "p14", "p2", "d5", "rep"]),
        ("LT", buckets(iv(6)), buckets(iv(52)), None, ["r52", "p14"]),
        ("PL", buckets(iv(2)), None, None, ["r52", "p14", "p2"])]
    assert views.destination_rows() == [
        ("BY", "stayed", buckets(iv(0), iv(3, 9))), ("LT", "received", buckets(iv(52))),
        ("unknown", "unknown", buckets(iv(0)))]
    a, b = site.articles
    assert [x.slug for x in views.articles] == ["b", "a"]
    assert [x.slug for x in views.translations(a)] == ["b"]
    assert [v.id for v in views.covered_by(b)] == ["d5", "rep", "r52"]
    assert [(s.url, by.slug) for s, by in views.by_id["r52"].sources] == [
        ("https://a.example/52", "a"), ("https://b.example/x", "b")]


def test_render_data_writes_the_ledger_as_csv_rows():
    site = site_of(SITE)
    files = render_data(site, build_ledger(site))
    assert sorted(files) == ["data/events.json", "data/ledger.csv", "data/ledger.json"]
    assert files["data/ledger.csv"].decode("utf-8").splitlines() == [
        "id,date,status,released_min,released_max,part_of,counted,not_counted_reason,"
        "citizenship,citizenship_unknown_min,citizenship_unknown_max,from,destination,"
        "articles,sources",
        "p14,2025-09-11,confirmed,14,14,r52,false,included in r52,LT:6;PL:2,6,6,BY,,a,"
        "https://a.example/52",
        "p2,2025-09-11,confirmed,2,2,p14,false,included in p14,PL:2,0,0,BY,,a,"
        "https://a.example/52",
        "r52,2025-09-11,confirmed,52,52,,true,,BY:38;LT:6;PL:2,6,6,BY,LT,a b,"
        "https://a.example/52 https://b.example/x",
        "d5,2025-10-01,disputed,5,,,false,disputed,,5,,BY,,b,https://b.example/x",
        "rep,2026,reported,3,9,,true,,,3,9,BY,BY,b,https://b.example/x"]


def test_render_makes_one_route_from_its_values_alone():
    """site/render.py on one route of hand-made views: the event page of a part in English,
    with the repository's theme read into memory (nothing else is read or written)."""
    from sitegen.site.render import Renderer
    from sitegen.site.routes import routes

    from .conftest import theme_of
    theme = theme_of()
    site = site_of(SITE)
    views = make_views(CONFIG, site, build_ledger(site))
    items = [(lang, r) for lang in CONFIG.languages for r in routes(views, lang, {})]
    where: dict = {}
    for lang, r in items:
        prefix = "" if lang == CONFIG.default_language else f"{lang}/"
        where.setdefault(r.key, {})[lang] = CONFIG.base_path + prefix + r.path
    (route,) = [r for lang, r in items if lang == "en" and r.key == ("event", "p2")]
    assert (route.path, route.template, route.bodies) == ("events/p2/", "event.html", ())
    html = Renderer(views, theme, where).render("en", route).decode()
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<h1>Fifty-two</h1>" in html
    assert ('Part of “<a href="/events/p14/">Fifty-two</a>”, within “<a href="/events/r52/">'
            'Fifty-two</a>”; not counted separately.') in html
    assert '<dt>Released<span class="visually-hidden">:</span></dt> <dd>2 people</dd>' in html
    assert ('<li class="next"><span class="label">Next:</span> <a href="/events/d5/"><span '
            'lang="ru">Rumour</span></a>') in html
