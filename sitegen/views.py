"""What the pages show, computed once from the site and its ledger (no language yet)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .config import Config
from .ledger import Entry, Ledger, sort_key, total
from .model import Article, CountryIntro, Event, Interval, Page, Site


@dataclass(frozen=True)
class EventView:
    event: Event
    declared_in: Article
    entry: Entry | None                  # release events only
    articles: tuple[Article, ...]        # declaring and referring, by slug
    sources: tuple                       # (Source, Article) pairs, each URL once
    parent: Event | None
    children: tuple[Event, ...]
    # a part's root (the release it is counted in) and the release it is directly part of,
    # which the lists name beside it; None for a root and for events of other kinds
    root: "EventView | None" = None
    within: "EventView | None" = None

    @property
    def id(self) -> str:
        return self.event.id

    @property
    def count(self) -> Interval | None:
        e = self.event
        return e.released or e.people or e.held

    @property
    def is_part(self) -> bool:
        return self.root is not None

    @property
    def status(self) -> str | None:
        return self.entry.status if self.entry else self.event.status

    def all_countries(self) -> tuple[str, ...]:
        e = self.event
        codes = {c for c, _ in e.citizenship} | set(e.countries)
        if self.entry:
            codes |= {c for c, _ in self.entry.citizenship} | {c for c, _ in self.entry.destinations}
        codes |= {c for c in (e.from_country, e.destination) if c}
        return tuple(sorted(codes))


Totals = tuple[tuple[str, Interval], ...]      # (bucket, count)


@dataclass(frozen=True)
class CountryView:
    code: str
    citizens: Totals | None
    received: Totals | None        # sent there from another country
    events: tuple[EventView, ...]
    intros: tuple[CountryIntro, ...]
    stayed: Totals | None = None   # freed inside it by the country that held them
    # what "citizenship not reported" hides beside `citizens`: of the people in the confirmed
    # releases by this country (`held_here`), else in all confirmed releases, how many have
    # no reported citizenship, and how many there are
    unreported: Interval | None = None
    unreported_of: Interval | None = None
    held_here: bool = False


@dataclass(frozen=True)
class Views:
    config: Config
    site: Site
    ledger: Ledger
    events: tuple[EventView, ...]              # every event, by date then id
    by_id: dict[str, EventView]
    articles: tuple[Article, ...]              # newest first
    countries: tuple[CountryView, ...]
    years: tuple[int, ...]
    chart: tuple[tuple[Event, Interval], ...]  # counted confirmed roots and the running total
    by_translation: dict[str, tuple[Article, ...]]   # translation_key -> its articles, newest first

    def translations(self, article: Article) -> tuple[Article, ...]:
        if not article.translation_key:
            return ()
        return tuple(a for a in self.by_translation[article.translation_key]
                     if a.slug != article.slug)

    def covered_by(self, article: Article) -> tuple[EventView, ...]:
        ids = [e.id for e in article.events] + [r.id for r in article.refs]
        return tuple(self.by_id[i] for i in ids if i in self.by_id)

    def grouped(self, year: int | None = None) -> list[tuple[int, list[tuple[int | None, list[EventView]]]]]:
        """Events by year, then by month (None: only the year is known), in date order."""
        years: dict[int, dict[int | None, list[EventView]]] = {}
        for v in self.events:
            d = v.event.date
            if year is None or d.year == year:
                years.setdefault(d.year, {}).setdefault(d.month, []).append(v)
        return [(y, sorted(months.items(), key=lambda m: m[0] or 0))
                for y, months in sorted(years.items())]

    def ledger_tree(self) -> list[EventView]:
        """Release events, each root by date followed by its parts, depth first."""
        out: list[EventView] = []

        def walk(view: EventView) -> None:
            out.append(view)
            for child in view.children:
                walk(self.by_id[child.id])
        for entry in self.ledger.entries:
            if entry.depth == 0:
                walk(self.by_id[entry.event.id])
        return out

    def latest(self, n: int) -> list[EventView]:
        """The last `n` events that are not parts, newest first, each followed by its parts
        (depth first): a part is shown under the release it is counted in."""
        out: list[EventView] = []

        def walk(view: EventView) -> None:
            out.append(view)
            for child in view.children:
                walk(self.by_id[child.id])
        for view in [v for v in self.events if not v.is_part][-n:][::-1]:
            walk(view)
        return out

    def chart_rows(self) -> list[tuple[EventView, Interval]]:
        """The chart's points: each counted confirmed root and the running total after it."""
        return [(self.by_id[event.id], running) for event, running in self.chart]

    def ledger_rows(self) -> list[tuple[EventView, EventView | None]]:
        """ledger_tree(), each event with the event it is part of."""
        return [(v, v.parent and self.by_id[v.parent.id]) for v in self.ledger_tree()]

    def country(self, code: str) -> CountryView:
        return next(c for c in self.countries if c.code == code)

    def destination_rows(self) -> list[tuple[str, str, Totals]]:
        return destination_rows(self.ledger)

    def pages(self, lang: str) -> tuple[Page, ...]:
        return tuple(p for p in self.site.pages if p.lang == lang)


def make_views(config: Config, site: Site, ledger: Ledger) -> Views:
    articles = {a.slug: a for a in site.articles}
    covered = ledger.coverage
    entries = {e.event.id: e for e in ledger.entries}
    events = sorted(site.events, key=sort_key)
    by_event = {e.id: e for e in events}
    kids: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.part_of:
            kids[e.part_of].append(e)
    made: dict[str, EventView] = {}
    # roots first, then their parts level by level, so that each part can hold its root's view
    for e in sorted(events, key=lambda e: _depth(by_event, e)):
        cover = covered[e.id]
        arts = tuple(articles[s] for s in cover.articles)
        seen, sources = set(), []
        for a in arts:
            for s in a.sources:
                if s.url not in seen:
                    seen.add(s.url)
                    sources.append((s, a))
        within = made[e.part_of] if e.part_of else None
        made[e.id] = EventView(e, articles[e.article], entries.get(e.id), arts, tuple(sources),
                               within.event if within else None, tuple(kids.get(e.id, ())),
                               within and (within.root or within), within)
    views = [made[e.id] for e in _reading_order(events, by_event)]
    by_id = {v.id: v for v in views}
    newest_first = tuple(sorted(site.articles, key=lambda a: (a.date, a.slug), reverse=True))
    by_translation: dict[str, list[Article]] = defaultdict(list)
    for a in newest_first:
        if a.translation_key:
            by_translation[a.translation_key].append(a)
    return Views(
        config=config, site=site, ledger=ledger, events=tuple(views), by_id=by_id,
        articles=newest_first,
        by_translation={k: tuple(v) for k, v in by_translation.items()},
        countries=_countries(site, ledger, views),
        years=tuple(sorted({v.event.date.year for v in views})),
        chart=_running_total(ledger))


def _depth(by_event: dict[str, Event], event: Event) -> int:
    depth = 0
    while event.part_of:
        event, depth = by_event[event.part_of], depth + 1
    return depth


def _reading_order(events: list[Event], by_event: dict[str, Event]) -> list[Event]:
    """By date (`events` are); on one date, each release before its parts, depth first, so
    that no list shows a part above the release it is counted in."""
    kids: dict[str, list[Event]] = defaultdict(list)
    for e in events:
        if e.part_of:
            kids[e.part_of].append(e)
    place = {e.id: (i,) for i, e in enumerate(events)}

    def walk(event: Event, path: tuple) -> None:
        for i, child in enumerate(kids.get(event.id, ())):
            if child.date.start == event.date.start:
                place[child.id] = (*path, i)
                walk(child, place[child.id])
    for e in events:
        walk(e, place[e.id])
    return sorted(events, key=lambda e: (e.date.start, place[e.id]))


def _minus(whole: Totals, part: Totals) -> Totals | None:
    """whole - part, bucket by bucket (None when nothing is left)."""
    rest = tuple((b, n.rest_after(dict(part)[b])) for b, n in whole)
    return None if all(n.is_zero for _, n in rest) else rest


def destination_rows(ledger: Ledger) -> list[tuple[str, str, Totals]]:
    """by_destination as the pages show it: (code, "stayed" | "received" | "unknown", totals),
    a country's people who stayed apart from those sent there from elsewhere."""
    stayed = dict(ledger.stayed)
    out = []
    for code, totals in ledger.by_destination:
        here = stayed.get(code)
        if code == "unknown":
            out.append((code, "unknown", totals))
            continue
        if here and not all(n.is_zero for _, n in here):
            out.append((code, "stayed", here))
            rest = _minus(totals, here)
            if rest:
                out.append((code, "received", rest))
        else:
            out.append((code, "received", totals))
    return out


def _unreported(ledger: Ledger, code: str) -> tuple[Interval, Interval, bool]:
    """(people without a reported citizenship, people in all) over the counted confirmed
    releases by `code`, or over all of them when it held none; and whether it held them."""
    roots = [e for e in ledger.entries if e.counted and e.status == "confirmed"]
    mine = [e for e in roots if e.event.from_country == code]
    chosen = mine or roots
    return (total(e.citizenship_unknown for e in chosen), total(e.event.released for e in chosen),
            bool(mine))


def _countries(site: Site, ledger: Ledger, views: list[EventView]) -> tuple[CountryView, ...]:
    citizens = dict(ledger.by_citizenship)
    destinations = dict(ledger.by_destination)
    rows = destination_rows(ledger)
    stayed = {c: n for c, kind, n in rows if kind == "stayed"}
    received = {c: n for c, kind, n in rows if kind == "received"}
    involved: dict[str, list[EventView]] = defaultdict(list)
    for v in views:
        for code in v.all_countries():
            involved[code].append(v)
    intros: dict[str, list[CountryIntro]] = defaultdict(list)
    for intro in site.countries:
        intros[intro.code].append(intro)
    codes = sorted((set(involved) | set(intros) | set(citizens) | set(destinations))
                   - {"unknown"})
    out = []
    for c in codes:
        unreported, of, held_here = _unreported(ledger, c) if c in citizens else (None, None, False)
        out.append(CountryView(c, citizens.get(c), received.get(c), tuple(involved.get(c, ())),
                               tuple(intros.get(c, ())), stayed.get(c),
                               None if unreported is None or unreported.is_zero else unreported,
                               of, held_here))
    return tuple(out)


def _running_total(ledger: Ledger) -> tuple[tuple[Event, Interval], ...]:
    out, running = [], Interval(0, 0)
    for entry in ledger.entries:
        if entry.counted and entry.status == "confirmed":
            running = running + entry.event.released
            out.append((entry.event, running))
    return tuple(out)
